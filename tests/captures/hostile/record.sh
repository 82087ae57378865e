#!/usr/bin/env bash
# Records markup_in_payloads.pcap: a real exchange over loopback (talk.py, Linux's TCP stack)
# whose payloads look like HTML, script, SVG handlers, javascript: URLs and Mermaid/PlantUML
# directives. The end-to-end test opens it (under a file name that is markup too) and checks
# that nothing of it runs in the page or reaches an export as active content.
# Needs tcpdump (TCP_LADDER_WITH_TSHARK=1 bash scripts/setup.sh) and root for the capture.
set -euo pipefail
cd "$(dirname "$0")"
port=47123
tcpdump -i lo -U -s 0 -w markup_in_payloads.pcap "tcp port $port" 2>/dev/null &
dump=$!
sleep 1
python3 talk.py "$port"
sleep 1
kill "$dump"
wait "$dump" 2>/dev/null || true
echo "wrote $(pwd)/markup_in_payloads.pcap"
python3 "$(dirname "$0")/to_pcapng.py"
python3 ../../../../shared/tools/make_oracle.py markup_in_payloads.pcap markup_in_comments.pcapng
