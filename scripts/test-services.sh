#!/usr/bin/env bash
# Installs (idempotently) the real servers the remote-target tests start on loopback:
# Verdaccio (npm registry), pypiserver (PyPI), Debian's docker-registry (OCI
# distribution), git (git daemon) and PostgreSQL (the store's throwaway clusters), and
# schemathesis (the service's OpenAPI fuzz test). The
# tests start and stop the servers themselves; this script only makes sure the programs
# exist and prints the environment that tells the tests where they are:
#
#   eval "$(scripts/test-services.sh)"
#
# Registry endpoints are never written here: npm and pip use their own configuration.
set -euo pipefail
cd "$(dirname "$0")/.."

tools="${ASSAY_TEST_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/assay-test-tools}"
mkdir -p "$tools"
log() { printf '==> %s\n' "$*" >&2; }

# Verdaccio, pinned; one transitive dependency asks for a dist-tag (`node-fetch@cjs`)
# that registry mirrors do not always carry, so it is pinned by an override.
if [[ ! -x "$tools/npm/node_modules/.bin/verdaccio" ]]; then
  log "installing verdaccio into $tools/npm"
  mkdir -p "$tools/npm"
  cat > "$tools/npm/package.json" <<'JSON'
{"name":"assay-test-tools","private":true,"dependencies":{"verdaccio":"6.1.6"},"overrides":{"node-fetch":"2.7.0"}}
JSON
  (cd "$tools/npm" && npm install --no-audit --no-fund --loglevel=error >&2)
fi

# pypiserver (with passlib for htpasswd auth) in its own virtual environment.
if [[ ! -x "$tools/py/bin/pypi-server" ]]; then
  log "installing pypiserver into $tools/py"
  python3 -m venv "$tools/py"
  "$tools/py/bin/pip" install --quiet --disable-pip-version-check "pypiserver==2.3.2" "passlib==1.7.4" "setuptools" "build" "wheel" >&2
fi

# schemathesis, pinned, in its own virtual environment: the OpenAPI fuzz test runs it
# against a real `assay serve`.
if [[ ! -x "$tools/schemathesis/bin/schemathesis" ]]; then
  log "installing schemathesis into $tools/schemathesis"
  python3 -m venv "$tools/schemathesis"
  "$tools/schemathesis/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5" >&2
fi

# The OCI distribution server and git, from Debian.
missing=()
command -v docker-registry >/dev/null || [[ -x /usr/bin/docker-registry ]] || missing+=(docker-registry)
command -v git >/dev/null || missing+=(git)
# PostgreSQL's server binaries (initdb, postgres): the store tests start throwaway clusters.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
[[ -x "$(pg_bin)/initdb" ]] || missing+=(postgresql)
if (( ${#missing[@]} )); then
  log "installing ${missing[*]} (apt-get)"
  if [[ $(id -u) -eq 0 ]]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -q >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
# The Debian package starts a registry as a system service; the tests run their own.
if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
  systemctl stop docker-registry >&2 || true
fi

echo "export ASSAY_TEST_VERDACCIO='$tools/npm/node_modules/.bin/verdaccio'"
echo "export ASSAY_TEST_PYPISERVER='$tools/py/bin/pypi-server'"
echo "export ASSAY_TEST_PYTHON='$tools/py/bin/python'"
echo "export ASSAY_TEST_SCHEMATHESIS='$tools/schemathesis/bin/schemathesis'"
echo "export ASSAY_TEST_REGISTRY='$(command -v docker-registry || echo /usr/bin/docker-registry)'"
echo "export ASSAY_TEST_GIT='$(command -v git)'"
echo "export ASSAY_TEST_POSTGRES='$(pg_bin)'"
echo "export ASSAY_REQUIRE_TEST_SERVICES=1"
