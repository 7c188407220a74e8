#!/usr/bin/env bash
# Byte for byte, does a change leave every output as it was? Builds missive at REV (default: the
# last commit, HEAD) in a worktree under target/, builds the working tree, and has both write:
# every fixture of the bundled standard in every locale as text, HTML, .eml, PDF and JSON, and
# an mbox batch of N generated invoice records (../shared/peers/gen_records.py) and a folder of
# PDFs from the first 1,000 of them, in one process each. Both run with
# the same --today and --now, so the outputs are deterministic; any difference is printed and
# the script exits 1.
#
# Usage: scripts/compare_outputs.sh [REV] [--records N]     (default HEAD, N = 2000)
# For a refactor: commit nothing yet, run `scripts/compare_outputs.sh` (the working tree against
# HEAD); or after committing, `scripts/compare_outputs.sh HEAD~3`.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=HEAD
N=2000
while [ $# -gt 0 ]; do
  case $1 in
    --records) N=$2; shift 2 ;;
    -*) echo "usage: $0 [REV] [--records N]" >&2; exit 2 ;;
    *) REV=$1; shift ;;
  esac
done
ROOT=$PWD
BASE=$ROOT/target/compare-base
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; git -C "$ROOT" worktree remove --force "$BASE" >/dev/null 2>&1 || true' EXIT

echo "building $REV in $BASE and the working tree…" >&2
git -C "$ROOT" worktree remove --force "$BASE" >/dev/null 2>&1 || true
git -C "$ROOT" worktree add --detach --quiet "$BASE" "$REV"
# The base shares our target folder's dependencies but builds into its own, so neither build
# disturbs the other's artefacts.
(cd "$BASE" && CARGO_TARGET_DIR=$ROOT/target/compare-base-target cargo build --release --locked --quiet)
cargo build --release --locked --quiet
OLD=$ROOT/target/compare-base-target/release/missive
NEW=$ROOT/target/release/missive

TODAY=2026-11-23
NOW=2026-11-23T09:14:03+01:00
outputs() { # BIN OUT
  local bin=$1 out=$2
  mkdir -p "$out"
  for fixture in fixtures/*/*.json; do
    template=$(basename "$(dirname "$fixture")")
    name=$(basename "$fixture" .json)
    for locale in locales/*/; do
      locale=$(basename "$locale")
      for format in text html eml pdf json; do
        # A letter that cannot be made in some format is an outcome too: keep its message.
        "$bin" --project "$ROOT" render "$template" --data "$fixture" --locale "$locale" --format "$format" \
          --today "$TODAY" --now "$NOW" -o "$out/$template.$name.$locale.$format" \
          >/dev/null 2>"$out/$template.$name.$locale.$format.stderr" || echo "exit $?" >>"$out/$template.$name.$locale.$format.stderr"
      done
    done
  done
  "$bin" --project "$ROOT" batch invoice --data "$WORK/records.jsonl" --mbox "$out/batch.mbox" \
    --journal "$out/batch.journal" --today "$TODAY" --now "$NOW" --jobs 2 >/dev/null 2>&1 || true
  # PDFs in one process, where a letter can reuse what an earlier one made (font subsets).
  head -n "$PDF_N" "$WORK/records.jsonl" | "$bin" --project "$ROOT" batch invoice --data - --format pdf \
    --out-dir "$out/batch-pdf" --journal "$out/pdf.journal" --today "$TODAY" --now "$NOW" --jobs 2 >/dev/null 2>&1 || true
  rm -f "$out/batch.journal"* "$out/pdf.journal"*
}

python3 ../shared/peers/gen_records.py "$N" >"$WORK/records.jsonl"
PDF_N=$((N < 1000 ? N : 1000))
outputs "$OLD" "$WORK/old"
outputs "$NEW" "$WORK/new"
count=$(find "$WORK/new" -type f | wc -l)
# A comparison of empty files proves nothing: every format must have been written.
for format in text html eml pdf json; do
  made=$(find "$WORK/new" -name "*.$format" -size +0 | wc -l)
  [ "$made" -gt 0 ] || { echo "no .$format output was written: the comparison would prove nothing" >&2; exit 2; }
done
[ -s "$WORK/new/batch.mbox" ] || { echo "the batch wrote no mbox" >&2; exit 2; }
[ "$(ls "$WORK/new/batch-pdf" | wc -l)" -eq "$PDF_N" ] || { echo "the PDF batch wrote no $PDF_N PDFs" >&2; exit 2; }
if diff -r "$WORK/old" "$WORK/new" >"$WORK/diff.txt"; then
  echo "identical: $count files ($(ls "$WORK/new" | grep -c '\.pdf$') PDFs, an mbox of $N letters, a batch of $PDF_N PDFs) from $REV and the working tree"
else
  head -50 "$WORK/diff.txt"
  echo "DIFFERENT: $(grep -c '^diff\|^Only\|^Binary' "$WORK/diff.txt" || true) files differ between $REV and the working tree" >&2
  exit 1
fi
