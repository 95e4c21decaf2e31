#!/usr/bin/env bash
# Side-by-side benchmark of Assay and peer MCP/security scanners on real packages.
#
#   bench/peers.sh [--reps N] [--timeout S] [--synthetic-timeout S] [--only SLUGS] [--tools NAMES] [--no-synthetic]
#
# Builds the release binary, then bench/peers.py prepares the inputs (bench/peers/packages.tsv,
# fetched with npm/pip from whatever registries they are configured to use, plus the
# synthetic tree), installs the pinned peers into bench/.cache/peers/, runs every applicable
# tool on every input offline (`unshare -n` when permitted) and writes
# bench/.cache/peers/results.{json,md}. Manual benchmark: not run in CI. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p assay-cli
exec python3 bench/peers.py "$@"
