#!/usr/bin/env bash
# What the email's inline logo costs a batch (not run in CI): the same N invoice records to an
# mbox with the logo (the bundled standard) and without it (`[email] logo = false`), one worker,
# taking turns for R rounds.
#
# Usage: scripts/bench_logo.sh [N] [ROUNDS]   (default N = 20000, ROUNDS = 5; release build)
#
# Prints CPU seconds (user + system; steadier than the wall clock on a shared machine) and bytes
# per message of each run, their medians, and the logo's CPU cost a letter.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
ROUNDS=${2:-5}
PEERS=../shared/peers
[ -f "$PEERS/gen_records.py" ] || { echo "needs $PEERS/gen_records.py beside the repository" >&2; exit 2; }
cargo build --release --locked --quiet
BIN=$PWD/target/release/missive
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$PEERS/gen_records.py" "$N" > "$WORK/records.jsonl"

for kind in logo none; do
  mkdir -p "$WORK/$kind"
  cp -r missive.toml templates locales rules attachments images fonts "$WORK/$kind/"
done
sed -i 's/^logo = true/logo = false/' "$WORK/none/missive.toml"
grep -q '^logo = false' "$WORK/none/missive.toml" || { echo "missive.toml has no \`logo = true\` to turn off" >&2; exit 2; }

echo "N = $N records, --jobs 1, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# run KIND: one mbox batch; prints its CPU seconds (user + system) and bytes per message.
run() {
  local kind=$1
  rm -f "$WORK/out.mbox"*
  /usr/bin/time -f '%U %S' -o "$WORK/time.txt" "$BIN" --project "$WORK/$kind" batch invoice --jobs 1 \
    --data "$WORK/records.jsonl" --today 2026-11-23 --now 2026-11-23T09:00:00Z --mbox "$WORK/out.mbox" \
    > /dev/null 2>&1 || true
  local cpu bytes
  cpu=$(awk '{print $1 + $2}' "$WORK/time.txt")
  bytes=$(( $(stat -c %s "$WORK/out.mbox") / N ))
  echo "$cpu $bytes"
}

declare -A cpus=() sizes=()
for round in $(seq "$ROUNDS"); do
  line="round $round:"
  for kind in logo none; do
    read -r cpu bytes < <(run "$kind")
    cpus[$kind]="${cpus[$kind]:-} $cpu"
    sizes[$kind]=$bytes
    line="$line  $kind ${cpu} s CPU, $bytes bytes/message"
  done
  echo "$line   (load $(cut -d' ' -f1 /proc/loadavg))"
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
logo=$(echo "${cpus[logo]}" | median)
none=$(echo "${cpus[none]}" | median)
echo "median CPU: logo $logo s, none $none s; the logo costs $(awk -v a="$logo" -v b="$none" -v n="$N" \
  'BEGIN {printf "%.2f µs a letter (%+.1f%%)", (a - b) / n * 1e6, (a / b - 1) * 100}'), \
$(( ${sizes[logo]} - ${sizes[none]} )) bytes a message"
