#!/usr/bin/env bash
# `missive serve` under load (a benchmark, not a test): oha with 32 connections against
# POST /v1/letters/invoice (JSON out), then at half that rate for the latency, then
# GET /v1/templates; the server's memory before and after; and the same letter through one
# `missive render` process per letter, for comparison. Installs oha with cargo if missing.
# Usage: scripts/bench_serve.sh [--bin PATH] [--seconds N] [--connections N]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/missive
seconds=10
connections=32
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "usage: $0 [--bin PATH] [--seconds N] [--connections N]" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || cargo build --release --quiet
command -v oha >/dev/null || cargo install oha --locked --quiet
command -v oha >/dev/null || export PATH="$HOME/.cargo/bin:$PATH"

work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
python3 - "$work/record.json" <<'PY'
import json, sys
record = json.load(open("fixtures/invoice/lines.json"))
record["_today"] = "2026-11-23"
json.dump(record, open(sys.argv[1], "w"))
PY
"$bin" serve --listen 127.0.0.1:0 >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/out" 2>/dev/null && break
  sleep 0.1
done
addr=$(sed -n 's#^listening on http://##p' "$work/out")
[ -n "$addr" ] || { echo "missive serve did not start:" >&2; cat "$work/err" >&2; exit 2; }
rss() { awk '/^VmRSS/ { print $2 / 1024 " MiB" }' "/proc/$server/status"; }

# oha's JSON summary → one line: requests/s, p50, p99, statuses, errors.
cat >"$work/summary.py" <<'PY'
import json, sys
s = json.load(sys.stdin)
p = s["latencyPercentiles"]
codes = ", ".join(f"{k}: {v}" for k, v in sorted(s["statusCodeDistribution"].items()))
errors = ", ".join(f"{k}: {v}" for k, v in s.get("errorDistribution", {}).items()) or "none"
rps = s["summary"]["requestsPerSec"]
print(f"{rps:,.0f}/s  p50 {p['p50'] * 1000:.2f} ms  p99 {p['p99'] * 1000:.2f} ms  statuses {codes}  errors {errors}")
PY
summary() { python3 "$work/summary.py"; }
letters() {
  oha --no-tui --output-format json -z "${seconds}s" -c "$connections" "$@" -m POST \
    -H 'content-type: application/json' -D "$work/record.json" "http://$addr/v1/letters/invoice"
}
echo "server $addr, $(nproc) cores, RSS at start $(rss)"
letters >/dev/null # warm-up
full=$(letters)
echo "POST /v1/letters/invoice, $connections connections:      $(summary <<<"$full")"
rate=$(python3 -c 'import json, sys; print(int(json.load(sys.stdin)["summary"]["requestsPerSec"] / 2))' <<<"$full")
echo "POST /v1/letters/invoice at half that ($rate/s):  $(letters -q "$rate" | summary)"
echo "GET /v1/templates, $connections connections:           $(oha --no-tui --output-format json -z "${seconds}s" -c "$connections" "http://$addr/v1/templates" | summary)"
echo "RSS after: $(rss)"
n=200
start=$(date +%s.%N)
for _ in $(seq $n); do "$bin" render invoice --data "$work/record.json" --format json >/dev/null; done
end=$(date +%s.%N)
python3 -c "print(f'one missive render process per letter: {$n / ($end - $start):,.0f} letters/s')"
