#!/usr/bin/env bash
# Load benchmark of `assay serve` on its default embedded SQLite store, with wrk.
#
#   bench/service.sh [SECONDS] [CONNECTIONS]     # default 15 s, 64 connections
#
# Starts the release binary on a loopback port with a throwaway SQLite file, creates an
# API key with `assay keys create`, scans one real-sized MCP server (the corpus case with
# the most files; local targets allowed for the benchmark only) and waits for the report.
# Then, with wrk (Debian package `wrk`, installed when missing) on the same machine:
#   1. cached reads: `GET /api/v1/scan/{id}` of the finished scan, keyed;
#   2. public reads: `GET /scan/{id}` without a key;
#   3. sustained submissions: `POST /api/v1/scan` of the same target (the idempotent path
#      that answers `cached: true`), keyed.
# Each prints requests/s and the latency distribution (p50/p90/p99). The server and wrk
# share the machine's cores, as they would on a one-box deployment. Record the figures in
# docs/benchmarks.md with the machine and the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
connections="${2:-64}"

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get install -y -q wrk >/dev/null
fi

cargo build --release --locked -q -p assay-cli
bin="$PWD/target/release/assay"

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

export ASSAY_DATA_DIR="$work/data" ASSAY_CACHE_DIR="$work/cache" XDG_CONFIG_HOME="$work/config"
db="sqlite://$work/service.db?mode=rwc"
printf '[tiers.bench]\nminute = 100000000\nday = 100000000\nweek = 100000000\nmonth = 100000000\n' > "$work/tiers.toml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

"$bin" serve --listen "127.0.0.1:$port" --database "$db" --tiers "$work/tiers.toml" \
  --allow-local-targets --no-advisories 2> "$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
key=$("$bin" keys create --database "$db" --account bench --org bench --tier bench \
  --scope scan:read --scope scan:write)

# The corpus case with the most files: a realistic report (findings, inventory).
target=$(for d in corpus/cases/*/vulnerable; do printf '%s %s\n' "$(find "$d" -type f | wc -l)" "$d"; done \
  | sort -rn | head -n 1 | cut -d' ' -f2)
target="$PWD/$target"
body="{\"input\": \"$target\"}"
scan_id=$(curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d "$body" "$base/api/v1/scan" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["scan_id"])')
for _ in $(seq 300); do
  status=$(curl -fsS -H "Authorization: Bearer $key" "$base/api/v1/scan/$scan_id" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["status"])')
  [[ "$status" == succeeded ]] && break
  [[ "$status" == failed || "$status" == cancelled ]] && { echo "scan $status"; cat "$work/serve.log"; exit 1; }
  sleep 0.2
done
size=$(curl -fsS -H "Authorization: Bearer $key" "$base/api/v1/scan/$scan_id" | wc -c)
echo "target: ${target#"$PWD"/} — report view ${size} bytes; wrk ${seconds}s, ${connections} connections, 2 threads"

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
LUA

run() {
  local label=$1
  shift
  echo "== $label"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" \
    | grep -E 'Requests/sec|Non-2xx|Socket errors|^ +(50|90|99)%|Latency  '
}
run "keyed GET /api/v1/scan/{id} (finished)" -H "Authorization: Bearer $key" "$base/api/v1/scan/$scan_id"
run "public GET /scan/{id} (finished)" "$base/scan/$scan_id"
run "keyed POST /api/v1/scan (idempotent resubmission)" -s "$work/post.lua" "$base/api/v1/scan"
