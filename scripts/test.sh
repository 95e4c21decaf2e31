#!/usr/bin/env bash
# Runs every test Assay has. One command, from a fresh machine: installs what it needs
# (idempotently), then checks formatting, lints, unit/integration/end-to-end tests and
# that generated docs are current.
#
#   scripts/test.sh            # everything
#   scripts/test.sh --quick    # skip clippy (local iteration)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
[[ "${1:-}" == "--quick" ]] && quick=true

log() { printf '\n==> %s\n' "$*" >&2; }

ensure_toolchain() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust (rustup) first" >&2; exit 2; }
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      log "installing rust component $component"
      rustup component add "$component"
    fi
  done
}

ensure_toolchain
export CARGO_TERM_COLOR=never
# Snapshot tests must never rewrite snapshots in CI.
export INSTA_UPDATE=no

log "cargo fmt --check"
cargo fmt --all -- --check

if ! $quick; then
  log "cargo clippy (deny warnings)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
fi

log "test services (Verdaccio, pypiserver, docker-registry, git daemon)"
# Installs what is missing and exports where the servers are; the remote-target tests
# start their own instances on loopback ports and, with this, fail if one is missing.
eval "$(scripts/test-services.sh)"

log "cargo test"
cargo test --workspace --locked

log "generated docs are current"
cargo run --quiet --locked -p xtask -- docs --check

log "accuracy on the labelled corpus (precision and recall >= 0.90, benign servers clean)"
cargo run --quiet --locked -p xtask -- eval corpus --min-precision 0.9 --min-recall 0.9
