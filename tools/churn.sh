#!/bin/bash
# The "tombstone cliff": does a durable queue slow down as it churns? Runs strata-churn (a push
# and a pop per two ops on one key that holds a steady backlog) against strata-server in the
# queue and session profiles and against Debian's redis-server with appendfsync always, and
# prints first-tenth vs last-tenth throughput. Target: last/first >= 0.9 for strata's queue
# profile.
#   tools/churn.sh                 (after tools/test.sh --build)
# Environment: STRATA_SERVER (default build/src/strata-server), STRATA_CHURN (default
# build/tools/strata-churn), CHURN_OPS (ops per run, default 2000000: a million pushes and a
# million pops; a tenth then lasts about half a second, and shorter tenths can differ by 0.1
# between identical runs), CHURN_PATTERNS (default
# "list zset list-small stream"), CHURN_PIPELINE (default 64), CHURN_MAX_SECONDS (cap on one
# timed run, default 40; a run on the cliff is cut there, and its tenths are tenths of the ops
# it did: marked * in the table), CHURN_DIR (where the servers keep their data, default /tmp:
# fsync cost depends on that disk).
# Every run gets a fresh server in a fresh directory, so one pattern's tombstones never slow
# the next. Each run's per-tenth lines go to stderr as it goes.
set -u
cd "$(dirname "$0")/.."
src=$(pwd)
strata=${STRATA_SERVER:-$src/build/src/strata-server}
churn=${STRATA_CHURN:-$src/build/tools/strata-churn}
ops=${CHURN_OPS:-2000000}
patterns=${CHURN_PATTERNS:-list zset list-small stream}
pipeline=${CHURN_PIPELINE:-64}
max_seconds=${CHURN_MAX_SECONDS:-40}

for tool in redis-server python3; do
  command -v "$tool" >/dev/null || { echo "churn.sh: $tool not on PATH (tools/test.sh installs it)" >&2; exit 2; }
done
[ -x "$strata" ] || { echo "churn.sh: no strata-server at $strata (run tools/test.sh --build)" >&2; exit 2; }
[ -x "$churn" ] || { echo "churn.sh: no strata-churn at $churn (run tools/test.sh --build)" >&2; exit 2; }
for p in $patterns; do
  case "$p" in list | zset | list-small | stream) ;; *) echo "churn.sh: unknown pattern $p" >&2; exit 2 ;; esac
done

# shellcheck source=tools/server_lib.sh
source tools/server_lib.sh  # the script has cd-ed to the repository root
open_workdir churn "${CHURN_DIR:-/tmp}"

# start_server NAME DIR PORT: starts one of the compared servers; sets pid. The backgrounded
# case is a subshell: exec makes $! the server itself, so stop_pid stops the server.
start_server() {
  case "$1" in
    strata-queue) exec "$strata" "$src/conf/queue.conf" --port "$3" --bind 127.0.0.1 --dir "$2" ;;
    strata-session) exec "$strata" "$src/conf/session.conf" --port "$3" --bind 127.0.0.1 --dir "$2" ;;
    redis-always) exec redis-server --port "$3" --bind 127.0.0.1 --dir "$2" --save '' \
                    --appendonly yes --appendfsync always ;;
  esac >"$2.log" 2>&1 &
  pid=$!
}

servers=(strata-queue strata-session redis-always)
rows=()
start=$SECONDS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for pattern in $patterns; do
  for server in "${servers[@]}"; do
    dir="$work/$pattern-$server"
    mkdir -p "$dir"
    port=$(free_port)
    start_server "$server" "$dir" "$port"
    if ! wait_for_ping "$port" "$pid"; then
      echo "churn.sh: $server did not start; log tail:" >&2
      tail -5 "$dir.log" >&2
      rows+=("| $pattern | $server | n/a | n/a | n/a |")
      stop_pid "$pid"; pid=""
      continue
    fi
    echo "# $pattern on $server (port $port)" >&2
    out="$work/$pattern-$server.out"
    # The cap on the timed run plus room for the backlog and a slow server.
    timeout $((max_seconds + 120)) "$churn" --port "$port" --pattern "$pattern" --ops "$ops" \
      --pipeline "$pipeline" --max-seconds "$max_seconds" >"$out" 2>&1
    rc=$?
    sed 's/^/    /' "$out" >&2
    stop_pid "$pid"; pid=""
    field() { awk -v k="$1" '$1 == k { print $2 }' "$out"; }
    first=$(field first_tenth_ops_per_s)
    last=$(field last_tenth_ops_per_s)
    ratio=$(field ratio_last_first)
    if [ $rc -ne 0 ] || [ -z "$first" ]; then
      rows+=("| $pattern | $server | n/a | n/a | failed (exit $rc) |")
      continue
    fi
    # A truncated run's tenths are tenths of the ops it did: say how many.
    if [ "$(field truncated)" = "1" ]; then
      ratio="$ratio * (cut after ${max_seconds}s: $(field total_ops) of $ops ops)"
    fi
    rows+=("| $pattern | $server | $first | $last | $ratio |")
  done
done
elapsed=$((SECONDS - start))

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo
echo "Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r); load average before the run: $load_before."
echo "strata-churn --ops $ops --pipeline $pipeline --max-seconds $max_seconds (backlog 10000; list-small 10);" \
  "redis-always is $(redis-server --version | awk '{print $3}' | tr -d 'v=') with appendonly yes, appendfsync always."
echo "Took ${elapsed}s."
echo
echo "| pattern | server | first tenth ops/s | last tenth ops/s | last/first |"
echo "|---|---|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
if printf '%s\n' "${rows[@]}" | grep -q '\*'; then
  echo
  echo "\* run cut at --max-seconds $max_seconds; its tenths are tenths of the ops it did."
fi
