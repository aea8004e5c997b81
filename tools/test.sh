#!/bin/bash
# The test command: installs what a fresh Debian 12 lacks, builds, runs every test.
#   tools/test.sh            install + build + ctest (unit, integration, resp_diff, client_roles)
#   tools/test.sh --build    install + build only (tools/run.sh uses this)
# Environment: BUILD_DIR (default build), JOBS (default 2), CTEST_ARGS (extra ctest arguments,
# e.g. CTEST_ARGS='-L integration' or '-R Durability').
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-2}

# ---- 1. packages ----
# nodejs may come from another repository that bundles npm, so node and npm are looked for as
# commands; everything else as an installed Debian package.
packages=(cmake g++ make librocksdb-dev libasio-dev libprotobuf-dev protobuf-compiler
          libspdlog-dev libgtest-dev libgmock-dev liblua5.1-0-dev redis-server redis-tools nodejs npm python3
          ca-certificates)
missing=()
for p in "${packages[@]}"; do
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "== installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "== not root, so not installing: ${missing[*]} (install them, or run as root)" >&2
  fi
fi
# Debian starts its redis-server service on install; the tests start their own on free ports,
# and a stray service on 6379 would only get in the way of tools/bench.sh and a developer.
if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
  systemctl stop redis-server || true
  systemctl disable redis-server 2>/dev/null || true
elif [ -f /run/redis/redis-server.pid ] && command -v service >/dev/null; then
  service redis-server stop >/dev/null 2>&1 || true
fi

# ---- 2. build ----
echo "== configure and build in $build_dir"
cmake -S . -B "$build_dir" >/dev/null
cmake --build "$build_dir" -j "$jobs"
[ "${1:-}" = "--build" ] && exit 0

# ---- 3. test ----
# Integration tests each start their own server on a free port in a fresh directory, so they
# run in parallel; client_roles runs alone (RUN_SERIAL): its restart check bounds TTLs tightly.
echo "== ctest"
# shellcheck disable=SC2086
exec ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" ${CTEST_ARGS:-}
