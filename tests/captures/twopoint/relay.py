#!/usr/bin/env python3
"""A one-way user-space wire with a delay and scripted faults: reads the Ethernet frames that
arrive on IF_IN and sends them out of IF_OUT after DELAY_MS, except where a rule says
otherwise. record.sh runs two of these per path, one per direction (this kernel has no netem).
(A copy of tests/captures/lossy/relay.py with a delay ramp added: --ramp-ms-per-s.)

    relay.py IF_IN IF_OUT DELAY_MS [--dir NAME] [--port PORT] [--rules JSON] [--log FILE]
             [--ramp-ms-per-s R --ramp-max-ms M]

A delay ramp (bufferbloat, a queue that fills): with --ramp-ms-per-s R, the delay of a frame
arriving T seconds after the connection's first SYN (in this direction) is
DELAY_MS + min(R * T, M) ms; frames before that SYN get DELAY_MS. Every frame of the direction
gets the ramped delay (as every packet waits in the same queue), and as R < 1000 ms/s the
frames still leave in their order of arrival. Each logged frame carries "delay_ms", the delay
the relay applied to it (its due time minus its arrival, holds included).

Rules apply to the TCP frames of one connection (source or destination port PORT) in this
direction. Data segments (TCP payload > 0) are numbered 1, 2, … in the order they first carry
new data; a segment that starts below the highest sequence number seen so far is a
retransmission and gets no number (sequence numbers are counted from the first SYN seen, so
"seq" in the log is relative like Wireshark's). The rules (a JSON list):

  {"action": "drop", "nth": N, "retrans": K}
      drop the Nth data segment, and also the first K later frames that carry its first byte
      again (its retransmissions, whether a loss probe, a fast retransmit or a timeout resend)
  {"action": "reorder", "nth": N, "after": k}
      hold the Nth data segment back and send it right after data segment N+k (no loss)
  {"action": "hold", "nth": N, "ms": H}
      send the Nth data segment H ms later than its due time; the frames behind it pass
  {"action": "hold", "nth": N, "ms": H, "freeze": true}
      a stall of the direction: the Nth data segment and every frame arriving in this
      direction while it is held (retransmissions included) wait H ms more and then leave in
      their order of arrival
  {"action": "ce", "nth": N}
      ECN: if the Nth data segment is ECN-capable (IP ECN field ECT(0) or ECT(1)), set the
      field to CE (Congestion Experienced, both bits) and recompute the IPv4 header checksum,
      as a router with active queue management would instead of dropping it; it is forwarded
      on time (action "ce_mark", with "ecn_before"). A Not-ECT segment is forwarded unchanged.

Every TCP frame of the connection that carries data, SYN, FIN or RST is logged as one JSON
line (all pure ACKs only as counts in the final summary line): wall-clock time in (t) and out
(t_out, the same clock as tcpdump's), dir, seq (relative), len, flags, the data segment number
(n) or retrans: true, the action (forward, drop, hold, reorder_hold, reorder_release, frozen)
and late_ms (how much later than due the frame left: the relay's own timing error); "ecn" gives the
IP ECN field as it arrived when it is not Not-ECT (ECT(0), ECT(1) or CE). The last
line is a summary with the counts and the largest lateness. Stops on SIGTERM or SIGINT.
"""
import argparse
import heapq
import json
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def tcp_of(frame):
    """(sport, dport, seq, ack, flags, payload_len) of an IPv4 TCP frame, else None."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return None
    ihl = (frame[14] & 0x0F) * 4
    if frame[23] != 6:
        return None
    total = struct.unpack("!H", frame[16:18])[0]
    t = 14 + ihl
    if len(frame) < t + 20:
        return None
    sport, dport, seq, ack, off_flags = struct.unpack("!HHIIH", frame[t:t + 14])
    doff = (off_flags >> 12) * 4
    return sport, dport, seq, ack, off_flags & 0x1FF, total - ihl - doff


ECN_NAMES = {0: "Not-ECT", 1: "ECT(1)", 2: "ECT(0)", 3: "CE"}


def mark_ce(frame):
    """The frame with its IPv4 ECN field set to CE and the header checksum recomputed, or None
    when the segment is Not-ECT (a router may only mark ECN-capable packets)."""
    if frame[15] & 0x03 == 0:
        return None
    ihl = (frame[14] & 0x0F) * 4
    hdr = bytearray(frame[14:14 + ihl])
    hdr[1] |= 0x03
    hdr[10:12] = b"\x00\x00"
    total = sum(struct.unpack("!%dH" % (ihl // 2), bytes(hdr)))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    hdr[10:12] = struct.pack("!H", ~total & 0xFFFF)
    return frame[:14] + bytes(hdr) + frame[14 + ihl:]


FLAG_NAMES = [(0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x10, ".")]


def flag_str(f):
    return "".join(n for b, n in FLAG_NAMES if f & b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("if_in")
    ap.add_argument("if_out")
    ap.add_argument("delay_ms", type=float)
    ap.add_argument("--dir", default="?")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--rules", default="[]")
    ap.add_argument("--log")
    ap.add_argument("--ramp-ms-per-s", type=float, default=0.0)
    ap.add_argument("--ramp-max-ms", type=float, default=0.0)
    a = ap.parse_args()
    ramp_start = None  # monotonic time of the connection's first SYN
    rules = json.loads(a.rules)
    delay = a.delay_ms / 1000.0
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    rx.bind((a.if_in, 0))
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.setblocking(False)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    tx.bind((a.if_out, 0))
    log = open(a.log, "w") if a.log else None

    def write(rec):
        if log:
            log.write(json.dumps(rec, separators=(",", ":")) + "\n")

    write({"relay": a.dir, "in": a.if_in, "out": a.if_out, "delay_ms": a.delay_ms,
           "port": a.port, "rules": rules, "ramp_ms_per_s": a.ramp_ms_per_s,
           "ramp_max_ms": a.ramp_max_ms, "t": time.time()})
    # Wall clock for the log, monotonic clock for the schedule.
    wall_minus_mono = time.time() - time.monotonic()
    queue = []  # (due, order, frame, record or None)
    order = 0
    isn = None
    high = 0  # highest relative sequence end seen (new data)
    n = 0  # data segments numbered so far
    dropping = {}  # rule index -> [first byte, retransmissions still to drop]
    reorder_wait = {}  # data segment number after which a held frame leaves -> (frame, record)
    freeze_until = 0.0
    stats = {"frames": 0, "pure_acks": 0, "data": 0, "retrans": 0, "dropped": 0,
             "max_late_ms": 0.0, "late_over_2ms": 0}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    def push(due, frame, rec):
        nonlocal order
        order += 1
        if rec is not None and "delay_ms" not in rec:
            rec["delay_ms"] = round((due - (rec["t"] - wall_minus_mono)) * 1000.0, 3)
        heapq.heappush(queue, (due, order, frame, rec))

    while not stop:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 0.2
        try:
            ready, _, _ = select.select([rx], [], [], timeout)
        except InterruptedError:
            ready = []
        while ready:
            try:
                frame, addr = rx.recvfrom(65535)
            except BlockingIOError:
                break
            if addr[2] == PACKET_OUTGOING:
                continue
            now = time.monotonic()
            t = tcp_of(frame)
            if ramp_start is None and t is not None and a.port in (t[0], t[1]) and t[4] & 0x02:
                ramp_start = now
            extra = 0.0
            if ramp_start is not None and a.ramp_ms_per_s:
                extra = min(a.ramp_ms_per_s * (now - ramp_start), a.ramp_max_ms) / 1000.0
            due = now + delay + extra
            stats["frames"] += 1
            if t is None or a.port not in (t[0], t[1]):
                push(max(due, freeze_until), frame, None)
                continue
            sport, dport, seq, ack, flags, plen = t
            if flags & 0x02 and isn is None:
                isn = seq
            if isn is None:
                push(max(due, freeze_until), frame, None)
                continue
            rel = (seq - isn) % (1 << 32)
            rec = None
            if plen > 0 or flags & 0x07:
                rec = {"t": round(now + wall_minus_mono, 6), "dir": a.dir, "seq": rel, "len": plen,
                       "flags": flag_str(flags), "action": "forward"}
                if frame[15] & 0x03:
                    rec["ecn"] = ECN_NAMES[frame[15] & 0x03]
            else:
                stats["pure_acks"] += 1
            if plen > 0:
                end = rel + plen
                if end > high and rel >= high - 0:
                    n += 1
                    high = end
                    rec["n"] = n
                    stats["data"] += 1
                elif end > high:  # partly new (a resend merged with new data)
                    high = end
                    rec["retrans"] = True
                    stats["retrans"] += 1
                else:
                    rec["retrans"] = True
                    stats["retrans"] += 1
                handled = False
                for i, r in enumerate(rules):
                    if r["action"] == "drop":
                        if rec.get("n") == r["nth"]:
                            dropping[i] = [rel, r.get("retrans", 0)]
                            rec["action"] = "drop"
                            handled = True
                        elif rec.get("retrans") and i in dropping and dropping[i][1] > 0 \
                                and rel <= dropping[i][0] < end:
                            dropping[i][1] -= 1
                            rec["action"] = "drop"
                            rec["drop_of_retrans"] = r.get("retrans", 0) - dropping[i][1]
                            handled = True
                    elif r["action"] == "reorder" and rec.get("n") == r["nth"]:
                        rec["action"] = "reorder_hold"
                        reorder_wait[r["nth"] + r["after"]] = (frame, rec)
                        handled = True
                    elif r["action"] == "ce" and rec.get("n") == r["nth"]:
                        marked = mark_ce(frame)
                        if marked is not None:
                            frame = marked
                            rec["action"] = "ce_mark"
                            rec["ecn_before"] = rec.pop("ecn")
                            stats["ce_marked"] = stats.get("ce_marked", 0) + 1
                    elif r["action"] == "hold" and rec.get("n") == r["nth"]:
                        rec["action"] = "hold"
                        rec["hold_ms"] = r["ms"]
                        due += r["ms"] / 1000.0
                        if r.get("freeze"):
                            freeze_until = due
                            rec["freeze"] = True
                if rec["action"] == "drop":
                    stats["dropped"] += 1
                    write(rec)
                    continue
                if handled and rec["action"] == "reorder_hold":
                    write(dict(rec))
                    continue
                if rec["action"] in ("forward", "ce_mark") and due < freeze_until:
                    rec["action"] = "frozen"
            elif due < freeze_until and rec is not None:
                rec["action"] = "frozen"
            push(max(due, freeze_until) if rec is None or rec["action"] != "hold" else due,
                 frame, rec)
            if rec is not None and rec.get("n") in reorder_wait:
                held, hrec = reorder_wait.pop(rec["n"])
                hrec = dict(hrec, action="reorder_release", after_n=rec["n"])
                push(max(due, freeze_until), held, hrec)
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            due, _, frame, rec = heapq.heappop(queue)
            tx.send(frame)
            out = time.monotonic()
            late = (out - due) * 1000.0
            stats["max_late_ms"] = max(stats["max_late_ms"], round(late, 3))
            if late > 2.0:
                stats["late_over_2ms"] += 1
            if rec is not None:
                rec["t_out"] = round(out + wall_minus_mono, 6)
                rec["late_ms"] = round(late, 3)
                write(rec)
            now = time.monotonic()
    write(dict(stats, summary=True, dir=a.dir, t=time.time(), still_queued=len(queue)))
    if log:
        log.close()


if __name__ == "__main__":
    main()
