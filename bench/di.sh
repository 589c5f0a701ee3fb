#!/usr/bin/env bash
# Dependency injection against the same work written inline: builds the `bench` preset's
# di_bench (Release, under `nice`), runs it in process, then serves the same routes over HTTP
# and measures them with wrk (when installed), alternating the routes. Prints markdown tables;
# per-run figures go to stderr. See bench/README.md, "Dependency injection".
#
# usage: bench/di.sh [di_bench options: --rounds N (7), --requests N (200000)]
# Environment: SKIP_BUILD [0]  1: reuse build/bench as it is
#              HTTP [1]        0: in-process only
#              ROUNDS [3], DURATION [5] seconds, CONNS [64], PORT [8092]: the wrk runs
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SKIP_BUILD=${SKIP_BUILD:-0}
HTTP=${HTTP:-1}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNS=${CONNS:-64}
EXE="$ROOT/build/bench/bench/di_bench"

if [[ $SKIP_BUILD != 1 ]]; then
  (cd "$ROOT" && nice -n 10 cmake --preset bench >/dev/null &&
    nice -n 10 cmake --build --preset bench --target di_bench)
fi
[[ -x $EXE ]] || { echo "di.sh: $EXE not built" >&2; exit 1; }

echo "# $(date -u +%FT%TZ) $(nproc) CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "## In process (App::handle, no sockets)"
echo
"$EXE" "$@"

if [[ $HTTP != 1 ]] || ! command -v wrk >/dev/null; then
  exit 0
fi
PORT=${PORT:-8092}
PIN_SERVER=() PIN_WRK=()
if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
  PIN_SERVER=(taskset -c 0) PIN_WRK=(taskset -c 1)
fi
"${PIN_SERVER[@]}" "$EXE" --serve "$PORT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done

rps() {  # target → requests per second
  "${PIN_WRK[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" -H 'X-Token: tok-ann' \
    "http://127.0.0.1:$PORT$1" | awk '/Requests\/sec/ {print $2}'
}
declare -A results
for target in /inline-async /deps-async /inline-plain /deps-plain; do
  rps "$target" >/dev/null  # warm-up
done
for r in $(seq "$ROUNDS"); do
  for target in /inline-async /deps-async /inline-plain /deps-plain; do
    v=$(rps "$target")
    echo "round $r $target $v req/s" >&2
    results[$target]+="$v "
  done
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
echo "## Over HTTP (wrk -t1 -c$CONNS -d${DURATION}s, one server I/O thread, median of $ROUNDS)"
echo
echo "| handler | inline, req/s | 3 nested deps, req/s | cost ratio (inline rps / deps rps) |"
echo "|---|---|---|---|"
for kind in async plain; do
  a=$(echo "${results[/inline-$kind]}" | median)
  b=$(echo "${results[/deps-$kind]}" | median)
  name=$([[ $kind == async ]] && echo "coroutine (Task)" || echo plain)
  awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN {printf "| %s | %.0f | %.0f | %.2f |\n", n, a, b, a / b}'
done
