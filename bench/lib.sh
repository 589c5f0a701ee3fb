# shellcheck shell=bash
# Shared by the wrk benchmarks (bench/run.sh, bench/blog.sh): settings, CPU pinning, server
# lifecycle, wrk runs, parsing of wrk's output, interference checks and medians.
#
#   source "$ROOT/bench/lib.sh"
#
# The caller sets RESULTS_DIR (before calling measure_run), traps stop_server on EXIT,
# and may redefine server_cpu_ticks (the CPU time counted as the server's: blog.sh adds the
# PostgreSQL processes). Messages are prefixed with the calling script's name.

BENCH_NAME=${0##*/}

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
CLK_TCK=$(getconf CLK_TCK)

check_settings() {  # the settings above must be positive integers (RETRIES may be 0)
  check_integers ROUNDS DURATION WARMUP CONNS WRK_THREADS THREADS MAX_FOREIGN RETRIES QUIET_WAIT
}
check_integers() {  # check_integers VAR...: each a positive integer (RETRIES may be 0)
  local v
  for v in "$@"; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]] || { ((${!v} < 1)) && [[ $v != RETRIES ]]; }; then
      echo "$BENCH_NAME: $v must be a positive integer (got '${!v}')" >&2
      exit 2
    fi
  done
}

setup_pinning() {  # sets PIN to 0 or 1, server_cpu and wrk_cpu (command prefixes)
  server_cpu=() wrk_cpu=()
  if [[ $PIN == auto ]]; then
    if command -v taskset >/dev/null && (($(nproc) >= 2)); then PIN=1; else PIN=0; fi
  fi
  if [[ $PIN == 1 ]]; then
    server_cpu=(taskset -c 0)
    wrk_cpu=(taskset -c 1)
  fi
}

# ---- server lifecycle ---------------------------------------------------------------------
server_pid=""
port=""
server_status=0  # exit status of the last server stopped (143: it died of the SIGTERM itself)

stop_server() {
  [[ -n $server_pid ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "$BENCH_NAME: server $server_pid ignored SIGTERM for 5 s, killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  server_status=0
  # shellcheck disable=SC2034  # read by the callers
  wait "$server_pid" 2>/dev/null || server_status=$?
  server_pid=""
}

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

# launch_server LOG PROBE_PATH SECONDS COMMAND...: starts the command (pinned) in the
# background, sets server_pid, and waits until GET http://HOST:$port/PROBE_PATH answers. The
# caller has set port and put it into the command line.
launch_server() {
  local log=$1 probe=$2 wait_s=$3
  shift 3
  "${server_cpu[@]}" "$@" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq $((wait_s * 20))); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$BENCH_NAME: server exited at start, see $log" >&2
      cat "$log" >&2
      exit 1
    fi
    if curl -s -o /dev/null --max-time 1 "http://$HOST:$port$probe"; then return 0; fi
    sleep 0.05
  done
  echo "$BENCH_NAME: server did not answer within $wait_s s, see $log" >&2
  exit 1
}

run_wrk() {  # run_wrk SECONDS URL [WRK ARGS...]
  timeout $(($1 + 15)) "${wrk_cpu[@]}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"$1"s --latency "${@:3}" "$2"
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
server_cpu_ticks() { cpu_ticks "$server_pid"; }  # may be redefined by the caller
rps_of() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
p99_of() { to_ms "$(awk '$1 == "99%" { print $2 }' "$1")"; }
p50_of() { to_ms "$(awk '$1 == "50%" { print $2 }' "$1")"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
  if (NR == 0) { print "nan"; exit }
  if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

problems=()
check_errors() {  # check_errors FILE LABEL
  local line
  while IFS= read -r line; do
    problems+=("$2: ${line#"${line%%[![:space:]]*}"}")
  done < <(grep -E 'Non-2xx or 3xx responses|Socket errors' "$1" || true)
  if [[ -z $(rps_of "$1") ]]; then problems+=("$2: no Requests/sec in wrk output"); fi
}

# ---- measuring ----------------------------------------------------------------------------
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

# measure_run TAG URL [WRK ARGS...]: warm-up and one measured wrk run against the running
# server; the output goes to RESULTS_DIR/TAG.txt. Sets r (req/s), l (p99 ms), c (server CPU us
# per request) and f (CPU used meanwhile by other processes, % of one CPU). A failed or timed
# out wrk is added to problems as "RUN_LABEL TAG" (RUN_LABEL: a global the caller sets).
measure_run() {
  local tag=$1 url=$2 t0 t1 b0 b1 w0 w1
  shift 2
  export BENCH_PHASE=warmup  # for wrk scripts (bench/create_post.lua)
  run_wrk "$WARMUP" "$url" "$@" >"$RESULTS_DIR/$tag.warmup.txt" 2>&1 || true
  export BENCH_PHASE=measured
  child_ticks
  w0=$ticks t0=$(server_cpu_ticks) b0=$(busy_ticks)
  if ! run_wrk "$DURATION" "$url" "$@" >"$RESULTS_DIR/$tag.txt" 2>&1; then
    problems+=("$RUN_LABEL $tag: wrk failed or timed out")
  fi
  t1=$(server_cpu_ticks) b1=$(busy_ticks)
  child_ticks
  w1=$ticks
  r=$(rps_of "$RESULTS_DIR/$tag.txt")
  l=$(p99_of "$RESULTS_DIR/$tag.txt")
  c=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$(requests_of "$RESULTS_DIR/$tag.txt")" \
    'BEGIN { if (n > 0) printf "%.2f", t / hz * 1e6 / n; else print "nan" }')
  f=$(awk -v x=$((b1 - b0 - (t1 - t0) - (w1 - w0))) -v hz="$CLK_TCK" -v d="$DURATION" \
    'BEGIN { x = x / hz / d * 100; printf "%.0f", x < 0 ? 0 : x }')
}

# measure_quietly LABEL WHAT TAG_BASE COMMAND...: waits for a quiet machine, runs
# `COMMAND... TAG` (TAG = TAG_BASE.aN; it must call measure_run) and measures again, up to
# RETRIES times, while other processes used more than MAX_FOREIGN % of a CPU. Prints LABEL and
# the figures to stderr, then checks the kept run's wrk output; its tag is left in `tag`.
# WHAT names the measurement in problems.
disturbed=0
measure_quietly() {
  local label=$1 what=$2 base=$3 attempt=0
  shift 3
  while :; do
    attempt=$((attempt + 1))
    tag="$base.a$attempt"
    wait_for_quiet
    "$@" "$tag"
    printf '#   %s: %10s req/s  p99 %8s ms  %6s us CPU/req  other load %3s%%\n' \
      "$label" "${r:-?}" "${l:-?}" "$c" "$f" >&2
    ((f <= MAX_FOREIGN)) && break
    if ((attempt > RETRIES)); then
      problems+=("$what: other processes used $f% of a CPU (kept)")
      disturbed=$((disturbed + 1))
      break
    fi
    echo "#   disturbed by other processes ($f% of a CPU > $MAX_FOREIGN%), measuring again" >&2
  done
  check_errors "$RESULTS_DIR/$tag.txt" "$what"
}
