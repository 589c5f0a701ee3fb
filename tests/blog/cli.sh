#!/usr/bin/env bash
# blog-server's and hello's command lines: flags over the environment, precise usage errors,
# a superuser's password never on the command line, the start-up line naming the docs.
#
#   tests/blog/cli.sh <path-to-blog-server> <path-to-hello>
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <path-to-blog-server> <path-to-hello>" >&2
  exit 2
fi
blog="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
hello="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
work="$(mktemp -d "${TMPDIR:-/tmp}/vivace-cli.XXXXXX")"
pid=""
cleanup() {
  [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"  # no .env here: only what each case sets
export ENVIRONMENT=development DATABASE_URL="sqlite:///$work/blog.db" PASSWORD_HASH_COST=10
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# expect STATUS PATTERN CMD...: CMD exits with STATUS and its output matches PATTERN.
expect() {
  local status=$1 pattern=$2 rc=0
  shift 2
  "$@" >"$work/out" 2>&1 </dev/null || rc=$?
  [[ $rc == "$status" ]] || fail "$* exited $rc, not $status: $(cat "$work/out")"
  grep -Eq -- "$pattern" "$work/out" || fail "$*: no /$pattern/ in: $(cat "$work/out")"
}

expect 0 '^blog-server \(Vivace [0-9]+\.[0-9]+\.[0-9]+\)$' "$blog" --version
expect 0 'create-superuser' "$blog" --help
expect 0 'log-level' "$blog" serve --help
expect 0 'usage: blog-server migrate .*downgrade' "$blog" migrate --help
expect 2 "unknown command 'sideways'" "$blog" sideways
expect 2 'too many positional options' "$blog" serve extra
expect 2 'unrecognised option|unrecognized option' "$blog" serve --colour
# A flag is checked as the variable it stands for, and says where it came from.
expect 2 'PORT: .*\[int_parsing\], got "abc" \(from command line\)' "$blog" serve --port abc
expect 2 'LOG_LEVEL: .*\[enum\], got "loud" \(from command line\)' "$blog" serve --log-level loud
expect 2 'WORKERS: .*\[greater_than_equal\]' "$blog" serve --workers 0
# The environment's bad value does not matter when a flag replaces it.
expect 2 'PORT: .*"70000" \(from command line\)' env PORT=abc "$blog" serve --port 70000

# create-superuser: never --password; standard input, the environment or a prompt.
expect 2 'not accepted.*ps' "$blog" create-superuser --email a@example.com --password secret123
expect 2 'no password' "$blog" create-superuser --email a@example.com
expect 2 'no e-mail: pass --email or set FIRST_SUPERUSER_EMAIL' "$blog" create-superuser --password-stdin
out=$(printf 'from-stdin-1\n' | "$blog" create-superuser --email root@example.com \
  --username root --password-stdin 2>&1) || fail "create-superuser --password-stdin: $out"
[[ $out == *"created superuser root@example.com"* ]] || fail "create-superuser said: $out"
out=$(FIRST_SUPERUSER_EMAIL=ops@example.com FIRST_SUPERUSER_PASSWORD=from-env-12 \
  "$blog" create-superuser --username ops </dev/null 2>&1) || fail "create-superuser from the environment: $out"
[[ $out == *"created superuser ops@example.com"* ]] || fail "create-superuser said: $out"
out=$(printf 'other-pass-1\n' | "$blog" create-superuser --email root@example.com \
  --username root2 --password-stdin 2>&1) || fail "create-superuser again: $out"
[[ $out == *"a user with this e-mail exists"* ]] || fail "create-superuser again said: $out"

# serve: flags over HOST/PORT (both bad here), the start-up line with the docs URL, and the
# passwords given above work.
HOST=256.1.1.1 PORT=abc "$blog" serve --host 127.0.0.1 --port 0 --workers 1 \
  --log-level info >"$work/serve.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$work/serve.log")
  [[ -n $port ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $port ]]; then
  fail "serve did not start: $(cat "$work/serve.log")"
else
  grep -q "(API docs: http://127.0.0.1:$port/api/v1/docs)" "$work/serve.log" ||
    fail "the start-up line names no docs URL: $(grep listening "$work/serve.log")"
  for user in root@example.com:from-stdin-1 ops@example.com:from-env-12; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
      "http://127.0.0.1:$port/api/v1/auth/login" \
      --data-urlencode "username=${user%%:*}" --data-urlencode "password=${user#*:}")
    [[ $code == 200 ]] || fail "login as ${user%%:*}: $code"
  done
fi
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=""

# --log-level warning: the informational start-up lines are not written.
free=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$blog" serve --port "$free" --log-level warning >"$work/quiet.log" 2>&1 &
pid=$!
up=""
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$free/health" >/dev/null 2>&1 && { up=1; break; }
  sleep 0.1
done
[[ -n $up ]] || fail "serve --log-level warning did not answer: $(cat "$work/quiet.log")"
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=""
if grep -q ' INFO ' "$work/quiet.log"; then
  fail "--log-level warning still wrote INFO lines: $(cat "$work/quiet.log")"
fi

# hello: the same command line (vivace::cli), over the library's ServerSettings alone.
expect 0 '^hello \(Vivace [0-9.]+\)$' "$hello" --version
expect 2 'PORT: .*\[int_parsing\], got "x" \(from command line\)' "$hello" --port x
expect 2 'PORT: .*\[less_than_equal\]' env PORT=99999 "$hello"
expect 2 'LOG_LEVEL: .*\[enum\]' "$hello" serve --log-level loud
expect 0 'usage: hello serve' "$hello" serve --help
expect 2 "unknown command 'nope'" "$hello" nope
expect 0 '"openapi": "3.1' "$hello" openapi

if ((failures)); then
  echo "cli: $failures failure(s)" >&2
  exit 1
fi
echo "cli: all cases passed"
