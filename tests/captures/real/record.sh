#!/usr/bin/env bash
# Records each scenario of tcp_programs.py with tcpdump on loopback (127.0.0.1 and ::1 only),
# one pcap per scenario in this folder, then writes tshark's answers beside each with
# make_oracle.py. Needs root (tcpdump), Debian's tcpdump and tshark. Re-run to re-record; the
# captures are committed, so tests never need this.
set -euo pipefail
cd "$(dirname "$0")"
# Who sent each frame (c or s) and its flags, e.g. "cS sS. c. cP. s. sP. c. sF. cF. s.".
signature() { # file server_port
  tcpdump -nr "$1" 2>/dev/null | awk -v sp=".$2" '{ who = (substr($3, length($3) - length(sp) + 1) == sp) ? "s" : "c"; printf "%s%s ", who, $7 }' | tr -d ',[]' | sed 's/ $//'
}
record() { # name host port [signature]: with a signature, re-record (up to 8 times) until the
           # kernel produced that exchange, e.g. the seed's merged close; timing decides.
  local name=$1 host=$2 port=$3 want=${4:-}
  for attempt in 1 2 3 4 5 6 7 8; do
    record_once "$name" "$host" "$port"
    local got
    got=$(signature "$name.pcap" "$port")
    if [ -z "$want" ] || [ "$got" = "$want" ]; then return 0; fi
    echo "  $name: got [$got], want [$want]; again ($attempt)"
  done
  echo "$name: the kernel never produced [$want]" >&2
  return 1
}
record_once() {
  local name=$1 host=$2 port=$3
  rm -f "$name.pcap"
  local log
  log=$(mktemp)
  tcpdump -i lo -U -s 0 -w "$name.pcap" "tcp port $port" 2>"$log" &
  local pid=$!
  # Start the programs only once tcpdump listens.
  for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
  sleep 0.5
  timeout 30 python3 tcp_programs.py "$name" "$host" "$port"
  # Let the last segments (a delayed FIN, an ACK) reach the capture file.
  sleep 1.5
  kill -INT "$pid"
  wait "$pid" || true
  rm -f "$log"
  echo "recorded $name.pcap"
}
# The document's 10 frames: the client's ACK of the server's FIN rides on its own FIN.
record seed_close_immediately 127.0.0.1 47001 "cS sS. c. cP. s. sP. c. sF. cF. s."
# The document's 11 frames: the client closes first, four segments.
record seed_close_delayed 127.0.0.1 47002 "cS sS. c. cP. s. sP. c. cF. s. sF. c."
record refused 127.0.0.1 47003
record unanswered 127.0.0.1 47004
record reset ::1 47005
record half_close ::1 47006
# Two connections from one client port: the second SYN meets the server's TIME-WAIT (RFC 6191).
record port_reuse 127.0.0.1 47010
# Crossing SYNs need many tries; keep only the last connection (the one that worked).
record simultaneous_open 127.0.0.1 47008
last=$(tshark -r simultaneous_open.pcap -T fields -e tcp.stream 2>/dev/null | sort -n | tail -1)
tshark -r simultaneous_open.pcap -Y "tcp.stream == $last" -F pcap -w simultaneous_open.tmp 2>/dev/null
mv simultaneous_open.tmp simultaneous_open.pcap

# A long connection for the diagram's scrolling tests: about 100 000 data segments of 100 bytes.
# Recorded in a network namespace of our own whose loopback has segmentation offload turned off
# (ethtool, Debian), so that the capture shows every segment as the wire would; gzip-compressed.
record_bulk() {
  local ns=tcpladder-bulk port=47007
  ip netns add "$ns"
  trap 'ip netns del '"$ns"' 2>/dev/null || true' RETURN
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ethtool -K lo gso off tso off gro off >/dev/null
  local log
  log=$(mktemp)
  ip netns exec "$ns" tcpdump -i lo -U -B 262144 -s 96 -w bulk_100k.pcap "tcp port $port" 2>"$log" &
  local pid=$!
  for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
  sleep 0.5
  ip netns exec "$ns" timeout 60 python3 tcp_programs.py bulk 127.0.0.1 "$port"
  sleep 2
  kill -INT "$pid"
  wait "$pid" || true
  grep -E "dropped" "$log" || true
  rm -f "$log" bulk_100k.pcap.gz
  gzip -9 -n bulk_100k.pcap
  echo "recorded bulk_100k.pcap.gz"
}
record_bulk

# No oracle for the bulk capture: tshark's answer would be 40 MB of JSON.
python3 "${MAKE_ORACLE:-../../../../shared/tools/make_oracle.py}" ./*.pcap
