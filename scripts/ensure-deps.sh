#!/usr/bin/env bash
# Installs the Debian packages Yui's build or tests need, when they are missing.
# Usage: scripts/ensure-deps.sh PACKAGE...   (as root it installs; otherwise it says what to install)
set -euo pipefail

missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "ensure-deps: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  # Tests decide for themselves: under CI=true a missing browser or database fails them.
  [ "${CI:-}" = true ] && exit 1
fi
exit 0
