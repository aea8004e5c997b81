#!/bin/bash
# The client-library suite, tests/clients (ioredis and node-redis, RESP2 and RESP3), against
# strata-server's session and queue profiles; then, per profile, durability across kill -9:
# restart.mjs writes, the server is killed, restarted on the same dir, and restart.mjs verifies.
#   tests/scripts/client_roles.sh SERVER_BIN SRC_DIR
# Needs node (20 or later), npm and python3. The suite's packages are installed with npm ci once
# per lockfile into ${XDG_CACHE_HOME:-~/.cache}/strata-clients/<hash> (the first run needs the
# npm registry). A missing tool is a failure, never a skip. Exit code 0 only if every check
# passed.
set -u
usage="usage: client_roles.sh SERVER_BIN SRC_DIR"
server_bin=${1:?$usage}
src=$(cd "${2:?$usage}" && pwd) || exit 2
suite="$src/tests/clients"

fail() { echo "client_roles.sh: $*" >&2; exit 2; }
for tool in node npm python3 sha256sum tar; do
  command -v "$tool" >/dev/null || fail "$tool not on PATH"
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  fail "node $(node --version) is too old; the suite needs node 20 or later"
[ -x "$server_bin" ] || fail "no strata-server at $server_bin"
[ -f "$suite/package-lock.json" ] || fail "no package-lock.json in $suite"

# shellcheck source=tools/server_lib.sh
source "$src/tools/server_lib.sh"
open_workdir client-roles
started=$SECONDS

# Packages, once per lockfile: installed in a scratch dir and renamed into place when complete,
# so an interrupted or concurrent install never leaves a half-filled cache entry behind.
hash=$(cat "$suite/package.json" "$suite/package-lock.json" | sha256sum | cut -c1-16)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/strata-clients
cache="$cache_root/$hash"
if [ ! -f "$cache/.installed" ]; then
  mkdir -p "$cache_root" || fail "cannot create $cache_root"
  scratch=$(mktemp -d "$cache_root/.install-XXXXXX") || fail "cannot create a directory in $cache_root"
  cp "$suite/package.json" "$suite/package-lock.json" "$scratch/"
  echo "# npm ci into $cache"
  if ! (cd "$scratch" && npm ci --no-audit --no-fund --loglevel=error); then
    rm -rf "$scratch"
    fail "npm ci failed (is the npm registry reachable?)"
  fi
  touch "$scratch/.installed"
  [ -f "$cache/.installed" ] || rm -rf "$cache"
  mv -T "$scratch" "$cache" 2>/dev/null || rm -rf "$scratch"  # another run got there first
  [ -f "$cache/.installed" ] || fail "could not install the packages into $cache"
fi
# The suite runs from a copy of the source tree, next to the cached packages.
mkdir "$work/clients"
(cd "$suite" && tar --exclude=./node_modules -cf - .) | (cd "$work/clients" && tar -xf -) ||
  fail "cannot copy $suite"
ln -s "$cache/node_modules" "$work/clients/node_modules"

# Starts strata-server with conf/$1.conf on $port in $dir; sets $pid.
start_strata() {
  "$server_bin" "$src/conf/$1.conf" --port "$port" --bind 127.0.0.1 --dir "$dir" >>"$work/$1.log" 2>&1 &
  pid=$!
  wait_for_ping "$port" "$pid" && return 0
  echo "strata-server ($1) did not answer PING on port $port; the end of its log:"
  tail -n 30 "$work/$1.log"
  kill9_pid "$pid"
  pid=""
  return 1
}

# Runs one node program of the suite, echoing its output; records its summary line in $results.
results=()
run_node() {  # label program args...
  local label=$1 out="$work/out.txt" rc
  shift
  (cd "$work/clients" && node "$@") 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  results+=("$(printf '%-16s %s' "$label" "$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" || echo "no summary (exit code $rc)")")")
  return "$rc"
}

status=0
for profile in session queue; do
  port=$(free_port)
  dir="$work/$profile"
  mkdir -p "$dir"
  echo "==== $profile profile: client suite (port $port)"
  if ! start_strata "$profile"; then
    results+=("$profile: strata-server did not start")
    status=1
    continue
  fi
  bad=0
  run_node "$profile suite" run.mjs --port "$port" || bad=1

  echo "==== $profile profile: restart check: write, kill -9, restart on the same dir, verify"
  run_node "$profile write" restart.mjs --port "$port" --phase write --state "$work/$profile-state.json" || bad=1
  kill9_pid "$pid"
  pid=""
  if start_strata "$profile"; then
    run_node "$profile verify" restart.mjs --port "$port" --phase verify --state "$work/$profile-state.json" || bad=1
    stop_pid "$pid"
    pid=""
  else
    results+=("$profile: strata-server did not restart after kill -9")
    bad=1
  fi
  if [ $bad -ne 0 ]; then
    status=1
    echo "# the end of strata-server's $profile log:"
    tail -n 20 "$work/$profile.log"
  fi
done

echo "==== summary ($((SECONDS - started)) s)"
printf '%s\n' "${results[@]}"
if [ $status -eq 0 ]; then echo "client_roles: every check passed"; else echo "client_roles: FAILED"; fi
exit $status
