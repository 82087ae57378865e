#!/usr/bin/env python3
"""The kernel's own account of each lossy-path scenario, for record.sh.

    groundtruth.py ss-sample PORT OUT.txt       run `ss -tin` every ~10 ms until SIGTERM,
                                                 appending "# t=<unix time>" and its lines
    groundtruth.py ss-parse IN.txt OUT.jsonl     one JSON object per sample and socket
    groundtruth.py nstat-diff SENDER C0 C1 S0 S1 OUT.json
                                                 the counters that changed between two
                                                 `nstat -asz --json` dumps, per namespace
    groundtruth.py merge OUT.jsonl IN.jsonl...   the relays' logs in one file, by time
"""
import json
import re
import signal
import subprocess
import sys
import time


def ss_sample(port, out):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with open(out, "w") as f:
        while not stop:
            t = time.time()
            r = subprocess.run(["ss", "-tinH", "state", "all", "(", "dport", "=", ":%s" % port,
                                "or", "sport", "=", ":%s" % port, ")"],
                               capture_output=True, text=True)
            lines = [l for l in r.stdout.splitlines() if l.strip()]
            if lines:
                f.write("# t=%.6f\n" % t)
                f.write("\n".join(lines) + "\n")
            time.sleep(max(0.0, 0.010 - (time.time() - t)))


NUM = r"[0-9.]+"
KEEP = ["cwnd", "ssthresh", "rto", "mss", "unacked", "retrans", "lost", "sacked", "reordering",
        "reord_seen", "bytes_sent", "bytes_retrans", "bytes_acked", "bytes_received",
        "segs_out", "segs_in", "data_segs_out", "dsack_dups", "rcv_space", "snd_wnd",
        "rcv_wnd", "notsent", "delivered", "app_limited", "busy", "rwnd_limited",
        "sndbuf_limited", "minrtt", "delivery_rate", "pacing_rate", "send", "lastsnd",
        "lastrcv", "lastack", "ato", "backoff"]


def parse_info(state_line, info):
    d = {}
    head = state_line.split()
    if len(head) >= 5:
        d["state"], d["recv_q"], d["send_q"] = head[0], int(head[1]), int(head[2])
        d["local"], d["peer"] = head[3], head[4]
    for tok in info.split():
        if ":" not in tok:
            if tok in ("app_limited", "sack", "ts", "ecn", "ecnseen", "cubic", "bbr", "reno"):
                d[tok if tok == "app_limited" else ("cc" if tok in ("cubic", "bbr", "reno") else tok)] = \
                    True if tok not in ("cubic", "bbr", "reno") else tok
            continue
        k, v = tok.split(":", 1)
        if k == "rtt":
            a, b = v.split("/")
            d["rtt_ms"], d["rttvar_ms"] = float(a), float(b)
        elif k in ("retrans", "lost", "sacked", "unacked", "reordering", "reord_seen", "cwnd",
                   "ssthresh", "mss", "rcv_space", "snd_wnd", "rcv_wnd", "notsent", "delivered",
                   "bytes_sent", "bytes_retrans", "bytes_acked", "bytes_received", "segs_out",
                   "segs_in", "data_segs_out", "dsack_dups", "backoff", "lastsnd", "lastrcv",
                   "lastack", "rto", "ato", "minrtt"):
            if k == "retrans" and "/" in v:
                a, b = v.split("/")
                d["retrans_now"], d["retrans_total"] = int(a), int(b)
            else:
                try:
                    d[k] = int(v) if re.fullmatch(r"\d+", v) else float(v)
                except ValueError:
                    d[k] = v
        elif k in ("busy", "rwnd_limited", "sndbuf_limited"):
            m = re.match(r"(\d+)ms(?:\(([\d.]+)%\))?", v)
            if m:
                d[k + "_ms"] = int(m.group(1))
                if m.group(2):
                    d[k + "_pct"] = float(m.group(2))
    # "send 12.3Mbps", "delivery_rate 1.2Mbps", "pacing_rate 3Mbps"
    for k in ("send", "delivery_rate", "pacing_rate"):
        m = re.search(r"\b%s ([0-9.]+)([KMG]?)bps" % k, info)
        if m:
            d[k + "_bps"] = float(m.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]
    return d


def ss_parse(inp, out):
    t = None
    prev = None
    with open(inp) as f, open(out, "w") as o:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# t="):
                t = float(line[4:])
                prev = None
            elif line.startswith((" ", "\t")) and prev is not None:
                d = {"t": t}
                d.update(parse_info(prev, line))
                o.write(json.dumps(d, separators=(",", ":")) + "\n")
                prev = None
            else:
                prev = line


def load(path):
    with open(path) as f:
        return json.load(f)["kernel"]


def diff(a, b):
    return {k: b[k] - a.get(k, 0) for k in sorted(b)
            if (k.startswith("Tcp") or k.startswith("TcpExt")) and b[k] != a.get(k, 0)}


def nstat_diff(sender, c0, c1, s0, s1, out):
    d = {"sender_namespace": sender, "client": diff(load(c0), load(c1)),
         "server": diff(load(s0), load(s1))}
    with open(out, "w") as f:
        json.dump(d, f, indent=1, sort_keys=False)
        f.write("\n")


def merge(out, inputs):
    head, rows, tails = [], [], []
    for p in inputs:
        with open(p) as f:
            for line in f:
                r = json.loads(line)
                (head if "relay" in r else tails if r.get("summary") else rows).append(r)
    rows.sort(key=lambda r: r["t"])  # the order of arrival at the relays
    with open(out, "w") as f:
        for r in head + rows + tails:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "ss-sample":
        ss_sample(sys.argv[2], sys.argv[3])
    elif cmd == "ss-parse":
        ss_parse(sys.argv[2], sys.argv[3])
    elif cmd == "nstat-diff":
        nstat_diff(*sys.argv[2:8])
    elif cmd == "merge":
        merge(sys.argv[2], sys.argv[3:])
