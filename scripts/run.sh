#!/usr/bin/env bash
# Installs what is missing, builds the example server in release mode and starts it on
# 127.0.0.1:8000 (HOST and PORT override). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

export CCACHE_DIR=${CCACHE_DIR:-$PWD/build/.ccache}
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
exec build/release/examples/hello/hello "$@"
