#!/usr/bin/env bash
# Installs axe-core (the accessibility rules the browser test runs in Chromium) under .cache/axe,
# pinned, when it is missing or another version. Quiet and quick when it is already there.
# Usage: scripts/ensure-axe.sh
set -euo pipefail

VERSION=4.11.4
cd "$(dirname "$0")/.."
dir=.cache/axe
script="$dir/node_modules/axe-core/axe.min.js"

if [ -f "$script" ] && grep -q "\"version\": \"$VERSION\"" "$dir/node_modules/axe-core/package.json" 2>/dev/null; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "ensure-axe: npm is missing (apt-get install npm)" >&2
  # The test decides for itself: under CI=true a missing axe-core fails it.
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
echo "ensure-axe: installing axe-core $VERSION in $dir"
rm -rf "$dir"
mkdir -p "$dir"
if ! (cd "$dir" && npm install --silent --no-audit --no-fund --no-package-lock "axe-core@$VERSION" >/dev/null); then
  rm -rf "$dir"
  echo "ensure-axe: could not install axe-core $VERSION" >&2
  [ "${CI:-}" = true ] && exit 1
fi
exit 0
