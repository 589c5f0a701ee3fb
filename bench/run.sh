#!/usr/bin/env bash
# Vivace vs. a hand-written Boost.Beast server: throughput and tail latency with wrk.
#
# Builds the `bench` preset, then for each endpoint starts the servers alternately
# (baseline, vivace, baseline, vivace, ... ROUNDS times), each time on a fresh free loopback
# port: 1 s warm-up, then one measured wrk run. Prints the medians as a markdown table.
#
# Environment (defaults in brackets):
#   ROUNDS [3]        measured runs per server and endpoint
#   DURATION [5]      seconds per measured wrk run
#   WARMUP [1]        seconds of warm-up after each server start
#   CONNS [64]        wrk connections
#   WRK_THREADS [1]   wrk threads
#   THREADS [1]       server I/O threads (leave a core to wrk on a 2-core machine)
#   PIN [auto]        1: server on CPU 0, wrk on CPU 1 (taskset); 0: no pinning;
#                     auto: pin when taskset exists and there are at least 2 CPUs
#   MAX_FOREIGN [10]  each run waits for a quiet machine (other processes below this % of one
#                     CPU), and a run during which they used more (a compile, say) is
#                     measured again
#   RETRIES [4]       how many times a disturbed run is measured again before it is kept
#   QUIET_WAIT [300]  seconds to wait for a quiet machine before measuring anyway
#   SKIP_BUILD [0]    1: reuse build/bench as it is
#   RESULTS_DIR       where raw wrk outputs and server logs go [build/bench/results/<time>]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"  # settings, pinning, server lifecycle, wrk, parsing, medians
BIN="$ROOT/build/bench/bench"
RESULTS_DIR=${RESULTS_DIR:-"$ROOT/build/bench/results/$(date +%Y%m%d-%H%M%S)"}
check_settings

# ---- setup and build ----------------------------------------------------------------------
if [[ $SKIP_BUILD != 1 ]]; then
  bash "$ROOT/scripts/setup.sh" bench
  (cd "$ROOT" && nice -n 10 cmake --preset bench >/dev/null && nice -n 10 cmake --build --preset bench)
fi
for exe in beast_baseline vivace_bench; do
  [[ -x $BIN/$exe ]] || { echo "run.sh: $BIN/$exe not built" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "run.sh: wrk not found" >&2; exit 1; }
command -v curl >/dev/null || { echo "run.sh: curl not found" >&2; exit 1; }
mkdir -p "$RESULTS_DIR"
setup_pinning
trap stop_server EXIT
trap 'exit 130' INT TERM

# start_server LOG EXE ARGS... : starts it on a free port, sets server_pid and port
start_server() {
  local log=$1
  shift
  port=$(free_port)
  launch_server "$log" /plaintext 5 "$@" --host "$HOST" --port "$port" --threads "$THREADS"
}

# ---- the runs -----------------------------------------------------------------------------
declare -A rps p99 cpu
endpoints=(/plaintext /json /users/42)
variants_for() {  # the variants measured on an endpoint, in alternation order
  if [[ $1 == /json ]]; then echo "baseline vivace blocking"; else echo "baseline vivace"; fi
}
command_for() {  # sets cmd to the server command line of a variant
  case $1 in
    baseline) cmd=("$BIN/beast_baseline") ;;
    vivace) cmd=("$BIN/vivace_bench") ;;
    blocking) cmd=("$BIN/vivace_bench" --blocking) ;;
  esac
}

echo "# $(date -u +%FT%TZ) $(nproc) CPUs, pin=$PIN, server threads=$THREADS," \
  "wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s, warm-up ${WARMUP}s, $ROUNDS rounds" >&2
echo "# raw outputs in $RESULTS_DIR; load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# One measurement: fresh server, warm-up, measured run (see measure_run in lib.sh).
measure() {  # measure VARIANT ENDPOINT TAG
  command_for "$1"
  RUN_LABEL="$1 $2"
  start_server "$RESULTS_DIR/$3.server.log" "${cmd[@]}"
  measure_run "$3" "http://$HOST:$port$2"
  stop_server
}

for ep in "${endpoints[@]}"; do
  name=${ep//\//_}
  for round in $(seq "$ROUNDS"); do
    for variant in $(variants_for "$ep"); do
      measure_quietly "$(printf '%-8s %-10s round %d' "$variant" "$ep" "$round")" \
        "$variant $ep round $round" "${variant}${name}.r$round" measure "$variant" "$ep"
      rps[$variant$ep]+="${r:-0} "
      p99[$variant$ep]+="${l:-nan} "
      cpu[$variant$ep]+="$c "
    done
  done
done

# ---- report -------------------------------------------------------------------------------
# shellcheck disable=SC2086  # the lists are split into their values on purpose
med_rps() { median ${rps[$1]}; }
# shellcheck disable=SC2086
med_p99() { median ${p99[$1]}; }
# shellcheck disable=SC2086
med_cpu() { median ${cpu[$1]}; }

echo
echo "| endpoint | baseline req/s | baseline p99 | vivace req/s | vivace p99 | ratio |"
echo "|---|---:|---:|---:|---:|---:|"
for ep in "${endpoints[@]}"; do
  b=$(med_rps "baseline$ep")
  v=$(med_rps "vivace$ep")
  # shellcheck disable=SC2016  # the backquotes are markdown
  printf '| `%s` | %.0f | %.2f ms | %.0f | %.2f ms | %s |\n' "$ep" "$b" "$(med_p99 "baseline$ep")" \
    "$v" "$(med_p99 "vivace$ep")" "$(ratio "$v" "$b")"
done
echo
bb=$(med_rps "baseline/json")
bl=$(med_rps "blocking/json")
# shellcheck disable=SC2016
printf 'Blocking handlers (worker pool), `/json`: %.0f req/s, p99 %.2f ms, ratio %s\n' \
  "$bl" "$(med_p99 "blocking/json")" "$(ratio "$bl" "$bb")"
echo
printf 'Server CPU time per request (median, all threads):'
for ep in "${endpoints[@]}"; do
  printf ' %s baseline %s us / vivace %s us;' "$ep" "$(med_cpu "baseline$ep")" "$(med_cpu "vivace$ep")"
done
printf ' /json blocking %s us\n' "$(med_cpu "blocking/json")"
echo
echo "Parameters: ROUNDS=$ROUNDS DURATION=${DURATION}s WARMUP=${WARMUP}s CONNS=$CONNS" \
  "WRK_THREADS=$WRK_THREADS THREADS=$THREADS PIN=$PIN, $(nproc) CPUs; medians over rounds;" \
  "$disturbed run(s) kept although disturbed by other load."

if ((${#problems[@]})); then
  echo
  echo "Problems reported by wrk:"
  printf -- '- %s\n' "${problems[@]}"
fi
