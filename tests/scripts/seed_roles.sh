#!/bin/bash
# The seed-roles client suite (ioredis + node-redis) against strata-server, restricted to what
# this stage of Strata provides (strings, TTLs, keyspace, connection, collections, streams),
# then a durability check across kill -9.
#   tests/scripts/seed_roles.sh SERVER_BIN SRC_DIR
# Needs node, npm (and the npm registry on first use, through run-seed-roles.sh) and python3.
# Prints everything; exit code 0 only if every required check passed.
set -u
server_bin=${1:?usage: seed_roles.sh SERVER_BIN SRC_DIR}
src=$(cd "${2:?usage: seed_roles.sh SERVER_BIN SRC_DIR}" && pwd)
runner="$src/../shared/compat/run-seed-roles.sh"

fail() { echo "seed_roles.sh: $*" >&2; exit 2; }
for tool in node npm python3; do
  command -v "$tool" >/dev/null || fail "$tool not on PATH"
done
[ -x "$server_bin" ] || fail "no strata-server at $server_bin"
[ -f "$runner" ] || fail "no run-seed-roles.sh at $runner"

# Which checks run (run.mjs --only is a JavaScript RegExp tested against each check's name).
# Everything except what later issues bring:
#   multi:, pubsub:                           (issue 5: MULTI/EXEC, pub/sub)
#   'node-redis: multi().exec() ...', 'node-redis: a duplicate() subscriber ...'  (issue 5)
only='^(?!node-redis: multi|node-redis: a duplicate)(connection|ttl|scan|info|error|pipeline|string|cache|session|ratelimit|lock|hash|list|set|zset|stream|node-redis): '

# run-seed-roles.sh --restart-check keeps its state here (see that script).
cache_dir=${STRATA_COMPAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/strata-seed-roles}
state_file="$cache_dir/restart-state.json"

work=$(mktemp -d /tmp/strata-seed-roles-XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -9 "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts strata-server with conf/$1.conf on $port in $dir, and polls PING (deadline 15 s).
start_server() {
  local profile=$1 i reply
  "$server_bin" "$src/conf/$profile.conf" --port "$port" --bind 127.0.0.1 --dir "$dir" \
    >>"$work/strata-$profile.log" 2>&1 &
  server_pid=$!
  for ((i = 0; i < 300; i++)); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "strata-server ($profile) exited before answering PING; log:"
      cat "$work/strata-$profile.log"
      server_pid=""
      return 1
    fi
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'PING\r\n' >&3
      reply=""
      IFS= read -r -t 1 reply <&3
      exec 3>&-
      [ "${reply%$'\r'}" = "+PONG" ] && return 0
    fi
    sleep 0.05
  done
  echo "strata-server ($profile) did not answer PING on port $port within 15 s; log:"
  cat "$work/strata-$profile.log"
  return 1
}

stop_server() {  # SIGTERM, then SIGKILL if it lingers
  local i
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null
  for ((i = 0; i < 200; i++)); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}

kill9_server() {
  kill -9 "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}

# The write phase stores its state only once every write step passed, streams included. Should
# it not have (a failed write step, reported as such), the state is rebuilt from the server
# itself, before the kill: the session key's id and JSON value, and writtenAt from its PTTL
# (3600 s minus what is left), so the other verify lines can still run. The stream ids then
# stay empty and the stream lines of verify fail.
rebuild_state() {
  python3 - "$port" "$state_file" <<'PY'
import json, socket, sys, time
port, path = int(sys.argv[1]), sys.argv[2]
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
buf = b""
def cmd(*args):
    global buf
    out = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args)
    sock.sendall(out)
    def line():
        global buf
        while b"\r\n" not in buf:
            buf += sock.recv(65536)
        l, buf = buf.split(b"\r\n", 1)
        return l
    def read():
        global buf
        l = line()
        t, rest = l[:1], l[1:]
        if t in (b"+", b"-"): return rest.decode()
        if t == b":": return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0: return None
            while len(buf) < n + 2: buf += sock.recv(65536)
            d, buf = buf[:n], buf[n + 2:]
            return d.decode()
        if t == b"*": return [read() for _ in range(int(rest))]
        raise ValueError(l)
    return read()
cursor, keys = "0", []
while True:
    cursor, found = cmd("SCAN", cursor, "MATCH", "restartcheck:sess:*", "COUNT", "1000")
    keys += found
    if cursor == "0": break
if len(keys) != 1:
    sys.exit("expected one restartcheck:sess:* key, found %d" % len(keys))
value, pttl = cmd("GET", keys[0]), cmd("PTTL", keys[0])
if value is None or not isinstance(pttl, int) or pttl < 0:
    sys.exit("session key unusable: value %r, PTTL %r" % (value, pttl))
state = {"prefix": "restartcheck:", "sid": keys[0][len("restartcheck:sess:"):],
         "session": json.loads(value), "writtenAt": int(time.time() * 1000) - (3600 * 1000 - pttl),
         "ids": []}
with open(path, "w") as f:
    json.dump(state, f)
print("# state rebuilt from the server (no stream ids) in %s" % path)
PY
}

# Lines of the restart check that must read 'ok': every one, streams included.
required_write=(
  'write: clear keys left by an earlier run'
  'write: session SETEX sess:<uuid> 3600 with a JSON value'
  'write: a key with a 2 s TTL and a key without TTL'
  'write: queue of 100 jobs (LPUSH), 3 consumed (RPOP)'
  'write: hash (HSET + HINCRBY), zset (ZADD + ZINCRBY), set (SADD)'
  'write: stream with consumer groups, some entries acked, some pending'
  'write: state recorded for the verify phase'
)
required_verify=(
  'verify: server answers after the restart'
  'verify: session survived with its JSON value'
  'verify: session TTL kept counting down (~3600 minus elapsed; not reset, not lost)'
  'verify: a key whose 2 s TTL ran out meanwhile is gone'
  'verify: a key without TTL still has none'
  'verify: queue holds the 97 remaining jobs in order'
  'verify: hash intact'
  'verify: zset intact with scores and order'
  'verify: set intact'
  'verify: stream entries intact (ids and fields)'
  'verify: consumer groups keep last-delivered-id, pending and consumer counts'
  'verify: pending entries keep their owner consumer and delivery count'
  'verify: per-consumer pending lists (XINFO CONSUMERS, XPENDING ... consumer)'
)
# Fails (returns 1) unless every name in the list has an 'ok - NAME' line in the output file.
require_ok() {
  local out=$1 name bad=0
  shift
  for name in "$@"; do
    if ! grep -qxF "ok - $name" "$out"; then
      echo "REQUIRED CHECK FAILED OR MISSING: $name"
      bad=1
    fi
  done
  return $bad
}

status=0
for profile in session queue; do
  port=$(free_port)
  dir="$work/$profile"
  mkdir -p "$dir"
  echo "==== seed-roles suite, $profile profile (port $port)"
  if ! start_server "$profile"; then status=1; continue; fi
  "$runner" "$port" --only "$only" || status=1

  echo "==== restart check, $profile profile: write, kill -9, restart, verify"
  rm -f "$state_file"
  "$runner" --restart-check "$port" write 2>&1 | tee "$work/write.out"
  if ! require_ok "$work/write.out" "${required_write[@]}"; then status=1; fi
  if [ ! -f "$state_file" ]; then
    rebuild_state || { echo "could not rebuild the restart-check state"; status=1; }
  fi
  kill9_server
  if ! start_server "$profile"; then status=1; continue; fi
  "$runner" --restart-check "$port" verify 2>&1 | tee "$work/verify.out"
  if ! require_ok "$work/verify.out" "${required_verify[@]}"; then status=1; fi
  stop_server
done
[ $status -eq 0 ] && echo "seed_roles: every required check passed" || echo "seed_roles: FAILED"
exit $status
