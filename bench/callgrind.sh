#!/usr/bin/env bash
# Instruction counts of `assay scan` under callgrind: a measure of the engine's work that
# does not depend on how busy the machine is (wall time does).
#
#   bench/callgrind.sh TARGET...        # total instructions and the hottest functions
#   TOP=40 bench/callgrind.sh TARGET    # more functions
#
# Runs the release binary on each TARGET (a directory or archive) with one analysis
# thread (RAYON_NUM_THREADS=1: valgrind runs threads one at a time anyway, and idle
# workers' spinning would otherwise add noise), keeps the profile in
# bench/.cache/callgrind/ for `callgrind_annotate`, and prints the total instruction
# count (Ir) and the TOP functions by inclusive cost. Record before/after figures in
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -gt 0 ]] || { echo "usage: bench/callgrind.sh TARGET..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind not found" >&2; exit 2; }
top="${TOP:-15}"
out_dir="bench/.cache/callgrind"
mkdir -p "$out_dir"

cargo build --release --locked -q -p assay-cli
bin="$PWD/target/release/assay"

for target in "$@"; do
  name=$(basename "$(cd "$target/.." && pwd)")-$(basename "$target")
  profile="$out_dir/$name.callgrind"
  report=$(mktemp)
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$profile" \
    "$bin" scan "$target" --format json --output "$report" --quiet 2> "$profile.log" || true
  total=$(grep -Eo 'Collected : [0-9]+' "$profile.log" | grep -Eo '[0-9]+' || echo "?")
  python3 - "$report" "$target" "$total" <<'PY'
import json, sys
report, target, total = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.load(open(report))
mb = r["stats"]["bytes"] / 1e6
limits = ", ".join(f"{l['kind']} {l.get('path', '')}" for l in r["limits_hit"]) or "none"
print(f"{target}: {r['stats']['files']} files, {mb:.1f} MB, {int(total):,} instructions "
      f"({int(total) / max(mb, 1e-9) / 1e6:,.0f} M/MB), {len(r['findings'])} findings, limits: {limits}")
PY
  callgrind_annotate --inclusive=yes "$profile" 2>/dev/null \
    | grep -E '/crates/[^:]*:assay_(rules|engine|source)::' \
    | grep -v '{{closure}}' \
    | head -n "$top" \
    | sed -E 's#^ *([0-9,]+) \( *([0-9.]+)%\) +[^:]*:([^ ]+).*#  \2%\t\3#'
  rm -f "$report"
done
