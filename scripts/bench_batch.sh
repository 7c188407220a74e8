#!/usr/bin/env bash
# Batch throughput and memory, side by side with the Python peer (not run in CI).
#
# Usage: scripts/bench_batch.sh [N] [--smtp-records M] [--only files|smtp]
#        (default N = 100000, M = 2000; --only runs one of the two parts)
#
# Files: generates N deterministic invoice records with ../shared/peers/gen_records.py, runs
# `missive batch invoice` to a folder of .eml files, to an mbox and to PDF files, printing letters/s and peak RSS (/usr/bin/time -v), then the peer
# (../shared/peers/mail_merge_peer.py) on the same records, and the ratio.
#
# SMTP: two loopback servers, aiosmtpd (tests/smtp_server.py, storing each message as a file)
# and a real relay, Postfix (scripts/postfix_loopback.sh: its queue, then a Maildir; needs root
# and the postfix package). For each server and 1 and 4 connections: the SMTP peer
# (scripts/smtp_peer.py: Python's smtplib sending M copies of a real invoice email) and
# `missive batch invoice --smtp … --connections C` on M records, letters/s side by side and
# missive/peer (issue #26's target: at least 0.8). Both are limited by the server: a few hundred
# to about 1,300 letters/s here.
#
# The machine may be shared: wall-clock figures are pessimistic and noisy. To compare two
# versions of the code, count instructions instead, e.g.
#   valgrind --tool=callgrind target/release/missive batch invoice --data r.jsonl --dry-run --jobs 1
set -euo pipefail
cd "$(dirname "$0")/.."
N=100000
SMTP_N=2000
ONLY=""
while [ $# -gt 0 ]; do
  case $1 in
    --smtp-records) SMTP_N=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    [0-9]*) N=$1; shift ;;
    *) echo "usage: $0 [N] [--smtp-records M] [--only files|smtp]" >&2; exit 2 ;;
  esac
done
PEERS=../shared/peers
[ -f "$PEERS/gen_records.py" ] || { echo "needs $PEERS/gen_records.py beside the repository" >&2; exit 2; }
. scripts/venv.sh
need_python 'import jinja2, babel, fpdf' jinja2 babel fpdf2
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }

cargo build --release --locked --quiet
BIN=$PWD/target/release/missive
WORK=$(mktemp -d)
# The SMTP part's servers are stopped on the way out, then the folder removed.
cleanup() {
  if [ -n "${AIOSMTPD_PID:-}" ]; then
    exec 3>&-
    wait "$AIOSMTPD_PID" 2>/dev/null || true
  fi
  if [ -d "$WORK/postfix/conf" ]; then
    scripts/postfix_loopback.sh stop "$WORK/postfix"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
DATA=$WORK/records.jsonl

# run NAME ARGS…: one batch of $DATA, prints letters/s and peak RSS; sets RATE.
run() {
  local name=$1; shift
  /usr/bin/time -v -o "$WORK/time.txt" "$BIN" --project . batch invoice --data "$DATA" \
    --today 2026-11-23 --summary "$WORK/summary.json" "$@" > /dev/null 2> "$WORK/stderr.txt" || true
  RATE=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%.0f" % s["letters_per_second"])' "$WORK/summary.json")
  local done rss
  done=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%d done, %d rejected, %.1f s" % (s["done"], s["rejected"], s["seconds"]))' "$WORK/summary.json")
  rss=$(awk -F: '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$WORK/time.txt")
  printf '%-22s %8s letters/s   peak RSS %7s   (%s)\n' "missive $name" "$RATE" "$rss" "$done"
}

files() {
  python3 "$PEERS/gen_records.py" "$N" > "$WORK/records.jsonl"
  echo "N = $N records ($(du -h "$WORK/records.jsonl" | cut -f1)), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

  run "eml folder" --out-dir "$WORK/eml"
  rm -rf "$WORK/eml" "$WORK/eml.journal"*
  run "mbox" --mbox "$WORK/out.mbox"
  EMAIL_RATE=$RATE
  rm -f "$WORK/out.mbox"*
  run "pdf folder" --out-dir "$WORK/pdf" --format pdf
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
}

# postfix_idle SERVER: for Postfix, waits (up to a minute) until it has delivered everything it
# accepted, so that its delivery work does not slow down the next measurement on a small machine.
postfix_idle() {
  [ "$1" = postfix ] || return 0
  for _ in $(seq 600); do
    [ -z "$(find "$WORK/postfix/queue/incoming" "$WORK/postfix/queue/active" "$WORK/postfix/queue/deferred" -type f 2>/dev/null | head -1)" ] && return 0
    sleep 0.1
  done
  echo "Postfix still has mail queued after a minute (see $WORK/postfix/log/postfix.log)" >&2
}

smtp() {
  need_python 'import aiosmtpd' 'aiosmtpd>=1.4'
  python3 "$PEERS/gen_records.py" "$SMTP_N" > "$WORK/smtp.jsonl"
  # The peer sends a real invoice email (about 5.4 KB), the size of missive's letters.
  "$BIN" --project . render invoice --data fixtures/invoice/lines.json --format eml --today 2026-11-23 > "$WORK/invoice.eml"
  echo "SMTP: M = $SMTP_N letters, $(wc -c < "$WORK/invoice.eml") bytes each for the peer, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  # aiosmtpd runs until its standard input (fd 3 here) closes; --timeout is a backstop.
  exec 3> >(exec python3 tests/smtp_server.py "$WORK/aiosmtpd" --timeout 7200 > "$WORK/aiosmtpd.port")
  AIOSMTPD_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/aiosmtpd.port" ] && break; sleep 0.1; done
  local servers=("aiosmtpd $(cat "$WORK/aiosmtpd.port")")
  if [ "$(id -u)" = 0 ] && command -v postfix >/dev/null; then
    mkdir -p "$WORK/postfix" && chmod 755 "$WORK"
    servers+=("postfix $(scripts/postfix_loopback.sh start "$WORK/postfix")")
  else
    echo "(no Postfix: it needs root and the postfix package, which scripts/test.sh installs)"
  fi
  DATA=$WORK/smtp.jsonl
  local server name port c peer_rate
  for server in "${servers[@]}"; do
    read -r name port <<< "$server"
    for c in 1 4; do
      peer_rate=$(python3 scripts/smtp_peer.py 127.0.0.1 "$port" --messages "$SMTP_N" --connections "$c" \
        --eml "$WORK/invoice.eml" | python3 -c 'import json, sys; print("%.0f" % json.load(sys.stdin)["messages_per_second"])')
      postfix_idle "$name"
      printf '%-22s %8s letters/s\n' "smtplib $name c=$c" "$peer_rate"
      rm -f "$WORK/smtp.journal" "$WORK/smtp.rejects.jsonl"
      run "smtp $name c=$c" --smtp "smtp://127.0.0.1:$port" --connections "$c" \
        --journal "$WORK/smtp.journal" --rejects "$WORK/smtp.rejects.jsonl"
      postfix_idle "$name"
      echo "smtp $name c=$c: missive/smtplib = $(python3 -c "print(f'{$RATE / $peer_rate:.2f}')")   (target ≥ 0.8)"
    done
  done
}

[ "$ONLY" = smtp ] || files
[ "$ONLY" = files ] || smtp
