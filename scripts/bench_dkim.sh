#!/usr/bin/env bash
# What DKIM signing costs a batch (not run in CI): the same N invoice records to an mbox with no
# signature, RSA-2048 and Ed25519, taking turns for R rounds, at all cores and at one worker.
#
# Usage: scripts/bench_dkim.sh [N] [ROUNDS]   (default N = 100000, ROUNDS = 3; release build)
#
# Prints letters/s per run, the median of each, the cost against unsigned, and the signing time
# per letter at one worker ((1/signed − 1/unsigned) letters/s), i.e. signatures/s on one core.
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
  cp -r missive.toml templates locales rules attachments "$WORK/$kind/"
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
# rate KIND ARGS…: letters/s of one mbox batch.
rate() {
  local kind=$1; shift
  rm -f "$WORK/out.mbox"*
  "$BIN" --project "$WORK/$kind" batch invoice --data "$WORK/records.jsonl" --today 2026-11-23 \
    --now 2026-11-23T09:00:00Z --mbox "$WORK/out.mbox" --summary "$WORK/summary.json" "$@" > /dev/null 2>&1 || true
  python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["letters_per_second"])' "$WORK/summary.json"
}

for jobs in all 1; do
  declare -A rates=()
  args=()
  [ "$jobs" = 1 ] && args=(--jobs 1)
  for round in $(seq "$ROUNDS"); do
    line="jobs $jobs, round $round:"
    for kind in none rsa ed25519; do
      r=$(rate "$kind" "${args[@]}")
      rates[$kind]="${rates[$kind]:-} $r"
      line="$line  $kind $r"
    done
    echo "$line   (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  python3 - "${rates[none]}" "${rates[rsa]}" "${rates[ed25519]}" "$jobs" <<'EOF'
import statistics, sys
none, rsa, ed = ([float(x) for x in a.split()] for a in sys.argv[1:4])
jobs = sys.argv[4]
m = {k: statistics.median(v) for k, v in (("none", none), ("rsa", rsa), ("ed25519", ed))}
for kind in ("rsa", "ed25519"):
    cost = 1 - m[kind] / m["none"]
    per = 1 / m[kind] - 1 / m["none"]
    note = f"; {per * 1e6:.0f} µs a signature, {1 / per:,.0f} signatures/s on one core" if jobs == "1" and per > 0 else ""
    print(f"jobs {jobs}: {kind}: median {m[kind]:,.0f} letters/s against {m['none']:,.0f} unsigned: {cost:+.0%} throughput cost{note}")
EOF
done
