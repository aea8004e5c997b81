#!/bin/bash
# Pub/sub fan-out to thousands of subscribers: tools/fanout.py against
# strata-server (session profile) and Debian's redis-server (no persistence: pub/sub never
# touches it), alternating, FANOUT_ROUNDS times each; prints the best round of each.
#   tools/fanout.sh                (after tools/test.sh --build)
# Environment: STRATA_SERVER (default build/src/strata-server), FANOUT_SUBSCRIBERS (default
# 2000), FANOUT_MESSAGES (default 5000), FANOUT_SIZE (payload bytes, default 64), FANOUT_ROUNDS
# (default 3).
set -u
cd "$(dirname "$0")/.." || exit 2
src=$(pwd)
strata=${STRATA_SERVER:-$src/build/src/strata-server}
subscribers=${FANOUT_SUBSCRIBERS:-2000}
messages=${FANOUT_MESSAGES:-5000}
size=${FANOUT_SIZE:-64}
rounds=${FANOUT_ROUNDS:-3}

for tool in redis-server python3; do
  command -v "$tool" >/dev/null || { echo "fanout.sh: $tool not on PATH (tools/test.sh installs it)" >&2; exit 2; }
done
[ -x "$strata" ] || { echo "fanout.sh: no strata-server at $strata (run tools/test.sh --build)" >&2; exit 2; }
# Every subscriber is a socket of this process and of the server.
ulimit -n $((subscribers + 1000)) 2>/dev/null || { echo "fanout.sh: cannot raise ulimit -n" >&2; exit 2; }

# shellcheck source=tools/server_lib.sh
source tools/server_lib.sh
open_workdir fanout

strata_port=$(free_port)
mkdir -p "$work/strata" "$work/redis"
"$strata" "$src/conf/session.conf" --port "$strata_port" --bind 127.0.0.1 --dir "$work/strata" \
  --maxclients $((subscribers + 100)) >"$work/strata.log" 2>&1 &
pids+=($!)
wait_for_ping "$strata_port" "${pids[-1]}" || { echo "fanout.sh: strata-server did not start" >&2; tail -5 "$work/strata.log" >&2; exit 1; }
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --save '' --appendonly no \
  --maxclients $((subscribers + 100)) >"$work/redis.log" 2>&1 &
pids+=($!)
wait_for_ping "$redis_port" "${pids[-1]}" || { echo "fanout.sh: redis-server did not start" >&2; exit 1; }

best_strata=0
best_redis=0
status=0
for ((round = 1; round <= rounds; round++)); do
  for server in strata redis; do
    port=$strata_port
    [ "$server" = redis ] && port=$redis_port
    out=$(python3 tools/fanout.py --port "$port" --subscribers "$subscribers" --messages "$messages" --size "$size")
    rc=$?
    echo "# round $round $server: $(echo "$out" | tr '\n' ' ')" >&2
    [ $rc -eq 0 ] || status=1
    rate=$(echo "$out" | awk '$1 == "seconds" { printf "%d", $4 }')
    if [ "$server" = strata ]; then
      [ "${rate:-0}" -gt "$best_strata" ] && best_strata=$rate
    else
      [ "${rate:-0}" -gt "$best_redis" ] && best_redis=$rate
    fi
  done
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r)."
echo "tools/fanout.py --subscribers $subscribers --messages $messages --size $size; best of $rounds rounds;" \
  "redis-server $(redis-server --version | awk '{print $3}' | tr -d 'v=') without persistence."
echo
echo "| server | deliveries/s (subscribers x messages / seconds) |"
echo "|---|---:|"
echo "| strata (session) | $best_strata |"
echo "| redis | $best_redis |"
[ "$best_redis" -gt 0 ] && awk -v a="$best_strata" -v b="$best_redis" 'BEGIN { printf "| ratio | %.2f |\n", a / b }'
exit $status
