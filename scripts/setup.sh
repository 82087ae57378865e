#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already present at the
# right version. Everything comes from crates.io, Debian or npm: nothing is downloaded at run
# time by Trunk or wasm-pack (see ../shared/TOOLCHAIN.md for why each pin exists).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1
BINARYEN_VERSION=132.0.0
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

want_apt=()
need_cmd() { command -v "$1" >/dev/null 2>&1; }
need_cmd chromium || want_apt+=(chromium)
need_cmd chromedriver || want_apt+=(chromium-driver)
# Exports are rendered as their users render them: Debian's PlantUML (with a Java runtime).
need_cmd plantuml || want_apt+=(plantuml)
# libfuzzer-sys (the fuzz targets) builds libFuzzer from its C++ source.
need_cmd c++ || want_apt+=(g++)
if [ "${TCP_LADDER_WITH_TSHARK:-0}" = 1 ]; then
  need_cmd tshark || want_apt+=(tshark)
  need_cmd tcpdump || want_apt+=(tcpdump)
fi
if [ ${#want_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${want_apt[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${want_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

version_of() { "$1" --version 2>/dev/null | awk '{print $2}' | sed 's/^v//'; }
if [ "$(version_of trunk)" != "$TRUNK_VERSION" ]; then
  echo "setup: cargo install trunk $TRUNK_VERSION (several minutes the first time)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi
if [ "$(version_of wasm-bindgen)" != "$WASM_BINDGEN_VERSION" ]; then
  echo "setup: cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file pins a crate version the registry here does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [ "$(version_of wasm-pack)" != "$WASM_PACK_VERSION" ]; then
  echo "setup: cargo install wasm-pack $WASM_PACK_VERSION"
  cargo install --locked wasm-pack --version "$WASM_PACK_VERSION"
fi

# Node tools: wasm-opt (Debian's binaryen is too old for rustc 1.95's output) and
# playwright-core (drives Debian's Chromium; it never downloads a browser), axe-core (accessibility),
# mermaid-cli (renders the Mermaid exports in Debian's Chromium: its puppeteer is told never to
# download a browser, by tools/.puppeteerrc.cjs and here).
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -d tools/node_modules/playwright-core ] || [ ! -f tools/node_modules/axe-core/axe.min.js ] \
  || [ ! -f tools/node_modules/@mermaid-js/mermaid-cli/package.json ]; then
  echo "setup: npm ci in tools/"
  (cd tools && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

# cargo-fuzz runs the fuzz targets (fuzz/) on stable Rust, without a sanitizer (scripts/fuzz.sh).
CARGO_FUZZ_VERSION=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  echo "setup: cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# Trunk runs cargo with --offline (Trunk.toml): fetch the locked crates first.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch --locked
echo "setup: all tools present"
