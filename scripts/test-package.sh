#!/usr/bin/env bash
# The Debian package, installed for real: builds it from BINARY, installs it with dpkg, checks the
# user, directories, modes and the unit, starts the unit's ExecStart as the packaged user the
# way systemd would (this machine runs no systemd), waits for /readyz, then removes and purges.
# Needs root (dpkg). Without root it says so and, under CI=true, fails.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/debug/yui}
fail() { echo "test-package: FAILED: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
    [ "${CI:-}" = true ] && fail "installing a package needs root"
    echo "test-package: skipped (installing a package needs root)"
    exit 0
fi
if dpkg -s yui >/dev/null 2>&1; then
    fail "a yui package is already installed here; this test installs and purges its own"
fi

work=$(mktemp -d)
server=
cleanup() {
    set +e
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    dpkg --purge yui >/dev/null 2>&1 || true
    rm -rf /var/lib/yui "$work"
    userdel yui 2>/dev/null || true
}
trap cleanup EXIT

deb=$(scripts/build-deb.sh "$binary" "$work" fast)
echo "test-package: built $(basename "$deb") ($(du -h "$deb" | cut -f1))"
control=$(dpkg-deb --field "$deb" Depends)
[[ $control == *libpq5* ]] || fail "Depends lacks libpq5: $control"
dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dpkg -i"; }

# What the package promises.
[[ $(getent passwd yui) == *:/var/lib/yui:/usr/sbin/nologin ]] || fail "system user yui (home /var/lib/yui, no shell)"
[ "$(stat -c '%U:%G %a' /var/lib/yui)" = "yui:yui 750" ] || fail "/var/lib/yui is $(stat -c '%U:%G %a' /var/lib/yui)"
[ "$(stat -c '%U:%G %a' /etc/yui/yui.env)" = "root:yui 640" ] || fail "/etc/yui/yui.env is $(stat -c '%U:%G %a' /etc/yui/yui.env)"
grep -Eq '^YUI__SERVER__SECRET_KEY=[0-9a-f]{64}$' /etc/yui/yui.env || fail "no generated secret key"
runuser -u yui -- test -r /etc/yui/yui.env || fail "yui cannot read its secrets"
runuser -u nobody -- test -r /etc/yui/yui.env && fail "others can read the secrets"
[[ $(dpkg-query -W -f='${Conffiles}' yui) == */etc/yui/production.toml* ]] || fail "production.toml is not a conffile"
/usr/bin/yui --version >/dev/null || fail "yui --version"

unit=/lib/systemd/system/yui.service
# Offline check of the unit: systemd-analyze needs no running systemd, and any line it prints
# (an unknown key, a bad value, a missing binary) is a mistake in the unit.
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
systemd-analyze verify "$unit" >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "systemd-analyze verify"; }
[ -s "$work/verify.log" ] && { cat "$work/verify.log"; fail "systemd-analyze verify complains"; }
for directive in 'User=yui' 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'CapabilityBoundingSet=$' 'StateDirectory=yui'; do
    grep -q "^$directive" "$unit" || fail "unit lacks $directive"
done

# Start ExecStart as systemd would: the unit's user, working directory and environment.
unit_value() { sed -n "s/^$1=//p" "$unit"; }
exec_start=$(unit_value ExecStart)
user=$(unit_value User)
workdir=$(unit_value WorkingDirectory)
mapfile -t unit_env < <(unit_value Environment)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# What an operator does after installing: say where mail goes and what the public address is.
cat >>/etc/yui/yui.env <<ENV
YUI__MAIL__URL=file:/var/lib/yui/mail
YUI__SITE__BASE_URL=http://127.0.0.1:$port
YUI__SERVER__LISTEN=127.0.0.1:$port
ENV
(
    cd "$workdir"
    umask "$(unit_value UMask)"
    set -a; . /etc/yui/yui.env; set +a
    exec runuser -u "$user" -- env "${unit_env[@]}" $exec_start
) >"$work/serve.log" 2>&1 &
server=$!

for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; fail "yui serve exited"; }
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/serve.log"; fail "/readyz never answered 200"; }
[[ $(curl -fsS "http://127.0.0.1:$port/") == *'<html'* ]] || fail "the home page"
[ "$(stat -c %U /var/lib/yui/yui.sqlite)" = yui ] || fail "the database is not owned by yui"
[ "$(stat -c %a /var/lib/yui/yui.sqlite)" = 640 ] || fail "the database is $(stat -c %a /var/lib/yui/yui.sqlite), expected 640 (UMask 0027)"
[ "$(ps -o user= -p "$(pgrep -f -n "^/usr/bin/yui serve")")" = yui ] || fail "yui serve does not run as yui"
# yuictl: an operator's command runs as yui against the same database.
yuictl org list >"$work/org.log" 2>&1 || { cat "$work/org.log"; fail "yuictl org list"; }
# The nightly backup as docs/operations.md sets it up, taken while the service runs, and brought
# back into a new database.
yuictl backup /var/lib/yui/backup-drill >"$work/backup.log" 2>&1 || { cat "$work/backup.log"; fail "yuictl backup"; }
[ "$(stat -c %U /var/lib/yui/backup-drill/manifest.json)" = yui ] || fail "the backup is not the yui user's"
YUI__DATABASE__URL=/var/lib/yui/restored.sqlite yuictl restore /var/lib/yui/backup-drill >"$work/restore.log" 2>&1 \
    || { cat "$work/restore.log"; fail "yuictl restore"; }
[ -s /var/lib/yui/restored.sqlite ] || fail "nothing restored"

kill "$server"; wait "$server" 2>/dev/null || true; server=
dpkg -r yui >/dev/null
[ -e /usr/bin/yui ] && fail "remove left /usr/bin/yui"
[ -e /var/lib/yui/yui.sqlite ] || fail "remove deleted the data"
dpkg --purge yui >/dev/null
[ -e /etc/yui/yui.env ] && fail "purge left the secrets"
echo "test-package: the Debian package installs, runs as yui, and removes cleanly"
