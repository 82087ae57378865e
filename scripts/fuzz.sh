#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/, cargo-fuzz and libFuzzer) for a while each, seeded with the
# repository's captures; anything found is left in fuzz/artifacts/<target>/ (copy it to
# fuzz/regressions/<target>/ once fixed: tests/fuzz_regressions.rs replays that folder).
#
#   bash scripts/fuzz.sh --check         what the test command runs: each target a fixed number
#                                        of inputs from a fixed seed, from the seeds alone, so
#                                        it finds the same things on every machine
#   bash scripts/fuzz.sh 3600            every target for an hour (the corpus grows in fuzz/corpus)
#   bash scripts/fuzz.sh 600 read_whole  one target
#   bash scripts/fuzz.sh --runs 10000000 every target until libFuzzer has run that many inputs
#                                        (the long run SECURITY.md reports)
#
# FUZZ_MAX_LEN (default 32768) caps an input's size; the 10-million runs used 4096: a few
# dozen packets reach every reader and view path, and runs are 5-15 times faster.
#
# Stable Rust without a sanitizer by default (libFuzzer's coverage needs no nightly);
# FUZZ_SANITIZER=address uses the nightly toolchain (rustup toolchain install nightly) for
# AddressSanitizer. Each run prints libFuzzer's execution count.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
check=0
runs_wanted=
if [ "${1:-}" = "--runs" ]; then
  runs_wanted="$2"
  shift 2
  seconds=0
elif [ "${1:-}" = "--check" ]; then
  check=1
  shift
  seconds=0
else
  seconds="${1:-10}"
  shift || true
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read_whole read_streamed decode_frame capture_to_diagrams app_messages merge_captures)
sanitizer="${FUZZ_SANITIZER:-none}"
toolchain=+stable
[ "$sanitizer" = none ] || toolchain=+nightly

# Seeds: every capture of the repository, cut to its first 16 KiB (a cut is damage worth
# fuzzing too; short inputs keep the runs fast); decode_frame gets each file's first frame
# bytes after an Ethernet link-type prefix.
seeds=target/fuzz-seeds
rm -rf "$seeds"
mkdir -p "$seeds/captures" "$seeds/frames"
find tests/captures static/samples -type f ! -name '*.json' ! -name '*.py' ! -name '*.sh' ! -name '*.md' ! -name '*.txt' \
  | while read -r f; do
      n=$(sha1sum "$f" | cut -c1-16)
      head -c 16384 "$f" > "$seeds/captures/$n"
      { printf '\001\000'; head -c 1640 "$f" | tail -c +41; } > "$seeds/frames/$n"
    done

# merge_captures gets pairs: the two capture points of each relay scenario (tests/captures/lossy),
# each cut to its first 8 KiB, after the first one's length (4 bytes, little-endian).
mkdir -p "$seeds/pairs"
for a in tests/captures/lossy/*_at_sender.pcap; do
  b="${a%_at_sender.pcap}_at_receiver.pcap"
  [ -f "$b" ] || continue
  python3 -c 'import sys; a=open(sys.argv[1],"rb").read()[:8192]; b=open(sys.argv[2],"rb").read()[:8192]; sys.stdout.buffer.write(len(a).to_bytes(4,"little")+a+b)' "$a" "$b" > "$seeds/pairs/$(basename "$a" .pcap)"
done

# Optimized, with debug assertions and overflow checks (an overflow is a finding).
(cd fuzz && cargo "$toolchain" fuzz build -s "$sanitizer" -O -a 2>&1 | tail -1)
for t in "${targets[@]}"; do
  mkdir -p "fuzz/artifacts/$t"
  case "$t" in decode_frame) seed="$seeds/frames" ;; merge_captures) seed="$seeds/pairs" ;; *) seed="$seeds/captures" ;; esac
  if [ "$check" = 1 ]; then
    # A fresh corpus each time, a fixed seed and number of runs: the same inputs everywhere.
    corpus="../target/fuzz-check/$t"
    rm -rf "target/fuzz-check/$t"
    mkdir -p "target/fuzz-check/$t"
    case "$t" in decode_frame) runs=1000000 ;; capture_to_diagrams) runs=5000 ;; merge_captures) runs=20000 ;; read_streamed | app_messages) runs=100000 ;; *) runs=50000 ;; esac
    limit=(-seed=1 -runs="$runs")
    echo "== fuzz $t: $runs inputs from seed 1"
  elif [ -n "$runs_wanted" ]; then
    corpus="corpus/$t"
    mkdir -p "fuzz/$corpus"
    limit=(-runs="$runs_wanted")
    echo "== fuzz $t: $runs_wanted inputs"
  else
    corpus="corpus/$t"
    mkdir -p "fuzz/$corpus"
    limit=(-max_total_time="$seconds")
    echo "== fuzz $t for $seconds s"
  fi
  (cd fuzz && cargo "$toolchain" fuzz run -s "$sanitizer" -O -a "$t" "$corpus" "../$seed" -- \
    "${limit[@]}" -rss_limit_mb=2048 -timeout=10 -max_len="${FUZZ_MAX_LEN:-32768}" -print_final_stats=1 2>&1) \
    | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)|panicked|ERROR" || true
  if compgen -G "fuzz/artifacts/$t/*" >/dev/null; then
    echo "fuzz $t: found inputs in fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
