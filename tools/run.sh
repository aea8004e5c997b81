#!/bin/bash
# Installs what is missing, builds, and starts strata-server on its default configuration
# (the session profile, port 6379 on 127.0.0.1) with its data in ./data. Logs go to stdout.
#   tools/run.sh [--directive value ...]     e.g. tools/run.sh --port 7000
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/test.sh --build
mkdir -p data
cd data
exec ../build/src/strata-server "$@"
