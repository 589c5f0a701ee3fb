#!/usr/bin/env bash
# Installs what is missing, builds the example server (examples/blog) in release mode and
# starts it on 127.0.0.1:8000 with an SQLite file (./blog.db, migrated on first start).
# Configuration: environment variables or a .env file here (examples/blog/.env.example).
# Arguments go to blog-server (`scripts/run.sh --help`). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh run

export CCACHE_DIR=${CCACHE_DIR:-$PWD/build/.ccache}
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target blog-server
exec build/release/examples/blog/blog-server "$@"
