#!/usr/bin/env bash
# Installs what is missing, builds the release site into dist/ and serves it on
# http://127.0.0.1:${PORT:-8080}/ (Ctrl-C stops it). dist/ is a plain static site: copy it to
# any static host, at any path.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
trunk build --release
PORT="${PORT:-8080}"
echo "tcp-ladder: serving dist/ on http://127.0.0.1:$PORT/"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
