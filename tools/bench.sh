#!/bin/bash
# Throughput of strata-server next to Debian's redis-server, profile by profile, on loopback.
#   tools/bench.sh                 (after tools/test.sh --build)
# Environment: STRATA_SERVER (default build/src/strata-server), BENCH_N (requests per test at
# -P 1, default 50000), BENCH_N_PIPELINED (requests per test at -P 16, default 4 x BENCH_N: at
# 50000 a -P 16 run lasts well under 100 ms, and one scheduling hiccup of a shared machine can
# move a ratio by 0.2), BENCH_ROUNDS (default 2), BENCH_CLIENTS (default 50), BENCH_TESTS (a comma-
# separated subset of set,get,incr,lpush,rpop,sadd,hset,zadd,zrange,xadd,xaddmaxlen,xreadgroup;
# default all of them), BENCH_PROFILES (a space-separated subset of cache session queue; default
# all three), STRATA_CHURN (default build/tools/strata-churn, for xreadgroup).
# Pairings: cache vs redis without persistence; session vs AOF everysec; queue vs AOF always.
# Each round runs redis-benchmark's built-in tests (-t set,get,...,zadd) and then the custom
# command ZRANGE myzset 0 9 at -P 1 and -P 16 against strata, then redis, alternating, so drift
# on the machine hits both alike. The table reports the BEST round of each (the least disturbed
# by other load on a shared machine), in requests per second.
# Collections: redis-benchmark runs its tests in its own fixed order, so RPOP always follows
# LPUSH in one run and pops the N elements LPUSH pushed (RPOP selected alone still runs LPUSH
# first, unreported: RPOP on an empty list measures nothing). mylist, myset, myhash and myzset
# are deleted before each run so every round starts alike; ZRANGE reads the first 10 of a
# zset of exactly 1000 members, written just before its run (after ZADD's run, which grows
# myzset to ~N members). Streams: XADD mystream * field value, then the same with
# MAXLEN ~ 1000 (reported as XADDMAXLEN), each on a fresh mystream. XREADGROUP is a consumer's
# rate: strata-churn --pattern consume fills a stream with as many entries as the test's
# requests (not timed), then ONE client reads them with XREADGROUP ... COUNT 1 > and XACKs each,
# -P pairs per write; the row is entries consumed per second.
set -u
cd "$(dirname "$0")/.."
src=$(pwd)
strata=${STRATA_SERVER:-$src/build/src/strata-server}
n=${BENCH_N:-50000}
n_pipelined=${BENCH_N_PIPELINED:-$((4 * n))}
rounds=${BENCH_ROUNDS:-2}
clients=${BENCH_CLIENTS:-50}
churn=${STRATA_CHURN:-$src/build/tools/strata-churn}
all_tests=(set get incr lpush rpop sadd hset zadd zrange xadd xaddmaxlen xreadgroup)
profiles=${BENCH_PROFILES:-cache session queue}
for p in $profiles; do
  case "$p" in cache | session | queue) ;; *) echo "bench.sh: unknown profile '$p' in BENCH_PROFILES" >&2; exit 2 ;; esac
done
IFS=, read -r -a tests <<<"${BENCH_TESTS:-$(IFS=,; echo "${all_tests[*]}")}"
builtin=""  # the -t list of redis-benchmark's own tests, in all_tests order
run_zrange=0
run_xadd=0
run_xaddmaxlen=0
run_xreadgroup=0
[ ${#tests[@]} -gt 0 ] || { echo "bench.sh: BENCH_TESTS is empty" >&2; exit 2; }
for t in "${tests[@]}"; do
  case " ${all_tests[*]} " in *" $t "*) ;; *) echo "bench.sh: unknown test '$t' in BENCH_TESTS (known: ${all_tests[*]})" >&2; exit 2 ;; esac
done
wanted() { local u; for u in "${tests[@]}"; do [ "$u" = "$1" ] && return 0; done; return 1; }
for t in "${all_tests[@]}"; do
  wanted "$t" || { [ "$t" = lpush ] && wanted rpop; } || continue
  case "$t" in
    zrange) run_zrange=1 ;;
    xadd) run_xadd=1 ;;
    xaddmaxlen) run_xaddmaxlen=1 ;;
    xreadgroup) run_xreadgroup=1 ;;
    *) builtin+=${builtin:+,}$t ;;
  esac
done

for tool in redis-server redis-benchmark redis-cli python3; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool not on PATH (tools/test.sh installs it)" >&2; exit 2; }
done
[ -x "$strata" ] || { echo "bench.sh: no strata-server at $strata (run tools/test.sh --build)" >&2; exit 2; }
if [ $run_xreadgroup -eq 1 ] && [ ! -x "$churn" ]; then
  echo "bench.sh: no strata-churn at $churn (run tools/test.sh --build)" >&2; exit 2
fi

# shellcheck source=tools/server_lib.sh
source tools/server_lib.sh  # the script has cd-ed to the repository root
open_workdir bench

declare -A best
# record NAME PIPELINE PROFILE [LABEL]: reads redis-benchmark --csv, keeps the best rps per
# test. A custom command's row is named by its command line ("ZRANGE myzset 0 9"): its first
# word, or LABEL when given.
record() {
  local name=$1 pipeline=$2 profile=$3 label=${4:-} test rps key
  while IFS=, read -r test rps _; do
    test=${test//\"/}
    test=${test%% *}
    [ -n "$label" ] && [ "$test" != "test" ] && test=$label
    rps=${rps//\"/}
    [ "$test" = "test" ] && continue
    [ -z "$rps" ] && continue
    key="$profile|$test|$pipeline|$name"
    if [ -z "${best[$key]:-}" ] || python3 -c "import sys; sys.exit(0 if $rps > ${best[$key]} else 1)"; then
      best[$key]=$rps
    fi
  done
}

zset_args=()
for ((i = 1; i <= 1000; i++)); do zset_args+=("$i" "member:$i"); done

# bench NAME PORT PIPELINE PROFILE: one round of every selected test against one server.
bench() {
  local name=$1 port=$2 pipeline=$3 profile=$4 card requests=$n
  local -a cli rb
  [ "$pipeline" -gt 1 ] && requests=$n_pipelined
  cli=(redis-cli -h 127.0.0.1 -p "$port")
  rb=(timeout 300 redis-benchmark -h 127.0.0.1 -p "$port" -q -c "$clients" -r 100000
      -n "$requests" -P "$pipeline" --csv)
  "${cli[@]}" DEL mylist myset myhash myzset >/dev/null
  if [ -n "$builtin" ]; then
    record "$name" "$pipeline" "$profile" < <("${rb[@]}" -t "$builtin" 2>/dev/null)
  fi
  if [ $run_zrange -eq 1 ]; then
    "${cli[@]}" DEL myzset >/dev/null
    "${cli[@]}" ZADD myzset "${zset_args[@]}" >/dev/null
    card=$("${cli[@]}" ZCARD myzset)
    [ "$card" = 1000 ] || echo "bench.sh: $name ($profile): ZCARD myzset is '$card', not 1000" >&2
    record "$name" "$pipeline" "$profile" < <("${rb[@]}" ZRANGE myzset 0 9 2>/dev/null)
  fi
  if [ $run_xadd -eq 1 ]; then
    "${cli[@]}" DEL mystream >/dev/null
    record "$name" "$pipeline" "$profile" < <("${rb[@]}" XADD mystream '*' field value 2>/dev/null)
  fi
  if [ $run_xaddmaxlen -eq 1 ]; then
    "${cli[@]}" DEL mystream >/dev/null
    record "$name" "$pipeline" "$profile" XADDMAXLEN \
      < <("${rb[@]}" XADD mystream MAXLEN '~' 1000 '*' field value 2>/dev/null)
  fi
  if [ $run_xreadgroup -eq 1 ]; then
    local rate
    rate=$(timeout 300 "$churn" --port "$port" --pattern consume --ops "$requests" \
             --pipeline "$pipeline" --key myconsume 2>/dev/null |
           awk '$1 == "total_ops_per_s" { print $2 }')
    [ -n "$rate" ] && record "$name" "$pipeline" "$profile" <<<"\"XREADGROUP\",\"$rate\""
  fi
}

# Reference configuration per profile (an array, so the server is exec'd directly and $! is
# its pid).
redis_args_for() {
  case "$1" in
    cache) redis_args=(--save '' --appendonly no) ;;
    session) redis_args=(--save '' --appendonly yes --appendfsync everysec) ;;
    queue) redis_args=(--save '' --appendonly yes --appendfsync always) ;;
  esac
}

start=$SECONDS
for profile in $profiles; do
  sport=$(free_port)
  rport=$(free_port)
  mkdir -p "$work/strata-$profile" "$work/redis-$profile"
  "$strata" "$src/conf/$profile.conf" --port "$sport" --bind 127.0.0.1 --dir "$work/strata-$profile" \
    >"$work/strata-$profile.log" 2>&1 &
  spid=$!
  redis_args_for "$profile"
  redis-server --port "$rport" --bind 127.0.0.1 --dir "$work/redis-$profile" "${redis_args[@]}" \
    >"$work/redis-$profile.log" 2>&1 &
  rpid=$!
  pids+=("$spid" "$rpid")
  sok=1
  wait_for_ping "$sport" "$spid" || { sok=0; echo "strata-server ($profile) did not start; log tail:" >&2; tail -5 "$work/strata-$profile.log" >&2; }
  wait_for_ping "$rport" "$rpid" || { echo "redis-server ($profile) did not start" >&2; tail -5 "$work/redis-$profile.log" >&2; exit 1; }
  echo "# $profile: strata on $sport, redis ($(printf "%q " "${redis_args[@]}")) on $rport" >&2
  for ((r = 1; r <= rounds; r++)); do
    for pipeline in 1 16; do
      [ $sok -eq 1 ] && bench strata "$sport" "$pipeline" "$profile"
      bench redis "$rport" "$pipeline" "$profile"
    done
  done
  stop_pid "$spid"
  stop_pid "$rpid"
done

elapsed=$((SECONDS - start))

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo
echo "Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r)."
what=""
[ -n "$builtin" ] && what="-t $builtin"
[ $run_zrange -eq 1 ] && what+="${what:+ and }ZRANGE myzset 0 9 (1000 members)"
[ $run_xadd -eq 1 ] && what+="${what:+ and }XADD mystream * field value"
[ $run_xaddmaxlen -eq 1 ] && what+="${what:+ and }XADD mystream MAXLEN ~ 1000 * field value"
[ $run_xreadgroup -eq 1 ] && what+="${what:+ and }XREADGROUP+XACK (one consumer, strata-churn --pattern consume)"
echo "redis-benchmark -c $clients -r 100000 -n $n (-P 1) / $n_pipelined (-P 16) $what; best of $rounds rounds; $(redis-server --version | awk '{print $3}' | tr -d 'v=') as the reference."
echo "Took ${elapsed}s."
echo
echo "| profile | test | pipeline | strata ops/s | redis ops/s | ratio |"
echo "|---|---|---|---:|---:|---:|"
for profile in $profiles; do
  for pipeline in 1 16; do
    for test in "${all_tests[@]}"; do
      wanted "$test" || continue
      test=${test^^}
      s=${best["$profile|$test|$pipeline|strata"]:-}
      r=${best["$profile|$test|$pipeline|redis"]:-}
      ratio=$(python3 -c "print('%.2f' % ($s / $r))" 2>/dev/null || echo "n/a")
      echo "| $profile | $test | $pipeline | ${s:-n/a} | ${r:-n/a} | $ratio |"
    done
  done
done
