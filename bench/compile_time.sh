#!/usr/bin/env bash
# Measures compile times with ccache disabled (whole-process wall time, best of N):
#   - examples/hello/main.cpp (the smallest app),
#   - bench/compile_time/ten_routes.cpp (a user TU with ten typed endpoints),
#   - bench/compile_time/twenty_models.cpp (a user TU with twenty models: decode, encode and
#     JSON Schema of each),
#   - a clean build of the whole project (dev preset: library, tests, examples), 2 jobs.
# usage: bench/compile_time.sh [runs]
# Environment: WHOLE [1]  0: skip the clean whole-project build (it cleans build/dev and uses
#                         both cores; the single TUs are measured without touching it)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
WHOLE=${WHOLE:-1}
export CCACHE_DISABLE=1

cmake --preset dev >/dev/null
build=build/dev
cxx=$(grep -m1 '^CMAKE_CXX_COMPILER:' "$build/CMakeCache.txt" | cut -d= -f2)
flags=(-std=c++20 -O0 -g -Iinclude -I"$build/generated/include" -DBOOST_ASIO_NO_DEPRECATED)

best() {  # best wall time in seconds of "$@" over $runs runs
  local best_t=""
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s.%N)
    "$@" >/dev/null
    e=$(date +%s.%N)
    local t
    t=$(awk -v a="$s" -v b="$e" 'BEGIN { print b - a }')
    if [[ -z "$best_t" ]] || awk -v t="$t" -v b="$best_t" 'BEGIN { exit !(t < b) }'; then best_t=$t; fi
  done
  printf '%.2f' "$best_t"
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "| what | wall time (s) |"
echo "| --- | --- |"
echo "| examples/hello/main.cpp, -O0 -g | $(best "$cxx" "${flags[@]}" -c examples/hello/main.cpp -o "$out/a.o") |"
echo "| ten typed endpoints TU, -O0 -g | $(best "$cxx" "${flags[@]}" -c bench/compile_time/ten_routes.cpp -o "$out/b.o") |"
echo "| ten typed endpoints TU, -O2 | $(best "$cxx" "${flags[@]/-O0/-O2}" -c bench/compile_time/ten_routes.cpp -o "$out/c.o") |"
echo "| twenty models TU, -O0 -g | $(best "$cxx" "${flags[@]}" -c bench/compile_time/twenty_models.cpp -o "$out/d.o") |"
echo "| twenty models TU, -O2 | $(best "$cxx" "${flags[@]/-O0/-O2}" -c bench/compile_time/twenty_models.cpp -o "$out/e.o") |"
if [[ $WHOLE == 0 ]]; then exit 0; fi
start=$(date +%s.%N)
cmake --build "$build" --target clean >/dev/null
cmake --build "$build" -j 2 >/dev/null
end=$(date +%s.%N)
printf '| whole project, clean dev build (-j2, no ccache) | %.1f |\n' \
  "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
