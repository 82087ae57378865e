#!/usr/bin/env bash
# Records real Linux TCP connections at two capture points of one path, for `tcp-ladder merge`:
# the client's interface and the server's interface, with a user-space relay (relay.py, a copy
# of ../lossy/relay.py with a delay ramp) and a router namespace between them.
#
#   client ns ── c0 ═ ra ─[relay.py ra→rd, 15 ms (+ ramp)]→ rd ═ n0 ── nat ns ── n1 ═ s0 ── server ns
#   10.79.1.1       ←[relay.py rd→ra, 15 ms]──────────  10.79.1.254   10.79.2.254   10.79.2.2
#     ^ <scenario>_at_client.pcap                                                 ^ <scenario>_at_server.pcap
#
# The relay moves Ethernet frames between ra and rd itself (AF_PACKET), so the client and the
# nat namespace's n0 share one link; the nat namespace routes between 10.79.1.0/24 and
# 10.79.2.0/24 with the kernel's forwarding (ip_forward=1), the client's and the server's
# default routes point at it.
#
#   nat    nftables masquerade on n1 to ports 61000-61099: the server sees the client as
#          10.79.2.254 and a port from that range, the client's capture shows 10.79.1.1:45001.
#          300 000 bytes, one write; 15 ms each way in the relay.
#   bloat  no NAT (the nat namespace only routes); the client-to-server relay's delay grows
#          from 15 ms by 50 ms per second from the connection's SYN, up to 215 ms (a queue that
#          fills); server-to-client stays 15 ms. The client writes 4 000 bytes every 20 ms for
#          ~4.4 s. The relay logs the delay it applied to each frame (delay_ms).
#
# Output, per scenario: <scenario>_at_client.pcap, <scenario>_at_server.pcap (snaplen 96) and
# truth/<scenario>.relay.jsonl (both relays' logs by arrival time: settings, one line per frame
# with data, SYN, FIN or RST, a summary per relay); then the tshark oracles of the captures
# recorded (make_oracle.py, ../../../scripts/make_stream_oracles.py and make_app_oracles.py).
# A run where a relay sent a frame more than LATE_MS (3) ms late is recorded again (up to 4
# times). Idempotent: the namespaces (tcpladder-2pt-*), veth pairs and nft rules are made here
# and deleted at the end (and at the start, if an earlier run left them); only private
# addresses, nothing leaves the namespaces. Offloads are off on every interface.
# Needs root, iproute2, ethtool, tcpdump, python3, nftables (installed with apt-get if
# missing), tshark for the oracles. The captures are committed, so tests never need this.
#   record.sh [SCENARIO...]     (default: nat bloat)
set -euo pipefail
cd "$(dirname "$0")"
SCENARIOS="$*"
D_MS=${D_MS:-15}
LATE_MS=${LATE_MS:-3}
C=tcpladder-2pt-client S=tcpladder-2pt-server R=tcpladder-2pt-relay N=tcpladder-2pt-nat
MAKE_ORACLE=${MAKE_ORACLE:-/work/shared/tools/make_oracle.py}

for tool in ip ethtool tcpdump python3 tshark; do
  command -v $tool >/dev/null || { echo "record.sh: $tool is missing" >&2; exit 1; }
done
command -v nft >/dev/null || { apt-get install -y nftables >/dev/null || { apt-get update >/dev/null && apt-get install -y nftables >/dev/null; }; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for ns in $C $S $R $N; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
for ns in $C $S $R $N; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add c0 netns $C type veth peer name ra netns $R
ip link add rd netns $R type veth peer name n0 netns $N
ip link add n1 netns $N type veth peer name s0 netns $S
ip -n $C addr add 10.79.1.1/24 dev c0
ip -n $N addr add 10.79.1.254/24 dev n0
ip -n $N addr add 10.79.2.254/24 dev n1
ip -n $S addr add 10.79.2.2/24 dev s0
for pair in "$C c0" "$R ra" "$R rd" "$N n0" "$N n1" "$S s0"; do
  set -- $pair
  ip -n "$1" link set "$2" up
  ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
done
ip -n $C route add default via 10.79.1.254
ip -n $S route add default via 10.79.2.254
ip netns exec $N sysctl -qw net.ipv4.ip_forward=1
for ns in $C $S; do ip netns exec $ns sysctl -qw net.ipv4.tcp_no_metrics_save=1; done
mkdir -p truth

relays() { # scenario port [c2s relay options...]: start both relays (pids in relay_pids)
  local scenario=$1 port=$2
  shift 2
  relay_pids=()
  ip netns exec $R chrt -f 50 python3 relay.py ra rd "$D_MS" --dir c2s --port "$port" "$@" \
    --log "/tmp/tcpladder-2pt.$scenario.c2s.jsonl" & relay_pids+=($!)
  ip netns exec $R chrt -f 50 python3 relay.py rd ra "$D_MS" --dir s2c --port "$port" \
    --log "/tmp/tcpladder-2pt.$scenario.s2c.jsonl" & relay_pids+=($!)
  pids+=("${relay_pids[@]}")
  sleep 0.5
}

nat_on() {
  ip netns exec $N nft -f - <<'EOF'
table ip tcpladder_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "n1" ip saddr 10.79.1.0/24 meta l4proto tcp masquerade to :61000-61099
    oifname "n1" ip saddr 10.79.1.0/24 masquerade
  }
}
EOF
}
nat_off() { ip netns exec $N nft delete table ip tcpladder_nat 2>/dev/null || true; }

# ARP settles on both links before the captures (a throw-away TCP connect to a closed port).
relays settle 9
ip netns exec $C python3 -c "import socket; s = socket.socket(); s.settimeout(2)
try: s.connect((\"10.79.2.2\", 9))
except OSError: pass"
kill -TERM "${relay_pids[@]}"; wait "${relay_pids[@]}" || true
rm -f /tmp/tcpladder-2pt.settle.*

record_once() { # scenario port sport nat(yes/no) [c2s relay options...]
  local scenario=$1 port=$2 sport=$3 nat=$4 logs=() caps=()
  shift 4
  rm -f /tmp/tcpladder-2pt."$scenario".*
  nat_off
  if [ "$nat" = yes ]; then nat_on; fi
  relays "$scenario" "$port" "$@"
  for where in "at_client $C c0" "at_server $S s0"; do
    set -- $where
    local log
    log=$(mktemp)
    ip netns exec "$2" tcpdump -i "$3" -U -B 4096 -s 96 -w "${scenario}_$1.pcap" "tcp port $port" 2>"$log" &
    caps+=($!)
    logs+=("$log")
  done
  for log in "${logs[@]}"; do
    for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
  done
  sleep 0.5
  ip netns exec $S timeout 60 python3 programs.py server "$scenario" 10.79.2.2 "$port" &
  local server=$!
  sleep 0.3
  ip netns exec $C timeout 60 python3 programs.py client "$scenario" 10.79.2.2 "$port" "$sport"
  wait "$server"
  # tcpdump reads the kernel's ring in blocks that retire after 1 s: a frame that arrived
  # less than ~1 s before tcpdump is stopped can be lost (bloat's last ACK, 215 ms late).
  sleep 2.5
  for p in "${caps[@]}"; do kill -INT "$p"; wait "$p" || true; done
  kill -TERM "${relay_pids[@]}"; wait "${relay_pids[@]}" || true
  grep -h "dropped by kernel" "${logs[@]}" | grep -v "^0 " || true
  rm -f "${logs[@]}"
  nat_off
  python3 - "truth/$scenario.relay.jsonl" /tmp/tcpladder-2pt."$scenario".c2s.jsonl \
    /tmp/tcpladder-2pt."$scenario".s2c.jsonl <<'EOF'
import json, sys
head, rows, tails = [], [], []
for p in sys.argv[2:]:
    for line in open(p):
        r = json.loads(line)
        (head if "relay" in r else tails if r.get("summary") else rows).append(r)
rows.sort(key=lambda r: r["t"])  # the order of arrival at the relays
with open(sys.argv[1], "w") as f:
    for r in head + rows + tails:
        f.write(json.dumps(r, separators=(",", ":")) + "\n")
EOF
  rm -f /tmp/tcpladder-2pt."$scenario".*
}

record() { # scenario port sport nat [c2s relay options...]
  local late
  for attempt in 1 2 3 4; do
    record_once "$@"
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

run nat   48201 45001 yes
run bloat 48202 45002 no --ramp-ms-per-s 50 --ramp-max-ms 200

# The oracles of the scenarios recorded now (all of them by default).
oracles=()
for p in ./*_at_client.pcap ./*_at_server.pcap; do
  s=$(basename "$p" .pcap); s=${s%_at_client}; s=${s%_at_server}
  if [ -z "$SCENARIOS" ] || [[ " $SCENARIOS " == *" $s "* ]]; then oracles+=("$p"); fi
done
nice -n 19 python3 "$MAKE_ORACLE" "${oracles[@]}"
nice -n 19 python3 ../../../scripts/make_stream_oracles.py .
nice -n 19 python3 ../../../scripts/make_app_oracles.py .
