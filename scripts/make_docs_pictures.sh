#!/usr/bin/env bash
# Renders the README's diagrams with tcp-ladder itself: the seed programs over a 25 ms path
# (tests/captures/delayed/seed_middle.pcap), evenly spaced and in the timing view.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --bin tcp-ladder
seed=tests/captures/delayed/seed_middle.pcap
target/debug/tcp-ladder render "$seed" --stream 0 -o docs/seed-delayed-even.svg
target/debug/tcp-ladder render "$seed" --stream 0 --view timing -o docs/seed-delayed-timing.svg
echo "wrote docs/seed-delayed-even.svg docs/seed-delayed-timing.svg"
