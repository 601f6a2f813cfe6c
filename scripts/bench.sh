#!/usr/bin/env bash
# Measures the portal under load from a second process (wrk) on loopback, for each backend.
# Prints one table: median requests/s, median and 99th-percentile latency over ROUNDS runs,
# and the server's peak resident memory. Figures vary with the machine: compare medians and
# ratios between runs on the same machine, not absolute numbers across machines.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-16}
BACKENDS=${BACKENDS:-sqlite postgres}
bin=target/release/yui
work=$(mktemp -d /tmp/yui-bench.XXXXXX)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "-"; else print a[int((NR+1)/2)]}'; }
# wrk prints latencies as 812.00us, 1.20ms or 1.01s: normalise to milliseconds.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f\n", v}'; }

bench_backend() {
  local backend=$1 url=$2
  export YUI_ENV=development YUI__DATABASE__URL="$url" YUI__SERVER__LISTEN=127.0.0.1:0 RUST_LOG=warn
  # Mail is only logged (the worker still drains the outbox); the webhook bench needs a source on.
  export YUI__MAIL__URL=log: YUI_BENCH_SECRET=bench-secret-0123456789
  export YUI__INGEST__SOURCES__GOOGLE_FORMS__SECRET=$YUI_BENCH_SECRET
  "$bin" migrate >/dev/null
  "$bin" seed-demo >/dev/null
  "$bin" serve >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  local base=
  for _ in $(seq 50); do
    base=$(grep -o 'http://[0-9.:]*' "$work/serve.out" 2>/dev/null || true)
    [ -n "$base" ] && break
    sleep 0.1
  done
  [ -n "$base" ] || { cat "$work/serve.err" >&2; exit 1; }
  local job
  job=$(curl -s "$base/jobs" | grep -o '/jobs/[a-z0-9]\{10\}' | head -n 1)
  for path in / /jobs "/jobs?type=part_time&page=2" "$job" /healthz; do
    local rps=() p50=() p99=()
    for _ in $(seq "$ROUNDS"); do
      local out
      out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$base$path")
      rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
      p50+=("$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)")
      p99+=("$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)")
    done
    local label=$path
    [ "$path" = "$job" ] && label="/jobs/{id}"
    printf '| %-8s | %-28s | %10s | %8s | %8s |\n' "$backend" "$label" \
      "$(printf '%s\n' "${rps[@]}" | median)" "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)"
  done
  # The write path: each request a new submission.
  local rps=() p50=() p99=()
  for _ in $(seq "$ROUNDS"); do
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s scripts/bench-hook.lua "$base")
    grep -q 'Non-2xx' <<<"$out" && { echo "webhook bench: some requests failed" >&2; echo "$out" >&2; }
    rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    p50+=("$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)")
    p99+=("$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)")
  done
  printf '| %-8s | %-28s | %10s | %8s | %8s |\n' "$backend" "POST /hooks/google-forms" \
    "$(printf '%s\n' "${rps[@]}" | median)" "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)"
  local rss
  rss=$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$server_pid/status")
  printf '| %-8s | %-28s | %10s | %8s | %8s |\n' "$backend" "peak RSS of yui serve (MiB)" "$rss" "" ""
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}

# Inside the throwaway PostgreSQL cluster: rows only.
if [ "${1:-}" = --rows ]; then
  bench_backend "$2" "$3"
  exit 0
fi

echo "wrk: $CONNECTIONS connections, 2 threads, $DURATION per run, median of $ROUNDS runs; $(nproc) cores"
printf '| %-8s | %-28s | %10s | %8s | %8s |\n' backend path "req/s" "p50 ms" "p99 ms"
printf '|%s|%s|%s|%s|%s|\n' ---------- ------------------------------ ------------ ---------- ----------
for backend in $BACKENDS; do
  case $backend in
    sqlite) bench_backend sqlite "$work/bench.sqlite" ;;
    # A throwaway cluster, as in make test; the bench uses its default database.
    postgres) scripts/with-postgres.sh bash -c 'scripts/bench.sh --rows postgres "$YUI_TEST_PG_URL"' | grep '^|' ;;
  esac
done
