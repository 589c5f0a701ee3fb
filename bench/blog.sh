#!/usr/bin/env bash
# The example application under load: blog-server (examples/blog) with wrk on SQLite and on
# PostgreSQL, five endpoints, each as a ratio to the hand-written Beast server's `/json`
# (beast_baseline) measured in the same run.
#
#   GET /health                      no database
#   GET /api/v1/posts/{id}           one published post (one query)
#   GET /api/v1/posts/?limit=20      the newest 20 published posts (one query)
#   GET /api/v1/users/me             JWT verification + one query
#   POST /api/v1/posts/              a published post with a title of its own (a transaction)
#
# Builds blog-server and beast_baseline in the `bench` preset (Release). Per backend: seeds a
# fresh database (one user, logged in once, POSTS published posts), then for each endpoint
# and round measures the baseline's /json, then blog-server on each backend, every time on a
# fresh server (1 s warm-up, one measured wrk run) after waiting for a quiet machine, like
# run.sh. PostgreSQL is a throwaway cluster (tests/db/with-postgres.sh): the script runs itself
# again inside it. The POSTs come last, so the reads see the seeded posts only.
# Markdown table on stdout, progress on stderr, raw outputs and server logs (gzipped) in
# RESULTS_DIR.
#
# Environment (defaults in brackets), besides run.sh's ROUNDS [3], DURATION [5], WARMUP [1],
# CONNS [64], WRK_THREADS [1], THREADS [1] (blog-server's WORKERS, I/O threads, and the
# baseline's --threads), PIN [auto], MAX_FOREIGN [10], RETRIES [4], QUIET_WAIT [300]:
#   BACKENDS [sqlite postgres]  which databases
#   ENDPOINTS [health post list me create]  which endpoints, in this order (keep `create`,
#                               the POST, last: it adds posts)
#   POSTS [50]                  published posts seeded per database
#   SKIP_BUILD [0]              1: build nothing, use the executables as they are
#   BLOG_SERVER                 the server [build/bench/examples/blog/blog-server]
#   BASELINE                    [build/bench/bench/beast_baseline]; `none` (or, with
#                               SKIP_BUILD=1, a missing file) skips it: no ratios
#   RESULTS_DIR                 [build/bench/results/blog-<date-time>]
#   FLOORS [1]                  1: after the runs, what the database alone costs per request
#                               of each database endpoint (bench/sqlite_floor, bench/pg_floor,
#                               built with the others; pinned like the server, ROUNDS runs of
#                               DURATION each), and the ratio that leaves a server at most,
#                               in a second table
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$ROOT/bench/blog.sh"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"  # settings, pinning, server lifecycle, wrk, parsing, medians
BACKENDS=${BACKENDS:-sqlite postgres}
ENDPOINTS=${ENDPOINTS:-health post list me create}
POSTS=${POSTS:-50}
BLOG_SERVER=${BLOG_SERVER:-"$ROOT/build/bench/examples/blog/blog-server"}
BASELINE=${BASELINE:-"$ROOT/build/bench/bench/beast_baseline"}
RESULTS_DIR=${RESULTS_DIR:-"$ROOT/build/bench/results/blog-$(date +%Y%m%d-%H%M%S)"}
FLOORS=${FLOORS:-1}
FLOOR_DIR=${FLOOR_DIR:-"$ROOT/build/bench/bench"}
INNER=${BLOG_BENCH_INNER:-0}  # 1: this is the run inside with-postgres.sh
check_settings
check_integers POSTS
for b in $BACKENDS; do
  [[ $b == sqlite || $b == postgres ]] || { echo "blog.sh: unknown backend '$b'" >&2; exit 2; }
done
for e in $ENDPOINTS; do
  [[ " health post list me create " == *" $e "* ]] || {
    echo "blog.sh: unknown endpoint '$e' (health post list me create)" >&2
    exit 2
  }
done

# ---- setup and build ----------------------------------------------------------------------
if [[ $SKIP_BUILD != 1 ]]; then
  bash "$ROOT/scripts/setup.sh" bench
  (cd "$ROOT" && nice -n 10 cmake --preset bench >/dev/null &&
    nice -n 10 cmake --build --preset bench --target blog-server beast_baseline sqlite_floor \
      pg_floor)
fi
[[ -x $BLOG_SERVER ]] || { echo "blog.sh: $BLOG_SERVER not built" >&2; exit 1; }
BLOG_SERVER=$(realpath "$BLOG_SERVER")  # the server runs in a folder of its own
if [[ $BASELINE != none && ! -x $BASELINE ]]; then
  if [[ $SKIP_BUILD != 1 ]]; then echo "blog.sh: $BASELINE not built" >&2; exit 1; fi
  echo "blog.sh: no baseline at $BASELINE: measuring without it, the ratios will be n/a" >&2
  BASELINE=none
fi
[[ $BASELINE == none ]] || BASELINE=$(realpath "$BASELINE")
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "blog.sh: $tool not found" >&2; exit 1; }
done
mkdir -p "$RESULTS_DIR"
[[ $INNER == 1 ]] || rm -f "$RESULTS_DIR/report.md"

# PostgreSQL: run again inside a throwaway cluster (its messages on stderr, the report after),
# as a process group of its own, which an interrupt of this script terminates as a whole.
if [[ " $BACKENDS " == *" postgres "* && -z ${VIVACE_TEST_POSTGRES_URL:-} ]]; then
  if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    set -m
    env BLOG_BENCH_INNER=1 SKIP_BUILD=1 BACKENDS="$BACKENDS" ENDPOINTS="$ENDPOINTS" \
      RESULTS_DIR="$RESULTS_DIR" BLOG_SERVER="$BLOG_SERVER" BASELINE="$BASELINE" \
      bash "$ROOT/tests/db/with-postgres.sh" bash "$SELF" >&2 &
    inner=$!
    set +m
    trap 'kill -TERM -- "-$inner" 2>/dev/null; wait "$inner"; exit 130' INT TERM
    status=0
    wait "$inner" || status=$?
    if [[ -f $RESULTS_DIR/report.md ]]; then cat "$RESULTS_DIR/report.md"; fi
    exit "$status"
  fi
  echo "blog.sh: no PostgreSQL server (initdb) installed: measuring SQLite only" >&2
  BACKENDS=${BACKENDS//postgres/}
  [[ -n ${BACKENDS// /} ]] || exit 1
fi

setup_pinning
work=$(mktemp -d "${TMPDIR:-/tmp}/vivace-blog-bench.XXXXXX")
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- PostgreSQL's processes belong to the server --------------------------------------------
# With a cluster of with-postgres.sh (its folder holds restart.sh and data/postmaster.pid), the
# postmaster and its children (backends are forked later and inherit this) go to the server's
# CPU, and their CPU time counts as the server's, not as other load.
pg_master=""
if [[ " $BACKENDS " == *" postgres "* && -n ${VIVACE_TEST_POSTGRES_RESTART:-} ]]; then
  pidfile="$(dirname "$VIVACE_TEST_POSTGRES_RESTART")/data/postmaster.pid"
  [[ -r $pidfile ]] && pg_master=$(head -n 1 "$pidfile")
fi
pg_pids() { echo "$pg_master"; pgrep -P "$pg_master" || true; }
if [[ -n $pg_master ]]; then
  if [[ $PIN == 1 ]]; then
    for p in $(pg_pids); do taskset -a -p -c 0 "$p" >/dev/null || true; done
  fi
elif [[ " $BACKENDS " == *" postgres "* ]]; then
  echo "blog.sh: PostgreSQL's processes not found: not pinned, their CPU counts as other load" >&2
fi
backend=""
server_cpu_ticks() {  # lib.sh: the server's CPU time, PostgreSQL's included
  local t p
  t=$(cpu_ticks "$server_pid")
  if [[ $backend == postgres && -n $pg_master ]]; then
    for p in $(pg_pids); do t=$((t + $(cpu_ticks "$p"))); done
  fi
  echo "$t"
}

# ---- blog-server --------------------------------------------------------------------------
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
mkdir -p "$work/uploads"
database_url() {
  case $1 in
    sqlite) echo "sqlite:///$work/blog.db" ;;  # sqlite:////abs/path
    postgres) echo "$VIVACE_TEST_POSTGRES_URL" ;;
  esac
}

# start_blog BACKEND LOG: a fresh blog-server on a free port, in an empty folder (no .env) and
# an environment of its own. The scrypt cost is the lowest: only the seeding logs in.
start_blog() {
  port=$(free_port)
  launch_server "$2" /health 60 env -i -C "$work" PATH="$PATH" \
    DATABASE_URL="$(database_url "$1")" SECRET_KEY="$SECRET_KEY" ENVIRONMENT=production \
    HOST="$HOST" PORT="$port" WORKERS="$THREADS" ALLOWED_HOSTS=127.0.0.1,localhost \
    UPLOAD_DIR="$work/uploads" PASSWORD_HASH_COST=10 ACCESS_TOKEN_EXPIRE_MINUTES=1440 \
    "$BLOG_SERVER"
}

# seed BACKEND: one user, logged in once (the only scrypt work, and no failed login: the login
# throttle counts failures only), POSTS published posts, then a check of the two requests
# with parameters. Sets token[BACKEND] and post_id[BACKEND] (a post in the middle).
declare -A token post_id
seed() {
  local out
  start_blog "$1" "$RESULTS_DIR/$1.seed.server.log"
  out=$(python3 - "http://$HOST:$port" "$POSTS" <<'PY'
import json, random, sys, urllib.error, urllib.parse, urllib.request
base, posts = sys.argv[1], int(sys.argv[2])

def call(method, path, want, body=None, form=None, token=None):
    headers = {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    if status != want:
        sys.exit(f"blog.sh: {method} {path} -> {status}, expected {want}: {text[:1000]!r}")
    return json.loads(text)

n = random.randrange(10**9)
email, password = f"bench{n}@example.com", f"bench-password-{n}"
call("POST", "/api/v1/auth/register", 200,
     body={"email": email, "username": f"bench{n}", "password": password})
token = call("POST", "/api/v1/auth/login", 200,
             form={"username": email, "password": password})["access_token"]
ids = [call("POST", "/api/v1/posts/", 201, token=token, body={
    "title": f"Seeded post number {i}",
    "content": " ".join(f"Paragraph {k} of a seeded post." for k in range(1, 13)),
    "excerpt": f"The excerpt of post {i}.",
    "published": True})["id"] for i in range(1, posts + 1)]
post_id = ids[len(ids) // 2]
call("GET", f"/api/v1/posts/{post_id}", 200)
call("GET", "/api/v1/users/me", 200, token=token)
print(token, post_id)
PY
  ) || exit 1
  token[$1]=${out% *}
  post_id[$1]=${out#* }
  stop_server
  echo "# $1: seeded 1 user and $POSTS posts; GET /api/v1/posts/${post_id[$1]}" >&2
}

# ---- endpoints ----------------------------------------------------------------------------
read -r -a endpoints <<<"$ENDPOINTS"
declare -A title=(
  [health]='GET /health'
  [post]='GET /api/v1/posts/{id}'
  [list]='GET /api/v1/posts/?limit=20'
  [me]='GET /api/v1/users/me'
  [create]='POST /api/v1/posts/'
)
# request_for ENDPOINT: sets path and wrk_args for the current backend.
request_for() {
  wrk_args=()
  case $1 in
    health) path=/health ;;
    post) path=/api/v1/posts/${post_id[$backend]} ;;
    list) path='/api/v1/posts/?limit=20' ;;
    me)
      path=/api/v1/users/me
      wrk_args=(-H "Authorization: Bearer ${token[$backend]}")
      ;;
    create)
      path=/api/v1/posts/
      wrk_args=(-H "Authorization: Bearer ${token[$backend]}" -H 'Content-Type: application/json'
        -s "$ROOT/bench/create_post.lua")
      ;;
  esac
}

# ---- after each run -----------------------------------------------------------------------
# before_stop TAG: the server's peak RSS (rss, MiB) and whether it is still alive.
before_stop() {
  rss=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status" 2>/dev/null || true)
  if [[ -z $rss ]]; then
    rss=nan
    problems+=("$what: the server died during the run (see $1.server.log.gz)")
  fi
}
# after_stop TAG: the server must have stopped cleanly; blog-server's log is summarised
# (statuses of its access log: `... INFO <addr> "<method> <target> HTTP/1.1" <status> ...`,
# and any line that is not INFO) and gzipped.
after_stop() {
  local log="$RESULTS_DIR/$1.server.log" statuses others
  if ((server_status != 0)); then
    problems+=("$what: the server exited with status $server_status after SIGTERM")
  fi
  [[ -n $backend ]] || return 0
  statuses=$(awk 'match($0, /HTTP\/1\.[01]" [0-9][0-9][0-9] /) {
      n[substr($0, RSTART + 10, 3)]++ }
    END { for (s in n) printf "%s%s: %d", (k++ ? ", " : ""), s, n[s] }' "$log")
  others=$(grep -Evc '^[^ ]+ INFO ' "$log" || true)
  echo "statuses (warm-up and run): ${statuses:-none}; other log lines: $others" \
    >"$RESULTS_DIR/$1.statuses"
  if [[ $statuses =~ (^|, )[^2][0-9][0-9]: ]]; then
    problems+=("$what: server statuses (warm-up and run) $statuses")
  fi
  if ((others > 0)); then
    problems+=("$what: $others log line(s) not INFO, the first:
  $(grep -Ev '^[^ ]+ INFO ' "$log" | head -n 1)")
  fi
  gzip -f "$log"
}

# ---- the runs -----------------------------------------------------------------------------
measure_baseline() {  # measure_baseline TAG: beast_baseline's /json
  RUN_LABEL="baseline /json"
  backend=""
  port=$(free_port)
  launch_server "$RESULTS_DIR/$1.server.log" /plaintext 5 \
    "$BASELINE" --host "$HOST" --port "$port" --threads "$THREADS"
  measure_run "$1" "http://$HOST:$port/json"
  before_stop "$1"
  stop_server
  after_stop "$1"
}
measure_blog() {  # measure_blog BACKEND ENDPOINT TAG
  backend=$1
  RUN_LABEL="$1 ${title[$2]}"
  request_for "$2"
  start_blog "$1" "$RESULTS_DIR/$3.server.log"
  export BENCH_TAG=$3  # for bench/create_post.lua: titles unique to this run
  measure_run "$3" "http://$HOST:$port$path" "${wrk_args[@]}"
  before_stop "$3"
  stop_server
  after_stop "$3"
}

declare -A rps p50 p99 cpu mem
record() {  # record KEY: the figures of the kept run
  rps[$1]+="${r:-0} "
  p50[$1]+="$(p50_of "$RESULTS_DIR/$tag.txt") "
  p99[$1]+="${l:-nan} "
  cpu[$1]+="$c "
  mem[$1]+="$rss "
}

echo "# $(date -u +%FT%TZ) $(nproc) CPUs, pin=$PIN, server threads=$THREADS," \
  "wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s, warm-up ${WARMUP}s, $ROUNDS rounds," \
  "backends: $BACKENDS" >&2
echo "# raw outputs in $RESULTS_DIR; load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "# blog-server: $BLOG_SERVER; baseline: $BASELINE" >&2

for b in $BACKENDS; do seed "$b"; done

for ep in "${endpoints[@]}"; do
  for round in $(seq "$ROUNDS"); do
    if [[ $BASELINE != none ]]; then
      measure_quietly "$(printf '%-8s %-28s round %d' baseline "/json (with $ep)" "$round")" \
        "baseline /json (with ${title[$ep]}) round $round" "baseline_json.$ep.r$round" \
        measure_baseline
      record "baseline/$ep"
      record baseline/all
    fi
    for b in $BACKENDS; do
      measure_quietly "$(printf '%-8s %-28s round %d' "$b" "${title[$ep]}" "$round")" \
        "$b ${title[$ep]} round $round" "$b.$ep.r$round" measure_blog "$b" "$ep"
      record "$b/$ep"
    done
  done
done

posts_now() {  # posts_now BACKEND: rows in the posts table at the end (seeded + POSTed)
  local q='SELECT COUNT(*) FROM posts'
  case $1 in
    sqlite) command -v sqlite3 >/dev/null && sqlite3 "$work/blog.db" "$q" ;;
    postgres) command -v psql >/dev/null && psql -Atq "$VIVACE_TEST_POSTGRES_URL" -c "$q" ;;
  esac 2>/dev/null || echo "?"
}
declare -A posts_at_end
for b in $BACKENDS; do posts_at_end[$b]=$(posts_now "$b"); done

# ---- the database alone ------------------------------------------------------------------
# floor_of BACKEND ENDPOINT: the median over ROUNDS runs of the floor program's time per request
# (floor[BACKEND/ENDPOINT], us), on the database the runs left, pinned like the server.
declare -A floor
floor_of() {
  local program args out runs=()
  case $1 in
    sqlite) program=$FLOOR_DIR/sqlite_floor args=("$work/blog.db") ;;
    postgres) program=$FLOOR_DIR/pg_floor args=("$VIVACE_TEST_POSTGRES_URL") ;;
  esac
  [[ -x $program ]] || return 0
  for _ in $(seq "$ROUNDS"); do
    out=$("${server_cpu[@]}" "$program" "${args[@]}" "$2" --seconds "$DURATION") || {
      problems+=("the floor of $1 ${title[$2]}: $program failed")
      return 0
    }
    runs+=("$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "us") print $i }' <<<"$out")")
  done
  floor[$1/$2]=$(median "${runs[@]}")
}
if [[ $FLOORS == 1 ]]; then
  for b in $BACKENDS; do
    for ep in "${endpoints[@]}"; do
      [[ $ep == health ]] || floor_of "$b" "$ep"
    done
  done
fi

# ---- report -------------------------------------------------------------------------------
# shellcheck disable=SC2086  # the lists are split into their values on purpose
med() { local -n list=$1; median ${list[$2]:-}; }
# shellcheck disable=SC2086
peak() { fmt %.1f "$(printf '%s\n' ${mem[$1]:-} | grep -v nan | sort -g | tail -n 1)"; }
fmt() {  # fmt FORMAT VALUE: printf, or n/a for nothing or nan
  awk -v v="$2" -v f="$1" 'BEGIN { if (v == "nan" || v == "") print "n/a"; else printf f, v }'
}
declare -A names=([sqlite]=SQLite [postgres]=PostgreSQL)

report() {
  local b ep key base
  # shellcheck disable=SC2016  # the backquotes are markdown
  echo '| backend | endpoint | req/s | ratio to baseline `/json` | p50 | p99 |' \
    'server CPU per request | peak RSS |'
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  if [[ $BASELINE != none ]]; then
    key=baseline/all
    # shellcheck disable=SC2016  # the backquotes are markdown
    printf '| (beast_baseline) | `GET /json` | %s | 1.00 | %s ms | %s ms | %s us | %s MiB |\n' \
      "$(fmt %.0f "$(med rps "$key")")" "$(fmt %.2f "$(med p50 "$key")")" \
      "$(fmt %.2f "$(med p99 "$key")")" "$(fmt %.1f "$(med cpu "$key")")" "$(peak "$key")"
  fi
  for b in $BACKENDS; do
    for ep in "${endpoints[@]}"; do
      key="$b/$ep"
      base=$(med rps "baseline/$ep")
      # shellcheck disable=SC2016
      printf '| %s | `%s` | %s | %s | %s ms | %s ms | %s us | %s MiB |\n' "${names[$b]}" \
        "${title[$ep]}" "$(fmt %.0f "$(med rps "$key")")" "$(ratio "$(med rps "$key")" "$base")" \
        "$(fmt %.2f "$(med p50 "$key")")" "$(fmt %.2f "$(med p99 "$key")")" \
        "$(fmt %.1f "$(med cpu "$key")")" "$(peak "$key")"
    done
  done
  echo
  echo "Medians over $ROUNDS round(s); ratio = blog-server's median req/s over the median of the" \
    "baseline's \`/json\` runs measured next to the same endpoint (baseline row: all its" \
    "runs). Peak RSS: the largest VmHWM of the runs (blog-server only, not PostgreSQL)." \
    "Server CPU: user + system time of the server (PostgreSQL: with the cluster's processes)" \
    "per request."
  if ((${#floor[@]})); then
    local bcpu
    bcpu=$(med cpu baseline/all)
    echo
    # shellcheck disable=SC2016  # the backquotes are markdown
    echo '| backend | endpoint | the database alone per request | ratio possible at most |' \
      'measured ratio |'
    echo "|---|---|---:|---:|---:|"
    for b in $BACKENDS; do
      for ep in "${endpoints[@]}"; do
        [[ -n ${floor[$b/$ep]:-} ]] || continue
        # shellcheck disable=SC2016
        printf '| %s | `%s` | %s us | %s | %s |\n' "${names[$b]}" "${title[$ep]}" \
          "$(fmt %.1f "${floor[$b/$ep]}")" \
          "$(awk -v b="$bcpu" -v f="${floor[$b/$ep]}" 'BEGIN {
            if (b > 0) printf "%.2f", b / (b + f); else print "n/a" }')" \
          "$(ratio "$(med rps "$b/$ep")" "$(med rps "baseline/$ep")")"
      done
    done
    echo
    echo "The database alone: the endpoint's statements run by bench/sqlite_floor or" \
      "bench/pg_floor (PostgreSQL pipelined, its processes on the same core), pinned like the" \
      "server, on the database the runs left, median of $ROUNDS. Possible at most: a server" \
      "that costs the baseline's \`/json\` CPU ($(fmt %.1f "$bcpu") us) plus the database alone" \
      "(a bound from above: the list's 17 KB response costs more to send than \`/json\`'s)."
  fi
  if [[ " ${endpoints[*]} " == *" create "* ]]; then
    echo
    printf 'POST /api/v1/posts/ by round (req/s; every run adds posts):'
    for b in $BACKENDS; do printf ' %s %s;' "${names[$b]}" "${rps[$b/create]% }"; done
    printf ' posts at the end:'
    for b in $BACKENDS; do printf ' %s %s' "${names[$b]}" "${posts_at_end[$b]}"; done
    echo .
  fi
  echo
  echo "Parameters: ROUNDS=$ROUNDS DURATION=${DURATION}s WARMUP=${WARMUP}s CONNS=$CONNS" \
    "WRK_THREADS=$WRK_THREADS THREADS=$THREADS (blog-server WORKERS=$THREADS I/O threads; its" \
    "handlers run on the worker pool, default max(4, 2 x cores)); PIN=$PIN, $(nproc) CPUs;" \
    "POSTS=$POSTS seeded; $disturbed run(s) kept although disturbed by other load."
  if ((${#problems[@]})); then
    echo
    echo "Problems (wrk, server logs, exit statuses):"
    printf -- '- %s\n' "${problems[@]}"
  fi
}
report >"$RESULTS_DIR/report.md"
if [[ $INNER != 1 ]]; then cat "$RESULTS_DIR/report.md"; fi
