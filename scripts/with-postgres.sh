#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb into a temporary directory,
# listen on a unix socket there only (no port to collide with), export YUI_TEST_PG_URL,
# run the command, and stop and delete the cluster whatever happens.
set -euo pipefail

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/yui-pg.XXXXXX)
chmod 755 "$dir"
# PostgreSQL refuses to run as root: run the server as the postgres user then.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  status=$?
  # A failed run shows why the server went away (a crash, a full disk) before the log is deleted.
  if [ "$status" != 0 ] && [ -f "$dir/server.log" ]; then
    echo "with-postgres: exit $status; what the server logged of crashes, then its last lines:" >&2
    grep -E "PANIC|terminated by signal|No space left|out of memory" "$dir/server.log" | tail -n 20 >&2 || true
    tail -n 20 "$dir/server.log" >&2 || true
    df -h "$dir" >&2 || true
  fi
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses='' -k $dir -c fsync=off -c max_connections=200 -c max_wal_size=256MB" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

export YUI_TEST_PG_URL="postgres:///postgres?host=$dir&user=postgres"
echo "with-postgres: throwaway cluster at $dir ($("$pg_bin/postgres" --version), $(df -h --output=avail "$dir" | tail -n 1 | tr -d ' ') free)"
"$@"
