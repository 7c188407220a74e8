#!/usr/bin/env bash
# Batch throughput and memory, side by side with the Python peer (not run in CI).
#
# Usage: scripts/bench_batch.sh [N]        (default N = 100000)
#
# Generates N deterministic invoice records with ../shared/peers/gen_records.py, runs
# `missive batch invoice` to a folder of .eml files, to an mbox and to PDF files, printing letters/s and peak RSS (/usr/bin/time -v), then the peer
# (../shared/peers/mail_merge_peer.py) on the same records, and the ratio.
#
# The machine may be shared: wall-clock figures are pessimistic and noisy. To compare two
# versions of the code, count instructions instead, e.g.
#   valgrind --tool=callgrind target/release/missive batch invoice --data r.jsonl --dry-run --jobs 1
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
PEERS=../shared/peers
[ -f "$PEERS/gen_records.py" ] || { echo "needs $PEERS/gen_records.py beside the repository" >&2; exit 2; }
python3 -c 'import jinja2, babel, fpdf' 2>/dev/null || python3 -m pip install --quiet jinja2 babel fpdf2
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }

cargo build --release --locked --quiet
BIN=$PWD/target/release/missive
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$PEERS/gen_records.py" "$N" > "$WORK/records.jsonl"
echo "N = $N records ($(du -h "$WORK/records.jsonl" | cut -f1)), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME ARGS…: one batch, prints letters/s and peak RSS; sets RATE.
run() {
  local name=$1; shift
  /usr/bin/time -v -o "$WORK/time.txt" "$BIN" --project . batch invoice --data "$WORK/records.jsonl" \
    --today 2026-11-23 --summary "$WORK/summary.json" "$@" > /dev/null 2> "$WORK/stderr.txt" || true
  RATE=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%.0f" % s["letters_per_second"])' "$WORK/summary.json")
  local done rss
  done=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%d done, %d rejected, %.1f s" % (s["done"], s["rejected"], s["seconds"]))' "$WORK/summary.json")
  rss=$(awk -F: '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$WORK/time.txt")
  printf '%-22s %8s letters/s   peak RSS %7s   (%s)\n' "missive $name" "$RATE" "$rss" "$done"
}

run "eml folder" --out "$WORK/eml"
rm -rf "$WORK/eml" "$WORK/eml.journal"*
run "mbox" --mbox "$WORK/out.mbox"
EMAIL_RATE=$RATE
rm -f "$WORK/out.mbox"*
run "pdf folder" --out "$WORK/pdf" --format pdf
PDF_RATE=$RATE
rm -rf "$WORK/pdf" "$WORK/pdf.journal"* "$WORK/pdf.rejects.jsonl"

# The peer holds all records in memory and is slow: its rate is measured on the first 20,000.
PEER_N=$(( N < 20000 ? N : 20000 ))
head -n "$PEER_N" "$WORK/records.jsonl" > "$WORK/peer.jsonl"
peer() {
  /usr/bin/time -v -o "$WORK/time.txt" python3 "$PEERS/mail_merge_peer.py" "$@" > "$WORK/peer.txt"
  local rss
  rss=$(awk -F: '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$WORK/time.txt")
  PEER_RATE=$(sed -E 's/.* ([0-9]+) letters\/s.*/\1/' "$WORK/peer.txt")
  printf '%-22s %8s letters/s   peak RSS %7s   (%s)\n' "peer $1" "$PEER_RATE" "$rss" "$(cat "$WORK/peer.txt")"
}
peer email "$WORK/peer.jsonl" "$WORK/peer.mbox"
echo "email: missive/peer = $(python3 -c "print(f'{$EMAIL_RATE / $PEER_RATE:.1f}x')")   (target ≥ 40x)"
if true; then
  mkdir -p "$WORK/peer-pdf"
  PDF_PEER_N=$(( PEER_N < 5000 ? PEER_N : 5000 ))
  head -n "$PDF_PEER_N" "$WORK/records.jsonl" > "$WORK/peer-pdf.jsonl"
  peer pdf "$WORK/peer-pdf.jsonl" "$WORK/peer-pdf" fonts/DejaVuSans.ttf
  echo "pdf: missive/peer = $(python3 -c "print(f'{$PDF_RATE / $PEER_RATE:.1f}x')")   (target ≥ 100x)"
fi
