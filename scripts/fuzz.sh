#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/, cargo-fuzz and libFuzzer) for a while each, seeded with the
# repository's captures; anything found is left in fuzz/artifacts/<target>/ (copy it to
# fuzz/regressions/<target>/ once fixed: tests/fuzz_regressions.rs replays that folder).
#
#   bash scripts/fuzz.sh                 every target for 10 s (what the test command runs)
#   bash scripts/fuzz.sh 3600            every target for an hour
#   bash scripts/fuzz.sh 600 read_whole  one target
#
# Stable Rust without a sanitizer by default (libFuzzer's coverage needs no nightly);
# FUZZ_SANITIZER=address uses the nightly toolchain (rustup toolchain install nightly) for
# AddressSanitizer. Each run prints libFuzzer's execution count.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
seconds="${1:-10}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read_whole read_streamed decode_frame capture_to_diagrams)
sanitizer="${FUZZ_SANITIZER:-none}"
toolchain=+stable
[ "$sanitizer" = none ] || toolchain=+nightly

# Seeds: every capture of the repository, cut to its first 64 KiB (a cut is damage worth
# fuzzing too; short inputs keep the runs fast); decode_frame gets each file's first frame
# bytes after an Ethernet link-type prefix.
seeds=target/fuzz-seeds
rm -rf "$seeds"
mkdir -p "$seeds/captures" "$seeds/frames"
find tests/captures static/samples -type f ! -name '*.json' ! -name '*.py' ! -name '*.sh' ! -name '*.md' ! -name '*.txt' \
  | while read -r f; do
      n=$(sha1sum "$f" | cut -c1-16)
      head -c 65536 "$f" > "$seeds/captures/$n"
      { printf '\001\000'; head -c 1640 "$f" | tail -c +41; } > "$seeds/frames/$n"
    done

# Optimized, with debug assertions and overflow checks (an overflow is a finding).
(cd fuzz && cargo "$toolchain" fuzz build -s "$sanitizer" -O -a 2>&1 | tail -1)
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  case "$t" in decode_frame) seed="$seeds/frames" ;; *) seed="$seeds/captures" ;; esac
  echo "== fuzz $t for $seconds s"
  (cd fuzz && cargo "$toolchain" fuzz run -s "$sanitizer" -O -a "$t" "corpus/$t" "../$seed" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 2>&1) \
    | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)|panicked|ERROR" || true
  if compgen -G "fuzz/artifacts/$t/*" >/dev/null; then
    echo "fuzz $t: found inputs in fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
