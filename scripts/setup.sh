#!/usr/bin/env bash
# Installs the tools the build and the tests need, skipping what is already present at the
# right version. Everything comes from crates.io, Debian or npm: nothing is downloaded at run
# time by Trunk or wasm-pack (see ../shared/TOOLCHAIN.md for why each pin exists).
#
#   bash scripts/setup.sh serve   what building and serving the page needs, and nothing else:
#                                 the wasm32 target, Trunk, wasm-bindgen-cli, wasm-opt (npm)
#   bash scripts/setup.sh test    all of that, and what the tests need: Chromium and its driver,
#                                 PlantUML, g++ (libFuzzer), wasm-pack, cargo-fuzz, playwright-core,
#                                 axe-core and mermaid-cli (npm)
#   bash scripts/setup.sh serve --prebuild
#                                 also compiles the page's two wasm binaries while the tools
#                                 compile (the same cargo builds Trunk runs, so Trunk finds
#                                 them done): a cold `scripts/serve.sh` on two cores keeps both
#                                 cores busy instead of waiting for each step in turn
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

WHAT="${1:-test}"
PREBUILD=0
[ "${2:-}" = "--prebuild" ] && PREBUILD=1
case "$WHAT" in serve|test) ;; *) echo "usage: scripts/setup.sh serve|test [--prebuild]" >&2; exit 2 ;; esac

TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1
CARGO_FUZZ_VERSION=0.13.2
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

# The tools are built without optimisation: they run for seconds (Trunk copies files and calls
# wasm-bindgen and wasm-opt; wasm-bindgen takes 0.5 s on our wasm either way), and building
# them takes less than half as long (Trunk 2.9 min instead of 5-7 min on two cores).
TOOL_BUILD=(--config 'profile.release.opt-level=0' --config 'profile.release.lto=false'
  --config 'profile.release.codegen-units=256' --config 'profile.release.debug=0'
  --config 'profile.release.incremental=false')

version_of() { "$1" --version 2>/dev/null | awk '{print $2}' | sed 's/^v//'; }
need_cmd() { command -v "$1" >/dev/null 2>&1; }

# Steps that compile run side by side; each writes its output to a log that is shown if it fails.
pids=()
names=()
logs_dir="$(mktemp -d)"
trap 'rm -rf "$logs_dir"' EXIT
in_background() {
  local name="$1"; shift
  echo "setup: $name"
  ( started=$SECONDS; "$@"; echo "setup: done in $((SECONDS - started)) s: $name" >&3 ) 3>&1 >"$logs_dir/${#pids[@]}.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}
wait_all() {
  local failed=0
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      echo "setup: FAILED: ${names[$i]}" >&2
      tail -40 "$logs_dir/$i.log" >&2
      failed=1
    fi
  done
  pids=()
  names=()
  [ "$failed" = 0 ] || exit 1
}

if [ "$WHAT" = test ]; then
  want_apt=()
  need_cmd chromium || want_apt+=(chromium)
  need_cmd chromedriver || want_apt+=(chromium-driver)
  # Exports are rendered as their users render them: Debian's PlantUML (with a Java runtime).
  need_cmd plantuml || want_apt+=(plantuml)
  # libfuzzer-sys (the fuzz targets) builds libFuzzer from its C++ source.
  need_cmd c++ || want_apt+=(g++)
  # tests/copies_vs_ip_id.rs reads tshark's own ip.id per frame: the test command needs it (a
  # fresh machine without it failed there).
  need_cmd tshark || want_apt+=(tshark)
  if [ "${TCP_LADDER_WITH_TSHARK:-0}" = 1 ]; then
    need_cmd tcpdump || want_apt+=(tcpdump)
  fi
  if [ ${#want_apt[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    apt_install() {
      export DEBIAN_FRONTEND=noninteractive
      $sudo apt-get update -qq
      $sudo apt-get install -y -qq --no-install-recommends "$@"
    }
    in_background "apt-get install ${want_apt[*]}" apt_install "${want_apt[@]}"
  fi
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(version_of trunk)" != "$TRUNK_VERSION" ]; then
  # No TLS and no update check: Trunk here only builds (Trunk.toml: offline).
  in_background "cargo install trunk $TRUNK_VERSION" \
    cargo install --locked trunk --version "$TRUNK_VERSION" --no-default-features "${TOOL_BUILD[@]}"
fi
if [ "$(version_of wasm-bindgen)" != "$WASM_BINDGEN_VERSION" ]; then
  # Not --locked: its lock file pins a crate version the registry here does not serve. No TLS:
  # it would only download a browser driver, and the tests name Debian's (CHROMEDRIVER).
  in_background "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION" \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --no-default-features --force "${TOOL_BUILD[@]}"
fi
if [ "$WHAT" = test ]; then
  if [ "$(version_of wasm-pack)" != "$WASM_PACK_VERSION" ]; then
    in_background "cargo install wasm-pack $WASM_PACK_VERSION" \
      cargo install --locked wasm-pack --version "$WASM_PACK_VERSION" "${TOOL_BUILD[@]}"
  fi
  # cargo-fuzz runs the fuzz targets (fuzz/) on stable Rust, without a sanitizer (scripts/fuzz.sh).
  if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    in_background "cargo install cargo-fuzz $CARGO_FUZZ_VERSION" \
      cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" "${TOOL_BUILD[@]}"
  fi
fi
# Trunk runs cargo with --offline (Trunk.toml): fetch the locked crates first (beside the tools'
# builds: on a new machine it downloads them).
fetch() { cargo fetch --locked; }
if [ "$PREBUILD" = 1 ] && [ ${#pids[@]} -gt 0 ]; then
  # The cargo builds Trunk will run for index.html's two binaries (same target, profile and
  # binary, so the same fingerprints): only worth it while tools are compiling beside them.
  prebuild() {
    fetch
    cargo build --locked --offline --target wasm32-unknown-unknown --profile worker-release --bin tcp-ladder-worker
    cargo build --locked --offline --target wasm32-unknown-unknown --profile web-release --bin tcp-ladder-web
  }
  in_background "cargo fetch and cargo build of the page's wasm (beside the tools)" prebuild
else
  in_background "cargo fetch --locked" fetch
fi

# Node tools. Serving needs only wasm-opt (npm binaryen: Debian's is too old for rustc 1.95's
# output). The tests also need playwright-core (drives Debian's Chromium; it never downloads a
# browser), axe-core (accessibility) and mermaid-cli (renders the Mermaid exports in Debian's
# Chromium: its puppeteer is told never to download a browser, by tools/.puppeteerrc.cjs and here).
if [ "$WHAT" = test ]; then
  if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -d tools/node_modules/playwright-core ] || [ ! -f tools/node_modules/axe-core/axe.min.js ] \
    || [ ! -f tools/node_modules/@mermaid-js/mermaid-cli/package.json ]; then
    echo "setup: npm ci in tools/"
    (cd tools && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
elif [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  echo "setup: npm ci --omit=dev in tools/ (wasm-opt)"
  (cd tools && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
fi

wait_all
echo "setup: all tools for '$WHAT' present"
