#!/usr/bin/env bash
# Renders the README's diagrams with tcp-ladder itself: the seed programs over a 25 ms path
# (tests/captures/delayed/seed_middle.pcap), evenly spaced and in the timing view.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --bin tcp-ladder
seed=tests/captures/delayed/seed_middle.pcap
target/debug/tcp-ladder render "$seed" --stream 0 -o docs/seed-delayed-even.svg
target/debug/tcp-ladder render "$seed" --stream 0 --view timing -o docs/seed-delayed-timing.svg
# The time-sequence graph of the real bulk transfer over the same delayed path, and its RTT.
bulk=tests/captures/delayed/bulk_middle.pcap
target/debug/tcp-ladder graph "$bulk" --stream 0 --kind tseq --format svg -o docs/bulk-tseq.svg
target/debug/tcp-ladder graph "$bulk" --stream 0 --kind rtt --format svg -o docs/bulk-rtt.svg
echo "wrote docs/seed-delayed-even.svg docs/seed-delayed-timing.svg docs/bulk-tseq.svg docs/bulk-rtt.svg"
# The page's graph and follow views are screenshots the end-to-end test saves
# (tests/e2e/out/graph-tseq-1366.png, follow-1366.png): copy them after a run.
for shot in graph-tseq-1366 follow-1366; do
  [ -f "tests/e2e/out/$shot.png" ] && cp "tests/e2e/out/$shot.png" "docs/$shot.png" && echo "copied docs/$shot.png"
done
