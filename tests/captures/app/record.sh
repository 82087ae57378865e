#!/usr/bin/env bash
# Records real application-layer TCP connections (HTTP/1.1, TLS 1.2/1.3, DNS over TCP, SMTP, FTP,
# HTTP/2 cleartext and over TLS) between two network namespaces, made by real programs, each
# captured at the client.
#
#   client ns (10.78.0.1, fd78::1) ── c0 ═ s0 ── server ns (10.78.0.2, fd78::2)
#              ^ <scenario>.pcap (tcpdump -s 0 on c0)
#
# The namespaces, the veth pair and the addresses are made here and deleted at the end; no
# traffic leaves them. In the client namespace app.test resolves to 10.78.0.2 from a hosts file
# (/etc/netns/<ns>/hosts, which `ip netns exec` mounts over /etc/hosts; removed at the end) and
# the resolver points at 127.0.0.1, so nothing asks a real name server. Offloads are off so every
# segment is captured as the wire carries it. The TLS scenarios use a throwaway self-signed EC
# key for app.test, made here in a temporary folder and deleted at the end (never committed).
# Needs root, iproute2, ethtool, tcpdump, python3 (standard library only), openssl (s_server,
# s_client, req) and nghttp2's nghttpd and nghttp (Debian: ethtool tcpdump openssl
# nghttp2-client nghttp2-server); tshark, /work/shared/tools/make_oracle.py and
# ../../../scripts/make_stream_oracles.py (and make_app_oracles.py, if there) for the oracles.
# This script installs nothing. The captures are committed, so tests never need this.
#   record.sh [SCENARIO...]     (default: all)
set -euo pipefail
cd "$(dirname "$0")"
SCENARIOS="$*"
C=tcpladder-app-client S=tcpladder-app-server
SERVER=10.78.0.2 SERVER6=fd78::2
pids=()
work=$(mktemp -d /tmp/tcpladder-app.XXXXXX)
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for ns in $C $S; do ip netns del $ns 2>/dev/null || true; done
  rm -rf "/etc/netns/$C" "$work"
}
trap cleanup EXIT
for ns in $C $S; do ip netns del $ns 2>/dev/null || true; done
for ns in $C $S; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add c0 netns $C type veth peer name s0 netns $S
ip -n $C addr add 10.78.0.1/24 dev c0
ip -n $S addr add 10.78.0.2/24 dev s0
ip -n $C addr add fd78::1/64 dev c0 nodad
ip -n $S addr add fd78::2/64 dev s0 nodad
for pair in "$C c0" "$S s0"; do
  set -- $pair
  ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null
  ip -n "$1" link set "$2" up
done
mkdir -p "/etc/netns/$C"
printf '127.0.0.1 localhost\n10.78.0.2 app.test www.app.test\n' > "/etc/netns/$C/hosts"
printf 'nameserver 127.0.0.1\n' > "/etc/netns/$C/resolv.conf"

# The throwaway key and certificate (CN and subjectAltName app.test), and the files nghttpd serves.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=app.test \
  -addext subjectAltName=DNS:app.test -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/htdocs"
python3 -c "import sys; sys.path.insert(0, '.'); import programs
open(sys.argv[1] + '/index.html', 'wb').write(b'<html><body><h1>app.test</h1>' + programs.text(2000, 'index') + b'</body></html>\n')
open(sys.argv[1] + '/items', 'wb').write(programs.text(6000, 'items'))" "$work/htdocs"

# ARP and neighbour discovery settle before the captures (throw-away connects to a closed port).
ip netns exec $C python3 -c "import socket
for a in ('10.78.0.2', 'fd78::2'):
    s = socket.socket(socket.AF_INET6 if ':' in a else socket.AF_INET); s.settimeout(2)
    try: s.connect((a, 9))
    except OSError: pass"

capture_start() { # scenario port [filter]: tcpdump on the client's c0, ready before it returns
  caplog=$(mktemp) capfile=$1.pcap
  ip netns exec $C tcpdump -i c0 -U --immediate-mode -s 0 -w "$1.pcap" "${3:-tcp port $2}" 2>"$caplog" &
  cap=$!
  pids+=("$cap")
  for _ in $(seq 100); do grep -q listening "$caplog" && break; sleep 0.1; done
  sleep 0.3
}
capture_stop() { # after the connection closed
  sleep 1
  kill -INT "$cap"; wait "$cap" || true
  grep -h "dropped by kernel" "$caplog" | grep -v "^0 " || true
  rm -f "$caplog"
  chown --reference=. "$capfile"
}
server_start() { # port command...: a server in the server namespace, listening before it returns
  local port=$1; shift
  ip netns exec $S timeout 60 "$@" &
  srv=$!
  pids+=("$srv")
  for _ in $(seq 100); do
    ip netns exec $S ss -Hltn "sport = :$port" | grep -q . && return 0
    sleep 0.05
  done
  echo "server on port $port did not start" >&2
  return 1
}
server_wait() { wait "$srv" || true; }
server_stop() { sleep 0.3; kill -TERM "$srv" 2>/dev/null || true; wait "$srv" || true; }
client() { ip netns exec $C timeout 60 "$@"; }

# --- the scenarios ------------------------------------------------------------------------------

http11_keepalive() { # port 8080, on purpose not 80: a decoder must find HTTP by its content
  capture_start http11_keepalive 8080
  server_start 8080 python3 programs.py http-server 8080
  client python3 programs.py http-client $SERVER 8080
  server_wait
  capture_stop
}

tls() { # scenario port s_client-version-flag
  capture_start "$1" "$2"
  server_start "$2" openssl s_server -accept "$2" -4 -naccept 1 -quiet -www -alpn http/1.1 \
    -cert "$work/cert.pem" -key "$work/key.pem"
  printf 'GET / HTTP/1.0\r\nHost: app.test\r\n\r\n' |
    client openssl s_client -connect $SERVER:"$2" "$3" -servername app.test -alpn http/1.1 -quiet \
    > "$work/$1.out" 2>&1 || true
  head -1 "$work/$1.out" | sed "s/^/  $1: /"
  server_wait
  capture_stop
}
tls13() { tls tls13 8443 -tls1_3; }
tls12() { tls tls12 8443 -tls1_2; }

tls_alert() { # scenario version-flag: the client rejects the self-signed certificate, port 443
  capture_start "$1" 443
  server_start 443 openssl s_server -accept 443 -4 -naccept 1 -quiet -www -alpn http/1.1 \
    -cert "$work/cert.pem" -key "$work/key.pem"
  printf 'GET / HTTP/1.0\r\n\r\n' |
    client openssl s_client -connect $SERVER:443 "$2" -servername app.test -alpn http/1.1 \
    -verify_return_error > "$work/$1.out" 2>&1 || true
  grep -m1 -i "verify error\|alert" "$work/$1.out" | sed "s/^/  $1: /" || true
  server_wait
  capture_stop
}
tls13_alert() { tls_alert tls13_alert -tls1_3; }
tls12_alert() { tls_alert tls12_alert -tls1_2; }

dns_tcp() {
  capture_start dns_tcp 53
  server_start 53 python3 programs.py dns-server 53
  client python3 programs.py dns-client $SERVER 53
  server_wait
  capture_stop
}

smtp() { # over IPv6
  capture_start smtp 25
  server_start 25 python3 programs.py smtp-server 25
  client python3 programs.py smtp-client $SERVER6 25
  server_wait
  capture_stop
}

http2_h2c() { # prior knowledge (no Upgrade), port 8080
  capture_start http2_h2c 8080
  server_start 8080 nghttpd --no-tls -a 10.78.0.2 -d "$work/htdocs" 8080
  client nghttp -n --no-dep http://app.test:8080/ http://app.test:8080/items
  server_stop
  capture_stop
}

http2_tls() { # ALPN h2, port 443
  capture_start http2_tls 443
  server_start 443 nghttpd -a 10.78.0.2 -d "$work/htdocs" 443 "$work/key.pem" "$work/cert.pem"
  client nghttp -n --no-dep https://app.test/ https://app.test/items
  server_stop
  capture_stop
}

# A scenario whose capture holds a reset (a close that raced: in http2_tls the client's
# close_notify can reach a server that has already closed) is recorded again, up to 10 times; the last one is kept.
ftp() { # control connection on 21, one passive data connection on 50021
  capture_start ftp 21 "tcp port 21 or tcp port 50021"
  server_start 21 python3 programs.py ftp-server 21
  client python3 programs.py ftp-client $SERVER 21
  server_wait
  capture_stop
}

recorded=()
for s in http11_keepalive tls13 tls12 tls13_alert tls12_alert dns_tcp smtp http2_h2c http2_tls ftp; do
  if [ -z "$SCENARIOS" ] || [[ " $SCENARIOS " == *" $s "* ]]; then
    for attempt in $(seq 10); do
      "$s"
      rst=$(tcpdump -nr "$s.pcap" 'tcp[tcpflags] & tcp-rst != 0' 2>/dev/null | wc -l)
      [ "$rst" -eq 0 ] && break
      echo "  $s: the close raced into a reset; again ($attempt)"
    done
    echo "recorded $s.pcap"
    recorded+=("$s.pcap")
  fi
done
nice -n 19 python3 "${MAKE_ORACLE:-../../../../shared/tools/make_oracle.py}" "${recorded[@]}"
python3 ../../../scripts/make_stream_oracles.py .
if [ -f ../../../scripts/make_app_oracles.py ]; then python3 ../../../scripts/make_app_oracles.py .; fi
