#!/usr/bin/env bash
# Proves that a change left every export byte-identical: writes the SVG, Mermaid and PlantUML
# export of every connection of the corpus in every view (`examples/write_exports.rs --all
# --svg`) once from a base revision and once from the working tree, and compares the two
# folders byte for byte. A refactoring that must not change behaviour passes this.
#
#     tests/exports/check_identical.sh [BASE]      (BASE: a git revision, default main)
#
# The base is checked out in a temporary detached worktree (/tmp/tcp-ladder-base-XXXX), removed on
# exit. Both sides run the working tree's `examples/write_exports.rs` (copied over the base's),
# so that both write the same set of files even if the base's example predates `--svg`; only
# the library differs. When the working tree's example does not build against the base's
# library (a change of the API it calls), the base runs its own example instead, if that one
# has `--svg` (the file counts printed below then also show that both wrote the same set). Both builds share one target folder ($CARGO_TARGET_DIR, default the
# working tree's `target/`), so the dependencies are built once. Cargo runs under `nice -n 19`.
# Prints the number of files compared; exits 1 on any difference, 2 on a failure to build.
set -euo pipefail

base=${1:-main}
root=$(git rev-parse --show-toplevel)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}

base_rev=$(git -C "$root" rev-parse --verify --quiet "$base^{commit}") || {
    echo "check_identical: no such revision: $base" >&2
    exit 2
}

work=$(mktemp -d /tmp/tcp-ladder-base-XXXX)
tree="$work/tree"
cleanup() {
    git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# Writes the exports of the crate checked out in $1 into $2.
write_exports() {
    local crate=$1 out=$2
    mkdir -p "$out"
    (cd "$crate" && nice -n 19 cargo run --quiet --release --locked --example write_exports -- "$out" --all --svg) || {
        echo "check_identical: the exports of $crate could not be built or written" >&2
        exit 2
    }
}

echo "working tree ($root):"
write_exports "$root" "$work/after"

echo "base $base (${base_rev:0:12}):"
git -C "$root" worktree add --quiet --detach "$tree" "$base_rev"
cp "$tree/examples/write_exports.rs" "$work/base_write_exports.rs"
cp "$root/examples/write_exports.rs" "$tree/examples/write_exports.rs"
if ! (cd "$tree" && nice -n 19 cargo build --quiet --release --locked --example write_exports 2>/dev/null); then
    if grep -q -- '--svg' "$work/base_write_exports.rs"; then
        echo "(the working tree's write_exports.rs does not build against $base: the base's own is run)"
        cp "$work/base_write_exports.rs" "$tree/examples/write_exports.rs"
    fi
fi
write_exports "$tree" "$work/before"

before=$(find "$work/before" -type f | wc -l)
after=$(find "$work/after" -type f | wc -l)
if diff -r -q "$work/before" "$work/after" >"$work/diff.txt"; then
    echo "$after files compared: identical to $base"
else
    sed "s|$work/||g" "$work/diff.txt" | head -n 40
    echo "$(wc -l <"$work/diff.txt") of $before (base) / $after (working tree) files differ from $base"
    exit 1
fi
