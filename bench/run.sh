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
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-1}
THREADS=${THREADS:-1}
PIN=${PIN:-auto}
SKIP_BUILD=${SKIP_BUILD:-0}
MAX_FOREIGN=${MAX_FOREIGN:-10}
RETRIES=${RETRIES:-4}
QUIET_WAIT=${QUIET_WAIT:-300}
HOST=127.0.0.1  # loopback only
BIN="$ROOT/build/bench/bench"
RESULTS_DIR=${RESULTS_DIR:-"$ROOT/build/bench/results/$(date +%Y%m%d-%H%M%S)"}

for v in ROUNDS DURATION WARMUP CONNS WRK_THREADS THREADS MAX_FOREIGN RETRIES QUIET_WAIT; do
  if ! [[ ${!v} =~ ^[0-9]+$ ]] || { ((${!v} < 1)) && [[ $v != RETRIES ]]; }; then
    echo "run.sh: $v must be a positive integer (got '${!v}')" >&2
    exit 2
  fi
done

# ---- setup and build ----------------------------------------------------------------------
if [[ $SKIP_BUILD != 1 ]]; then
  VIVACE_SETUP_BENCH=1 bash "$ROOT/scripts/setup.sh"
  (cd "$ROOT" && nice -n 10 cmake --preset bench >/dev/null && nice -n 10 cmake --build --preset bench)
fi
for exe in beast_baseline vivace_bench; do
  [[ -x $BIN/$exe ]] || { echo "run.sh: $BIN/$exe not built" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "run.sh: wrk not found" >&2; exit 1; }
command -v curl >/dev/null || { echo "run.sh: curl not found" >&2; exit 1; }
mkdir -p "$RESULTS_DIR"

server_cpu=() wrk_cpu=()
if [[ $PIN == auto ]]; then
  if command -v taskset >/dev/null && (($(nproc) >= 2)); then PIN=1; else PIN=0; fi
fi
if [[ $PIN == 1 ]]; then
  server_cpu=(taskset -c 0)
  wrk_cpu=(taskset -c 1)
fi

# ---- server lifecycle ---------------------------------------------------------------------
server_pid=""

stop_server() {
  [[ -n $server_pid ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "run.sh: server $server_pid ignored SIGTERM for 5 s, killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    if [[ -z $(ss -Htln "sport = :$p") ]]; then echo "$p"; return; fi
  done
}

# start_server LOG EXE ARGS... : starts it on a free port, sets server_pid and port
start_server() {
  local log=$1
  shift
  port=$(free_port)
  "${server_cpu[@]}" "$@" --host "$HOST" --port "$port" --threads "$THREADS" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "run.sh: server exited at start, see $log" >&2
      cat "$log" >&2
      exit 1
    fi
    if curl -s -o /dev/null --max-time 1 "http://$HOST:$port/plaintext"; then return 0; fi
    sleep 0.05
  done
  echo "run.sh: server did not answer within 5 s, see $log" >&2
  exit 1
}

run_wrk() {  # run_wrk SECONDS URL
  timeout $(($1 + 15)) "${wrk_cpu[@]}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"$1"s --latency "$2"
}

# ---- parsing ------------------------------------------------------------------------------
to_ms() {  # "850.00us" | "1.23ms" | "1.02s" | "2.00m" -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }  # not idle, iowait
child_ticks() {  # sets ticks: user+sys CPU of this shell's finished children (wrk)
  # `times` must run in this shell (not in a $(...) subshell) to see its children
  times >"$RESULTS_DIR/.times"
  ticks=$(awk -v hz="$CLK_TCK" 'NR == 2 { t = 0
    for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
    printf "%d", t * hz }' "$RESULTS_DIR/.times")
}
requests_of() { awk '$2 == "requests" && $3 == "in" { print $1 }' "$1"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }  # utime+stime
rps_of() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
p99_of() { to_ms "$(awk '$1 == "99%" { print $2 }' "$1")"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
  if (NR == 0) { print "nan"; exit }
  if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

problems=()
check_errors() {  # check_errors FILE LABEL
  local line
  while IFS= read -r line; do
    problems+=("$2: ${line#"${line%%[![:space:]]*}"}")
  done < <(grep -E 'Non-2xx or 3xx responses|Socket errors' "$1" || true)
  if [[ -z $(rps_of "$1") ]]; then problems+=("$2: no Requests/sec in wrk output"); fi
}

# ---- the runs -----------------------------------------------------------------------------
declare -A rps p99 cpu
CLK_TCK=$(getconf CLK_TCK)
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

# One measurement: fresh server, warm-up, measured run. Sets r (req/s), l (p99 ms),
# c (server CPU us per request) and f (CPU used meanwhile by other processes, % of one CPU).
measure() {  # measure VARIANT ENDPOINT TAG
  local variant=$1 ep=$2 tag=$3 t0 t1 b0 b1 w0 w1
  command_for "$variant"
  start_server "$RESULTS_DIR/$tag.server.log" "${cmd[@]}"
  run_wrk "$WARMUP" "http://$HOST:$port$ep" >"$RESULTS_DIR/$tag.warmup.txt" 2>&1 || true
  child_ticks
  w0=$ticks t0=$(cpu_ticks "$server_pid") b0=$(busy_ticks)
  if ! run_wrk "$DURATION" "http://$HOST:$port$ep" >"$RESULTS_DIR/$tag.txt" 2>&1; then
    problems+=("$variant $ep $tag: wrk failed or timed out")
  fi
  t1=$(cpu_ticks "$server_pid") b1=$(busy_ticks)
  child_ticks
  w1=$ticks
  stop_server
  r=$(rps_of "$RESULTS_DIR/$tag.txt")
  l=$(p99_of "$RESULTS_DIR/$tag.txt")
  c=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$(requests_of "$RESULTS_DIR/$tag.txt")" \
    'BEGIN { if (n > 0) printf "%.2f", t / hz * 1e6 / n; else print "nan" }')
  f=$(awk -v x=$((b1 - b0 - (t1 - t0) - (w1 - w0))) -v hz="$CLK_TCK" -v d="$DURATION" \
    'BEGIN { x = x / hz / d * 100; printf "%.0f", x < 0 ? 0 : x }')
}

wait_for_quiet() {  # up to QUIET_WAIT seconds until the idle machine is below MAX_FOREIGN %
  local waited=0 b0 b1 pct
  while :; do
    b0=$(busy_ticks)
    sleep 1
    b1=$(busy_ticks)
    pct=$(((b1 - b0) * 100 / CLK_TCK))
    ((pct < MAX_FOREIGN)) && break
    if ((waited == 0)); then echo "#   machine busy (${pct}% of a CPU), waiting" >&2; fi
    waited=$((waited + 1))
    if ((waited >= QUIET_WAIT)); then
      echo "#   machine still busy after ${QUIET_WAIT}s, measuring anyway" >&2
      break
    fi
  done
  return 0
}

disturbed=0
for ep in "${endpoints[@]}"; do
  name=${ep//\//_}
  for round in $(seq "$ROUNDS"); do
    for variant in $(variants_for "$ep"); do
      attempt=0
      while :; do
        attempt=$((attempt + 1))
        tag="${variant}${name}.r$round.a$attempt"
        wait_for_quiet
        measure "$variant" "$ep" "$tag"
        printf '#   %-8s %-10s round %d: %10s req/s  p99 %8s ms  %6s us CPU/req  other load %3s%%\n' \
          "$variant" "$ep" "$round" "${r:-?}" "${l:-?}" "$c" "$f" >&2
        ((f <= MAX_FOREIGN)) && break
        if ((attempt > RETRIES)); then
          problems+=("$variant $ep round $round: other processes used $f% of a CPU (kept)")
          disturbed=$((disturbed + 1))
          break
        fi
        echo "#   disturbed by other processes ($f% of a CPU > $MAX_FOREIGN%), measuring again" >&2
      done
      check_errors "$RESULTS_DIR/$tag.txt" "$variant $ep round $round"
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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

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
