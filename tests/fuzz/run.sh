#!/usr/bin/env bash
# Builds the libFuzzer targets (the schema decoder, the multipart parser) with clang (address +
# undefined sanitizers) and runs each on its seed corpus. Skips, saying so, when clang's libFuzzer is not installed.
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
mkdir -p "$out"
generated="$root/build/dev/generated/include"
[[ -d $generated ]] || generated="$out/generated"
if [[ ! -f $generated/vivace/version.hpp ]]; then
  mkdir -p "$generated/vivace"
  printf '#pragma once\n#define VIVACE_VERSION_STRING "fuzz"\n' >"$generated/vivace/version.hpp"
fi

# fuzz_target NAME CORPUS RUNS SOURCES...: builds (when a source is newer) and runs one target.
fuzz_target() {
  local name=$1 corpus=$2 runs=$3
  shift 3
  local bin="$out/$name"
  mkdir -p "$out/corpus-$name"
  cp "$here/$corpus"/* "$out/corpus-$name/" 2>/dev/null || true
  if [[ ! -x $bin || -n $(find "$here" "$root/src" "$root/include" -newer "$bin" -name '*.[ch]pp' | head -1) ]]; then
    echo "fuzz: building $name (clang, -fsanitize=fuzzer,address,undefined)"
    clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -fno-sanitize=function,vptr -DBOOST_JSON_NO_LIB -DBOOST_URL_NO_LIB -DBOOST_ASIO_NO_DEPRECATED \
      -I"$root/include" -I"$generated" -isystem /usr/include/utf8cpp "$@" -o "$bin" -lpthread
  fi
  local bound
  if [[ -n ${FUZZ_RUNS:-} ]]; then
    echo "fuzz: $name: running $runs inputs (seed ${FUZZ_SEED:-1})"
    bound=(-runs="$runs" -seed="${FUZZ_SEED:-1}")
  else
    echo "fuzz: $name: running for ${seconds}s"
    bound=(-max_total_time="$seconds")
  fi
  "$bin" "${bound[@]}" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
    -print_final_stats=1 "$out/corpus-$name" 2>"$out/$name.log" || { tail -50 "$out/$name.log"; exit 1; }
  grep -E "^stat::number_of_executed_units|^Done" "$out/$name.log" | tail -2
  echo "fuzz: $name: no crash"
}

fuzz_target schema_decode_fuzz corpus "${FUZZ_RUNS:-0}" "$here/schema_decode_fuzz.cpp" \
  "$root/src/schema/checks.cpp" "$root/src/schema/context.cpp" "$root/src/schema/types.cpp" \
  "$root/src/schema/write.cpp" \
  "$root/src/core/errors.cpp" "$root/src/core/uuid.cpp" "$root/src/core/log.cpp" -lcrypto
# The multipart parser is slower per input (two parses, temporary files): a fifth of the runs.
fuzz_target multipart_fuzz corpus-multipart "$(( ${FUZZ_RUNS:-0} / 5 ))" "$here/multipart_fuzz.cpp" \
  "$root/src/params/multipart.cpp" "$root/src/core/errors.cpp" "$root/src/core/log.cpp" \
  "$root/src/http/message.cpp" "$root/src/core/blocking.cpp" -lboost_json
