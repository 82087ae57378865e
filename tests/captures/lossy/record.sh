#!/usr/bin/env bash
# Records real Linux TCP connections over a path with real one-way delays and scripted faults
# (drops, reordering, a stall), each with its ground truth: what the relay did to which frame,
# the sender's kernel counters and `ss -tin` samples.
#
#   client ns ── c0 ═ ra ─[relay.py ra→rd, D_MS, rules]→ rd ═ s0 ── server ns
#                        ←[relay.py rd→ra, D_MS]─────────
#                 ^ <scenario>_at_sender.pcap               ^ <scenario>_at_receiver.pcap
#
# One relay per direction, both in the path namespace at real-time priority (chrt -f 50) so
# they keep time on a busy machine; the rules act on the client-to-server direction. The
# namespaces, veth pairs and addresses (10.78.0.1 client, 10.78.0.2 server) are made here and
# deleted at the end; no traffic leaves them. Offloads are off so every segment is captured as
# the wire carries it; tcp_no_metrics_save=1 so no connection inherits the last one's ssthresh.
# Per scenario, in truth/: <scenario>.relay.jsonl (relay.py's log, both directions by time),
# <scenario>.nstat.json (the TcpExt/Tcp counters that changed, per namespace),
# <scenario>.ss.txt (raw `ss -tin` samples of the client's socket every ~10 ms) and
# <scenario>.ss.jsonl (the same parsed). A run where a relay sent a frame more than LATE_MS
# late is recorded again (up to 4 times).
# Needs root, iproute2, ethtool, tcpdump, python3; tshark and /work/shared/tools/make_oracle.py
# for the oracles. The captures are committed, so tests never need this.
#   record.sh [SCENARIO...]     (default: all)
set -euo pipefail
cd "$(dirname "$0")"
SCENARIOS="$*"
D_MS=${D_MS:-15}
LATE_MS=${LATE_MS:-3}
C=tcpladder-lossy-client S=tcpladder-lossy-server R=tcpladder-lossy-path
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for ns in $C $S $R; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
for ns in $C $S $R; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add c0 netns $C type veth peer name ra netns $R
ip link add rd netns $R type veth peer name s0 netns $S
ip -n $C addr add 10.78.0.1/24 dev c0
ip -n $S addr add 10.78.0.2/24 dev s0
for pair in "$C c0" "$S s0" "$R ra" "$R rd"; do
  set -- $pair
  ip -n "$1" link set "$2" up
  ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
done
for ns in $C $S; do ip netns exec $ns sysctl -qw net.ipv4.tcp_no_metrics_save=1; done
mkdir -p truth

relays() { # scenario port rules: start both relays (pids in relay_pids)
  relay_pids=()
  ip netns exec $R chrt -f 50 python3 relay.py ra rd "$D_MS" --dir c2s --port "$2" \
    --rules "$3" --log "/tmp/tcpladder-lossy.$1.c2s.jsonl" & relay_pids+=($!)
  ip netns exec $R chrt -f 50 python3 relay.py rd ra "$D_MS" --dir s2c --port "$2" \
    --log "/tmp/tcpladder-lossy.$1.s2c.jsonl" & relay_pids+=($!)
  pids+=("${relay_pids[@]}")
  sleep 0.5
}

# ARP settles before the captures (a throw-away TCP connect to a closed port).
relays settle 9 '[]'
ip netns exec $C python3 -c "import socket; s = socket.socket(); s.settimeout(2)
try: s.connect((\"10.78.0.2\", 9))
except OSError: pass"
kill -TERM "${relay_pids[@]}"; wait "${relay_pids[@]}" || true
rm -f /tmp/tcpladder-lossy.settle.*

record_once() { # scenario port snaplen rules [client sysctl, e.g. net.ipv4.tcp_timestamps=0] [server sysctl]
  local scenario=$1 port=$2 snap=$3 rules=$4 knob=${5:-} sknob=${6:-} saved="" ssaved="" logs=() caps=()
  if [ -n "$knob" ]; then
    saved="${knob%%=*}=$(ip netns exec $C sysctl -n "${knob%%=*}")"
    ip netns exec $C sysctl -qw "$knob"
  fi
  if [ -n "$sknob" ]; then
    ssaved="${sknob%%=*}=$(ip netns exec $S sysctl -n "${sknob%%=*}")"
    ip netns exec $S sysctl -qw "$sknob"
  fi
  rm -f /tmp/tcpladder-lossy."$scenario".*
  relays "$scenario" "$port" "$rules"
  for where in "at_sender $C c0" "at_receiver $S s0"; do
    set -- $where
    local log
    log=$(mktemp)
    ip netns exec "$2" tcpdump -i "$3" -U -B 4096 -s "$snap" -w "${scenario}_$1.pcap" "tcp port $port" 2>"$log" &
    caps+=($!)
    logs+=("$log")
  done
  for log in "${logs[@]}"; do
    for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
  done
  sleep 0.5
  ip netns exec $C nstat -asz --json > /tmp/tcpladder-lossy."$scenario".c0.json
  ip netns exec $S nstat -asz --json > /tmp/tcpladder-lossy."$scenario".s0.json
  ip netns exec $S timeout 60 python3 programs.py server "$scenario" "$port" &
  local server=$!
  ip netns exec $C nice -n 19 python3 groundtruth.py ss-sample "$port" "truth/$scenario.ss.txt" &
  local sampler=$!
  sleep 0.3
  ip netns exec $C timeout 60 python3 programs.py client "$scenario" 10.78.0.2 "$port"
  wait "$server"
  sleep 1
  kill -TERM "$sampler"; wait "$sampler" || true
  ip netns exec $C nstat -asz --json > /tmp/tcpladder-lossy."$scenario".c1.json
  ip netns exec $S nstat -asz --json > /tmp/tcpladder-lossy."$scenario".s1.json
  sleep 0.5
  for p in "${caps[@]}"; do kill -INT "$p"; wait "$p" || true; done
  kill -TERM "${relay_pids[@]}"; wait "${relay_pids[@]}" || true
  grep -h "dropped by kernel" "${logs[@]}" | grep -v "^0 " || true
  rm -f "${logs[@]}"
  python3 groundtruth.py merge "truth/$scenario.relay.jsonl" /tmp/tcpladder-lossy."$scenario".c2s.jsonl \
    /tmp/tcpladder-lossy."$scenario".s2c.jsonl
  python3 groundtruth.py ss-parse "truth/$scenario.ss.txt" "truth/$scenario.ss.jsonl"
  python3 groundtruth.py nstat-diff client /tmp/tcpladder-lossy."$scenario".{c0,c1,s0,s1}.json \
    "truth/$scenario.nstat.json"
  rm -f /tmp/tcpladder-lossy."$scenario".*
  if [ -n "$saved" ]; then ip netns exec $C sysctl -qw "$saved"; fi
  if [ -n "$ssaved" ]; then ip netns exec $S sysctl -qw "$ssaved"; fi
}

record() { # scenario port snaplen rules
  for attempt in 1 2 3 4; do
    record_once "$@"
    local late
    late=$(python3 -c "import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
print(max(r['max_late_ms'] for r in rows if r.get('summary')))" "truth/$1.relay.jsonl")
    if python3 -c "import sys; sys.exit(float(sys.argv[1]) > float(sys.argv[2]))" "$late" "$LATE_MS"; then
      echo "recorded $1 (relay at most ${late} ms late)"
      return 0
    fi
    echo "  $1: a relay sent a frame ${late} ms late; again ($attempt)"
  done
  echo "$1: kept the last attempt although a relay was ${late} ms late" >&2
}

run() { if [ -z "$SCENARIOS" ] || [[ " $SCENARIOS " == *" $1 "* ]]; then record "$@"; fi; }

run drop_mid         48101 96 '[{"action":"drop","nth":100,"retrans":0}]'
run tail_loss        48102 96 '[{"action":"drop","nth":10,"retrans":0}]'
run rto_backoff      48103 96 '[{"action":"drop","nth":10,"retrans":2}]'
run reorder          48104 96 '[{"action":"reorder","nth":100,"after":2}]'
run spurious         48105 96 '[{"action":"hold","nth":100,"ms":450,"freeze":true}]'
# The same stall without TCP timestamps: the undo is F-RTO's (TcpExtTCPSpuriousRTOs).
run spurious_rto     48110 96 '[{"action":"hold","nth":100,"ms":450,"freeze":true}]' net.ipv4.tcp_timestamps=0
# One segment late by 80 ms, the others pass: a fast retransmit that was not needed, and the
# late original arrives while the connection still runs (D-SACK).
run spurious_fast    48111 96 '[{"action":"hold","nth":60,"ms":80}]'
run receiver_limited 48106 96 '[]'
run app_limited      48107 96 '[]'
run delayed_ack      48108 0  '[]'
# At the peak (about 1 000 segments in flight, hundreds of Mbit/s) the Python relay itself
# queues a few ms: allow 5 ms here.
LATE_MS=5 run slow_start 48109 96 '[]'
# Segment 9 of a 10-segment burst lost: only segment 10 follows it, one duplicate ACK (with
# SACK), never three. RACK (RFC 8985) marks it lost a quarter RTT after that SACK, before a
# tail loss probe (2 SRTT) would fire.
run rack             48112 96 '[{"action":"drop","nth":9,"retrans":0}]'
# ECN negotiated by both ends; the relay marks two ECN-capable data segments CE instead of
# dropping anything: the receiver echoes ECE until the sender's CWR, the sender reduces cwnd.
run ecn              48113 96 '[{"action":"ce","nth":40},{"action":"ce","nth":160}]' \
  net.ipv4.tcp_ecn=1 net.ipv4.tcp_ecn=1

# The oracles of the scenarios recorded now (all of them by default).
oracles=()
for p in ./*_at_sender.pcap ./*_at_receiver.pcap; do
  s=$(basename "$p" .pcap); s=${s%_at_sender}; s=${s%_at_receiver}
  if [ -z "$SCENARIOS" ] || [[ " $SCENARIOS " == *" $s "* ]]; then oracles+=("$p"); fi
done
nice -n 19 python3 "${MAKE_ORACLE:-../../../../shared/tools/make_oracle.py}" "${oracles[@]}"
