#!/usr/bin/env bash
# Installs what is missing and runs every test: native (cargo test), the core and the page in
# headless Chromium (wasm-pack test), and the end-to-end test on the release build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh test

echo "== native tests (cargo test)"
cargo test --locked

echo "== agreement with tshark per capture: Follow TCP Stream and the graphs' values"
cargo test --locked --test follow_vs_tshark --test graphs_vs_tshark -- --nocapture 2>&1 | grep -E "^(follow|graphs)|known difference"

echo "== agreement with tshark per capture: the application's messages (HTTP, TLS, DNS over TCP)"
cargo test --locked --test messages_vs_tshark -- --nocapture 2>&1 | grep -E "^messages"

echo "== fuzz targets, a fixed sample of inputs each (scripts/fuzz.sh SECONDS for long runs; SECURITY.md)"
bash scripts/fuzz.sh --check

echo "== browser tests (wasm-pack test --headless --chrome)"
wasm-pack test --headless --chrome --mode no-install

echo "== release build (trunk build --release)"
trunk build --release

echo "== exports rendered by mermaid-cli and PlantUML (a sample; scripts/render_exports.sh --all for every connection)"
bash scripts/render_exports.sh

# Each check runs in a browser context of its own; the order is shuffled from a seed (the
# commit's, unless E2E_SHUFFLE is given: printed, so a failing order can be run again), so a
# check that leans on another shows up.
seed="${E2E_SHUFFLE:-$(git rev-parse --short HEAD 2>/dev/null || echo 1)}"
echo "== end-to-end test (headless Chromium, dist/ served from a sub-path; order shuffled with E2E_SHUFFLE=$seed)"
E2E_SHUFFLE="$seed" node tests/e2e/e2e.mjs
