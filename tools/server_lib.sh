# The one shell library that starts and stops servers, sourced by the tools/ benchmarks and the
# tests/scripts/ checks: a work directory cleaned up at exit, a free loopback port, waiting until
# a server answers PING, stopping a server, killing one as a crash would.

# Makes $work, a temporary directory strata-NAME-XXXXXX under PARENT (default /tmp). At exit
# every server in $pids, and $pid (scripts that run one server at a time), is killed and
# $work removed.
open_workdir() {  # name [parent]
  work=$(mktemp -d "${2:-/tmp}/strata-$1-XXXXXX")
  pids=()
  pid=""
  trap close_workdir EXIT
}
close_workdir() {
  local p
  for p in "${pids[@]}" $pid; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$work"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for_ping() {  # port pid
  local i reply
  for ((i = 0; i < 300; i++)); do
    kill -0 "$2" 2>/dev/null || return 1
    if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
      printf 'PING\r\n' >&3
      reply=""
      IFS= read -r -t 1 reply <&3
      exec 3>&-
      [ "${reply%$'\r'}" = "+PONG" ] && return 0
    fi
    sleep 0.05
  done
  return 1
}

stop_pid() {  # pid: SIGTERM, then SIGKILL after 10 s
  local i
  kill "$1" 2>/dev/null
  for ((i = 0; i < 200; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}

kill9_pid() {  # pid: SIGKILL at once, as a process crash would stop it, and reap it
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
