#!/bin/bash
# Differential check against Debian's redis-server: the replies to tests/resp/*.txt, compared
# by tests/scripts/resp_diff.py in RESP2 and again in RESP3; the keyspace notifications of
# tests/notify/*.txt (tests/scripts/notify_diff.py); CLIENT TRACKING's messages of
# tests/tracking/*.txt (tests/scripts/tracking_diff.py).
#   tests/scripts/resp_diff.sh SERVER_BIN RESP_DIR
# RESP_DIR is tests/resp in the source tree; the source tree is RESP_DIR/../.. (conf/, tools/
# and tests/scripts/ live there). Everything runs against the session profile, then again
# against the cache profile. Exit code: 0 only if every comparison reported 0 failed. A missing
# tool is a failure, never a skip.
set -u
server_bin=${1:?usage: resp_diff.sh SERVER_BIN RESP_DIR}
resp_dir=$(cd "${2:?usage: resp_diff.sh SERVER_BIN RESP_DIR}" && pwd)
src=$(cd "$resp_dir/../.." && pwd)
scripts=$src/tests/scripts

fail() { echo "resp_diff.sh: $*" >&2; exit 2; }
command -v redis-server >/dev/null || fail "redis-server not on PATH (apt-get install redis-server)"
command -v python3 >/dev/null || fail "python3 not on PATH"
[ -x "$server_bin" ] || fail "no strata-server at $server_bin"
shopt -s nullglob
files=("$resp_dir"/*.txt)
[ ${#files[@]} -gt 0 ] || fail "no *.txt files in $resp_dir"
notify_files=("$src"/tests/notify/*.txt)
[ ${#notify_files[@]} -gt 0 ] || fail "no *.txt files in $src/tests/notify"
tracking_files=("$src"/tests/tracking/*.txt)
[ ${#tracking_files[@]} -gt 0 ] || fail "no *.txt files in $src/tests/tracking"

# shellcheck source=tools/server_lib.sh
source "$src/tools/server_lib.sh"
open_workdir resp-diff

redis_port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize no --dir "$work/redis" >"$work/redis.log" 2>&1 &
pids+=($!)
if ! wait_for_ping "$redis_port" "${pids[-1]}"; then
  echo "redis-server did not answer PING on port $redis_port"
  cat "$work/redis.log"
  exit 2
fi
echo "# reference: $(redis-server --version | head -1) on port $redis_port"

status=0
# record: keeps the first non-zero exit code of the comparisons.
record() { [ "$1" -ne 0 ] && [ "$status" -eq 0 ] && status=$1; return 0; }
for profile in session cache; do
  port=$(free_port)
  mkdir -p "$work/$profile"
  "$server_bin" "$src/conf/$profile.conf" --port "$port" --bind 127.0.0.1 --dir "$work/$profile" \
    >"$work/strata-$profile.log" 2>&1 &
  pid=$!
  if ! wait_for_ping "$port" "$pid"; then
    echo "strata-server ($profile) did not answer PING on port $port"
    cat "$work/strata-$profile.log"
    record 1
    stop_pid "$pid"
    pid=""
    continue
  fi
  for protocol in 2 3; do
    echo "# strata-server profile $profile on port $port (A) vs redis-server (B), RESP$protocol"
    # Idle times and seen-times depend on when each server ran the command, not on its logic.
    python3 "$scripts/resp_diff.py" --a "$port" --b "$redis_port" --protocol "$protocol" \
      --mask idle --mask seen-time --mask-xpending "${files[@]}"
    record $?
  done
  # Keyspace notifications: what a subscriber receives after each command.
  python3 "$scripts/notify_diff.py" --a "$port" --b "$redis_port" "${notify_files[@]}"
  record $?
  # CLIENT TRACKING: every byte several clients receive.
  python3 "$scripts/tracking_diff.py" --a "$port" --b "$redis_port" "${tracking_files[@]}"
  record $?
  stop_pid "$pid"
  pid=""
done
exit "$status"
