#!/usr/bin/env bash
# Renders the Mermaid and PlantUML exports of the corpus with mermaid-cli (Debian's Chromium)
# and Debian's PlantUML, and fails on any that does not render.
#
#   bash scripts/render_exports.sh           a sample (the test command runs this, ~1.5 min)
#   bash scripts/render_exports.sh --all     every connection in every view (the sweep: PlantUML 2.5 min, mermaid-cli ~2 h)
#
# The exports and their pictures stay in target/exports/ to be looked at.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
out=target/exports/sample
[ "${1:-}" = "--all" ] && out=target/exports/all
rm -rf "$out"
cargo run --quiet --release --locked --example write_exports -- "$out" ${1:+"$1"}
node tests/exports/render_exports.mjs "$out"
