#!/usr/bin/env bash
# Installs the built library into a temporary prefix, then configures, builds and runs a
# consumer project that finds it with find_package(vivace CONFIG REQUIRED).
# usage: run.sh <vivace build dir> <cmake executable>
set -euo pipefail
build_dir=$1
cmake=${2:-cmake}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/log"
quiet() { "$@" >"$log" 2>&1 || { cat "$log"; exit 1; }; }

quiet "$cmake" --install "$build_dir" --prefix "$work/prefix"
# Relocatable: move the prefix after installing; the package must still be found.
mv "$work/prefix" "$work/moved-prefix"
quiet "$cmake" -S "$here/project" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/moved-prefix"
quiet "$cmake" --build "$work/build"
"$work/build/consumer"
