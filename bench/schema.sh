#!/usr/bin/env bash
# The schema layer against hand-written Boost.JSON code, in process: builds the `bench` preset's
# schema_bench (Release, under `nice`) and runs it. Prints a markdown table; per-run figures go
# to stderr. See bench/README.md, "Schema decode/validate/encode".
#
# usage: bench/schema.sh [schema_bench options: --rounds N (5), --seconds S (1), --iterations N]
# Environment: SKIP_BUILD [0]  1: reuse build/bench as it is
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SKIP_BUILD=${SKIP_BUILD:-0}
EXE="$ROOT/build/bench/bench/schema_bench"

if [[ $SKIP_BUILD != 1 ]]; then
  (cd "$ROOT" && nice -n 10 cmake --preset bench >/dev/null &&
    nice -n 10 cmake --build --preset bench --target schema_bench)
fi
[[ -x $EXE ]] || { echo "schema.sh: $EXE not built" >&2; exit 1; }

echo "# $(date -u +%FT%TZ) $(nproc) CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$EXE" "$@"
