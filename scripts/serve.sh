#!/usr/bin/env bash
# Installs what serving needs (and nothing more: scripts/setup.sh serve), builds the release
# site into dist/ and serves it on http://127.0.0.1:${PORT:-8080}/ (Ctrl-C stops it). dist/ is a
# plain static site: copy it to any static host, at any path.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh serve --prebuild
# Trunk runs wasm-opt on both binaries at every build (~15 s here) even when nothing changed:
# dist/ is built again only when what it is made from changed since it was last built.
stamp=target/serve-dist.stamp
inputs_hash() {
  { find src static index.html Cargo.toml Cargo.lock Trunk.toml .cargo scripts/finish_dist.py tools/package-lock.json -type f -print0 \
      | sort -z | xargs -0 sha256sum
    trunk --version; wasm-bindgen --version; rustc --version; } | sha256sum | cut -d' ' -f1
}
want="$(inputs_hash)"
if [ -f dist/index.html ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "tcp-ladder: dist/ is up to date with the sources"
else
  trunk build --release
  mkdir -p target && echo "$want" >"$stamp"
fi
PORT="${PORT:-8080}"
echo "tcp-ladder: serving dist/ on http://127.0.0.1:$PORT/"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
