#!/usr/bin/env bash
# End-to-end throughput benchmark of `assay scan` (all rules enabled).
#
#   bench/run.sh [SIZE_MB]      # default 200
#
# Prepares inputs in bench/.cache (never committed): two deterministic synthetic trees of
# mixed JS/TS/Python/Go files (bench/gen_tree.py: a realistic mix, and a --dense worst
# case where every non-bundle file is an MCP server) and the unpacked npm packages
# @modelcontextprotocol/server-everything and mcp-remote (fetched with `npm pack` from
# whatever registry npm is configured to use). Then runs the release binary on each and
# prints wall time, MB/s, files/s and peak RSS, and under each target the engine's own
# per-phase figures (ASSAY_TIMINGS=1: read, parse, rules, surface, taint, each with MB/s
# and files/s). Record the figures in docs/benchmarks.md; for figures that do not depend on
# how busy the machine is, count instructions with bench/callgrind.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-200}"
cache="bench/.cache"
mkdir -p "$cache"

cargo build --release --locked -q
bin="$PWD/target/release/assay"

tree="$cache/synthetic-${size_mb}mb"
if [[ ! -d "$tree" ]]; then
  python3 bench/gen_tree.py "$tree" "$size_mb"
fi
dense="$cache/synthetic-dense-${size_mb}mb"
if [[ ! -d "$dense" ]]; then
  python3 bench/gen_tree.py "$dense" "$size_mb" --dense
fi

for pkg in @modelcontextprotocol/server-everything mcp-remote; do
  dir="$cache/$(echo "$pkg" | tr '/@' '__')"
  if [[ ! -d "$dir" ]]; then
    mkdir -p "$dir"
    tgz=$(cd "$dir" && npm pack --silent "$pkg" 2>/dev/null | tail -n 1)
    tar -xzf "$dir/$tgz" -C "$dir"
    rm -f "$dir/$tgz"
  fi
done

printf '%-42s %8s %8s %9s %10s %9s\n' target files MB seconds "MB/s" "peak MB"
for target in "$tree" "$dense" "$cache"/_modelcontextprotocol_server-everything/package "$cache"/mcp-remote/package; do
  report=$(mktemp)
  stats=$(mktemp)
  phases=$(mktemp)
  ASSAY_TIMINGS=1 /usr/bin/time -f '%e %M' -o "$stats" "$bin" scan "$target" --format json \
    --output "$report" --quiet 2> "$phases" || true
  read -r secs rss_kb < "$stats"
  python3 - "$report" "$target" "$secs" "$rss_kb" <<'PY'
import json, sys
report, target, secs, rss = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
r = json.load(open(report))
files, mb = r["stats"]["files"], r["stats"]["bytes"] / 1e6
secs = max(secs, 0.001)
name = target if len(target) <= 42 else "…" + target[-41:]
print(f"{name:<42} {files:8d} {mb:8.1f} {secs:9.2f} {mb / secs:10.1f} {rss / 1024:9.1f}  ({files / secs:.0f} files/s, {len(r['findings'])} findings, complete={r['complete']})")
PY
  grep -E '^  (read|parse|rules|surface|taint) ' "$phases" || true
  rm -f "$report" "$stats" "$phases"
done
