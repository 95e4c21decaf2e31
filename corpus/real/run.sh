#!/usr/bin/env bash
# Scans published MCP servers with known vulnerabilities, and their fixed successors,
# and prints what Assay reports for each (rule ids of medium-or-above findings).
#
#   corpus/real/run.sh
#
# Packages are fetched by Assay itself (`assay scan npm:name@ver`, `pypi:name==ver`) from
# whatever registry npm and pip are configured to use, verified against the registry's
# digests and cached in ASSAY_CACHE_DIR (default bench/.cache/real here, never committed).
# The list and the expected rules are in corpus/real/servers.tsv; docs/accuracy.md
# records the results.
set -euo pipefail
cd "$(dirname "$0")/../.."
export ASSAY_CACHE_DIR="${ASSAY_CACHE_DIR:-$PWD/bench/.cache/real}"
cargo build --release --locked -q -p assay-cli
bin="$PWD/target/release/assay"

target() { # ecosystem package version -> the target string
  if [[ $1 == npm ]]; then echo "npm:$2@$3"; else echo "pypi:$2==$3"; fi
}

printf '%-40s %-12s %-6s %-5s %s\n' package version score grade "findings (medium+)"
grep -v '^#' corpus/real/servers.tsv | while IFS=$'\t' read -r eco pkg vulnerable fixed advisory expect; do
  for ver in "$vulnerable" "$fixed"; do
    report=$(mktemp)
    if ! "$bin" scan "$(target "$eco" "$pkg" "$ver")" --format json --output "$report" --quiet --no-inline-ignores \
      && [[ ! -s "$report" ]]; then
      printf '%-40s %-12s fetch failed\n' "$pkg" "$ver"
      rm -f "$report"
      continue
    fi
    python3 - "$report" "$pkg" "$ver" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
found = sorted({f"{f['rule_id']}" for f in r["findings"] if f["severity"] in ("medium", "high", "critical")})
print(f"{sys.argv[2]:<40} {sys.argv[3]:<12} {r['score']['score']:<6} {r['score']['grade']:<5} {', '.join(found) or '-'}")
PY
    rm -f "$report"
  done
done
