#!/usr/bin/env bash
# Every sentence tcp-ladder says about every connection of every capture in the repository
# (tests/captures/**, and /work/shared/captures/public when present), one text file per
# connection (`tcp-ladder explain FILE --stream N --format text`: phases with their captions,
# each endpoint's states, every segment's explanation), so that a teacher can read each
# sentence against the packets (issue #23). Not part of `cargo test`: it takes a few minutes.
#
#   scripts/gather_sentences.sh [OUT_DIR]      (default target/sentences)
#   TCP_LADDER=path/to/tcp-ladder scripts/gather_sentences.sh   (skip the build)
#
# Writes OUT_DIR/<folder>__<capture>.stream<N>.txt and OUT_DIR/INDEX.tsv (file, streams, status).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/sentences}
bin=${TCP_LADDER:-target/debug/tcp-ladder}
if [ -z "${TCP_LADDER:-}" ]; then
  nice -n 19 cargo build --quiet --bin tcp-ladder
fi
mkdir -p "$out"
rm -f "$out"/*.txt "$out"/INDEX.tsv
printf 'capture\tstreams\tstatus\n' >"$out/INDEX.tsv"
captures=()
for f in tests/captures/*/* /work/shared/captures/public/*; do
  [ -f "$f" ] || continue
  case "$f" in *.json|*.txt|*.md|*.sh|*.py) continue ;; esac
  captures+=("$f")
done
total=0
for f in "${captures[@]}"; do
  folder=$(basename "$(dirname "$f")")
  [ "$folder" = public ] && [ "${f#/work/shared}" != "$f" ] && folder=shared_public
  # The connections: one `stream` record each in analyze's NDJSON.
  if ! streams=$(timeout 120 "$bin" analyze --format ndjson "$f" 2>/dev/null | grep -c '"record":"stream"'); then
    streams=${streams:-0}
  fi
  status=ok
  for ((n = 0; n < streams; n++)); do
    if ! timeout 120 "$bin" explain "$f" --stream "$n" --format text >"$out/${folder}__$(basename "$f").stream$n.txt" 2>&1; then
      status="failed at stream $n"
    fi
  done
  total=$((total + streams))
  printf '%s\t%s\t%s\n' "$f" "$streams" "$status" >>"$out/INDEX.tsv"
done
echo "$total connections of ${#captures[@]} captures in $out (INDEX.tsv lists them)"
