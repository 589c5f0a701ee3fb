#!/usr/bin/env bash
# Builds the schema decoder's libFuzzer target with clang (address + undefined sanitizers) and
# runs it on the seed corpus. Skips, saying so, when clang's libFuzzer is not installed.
# usage: tests/fuzz/run.sh [seconds] [build dir]
# FUZZ_RUNS=N (with FUZZ_SEED, default 1) runs exactly N inputs instead: the same inputs on
# every machine, which is what CI uses so that its result does not depend on luck or speed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-30}
out=${2:-$root/build/fuzz}

if ! command -v clang++ >/dev/null || ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long){return 0;}' |
  clang++ -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
  echo "fuzz: clang++ with libFuzzer not available; skipped"
  exit 0
fi
mkdir -p "$out" "$out/corpus"
cp "$here"/corpus/* "$out/corpus/" 2>/dev/null || true
generated="$root/build/dev/generated/include"
[[ -d $generated ]] || generated="$out/generated"
if [[ ! -f $generated/vivace/version.hpp ]]; then
  mkdir -p "$generated/vivace"
  printf '#pragma once\n#define VIVACE_VERSION_STRING "fuzz"\n' >"$generated/vivace/version.hpp"
fi
bin="$out/schema_decode_fuzz"
srcs=("$here/schema_decode_fuzz.cpp" "$root/src/schema/checks.cpp" "$root/src/schema/context.cpp"
  "$root/src/schema/types.cpp" "$root/src/core/errors.cpp" "$root/src/core/uuid.cpp"
  "$root/src/core/log.cpp")
if [[ ! -x $bin || -n $(find "$here" "$root/src" "$root/include" -newer "$bin" -name '*.[ch]pp' | head -1) ]]; then
  echo "fuzz: building (clang, -fsanitize=fuzzer,address,undefined)"
  clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -fno-sanitize=function,vptr -DBOOST_JSON_NO_LIB -DBOOST_URL_NO_LIB \
    -I"$root/include" -I"$generated" "${srcs[@]}" -o "$bin"
fi
if [[ -n ${FUZZ_RUNS:-} ]]; then
  echo "fuzz: running ${FUZZ_RUNS} inputs (seed ${FUZZ_SEED:-1})"
  bound=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
else
  echo "fuzz: running for ${seconds}s"
  bound=(-max_total_time="$seconds")
fi
"$bin" "${bound[@]}" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
  -print_final_stats=1 "$out/corpus" 2>"$out/log" || { tail -50 "$out/log"; exit 1; }
grep -E "^stat::number_of_executed_units|^Done" "$out/log" | tail -2
echo "fuzz: no crash"
