#!/usr/bin/env bash
# Where a batch letter's CPU goes, stage by stage, in instructions per letter (not run in CI).
#
# Usage: scripts/stage_costs.sh [N] [--bin PATH] [--keep FILE]
#        (default N = 2000 generated invoice records; PATH defaults to target/release/missive,
#        built first; --keep saves callgrind's output for callgrind_annotate)
#
# Runs `missive batch invoice --mbox … --jobs 1` on N records from ../shared/peers/gen_records.py
# under valgrind's callgrind and prints, for each stage, the instructions of the functions that
# own it (inclusive, so a stage counts what it calls) divided by N. Instructions, unlike time,
# do not move with the shared machine's load: compare two builds with this, then confirm with
# scripts/bench_batch.sh. The stages overlap where one calls another (Tera's `t()` runs Fluent);
# "letter" is the whole of a worker's letter, "writer" the mbox writer thread's part, "reader
# thread" all the reader does for a record (reading, splitting and, before #25's split, parsing).
set -euo pipefail
cd "$(dirname "$0")/.."
N=2000
BIN=""
KEEP=""
while [ $# -gt 0 ]; do
  case $1 in
    --bin) BIN=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    [0-9]*) N=$1; shift ;;
    *) echo "usage: $0 [N] [--bin PATH] [--keep FILE]" >&2; exit 2 ;;
  esac
done
PEERS=../shared/peers
[ -f "$PEERS/gen_records.py" ] || { echo "needs $PEERS/gen_records.py beside the repository" >&2; exit 2; }
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
if [ -z "$BIN" ]; then
  cargo build --release --locked --quiet
  BIN=$PWD/target/release/missive
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$PEERS/gen_records.py" "$N" > "$WORK/records.jsonl"
OUT=${KEEP:-$WORK/callgrind.out}
valgrind --tool=callgrind --callgrind-out-file="$OUT" "$BIN" batch invoice --data "$WORK/records.jsonl" \
  --mbox "$WORK/out.mbox" --jobs 1 --today 2026-11-23 --now 2026-11-23T09:14:03+01:00 >/dev/null 2>"$WORK/log" \
  || { cat "$WORK/log" >&2; exit 1; }

# callgrind_annotate lists a function once per source file its instructions came from (inlined
# code carries its own file); the largest inclusive figure is the function's whole cost.
callgrind_annotate --inclusive=yes --threshold=100 "$OUT" 2>/dev/null | awk -v n="$N" '
  BEGIN {
    split("letter|missive::batch::work::render;" \
          "render (record to Letter)|missive::render::<impl missive::standard::Standard>::render;" \
          "parse (JSON line)|missive::json::from_slice;" \
          "contract (field checks)|missive::fields::Contract::walk_object;" \
          "Tera|missive::template::Engine::render;" \
          "Fluent (in Tera)|missive::locale::fluent::Bundle::format;" \
          "markdown|missive::markup::render;" \
          "rules|missive::rules::Rules::check;" \
          "email (all)|missive::emit::email::written;" \
          "encode (QP bodies)|missive::emit::body::Part::write_as;" \
          "encoding choice|missive::emit::body::Part::new;" \
          "DKIM|missive::emit::dkim::sign;" \
          "mbox entry (email in it)|missive::emit::mbox::entry;" \
          "writer (mbox)|missive::batch::write::Writer::letter;" \
          "reader thread (all)|missive::batch::work::read;" \
          "load (once)|missive::standard::Standard::load", rows, ";")
    for (i in rows) { split(rows[i], kv, "|"); fn[kv[2]] = kv[1]; order[i] = kv[2] }
  }
  {
    ir = $1; gsub(",", "", ir)
    name = $0; sub(/^.*%\) +/, "", name); sub(/ \[.*$/, "", name); sub(/^[^:]*:/, "", name)
    if (name in fn && ir + 0 > best[name]) best[name] = ir + 0
  }
  END {
    printf "%-26s %14s\n", "stage", "instr/letter"
    for (i = 1; i <= length(order); i++) {
      f = order[i]
      if (f in best) printf "%-26s %14.0f\n", fn[f], best[f] / (f ~ /Standard::load/ ? 1 : n)
    }
  }'
