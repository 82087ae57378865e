#!/usr/bin/env bash
# Makes large captures for the benchmarks with real TCP stacks, into bench-data/ (git-ignored,
# never committed): a bulk transfer and many short connections, each about SIZES megabytes
# (default "100 500 1000"); KINDS (default "bulk short") picks which (KINDS=bulk SIZES=700 makes
# the 3.3 M-segment connection the stream-tools benchmark graphs). Runs in a network namespace of its own, on its loopback, with
# segmentation offload off so that every segment is captured as the wire would carry it.
# Needs root and Debian's tcpdump, ethtool and iproute2.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-data
SIZES=${SIZES:-"100 500 1000"}
KINDS=${KINDS:-"bulk short"}
ns=tcpladder-bigcap
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ethtool -K lo gso off tso off gro off >/dev/null

# Captured bytes per payload byte (snap length 200: data records ~216 bytes per 1000-byte
# segment plus ACKs; a short connection ~2 KB of records per 1400-byte answer).
declare -A PER_PAYLOAD=([bulk]=0.22 [short]=0.68)

capture() { # kind port size_mb
  local kind=$1 port=$2 mb=$3
  local out="bench-data/$kind-${mb}MB.pcap" log payload
  payload=$(python3 -c "print(int($mb * 1e6 / ${PER_PAYLOAD[$kind]}))")
  log=$(mktemp)
  ip netns exec "$ns" tcpdump -i lo -U -B 524288 -s 200 -w "$out" "tcp port $port" 2>"$log" &
  local pid=$!
  for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
  sleep 0.5
  ip netns exec "$ns" timeout 1800 python3 scripts/bench_traffic.py "$kind" "$port" "$payload"
  sleep 1
  kill -INT "$pid"
  wait "$pid" || true
  grep -E "dropped" "$log" || true
  rm -f "$log"
  echo "made $out ($(du -h "$out" | cut -f1))"
}
for mb in $SIZES; do
  case " $KINDS " in *" bulk "*) capture bulk 48001 "$mb" ;; esac
  case " $KINDS " in *" short "*) capture short 48002 "$mb" ;; esac
done
# A mix: the bulk transfer and the short connections of one size merged in time order, for
# sizes up to 500 MB (so the largest mix is 1 GB).
if command -v mergecap >/dev/null; then
  for mb in $SIZES; do
    [ "$mb" -le 500 ] || continue
    [ -f "bench-data/bulk-${mb}MB.pcap" ] && [ -f "bench-data/short-${mb}MB.pcap" ] || continue
    mergecap -F pcap -w "bench-data/mix-$((2 * mb))MB.pcap" "bench-data/bulk-${mb}MB.pcap" "bench-data/short-${mb}MB.pcap"
    echo "made bench-data/mix-$((2 * mb))MB.pcap"
  done
fi
