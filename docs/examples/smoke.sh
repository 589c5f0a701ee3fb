#!/usr/bin/env bash
# Smoke test of one guide example (docs/examples/*.cpp):
#
#   smoke.sh EXE METHOD PATH STATUS [EXPECTED] [CURL ARGS...]
#
# Starts EXE with PORT=0 in a fresh temporary working directory, waits for the port it logs
# ("listening on http://127.0.0.1:PORT"), sends one request with curl (CURL ARGS add headers or
# a body), and checks the status and, when EXPECTED is not empty, that it occurs in the
# response's header block or body. Then stops the server with SIGTERM, which must end it with
# status 0 (graceful stop). Exits 0 when all of that holds.
set -euo pipefail

if (($# < 4)); then
  echo "usage: smoke.sh EXE METHOD PATH STATUS [EXPECTED] [CURL ARGS...]" >&2
  exit 2
fi
exe=$(realpath "$1")
method=$2
path=$3
want_status=$4
expected=${5-}
shift $(($# < 5 ? 4 : 5))

work=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

fail() {
  echo "smoke: $(basename "$exe") $method $path: $*" >&2
  for f in server.log head.txt body.txt; do
    [[ -s $f ]] && { echo "--- $f" >&2; cat "$f" >&2; }
  done
  exit 1
}

: >server.log # before the server starts: the redirection below happens in the child, and the
# loop must not read a file that is not there yet (a failure seen once under load)
HOST=127.0.0.1 PORT=0 "$exe" >server.log 2>&1 &
pid=$!
port=""
for _ in $(seq 300); do # 15 s: some examples do slow work (password hashing) at start-up
  port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' server.log | head -1)
  [[ -n $port ]] && break
  kill -0 "$pid" 2>/dev/null || fail "the server exited before listening"
  sleep 0.05
done
[[ -n $port ]] || fail "the server did not announce its port"

status=$(curl -sS --max-time 20 -o body.txt -D head.txt -w '%{http_code}' -X "$method" "$@" \
  "http://127.0.0.1:$port$path") || fail "curl failed"
[[ $status == "$want_status" ]] || fail "status $status, expected $want_status"
if [[ -n $expected ]] && ! grep -qF -- "$expected" head.txt body.txt; then
  fail "the response does not contain: $expected"
fi

kill -TERM "$pid"
for _ in $(seq 300); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$pid" 2>/dev/null && fail "the server did not stop within 15 s of SIGTERM"
rc=0
wait "$pid" || rc=$?
pid=""
((rc == 0)) || fail "the server exited with status $rc after SIGTERM"
echo "smoke: $(basename "$exe") $method $path -> $status"
