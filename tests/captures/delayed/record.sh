#!/usr/bin/env bash
# Records real TCP connections over a path with real one-way delays, each captured at three
# places at once: at the client, in the middle of the path, and at the server.
#
#   client ns ── c0 ═ ra ─[relay, A_MS]─ rb ═ rc ─[relay, B_MS]─ rd ═ s0 ── server ns
#                  ^ at_client            ^ middle (rb)                ^ at_server
#
# The namespaces, veth pairs and addresses (10.77.0.1 client, 10.77.0.2 server) are made here
# and deleted at the end; no traffic leaves them. relay.py gives the delays (this kernel has
# no netem). Offloads are off so every segment is captured as the wire carries it.
# Needs root, iproute2, ethtool, tcpdump, python3; tshark and ../../../../shared/tools/
# make_oracle.py for the oracles. The captures are committed, so tests never need this.
set -euo pipefail
cd "$(dirname "$0")"
A_MS=${A_MS:-10}
B_MS=${B_MS:-15}
C=tcpladder-client S=tcpladder-server R=tcpladder-path
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for ns in $C $S $R; do ip netns del $ns 2>/dev/null || true; done
  rm -f /tmp/tcp-ladder-crossing-at
}
trap cleanup EXIT
cleanup
for ns in $C $S $R; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add c0 netns $C type veth peer name ra netns $R
ip -n $R link add rb type veth peer name rc
ip link add rd netns $R type veth peer name s0 netns $S
ip -n $C addr add 10.77.0.1/24 dev c0
ip -n $S addr add 10.77.0.2/24 dev s0
for pair in "$C c0" "$S s0" "$R ra" "$R rb" "$R rc" "$R rd"; do
  set -- $pair
  ip -n "$1" link set "$2" up
  ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
done
ip netns exec $R python3 relay.py ra rb "$A_MS" & pids+=($!)
ip netns exec $R python3 relay.py rc rd "$B_MS" & pids+=($!)
sleep 0.5
# ARP settles before the captures (a throw-away TCP connect; no ping on a minimal machine).
ip netns exec $C python3 -c "import socket; s = socket.socket(); s.settimeout(2)
try: s.connect((\"10.77.0.2\", 9))
except OSError: pass" 

record() { # scenario port snaplen
  local scenario=$1 port=$2 snap=$3 logs=() caps=()
  for where in "at_client $C c0" "middle $R rb" "at_server $S s0"; do
    set -- $where
    local log
    log=$(mktemp)
    ip netns exec "$2" tcpdump -i "$3" -U -s "$snap" -w "${scenario}_$1.pcap" "tcp port $port" 2>"$log" &
    caps+=($!)
    logs+=("$log")
  done
  for log in "${logs[@]}"; do
    for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
  done
  sleep 0.5
  echo "$(python3 -c 'import time; print(time.time() + 1.5)')" > /tmp/tcp-ladder-crossing-at
  ip netns exec $S timeout 60 python3 programs.py server "$scenario" "$port" &
  local server=$!
  sleep 0.3
  ip netns exec $C timeout 60 python3 programs.py client "$scenario" 10.77.0.2 "$port"
  wait "$server"
  sleep 1.5
  for p in "${caps[@]}"; do kill -INT "$p"; wait "$p" || true; done
  rm -f "${logs[@]}"
  echo "recorded ${scenario}_{at_client,middle,at_server}.pcap"
}
record seed 48001 0
record crossing 48002 0
record bulk 48003 96
python3 "${MAKE_ORACLE:-../../../../shared/tools/make_oracle.py}" ./*.pcap
