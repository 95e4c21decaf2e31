#!/usr/bin/env bash
# Scans published MCP servers with known vulnerabilities, and their fixed successors,
# and prints what Assay reports for each (rule ids of medium-or-above findings).
#
#   corpus/real/run.sh
#
# Packages are downloaded with `npm pack` / `pip download --no-deps` from whatever
# registry npm and pip are configured to use, into bench/.cache/real (never committed).
# The list and the expected rules are in corpus/real/servers.tsv; docs/accuracy.md
# records the results.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="bench/.cache/real"
mkdir -p "$cache"
cargo build --release --locked -q -p assay-cli
bin="$PWD/target/release/assay"

fetch() { # ecosystem package version -> prints the artifact path
  local eco=$1 pkg=$2 ver=$3 dir
  dir="$cache/$(echo "$eco-$pkg-$ver" | tr '/@' '__')"
  if [[ ! -d "$dir" ]]; then
    mkdir -p "$dir"
    if [[ $eco == npm ]]; then
      (cd "$dir" && npm pack --silent "$pkg@$ver" >/dev/null 2>&1)
    else
      pip download --quiet --no-deps --no-binary :all: -d "$dir" "$pkg==$ver" >/dev/null 2>&1 \
        || pip download --quiet --no-deps -d "$dir" "$pkg==$ver" >/dev/null 2>&1
    fi
  fi
  find "$dir" -maxdepth 1 -type f \( -name '*.tgz' -o -name '*.tar.gz' -o -name '*.whl' -o -name '*.zip' \) | head -n 1
}

printf '%-40s %-12s %-6s %-5s %s\n' package version score grade "findings (medium+)"
grep -v '^#' corpus/real/servers.tsv | while IFS=$'\t' read -r eco pkg vulnerable fixed advisory expect; do
  for ver in "$vulnerable" "$fixed"; do
    artifact=$(fetch "$eco" "$pkg" "$ver")
    if [[ -z "$artifact" ]]; then
      printf '%-40s %-12s download failed\n' "$pkg" "$ver"
      continue
    fi
    report=$(mktemp)
    "$bin" scan "$artifact" --format json --output "$report" --quiet --no-inline-ignores || true
    python3 - "$report" "$pkg" "$ver" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
found = sorted({f"{f['rule_id']}" for f in r["findings"] if f["severity"] in ("medium", "high", "critical")})
print(f"{sys.argv[2]:<40} {sys.argv[3]:<12} {r['score']['score']:<6} {r['score']['grade']:<5} {', '.join(found) or '-'}")
PY
    rm -f "$report"
  done
done
