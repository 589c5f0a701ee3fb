#!/usr/bin/env bash
# Generates the HTML API reference of include/vivace with Doxygen (docs/Doxyfile) and fails on
# any warning: an undocumented public symbol, or a comment Doxygen cannot read.
# Usage: docs/api-reference.sh [out dir]   (default build/api-reference; relative to the root)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-build/api-reference}
if ! command -v doxygen >/dev/null; then
  echo "api-reference: doxygen is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi

# The version is written once, in CMakeLists.txt's project(vivace VERSION x.y.z).
VIVACE_VERSION=$(sed -n '/^project(vivace/,/)/s/^ *VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
export VIVACE_VERSION

mkdir -p "$out"
log="$out/warnings.log"
start=$SECONDS
status=0
# The Doxyfile is read from standard input with the output folder appended; the warnings
# (doxygen's stderr) are kept in the log and printed.
{
  cat docs/Doxyfile
  printf 'OUTPUT_DIRECTORY = "%s"\n' "$out"
} | doxygen - 2>"$log" || status=$?
cat "$log" >&2
# FAIL_ON_WARNINGS prints each warning as "error:".
warnings=$(grep -cE ':[0-9]+: (warning|error): ' "$log" || true)
if ((status != 0 || warnings != 0)); then
  echo "api-reference: FAILED, ${warnings} warning(s) (exit ${status}); see $log" >&2
  exit 1
fi
echo "api-reference: no warnings ($((SECONDS - start)) s), version ${VIVACE_VERSION:-unknown}:"
echo "  $out/html/index.html"
