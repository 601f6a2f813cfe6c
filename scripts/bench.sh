#!/usr/bin/env bash
# make bench: load from a second process (wrk on loopback) against the release build, with
# generated data sets of Japanese postings, and a static file of the same size served by nginx
# as the reference. Prints one table: median req/s, p50 and p99 latency over ROUNDS runs, the
# ratio to the static reference, and the server's peak resident memory.
# Machines are noisy: compare medians and ratios within one run, not absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-16}
# backend:postings pairs
DATASETS=${DATASETS:-sqlite:10000 sqlite:100000 postgres:10000}
bin=target/release/yui
work=$(mktemp -d /tmp/yui-bench.XXXXXX)
server_pid=
nginx_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "-"; else print a[int((NR+1)/2)]}'; }
# wrk prints latencies as 812.00us, 1.20ms or 1.01s: normalise to milliseconds.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f\n", v}'; }

# measure LABEL URL [wrk args…]: prints "rps p50 p99" (medians of ROUNDS runs).
measure() {
  local url=$1; shift
  local rps=() p50=() p99=()
  for _ in $(seq "$ROUNDS"); do
    local out
    out=$(wrk -t"$(( ${CONNS:-$CONNECTIONS} < 2 ? 1 : 2 ))" -c"${CONNS:-$CONNECTIONS}" -d"$DURATION" --latency "$@" "$url")
    if grep -q 'Non-2xx' <<<"$out"; then echo "bench: non-2xx answers from $url" >&2; fi
    rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    p50+=("$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)")
    p99+=("$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)")
  done
  echo "$(printf '%s\n' "${rps[@]}" | median) $(printf '%s\n' "${p50[@]}" | median) $(printf '%s\n' "${p99[@]}" | median)"
}

row() { # dataset path rps p50 p99 reference_rps
  local ratio=-
  [ "$3" != "-" ] && ratio=$(awk -v a="$3" -v b="$6" 'BEGIN {printf "%.2f", a/b}')
  printf '| %-16s | %-30s | %9s | %7s | %7s | %6s |\n' "$1" "$2" "$3" "$4" "$5" "$ratio"
}

# A static file of the given size, served by nginx from Debian's package: the reference.
static_reference() {
  local size=$1
  mkdir -p "$work/www" "$work/nginx"
  # nginx's workers run as an unprivileged user: let them read the file.
  chmod 755 "$work" "$work/www"
  head -c "$size" /dev/zero | tr '\0' 'x' >"$work/www/page.html"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$port; root $work/www; }
}
EOF
  nginx -c "$work/nginx/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/page.html" >/dev/null && break; sleep 0.1; done
  measure "http://127.0.0.1:$port/page.html"
  kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=
}

start_server() { # page_cache_secs
  local t0
  t0=$(date +%s.%N)
  YUI__SERVER__PAGE_CACHE_SECS=$1 "$bin" serve >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  base=
  for _ in $(seq 300); do
    base=$(grep -o 'http://[0-9.:]*' "$work/serve.out" 2>/dev/null || true)
    [ -n "$base" ] && break
    sleep 0.1
  done
  [ -n "$base" ] || { cat "$work/serve.err" >&2; exit 1; }
  # Start-up to listening, the search model's load included.
  startup=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b-a}')
}

# Sets $rss: the peak resident memory, and the anonymous part of it now (on SQLite the rest is
# mostly the database file mapped with mmap: shared, file-backed, reclaimable).
stop_server() {
  rss=$(awk '/VmHWM/ {h=$2} /RssAnon/ {a=$2} END {printf "%.1f (anon %.1f)", h/1024, a/1024}' "/proc/$server_pid/status")
  kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=
}

# Every query and filter of the seekers' mix once: p50, p99 and max of the Server-Timing
# that /jobs reports for its search (the model's matching, ranking and facets, no rendering).
search_times() {
  python3 - "$1" scripts/bench-seekers.lua <<'PY'
import re, sys, urllib.parse, urllib.request
base, lua = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
block = lambda name: re.search(r"local " + name + r" = \{(.*?)\n\}", lua, re.S).group(1)
words = re.findall(r'"([^"]*)"', block("words"))
filters = re.findall(r'"([^"]*)"', block("filters"))
times = []
for f in filters:
    for w in words:
        with urllib.request.urlopen(base + "/jobs?q=" + urllib.parse.quote(w) + f) as r:
            m = re.search(r"dur=([0-9.]+)", r.headers.get("Server-Timing", ""))
            times.append(float(m.group(1)))
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{pick(0.5):.3f} {pick(0.99):.3f} {times[-1]:.3f}")
PY
}

bench_dataset() {
  local backend=$1 count=$2 url=$3 label="$1 ${2}"
  export YUI_ENV=development YUI__DATABASE__URL="$url" YUI__SERVER__LISTEN=127.0.0.1:0 RUST_LOG=warn
  # Mail is only logged (the worker still drains the outbox); the webhook bench needs a source on.
  export YUI__MAIL__URL=log: YUI_BENCH_SECRET=bench-secret-0123456789
  export YUI__INGEST__SOURCES__GOOGLE_FORMS__SECRET=$YUI_BENCH_SECRET
  "$bin" seed-bench "$count" >&2
  start_server 0
  printf '| %-16s | %-30s | %9s | %7s | %7s | %6s |\n' "$label" "start-up, index included (s)" "$startup" "" "" ""
  local job size ref ref50 ref99
  job=$(curl -s "$base/jobs" | grep -o '/jobs/[a-z0-9]\{10\}' | head -n 1)
  size=$(curl -s "$base/jobs" | wc -c)
  read -r ref ref50 ref99 < <(static_reference "$size")
  row "$label" "static ${size} B (nginx)" "$ref" "$ref50" "$ref99" "$ref"
  local paths=(/ /jobs "/jobs?q=%E4%BB%8B%E8%AD%B7" "$job" /api/v1/jobs /feeds/jobs.atom)
  # First every page rendered for each request (the page cache off), then with the cache on.
  for cache in 0 5; do
    if [ "$cache" = 5 ]; then
      stop_server
      start_server 5
    fi
    local suffix=""
    [ "$cache" = 5 ] && suffix=" (cached)"
    for path in "${paths[@]}"; do
      local shown=$path
      [ "$path" = "$job" ] && shown="/jobs/{id}"
      [ "$path" = "/jobs?q=%E4%BB%8B%E8%AD%B7" ] && shown="/jobs?q=介護"
      if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base$path")" != 200 ]; then
        row "$label" "$shown$suffix (not served)" - - - "$ref"
        continue
      fi
      read -r rps p50 p99 < <(measure "$base$path")
      row "$label" "$shown$suffix" "$rps" "$p50" "$p99" "$ref"
      # Under 16 connections on 2 cores a request mostly waits its turn; with one connection
      # the latency is what one seeker's search costs by itself.
      if [ "$cache" = 0 ] && [ "$shown" = "/jobs?q=介護" ]; then
        read -r rps p50 p99 < <(CONNS=1 measure "$base$path")
        row "$label" "$shown, 1 connection" "$rps" "$p50" "$p99" "$ref"
      fi
    done
    # The search's own time (Server-Timing: matching, ranking, every facet) over the whole mix.
    if [ "$cache" = 0 ]; then
      read -r t50 t99 tmax < <(search_times "$base")
      row "$label" "search+facets server ms (p50/p99/max)" "-" "$t50" "$t99" "$ref"
      printf '| %-16s | %-30s | %9s | %7s | %7s | %6s |\n' "$label" "search+facets, slowest (ms)" "$tmax" "" "" ""
    fi
    # Seekers' mix: each request a different query and filters (scripts/bench-seekers.lua).
    read -r rps p50 p99 < <(measure "$base" -s scripts/bench-seekers.lua)
    row "$label" "seekers' mix$suffix" "$rps" "$p50" "$p99" "$ref"
    if [ "$cache" = 0 ]; then
      read -r rps p50 p99 < <(CONNS=1 measure "$base" -s scripts/bench-seekers.lua)
      row "$label" "seekers' mix, 1 connection" "$rps" "$p50" "$p99" "$ref"
    fi
  done
  # The write path: each request a new submission (raw body stored, mapped, posting + two emails).
  read -r rps p50 p99 < <(measure "$base" -s scripts/bench-hook.lua)
  row "$label" "POST /hooks/google-forms" "$rps" "$p50" "$p99" "$ref"
  stop_server
  printf '| %-16s | %-30s | %9s | %7s | %7s | %6s |\n' "$label" "peak RSS of yui serve (MiB)" "$rss" "" "" ""
}

# The Hello Work import (issue 16): HW_ROWS generated rows of fictional offices (office part
# 99999) into a fresh database, then the same file again (every row unchanged). Rows per second
# of the whole command's import (reading, parsing and storing), in the req/s column.
bench_hellowork() {
  local backend=$1 url=$2 rows=${HW_ROWS:-10000}
  python3 - "$rows" "$work/hellowork.csv" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
header = "求人番号,事業所名,職種,仕事の内容,雇用形態,就業場所,賃金,就業時間,休日,加入保険,試用期間,受付年月日,紹介期限日,必要な経験等,事業所所在地,電話番号"
jobs = ["水産加工スタッフ", "介護職員", "配送ドライバー", "一般事務", "調理補助", "販売スタッフ", "農作業員", "保育士"]
kinds = ["正社員", "パート労働者", "契約社員"]
with open(out, "w", encoding="utf-8-sig", newline="") as f:
    f.write(header + "\r\n")
    for i in range(1, n + 1):
        office, job = i % 700, jobs[i % 8]
        f.write(f"99999-{i:08d},架空事業所{office}株式会社,{job},\"{job}の仕事です。架空の求人{i}番。\",{kinds[i % 3]},"
                f"富山県氷見市架空町{i % 50}-{i % 9},時給 {900 + i % 400}円～{1300 + i % 400}円,8:30～17:30,土日祝,"
                f"雇用 労災 健康 厚生,あり 3か月,2026/11/20,2099/3/31,不問,富山県氷見市架空町{office},0766-00-{office:04d}\r\n")
PY
  local label="$backend hellowork" first again
  first=$(YUI_ENV=development YUI__DATABASE__URL="$url" RUST_LOG=warn "$bin" import hellowork "$work/hellowork.csv")
  again=$(YUI_ENV=development YUI__DATABASE__URL="$url" RUST_LOG=warn "$bin" import hellowork "$work/hellowork.csv")
  rate() { grep -o '[0-9]* rows/s' <<<"$1" | awk '{print $1}'; }
  printf '| %-16s | %-30s | %9s | %7s | %7s | %6s |\n' "$label" "import $rows rows (rows/s)" "$(rate "$first")" - - -
  printf '| %-16s | %-30s | %9s | %7s | %7s | %6s |\n' "$label" "re-import, unchanged (rows/s)" "$(rate "$again")" - - -
}

# Inside the throwaway PostgreSQL cluster: rows only.
if [ "${1:-}" = --rows ]; then
  bench_dataset "$2" "$3" "$4"
  exit 0
fi

echo "wrk: $CONNECTIONS connections, 2 threads, $DURATION per run, median of $ROUNDS runs; $(nproc) cores; ratio = req/s ÷ the static reference's"
printf '| %-16s | %-30s | %9s | %7s | %7s | %6s |\n' "data set" path "req/s" "p50 ms" "p99 ms" ratio
printf '|%s|%s|%s|%s|%s|%s|\n' ------------------ -------------------------------- ----------- --------- --------- --------
bench_hellowork sqlite "$work/bench-hellowork.sqlite"
for dataset in $DATASETS; do
  backend=${dataset%%:*} count=${dataset##*:}
  case $backend in
    sqlite) bench_dataset sqlite "$count" "$work/bench-$count.sqlite" ;;
    # A throwaway cluster, as in make test; the bench uses its default database.
    postgres) scripts/with-postgres.sh bash -c "scripts/bench.sh --rows postgres $count \"\$YUI_TEST_PG_URL\"" | grep '^|' ;;
  esac
done
