#!/bin/bash
# Big collections in little memory: a 10-million-member hash, set, sorted set, list or stream
# must work with maxmemory 64mb and survive a restart and a kill -9. For each type, loads N
# members into one key of a durable strata-server started with --maxmemory 64mb, then reports
# the load rate, the server's RSS, the size command and a few point reads; kill -9s the server,
# restarts it on the same directory, and checks the size and the same reads again.
#   tools/scale.sh                 (after tools/test.sh --build; about 2 minutes per 10M type)
# Environment: STRATA_SERVER (default build/src/strata-server), SCALE_N (members per key,
# default 10000000), SCALE_TYPES (default "hash set zset list stream"; a stream gets one
# XADD per member), SCALE_PROFILE (default queue),
# SCALE_MAXMEMORY (default 64mb), SCALE_DIR (default /tmp).
# Exit status: 0 if every size and read matched before and after the crash, 1 otherwise.
set -u
cd "$(dirname "$0")/.."
src=$(pwd)
strata=${STRATA_SERVER:-$src/build/src/strata-server}
n=${SCALE_N:-10000000}
types=${SCALE_TYPES:-hash set zset list stream}
profile=${SCALE_PROFILE:-queue}
maxmemory=${SCALE_MAXMEMORY:-64mb}

for tool in redis-cli python3; do
  command -v "$tool" >/dev/null || { echo "scale.sh: $tool not on PATH (tools/test.sh installs it)" >&2; exit 2; }
done
[ -x "$strata" ] || { echo "scale.sh: no strata-server at $strata (run tools/test.sh --build)" >&2; exit 2; }

# shellcheck source=tools/server_lib.sh
source tools/server_lib.sh

open_workdir scale "${SCALE_DIR:-/tmp}"
port=$(free_port)

start() {
  "$strata" "conf/$profile.conf" --port "$port" --bind 127.0.0.1 --dir "$work/$1" \
    --maxmemory "$maxmemory" --logfile "$work/$1.log" &
  pid=$!
  wait_for_ping "$port" "$pid" || { echo "scale.sh: server did not start (see $work/$1.log)" >&2; exit 1; }
}
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
cli() { redis-cli -p "$port" "$@"; }

# The commands that load member i (0-based), 100 members per command, as a RESP stream.
generate() {  # type key
  python3 - "$1" "$2" "$n" <<'EOF'
import sys
kind, key, n = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3])
out = sys.stdout.buffer
def cmd(parts):
    buf = [b"*%d\r\n" % len(parts)]
    for p in parts:
        buf.append(b"$%d\r\n%s\r\n" % (len(p), p))
    return b"".join(buf)
if kind == "stream":
    # One entry per XADD, with the ID i+1-1 (so reads know what to expect), in chunks.
    chunk = []
    for i in range(n):
        id_ = b"%d-1" % (i + 1)
        m = b"member:%d" % i
        chunk.append(b"*5\r\n$4\r\nXADD\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$1\r\nf\r\n$%d\r\n%s\r\n"
                     % (len(key), key, len(id_), id_, len(m), m))
        if len(chunk) == 10000:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk))
    sys.exit(0)
verb = {"hash": b"HSET", "set": b"SADD", "zset": b"ZADD", "list": b"RPUSH"}[kind]
for start in range(0, n, 100):
    parts = [verb, key]
    for i in range(start, min(n, start + 100)):
        m = b"member:%d" % i
        if kind == "hash":
            parts += [m, b"value:%d" % i]
        elif kind == "zset":
            parts += [b"%d" % i, m]
        else:
            parts.append(m)
    out.write(cmd(parts))
EOF
}

size_of() {  # type key
  case "$1" in
    hash) cli HLEN "$2" ;; set) cli SCARD "$2" ;; zset) cli ZCARD "$2" ;; list) cli LLEN "$2" ;;
    stream) cli XLEN "$2" ;;
  esac
}
# A few point reads whose answers are known: first, middle and last members.
reads() {  # type key
  local i
  for i in 0 $((n / 2)) $((n - 1)); do
    case "$1" in
      hash) cli HGET "$2" "member:$i" ;;
      set) cli SISMEMBER "$2" "member:$i" ;;
      zset) cli ZSCORE "$2" "member:$i" ;;
      list) cli LINDEX "$2" "$i" ;;
      stream) cli XRANGE "$2" "$((i + 1))-1" "$((i + 1))-1" ;;  # old ones from RocksDB
    esac
  done | tr '\n' ' '
}
expected_reads() {  # type
  local i
  for i in 0 $((n / 2)) $((n - 1)); do
    case "$1" in
      hash) echo "value:$i" ;; set) echo 1 ;; zset) echo "$i" ;; list) echo "member:$i" ;;
      stream) printf '%s\n' "$((i + 1))-1" f "member:$i" ;;
    esac
  done | tr '\n' ' '
}

echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)."
echo "strata-server conf/$profile.conf --maxmemory $maxmemory; $n members per key, 100 per command (a stream: one entry per XADD)."
echo
echo "| type | load s | members/s | RSS MB | size | reads | size after kill -9 | reads after | RSS after MB |"
echo "|---|---:|---:|---:|---:|---|---:|---|---:|"
failed=0
for t in $types; do
  mkdir -p "$work/$t"
  start "$t"
  t0=$(date +%s.%N)
  generate "$t" "big:$t" | redis-cli -p "$port" --pipe >"$work/$t.pipe" 2>&1 ||
    { echo "scale.sh: loading $t failed: $(tail -2 "$work/$t.pipe")" >&2; failed=1; }
  t1=$(date +%s.%N)
  secs=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
  rate=$(python3 -c "print(int($n / ($t1 - $t0)))")
  rss=$(rss_mb)
  size=$(size_of "$t" "big:$t")
  got=$(reads "$t" "big:$t")
  want=$(expected_reads "$t")
  kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=""
  start "$t"
  size2=$(size_of "$t" "big:$t")
  got2=$(reads "$t" "big:$t")
  rss2=$(rss_mb)
  ok="ok"; ok2="ok"
  [ "$size" = "$n" ] && [ "$got" = "$want" ] || { ok="WRONG ($got)"; failed=1; }
  [ "$size2" = "$n" ] && [ "$got2" = "$want" ] || { ok2="WRONG ($got2)"; failed=1; }
  echo "| $t | $secs | $rate | $rss | $size | $ok | $size2 | $ok2 | $rss2 |"
  stop_pid "$pid"; pid=""
  rm -rf "${work:?}/$t"
done
exit $failed
