#!/usr/bin/env bash
# What DKIM signing costs a batch (not run in CI): the same N invoice records to an mbox with no
# signature, RSA-2048 and Ed25519, taking turns for R rounds.
#
# Usage: scripts/bench_dkim.sh [N] [ROUNDS]   (default N = 100000, ROUNDS = 3; release build)
#
# Prints letters/s and CPU seconds (user + system) per run, their medians, and the signing cost:
# CPU time a letter signed minus unsigned, i.e. signatures/s a core (steadier than the wall clock
# on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
ROUNDS=${2:-3}
PEERS=../shared/peers
[ -f "$PEERS/gen_records.py" ] || { echo "needs $PEERS/gen_records.py beside the repository" >&2; exit 2; }
cargo build --release --locked --quiet
BIN=$PWD/target/release/missive
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$PEERS/gen_records.py" "$N" > "$WORK/records.jsonl"

# A copy of the bundled standard per kind of signature.
for kind in none rsa ed25519; do
  mkdir -p "$WORK/$kind"
  cp -r missive.toml templates locales rules attachments images fonts "$WORK/$kind/"
  [ -d fonts ] && cp -r fonts "$WORK/$kind/"
  case $kind in
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/$kind/dkim.pem" 2>/dev/null ;;
    ed25519) openssl genpkey -algorithm ed25519 -out "$WORK/$kind/dkim.pem" 2>/dev/null ;;
  esac
  if [ "$kind" != none ]; then
    printf '\n[email.dkim]\ndomain = "example.pl"\nselector = "bench"\nprivate_key = "dkim.pem"\n' >> "$WORK/$kind/missive.toml"
  fi
done

echo "N = $N records, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# run KIND: one mbox batch; prints its letters/s and CPU seconds (user + system).
run() {
  local kind=$1
  rm -f "$WORK/out.mbox"*
  /usr/bin/time -f '%U %S' -o "$WORK/time.txt" "$BIN" --project "$WORK/$kind" batch invoice \
    --data "$WORK/records.jsonl" --today 2026-11-23 --now 2026-11-23T09:00:00Z --mbox "$WORK/out.mbox" \
    --summary "$WORK/summary.json" > /dev/null 2>&1 || true
  local rate cpu
  rate=$(python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["letters_per_second"])' "$WORK/summary.json")
  cpu=$(awk '{print $1 + $2}' "$WORK/time.txt")
  echo "$rate $cpu"
}

declare -A rates=() cpus=()
for round in $(seq "$ROUNDS"); do
  line="round $round:"
  for kind in none rsa ed25519; do
    read -r rate cpu < <(run "$kind")
    rates[$kind]="${rates[$kind]:-} $rate"
    cpus[$kind]="${cpus[$kind]:-} $cpu"
    line="$line  $kind $rate letters/s ${cpu} s CPU"
  done
  echo "$line   (load $(cut -d' ' -f1 /proc/loadavg))"
done
python3 - "$N" "${rates[none]}" "${rates[rsa]}" "${rates[ed25519]}" "${cpus[none]}" "${cpus[rsa]}" "${cpus[ed25519]}" <<'EOF'
import statistics, sys
n = int(sys.argv[1])
kinds = ("none", "rsa", "ed25519")
rate = {k: statistics.median(float(x) for x in a.split()) for k, a in zip(kinds, sys.argv[2:5])}
cpu = {k: statistics.median(float(x) for x in a.split()) for k, a in zip(kinds, sys.argv[5:8])}
print(f"unsigned: median {rate['none']:,.0f} letters/s, {cpu['none'] / n * 1e6:.0f} µs CPU a letter")
for kind in ("rsa", "ed25519"):
    per = (cpu[kind] - cpu["none"]) / n
    print(
        f"{kind}: median {rate[kind]:,.0f} letters/s ({rate[kind] / rate['none'] - 1:+.0%} wall clock); "
        f"{cpu[kind] / n * 1e6:.0f} µs CPU a letter, so signing takes {per * 1e6:.0f} µs "
        f"({1 / per:,.0f} signatures/s a core) and {cpu['none'] / cpu[kind] - 1:+.0%} letters per CPU-second"
    )
EOF
