#!/bin/bash
# Installs the build into a fresh prefix (cmake --install), builds tests/embedded against the
# installed package alone, and runs it.
#   tests/scripts/embedded_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$(cd "${1:?usage: embedded_install.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: embedded_install.sh BUILD_DIR SOURCE_DIR}" && pwd)
work=$(mktemp -d /tmp/strata-embedded-XXXXXX)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$src/tests/embedded" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
mkdir "$work/data"
"$work/build/embedded_example" "$work/data"
