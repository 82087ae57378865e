#!/usr/bin/env python3
"""Prints the README's tables from truth/ and the oracles: per scenario the sender's kernel
counters (client namespace), the receiver's, the last ss sample and what the relay did."""
import collections
import json
import os

os.chdir(os.path.dirname(os.path.abspath(__file__)))
ORDER = ["drop_mid", "tail_loss", "rto_backoff", "reorder", "spurious", "spurious_rto",
         "spurious_fast", "receiver_limited", "app_limited", "delayed_ack", "slow_start", "rack",
         "ecn"]
SENDER = ["TCPFastRetrans", "TCPLossProbes", "TCPLossProbeRecovery", "TCPTimeouts",
          "TCPSpuriousRTOs", "TCPLossUndo", "TCPDSACKRecv", "TCPDSACKUndo", "TCPSACKReorder",
          "TCPSackRecovery", "TCPWinProbe"]
ABBR = {"retransmission": "retr", "fast_retransmission": "fast", "spurious_retransmission": "spur",
        "out_of_order": "ooo", "lost_segment": "lost", "ack_lost_segment": "acklost",
        "duplicate_ack": "dupack", "zero_window": "zwin", "zero_window_probe": "zwp",
        "window_full": "wfull", "window_update": "wupd", "keep_alive": "ka"}


def nstat(s):
    return json.load(open("truth/%s.nstat.json" % s))


def last_ss(s):
    rows = [json.loads(l) for l in open("truth/%s.ss.jsonl" % s)]
    rows = [r for r in rows if "busy_ms" in r]
    return rows[-1] if rows else {}, rows


def relay(s):
    acts = collections.Counter()
    late = 0.0
    for l in open("truth/%s.relay.jsonl" % s):
        r = json.loads(l)
        if r.get("summary"):
            late = max(late, r["max_late_ms"])
        elif "action" in r and r["action"] != "forward":
            acts[r["action"]] += 1
    return ", ".join("%s %d" % kv for kv in sorted(acts.items())) or "none", late


def oracle(s, where):
    o = json.load(open("%s_%s.pcap.oracle.json" % (s, where)))
    return " ".join("%s=%d" % (ABBR.get(k, k), v) for k, v in sorted(o["summary"]["analysis_totals"].items()))


print("| scenario | " + " | ".join(SENDER) + " | TcpRetransSegs |")
print("|" + " --- |" * (len(SENDER) + 2))
for s in ORDER:
    c = nstat(s)["client"]
    print("| %s | " % s + " | ".join(str(c.get("TcpExt" + k, 0)) for k in SENDER)
          + " | %d |" % c.get("TcpRetransSegs", 0))
print()
print("| scenario | receiver (server ns) counters | last ss sample: cwnd, ssthresh, busy, rwnd_limited, sndbuf_limited, app_limited, bytes_retrans | max cwnd | relay actions (c2s) | relay max late ms |")
print("| --- | --- | --- | --- | --- | --- |")
for s in ORDER:
    sv = nstat(s)["server"]
    keep = {k[6:]: v for k, v in sv.items() if k.startswith("TcpExt") and k[6:] in (
        "DelayedACKs", "DelayedACKLost", "TCPDSACKOldSent", "TCPDSACKOfoSent", "TCPOFOQueue",
        "TCPWantZeroWindowAdv", "TCPToZeroWindowAdv", "TCPFromZeroWindowAdv", "PAWSEstab",
        "TCPRcvQDrop", "TCPZeroWindowDrop", "TCPOFODrop")}
    last, rows = last_ss(s)
    st = "cwnd %s, ssthresh %s, busy %s ms, rwnd_limited %s ms, sndbuf_limited %s ms, app_limited %s, bytes_retrans %s" % (
        last.get("cwnd"), last.get("ssthresh", "-"), last.get("busy_ms"), last.get("rwnd_limited_ms", 0),
        last.get("sndbuf_limited_ms", 0), "yes" if last.get("app_limited") else "no", last.get("bytes_retrans", 0))
    acts, late = relay(s)
    print("| %s | %s | %s | %s | %s | %.1f |" % (s, ", ".join("%s %d" % kv for kv in sorted(keep.items())) or "-",
                                               st, max((r.get("cwnd", 0) for r in rows), default="-"), acts, late))
print()
print("| scenario | tshark at sender | tshark at receiver |")
print("| --- | --- | --- |")
for s in ORDER:
    print("| %s | %s | %s |" % (s, oracle(s, "at_sender") or "-", oracle(s, "at_receiver") or "-"))
