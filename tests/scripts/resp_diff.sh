#!/bin/bash
# Differential check: the same command files against strata-server and Debian's redis-server,
# compared reply by reply with shared/compat/resp-diff.py, and the keyspace notifications of
# tests/notify/*.txt with tests/scripts/notify_diff.py, and CLIENT TRACKING's messages of
# tests/tracking/*.txt with tests/scripts/tracking_diff.py.
#   tests/scripts/resp_diff.sh SERVER_BIN RESP_DIR
# RESP_DIR is tests/resp in the source tree; the source tree is RESP_DIR/../.. (conf/ lives
# there) and resp-diff.py is $SRC/../shared/compat/resp-diff.py. Runs every file against the
# session profile, then again against the cache profile. Exit code: 0 only if both runs of
# resp-diff reported 0 failed. A missing tool is a failure, never a skip.
set -u
server_bin=${1:?usage: resp_diff.sh SERVER_BIN RESP_DIR}
resp_dir=$(cd "${2:?usage: resp_diff.sh SERVER_BIN RESP_DIR}" && pwd)
src=$(cd "$resp_dir/../.." && pwd)
diff_py="$src/../shared/compat/resp-diff.py"

fail() { echo "resp_diff.sh: $*" >&2; exit 2; }
command -v redis-server >/dev/null || fail "redis-server not on PATH (apt-get install redis-server)"
command -v python3 >/dev/null || fail "python3 not on PATH"
[ -x "$server_bin" ] || fail "no strata-server at $server_bin"
[ -f "$diff_py" ] || fail "no resp-diff.py at $diff_py"
shopt -s nullglob
files=("$resp_dir"/*.txt)
[ ${#files[@]} -gt 0 ] || fail "no *.txt files in $resp_dir"
notify_files=("$src"/tests/notify/*.txt)
[ ${#notify_files[@]} -gt 0 ] || fail "no *.txt files in $src/tests/notify"

work=$(mktemp -d /tmp/strata-resp-diff-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Polls PING until +PONG (deadline 15 s) or the process died.
wait_for_ping() {
  local port=$1 pid=$2 name=$3 i reply
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited before answering PING"; return 1; }
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'PING\r\n' >&3
      reply=""
      IFS= read -r -t 1 reply <&3
      exec 3>&-
      [ "${reply%$'\r'}" = "+PONG" ] && return 0
    fi
    sleep 0.05
  done
  echo "$name did not answer PING on port $port within 15 s"
  return 1
}

# Stops a server by SIGTERM, then SIGKILL if it lingers.
stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null
  for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

redis_port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize no --dir "$work/redis" >"$work/redis.log" 2>&1 &
redis_pid=$!
pids+=("$redis_pid")
wait_for_ping "$redis_port" "$redis_pid" redis-server || { cat "$work/redis.log"; exit 2; }
echo "# reference: $(redis-server --version | head -1) on port $redis_port"

status=0
for profile in session cache; do
  port=$(free_port)
  mkdir -p "$work/$profile"
  "$server_bin" "$src/conf/$profile.conf" --port "$port" --bind 127.0.0.1 --dir "$work/$profile" \
    >"$work/strata-$profile.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  if ! wait_for_ping "$port" "$pid" "strata-server ($profile)"; then
    cat "$work/strata-$profile.log"
    status=1
    continue
  fi
  echo "# strata-server profile $profile on port $port (A) vs redis-server (B)"
  # Idle times and seen-times depend on when each server ran the command, not on its logic.
  python3 "$diff_py" --a "$port" --b "$redis_port" --mask idle --mask seen-time --mask-xpending \
    "${files[@]}"
  rc=$?
  [ $rc -ne 0 ] && status=$rc
  # Keyspace notifications: what a subscriber receives after each command (notify_diff.py).
  python3 "$src/tests/scripts/notify_diff.py" --a "$port" --b "$redis_port" "${notify_files[@]}"
  rc=$?
  [ $rc -ne 0 ] && status=$rc
  # CLIENT TRACKING: every byte several clients receive (tracking_diff.py).
  python3 "$src/tests/scripts/tracking_diff.py" --a "$port" --b "$redis_port" "$src"/tests/tracking/*.txt
  rc=$?
  [ $rc -ne 0 ] && status=$rc
  stop_pid "$pid"
done
exit $status
