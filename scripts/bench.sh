#!/usr/bin/env bash
# Every benchmark in one command (see BENCHMARKS.md): installs what is missing (tshark as the
# native peer, Wiregasm from npm as the in-browser peer), makes the large captures if they are
# not there yet (needs root for a network namespace; BENCH_SIZES="100 500 1000" by default,
# BENCH_SIZES="" skips them), builds the release page and the release command line, then runs
# `cargo bench` (the core vs tshark), the command line vs tshark (time and peak memory,
# benches/cli_vs_tshark.py), what the list's "what" column costs the read
# (examples/openings_cost.rs, and in the page's worker: benches/browser/openings.mjs) and the browser benchmark (tcp-ladder in headless Chromium vs
# Wiregasm, with the native core on the same file for the browser/native ratio). Results are
# printed and kept in bench-data/results-*.txt (git-ignored).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
TCP_LADDER_WITH_TSHARK=1 bash scripts/setup.sh
command -v ethtool >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq ethtool >/dev/null; } || true
SIZES=${BENCH_SIZES-"100 500 1000"}
mkdir -p bench-data
for mb in $SIZES; do
  if [ ! -e "bench-data/bulk-${mb}MB.pcap" ] || [ ! -e "bench-data/short-${mb}MB.pcap" ]; then
    SIZES="$SIZES" bash scripts/make_big_captures.sh
    break
  fi
done
if [ ! -d benches/browser/node_modules/@goodtools/wiregasm ]; then
  (cd benches/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
trunk build --release
cargo build --locked --release --bin tcp-ladder --example time_analysis --example openings_cost
stamp=$(date -u +%Y%m%dT%H%M%SZ)
cargo bench --locked 2>&1 | grep -v "^\s*Compiling\|^\s*Finished\|^\s*Running" | tee "bench-data/results-native-$stamp.txt"
python3 benches/cli_vs_tshark.py | tee "bench-data/results-cli-$stamp.txt"
# What reading each connection's opening (the list's "what" column) costs the worker's read.
target/release/examples/openings_cost bench-data/short-*MB.pcap bench-data/bulk-*MB.pcap tests/captures/real/bulk_100k.pcap.gz \
  tests/captures/public/ndpi_1kxun.pcap tests/captures/public/zeek_http_206_example_b.pcap | tee "bench-data/results-openings-$stamp.txt"
node benches/browser/bench.mjs | tee "bench-data/results-browser-$stamp.txt"
node benches/browser/openings.mjs bench-data/short-*MB.pcap bench-data/mix-*MB.pcap bench-data/bulk-*MB.pcap | tee "bench-data/results-openings-browser-$stamp.txt"
