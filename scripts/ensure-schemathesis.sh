#!/usr/bin/env bash
# Installs schemathesis (the property-based OpenAPI tester of the suite's `openapi` test) in a
# virtualenv under .cache/, pinned, when it is missing or another version. Quiet and quick when
# it is already there. Needs python3-venv (Debian), which `make deps-test` installs first.
# Usage: scripts/ensure-schemathesis.sh
set -euo pipefail

VERSION=4.32.5
cd "$(dirname "$0")/.."
venv=.cache/schemathesis
st="$venv/bin/st"

if [ -x "$st" ] && [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi

if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  echo "ensure-schemathesis: python3 with venv is missing (apt-get install python3-venv)" >&2
  # The test decides for itself: under CI=true a missing schemathesis fails it.
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi

echo "ensure-schemathesis: installing schemathesis $VERSION in $venv"
rm -rf "$venv"
if ! { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"; }; then
  # Half an install would pass the check above next time: leave nothing.
  rm -rf "$venv"
  echo "ensure-schemathesis: could not install schemathesis $VERSION" >&2
  [ "${CI:-}" = true ] && exit 1
fi
exit 0
