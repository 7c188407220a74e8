#!/usr/bin/env bash
# Does a second worker double the batch? (issue #25; not run in CI)
#
# Usage: scripts/bench_scaling.sh [N] [--rounds R] [--bin PATH]
#        (default N = 100000 generated invoices, R = 3 rounds; PATH defaults to
#        target/release/missive, built first)
#
# Runs `missive batch invoice --mbox` on the same N records with `--jobs 1` and `--jobs 2`,
# taking turns R times, and prints for each run the letters/s, the CPU time a letter (user +
# system, from /usr/bin/time) and the peak RSS, then the median of each and the ratio of the
# medians. The CPU a letter is the figure to compare across runs on the shared machine; the
# ratio says how much of the second core the batch turns into letters. With --jobs 1 the
# reader and the writer already run beside the one worker, on the second core.
set -euo pipefail
cd "$(dirname "$0")/.."
N=100000
ROUNDS=3
BIN=""
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    [0-9]*) N=$1; shift ;;
    *) echo "usage: $0 [N] [--rounds R] [--bin PATH]" >&2; exit 2 ;;
  esac
done
PEERS=../shared/peers
[ -f "$PEERS/gen_records.py" ] || { echo "needs $PEERS/gen_records.py beside the repository" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
if [ -z "$BIN" ]; then
  cargo build --release --locked --quiet
  BIN=$PWD/target/release/missive
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$PEERS/gen_records.py" "$N" > "$WORK/records.jsonl"
echo "N = $N records, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the start"

# run JOBS: one batch; appends "letters/s cpu_us_per_letter rss_mb" to $WORK/jobsJOBS.
run() {
  local jobs=$1
  rm -f "$WORK/out.mbox"*
  /usr/bin/time -f '%U %S %M' -o "$WORK/time.txt" "$BIN" --project . batch invoice --data "$WORK/records.jsonl" \
    --mbox "$WORK/out.mbox" --jobs "$jobs" --today 2026-11-23 --summary "$WORK/summary.json" >/dev/null 2>&1
  python3 - "$WORK/summary.json" "$WORK/time.txt" "$N" "$jobs" "$WORK/jobs$jobs" <<'EOF'
import json, sys
summary, (user, system, rss) = json.load(open(sys.argv[1])), open(sys.argv[2]).read().split()
n, jobs = int(sys.argv[3]), sys.argv[4]
rate, cpu = summary["letters_per_second"], (float(user) + float(system)) / n * 1e6
print(f"--jobs {jobs}   {rate:9.0f} letters/s   {cpu:6.1f} µs CPU a letter   peak RSS {int(rss) / 1024:4.0f} MB")
open(sys.argv[5], "a").write(f"{rate} {cpu} {int(rss) / 1024}\n")
EOF
}

for _ in $(seq "$ROUNDS"); do
  run 1
  run 2
done
python3 - "$WORK/jobs1" "$WORK/jobs2" <<'EOF'
import statistics, sys
one, two = ([list(map(float, line.split())) for line in open(path)] for path in sys.argv[1:3])
rate1, rate2 = statistics.median(r[0] for r in one), statistics.median(r[0] for r in two)
cpu1, cpu2 = statistics.median(r[1] for r in one), statistics.median(r[1] for r in two)
print(f"medians: --jobs 1 {rate1:.0f} letters/s ({cpu1:.1f} µs CPU a letter), "
      f"--jobs 2 {rate2:.0f} letters/s ({cpu2:.1f} µs); two workers = {rate2 / rate1:.2f}x one (target ≥ 1.9x)")
EOF
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
