#!/usr/bin/env bash
# Runs every end-to-end check alone (a fresh Chromium, server and page for each: E2E_CHECK=N),
# to show that none depends on another having run first. Needs dist/ and target/debug/tcp-ladder
# (scripts/test.sh makes both). About 5 minutes on two cores.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
failed=()
count=$(E2E_LIST=1 node tests/e2e/e2e.mjs | wc -l)
for n in $(seq 1 "$count"); do
  if out=$(E2E_CHECK=$n node tests/e2e/e2e.mjs 2>&1); then
    echo "$out" | grep -E '^ok' | head -1
  else
    echo "$out" | grep -E '^(FAIL|ok)|saved'
    failed+=("$n")
  fi
done
echo "alone: $((count - ${#failed[@]})) passed, ${#failed[@]} failed${failed:+ (checks ${failed[*]})}"
[ ${#failed[@]} -eq 0 ]
