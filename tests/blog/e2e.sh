#!/usr/bin/env bash
# End-to-end test of the example blog server over real sockets against PostgreSQL, following
# the HTTP contract of the example application (users, auth, posts, avatars, headers,
# graceful stop and restart with data kept).
#
#   tests/db/with-postgres.sh bash tests/blog/e2e.sh <path-to-blog-server>
#
# Needs VIVACE_TEST_POSTGRES_URL (a postgresql:// URL, exported by with-postgres.sh), curl,
# python3 and openssl.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <path-to-blog-server>" >&2
  exit 2
fi
if [[ -z "${VIVACE_TEST_POSTGRES_URL:-}" ]]; then
  echo "e2e: VIVACE_TEST_POSTGRES_URL is not set (run under tests/db/with-postgres.sh)" >&2
  exit 2
fi
if [[ ! -x "$1" ]]; then
  echo "e2e: not an executable: $1" >&2
  exit 2
fi
for tool in curl python3 openssl; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool is required" >&2; exit 2; }
done

server_bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d "${TMPDIR:-/tmp}/vivace-blog-e2e.XXXXXX")"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Helpers

step() { echo "-- $*"; }
ok() { echo "   ok: $*"; }

# The last response: $work/status, $work/headers, $work/body.
last_method=""
last_path=""

fail() {
  echo "FAIL: $*" >&2
  if [[ -n "$last_method" ]]; then
    echo "  last request: $last_method $last_path -> $(cat "$work/status" 2>/dev/null)" >&2
    echo "  response headers:" >&2
    sed 's/^/    /' "$work/headers" >&2 2>/dev/null || true
    echo "  response body:" >&2
    head -c 2000 "$work/body" 2>/dev/null | sed 's/^/    /' >&2 || true
    echo >&2
  fi
  if [[ -f "$work/server.log" ]]; then
    echo "  server log (tail):" >&2
    tail -n 20 "$work/server.log" | sed 's/^/    /' >&2
  fi
  exit 1
}

# req METHOD PATH [curl args...]: sends one request to the server, stores the status, the
# headers and the body of the response.
req() {
  local method="$1" path="$2"
  shift 2
  last_method="$method"
  last_path="$path"
  : >"$work/headers"
  : >"$work/body"
  curl -sS -X "$method" -o "$work/body" -D "$work/headers" -w '%{http_code}' \
    --max-time 30 "$@" "$base$path" >"$work/status" ||
    fail "curl could not complete $method $path"
}

# auth TOKEN: curl arguments for a bearer token (lower-case scheme: it is case-insensitive).
auth() { printf 'Authorization: bearer %s' "$1"; }

expect_status() {
  local got
  got="$(cat "$work/status")"
  [[ "$got" == "$1" ]] || fail "expected status $1, got $got"
}

# json_get EXPR: evaluates a Python expression over the response body parsed as `d`; prints
# strings as they are, anything else as JSON.
json_get() {
  python3 - "$1" "$work/body" <<'PY' || fail "cannot evaluate $1 on the response body"
import json, sys
expr, path = sys.argv[1], sys.argv[2]
try:
  d = json.load(open(path, encoding="utf-8"))
  v = eval(expr, {}, {"d": d})
except Exception as e:
  print(f"json_get: {expr}: {type(e).__name__}: {e}", file=sys.stderr)
  sys.exit(1)
print(v if isinstance(v, str) else json.dumps(v))
PY
}

# expect_json EXPR EXPECTED: json_get EXPR must print EXPECTED.
expect_json() {
  local got
  got="$(json_get "$1")"
  [[ "$got" == "$2" ]] || fail "expected $1 == $2, got $got"
}

# expect_true EXPR: a Python condition over the response body `d`.
expect_true() {
  local got
  got="$(json_get "bool($1)")"
  [[ "$got" == "true" ]] || fail "expected $1"
}

expect_detail() { expect_json 'd["detail"]' "$1"; }

# header_get NAME: the value of a response header (the last one of that name), or nothing.
header_get() {
  { grep -i "^$1:" "$work/headers" || true; } | tail -n 1 | cut -d: -f2- | tr -d '\r' |
    sed 's/^[[:space:]]*//; s/[[:space:]]*$//'
}

expect_header() {
  local got
  got="$(header_get "$1")"
  [[ "$got" == "$2" ]] || fail "expected header $1: $2, got '$got'"
}

# Every response carries X-Request-ID and X-Process-Time (a plain decimal).
expect_trace_headers() {
  local rid ptime
  rid="$(header_get X-Request-ID)"
  ptime="$(header_get X-Process-Time)"
  [[ -n "$rid" ]] || fail "missing X-Request-ID"
  [[ "$ptime" =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail "X-Process-Time '$ptime' is not a plain decimal"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port="$(free_port)"
base="http://127.0.0.1:$port"
secret_key="$(openssl rand -hex 32)"
mkdir -p "$work/uploads"

start_server() {
  (
    cd "$work"
    exec env \
      DATABASE_URL="$VIVACE_TEST_POSTGRES_URL" \
      PORT="$port" \
      HOST=127.0.0.1 \
      ENVIRONMENT=production \
      SECRET_KEY="$secret_key" \
      UPLOAD_DIR="$work/uploads" \
      PASSWORD_HASH_COST=12 \
      ALLOWED_HOSTS=127.0.0.1,localhost \
      "$server_bin"
  ) >>"$work/server.log" 2>&1 &
  server_pid=$!
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited during start-up"
    if curl -sf -o /dev/null --max-time 2 "$base/health" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  fail "the server did not answer GET /health within 20 s"
}

# stop_server: SIGTERM, then the server must exit by itself (within 20 s) with status 0.
stop_server() {
  local watchdog rc=0
  kill -TERM "$server_pid"
  (sleep 20 && kill -KILL "$server_pid" 2>/dev/null) &
  watchdog=$!
  wait "$server_pid" || rc=$?
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  server_pid=""
  [[ "$rc" == 0 ]] || fail "the server exited with status $rc after SIGTERM (137: killed after 20 s)"
}

# login EMAIL PASSWORD: the form login; leaves the Token in the response.
login() {
  req POST /api/v1/auth/login --data-urlencode "username=$1" --data-urlencode "password=$2"
}

API=/api/v1
a_email="alice@example.com"
a_password="alice-password-1"
b_email="bob@example.com"
b_password="bob-password-1"

# ---------------------------------------------------------------------------------------------
step "start the server (PostgreSQL, port $port)"
start_server
req GET /health
expect_status 200
expect_json 'd["status"]' healthy
expect_json 'd["environment"]' production
expect_trace_headers
ok "GET /health"

# ---------------------------------------------------------------------------------------------
step "register two users"
req POST "$API/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$a_email\",\"username\":\"alice\",\"password\":\"$a_password\",\"full_name\":\"Alice A\"}"
expect_status 200
expect_json 'd["email"]' "$a_email"
expect_json 'd["username"]' alice
expect_true '"password" not in d and "hashed_password" not in d'
expect_true 'not any("password" in k for k in d)'
expect_trace_headers
a_id="$(json_get 'd["id"]')"
ok "A registered (id $a_id), no password in the response"

req POST "$API/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$b_email\",\"username\":\"bob\",\"password\":\"$b_password\"}"
expect_status 200
expect_true '"password" not in d and "hashed_password" not in d'
b_id="$(json_get 'd["id"]')"
[[ "$a_id" != "$b_id" ]] || fail "A and B have the same id $a_id"
ok "B registered (id $b_id)"

req POST "$API/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$a_email\",\"username\":\"alice2\",\"password\":\"$a_password\"}"
expect_status 400
expect_detail "Email already registered"
expect_trace_headers
ok "duplicate e-mail -> 400 Email already registered"

# ---------------------------------------------------------------------------------------------
step "log in"
login "$a_email" "$a_password"
expect_status 200
expect_json 'd["token_type"]' bearer
expect_json 'd["expires_in"]' 1800
a_token="$(json_get 'd["access_token"]')"
a_refresh="$(json_get 'd["refresh_token"]')"
[[ -n "$a_token" && -n "$a_refresh" ]] || fail "empty tokens"
ok "A logged in (bearer, expires_in 1800)"

login "$b_email" "$b_password"
expect_status 200
b_token="$(json_get 'd["access_token"]')"
ok "B logged in"

req GET "$API/users/me" -H "$(auth "$a_token")"
expect_status 200
expect_json 'd["id"]' "$a_id"
expect_json 'd["email"]' "$a_email"
expect_true '"hashed_password" not in d'
ok "GET /users/me with 'Authorization: bearer ...'"

# ---------------------------------------------------------------------------------------------
step "posts"
req POST "$API/posts/" -H "$(auth "$a_token")" -H 'Content-Type: application/json' \
  -d '{"title":"Hello, World: First Post!","content":"The first post.","published":true}'
expect_status 201
expect_json 'd["slug"]' hello-world-first-post
expect_json 'd["published"]' true
expect_json 'd["author_id"]' "$a_id"
expect_true 'd["published_at"]'
post1_id="$(json_get 'd["id"]')"
post1_slug="$(json_get 'd["slug"]')"
post1_published_at="$(json_get 'd["published_at"]')"
ok "published post -> 201, slug $post1_slug"

req POST "$API/posts/" -H "$(auth "$a_token")" -H 'Content-Type: application/json' \
  -d '{"title":"Secret draft","content":"Not yet."}'
expect_status 201
expect_json 'd["published"]' false
expect_json 'd["published_at"]' null
expect_json 'd["slug"]' secret-draft
draft_id="$(json_get 'd["id"]')"
ok "draft -> 201"

req POST "$API/posts/" -H "$(auth "$a_token")" -H 'Content-Type: application/json' \
  -d '{"title":"Hello, World: First Post!","content":"Same title again.","published":true}'
expect_status 201
expect_json 'd["slug"]' "$post1_slug-2"
post3_id="$(json_get 'd["id"]')"
ok "same title -> slug $post1_slug-2"

req GET "$API/posts/$draft_id" -H "$(auth "$b_token")"
expect_status 404
expect_detail "Post not found"
expect_trace_headers
ok "B cannot read A's draft (404)"

req GET "$API/posts/$draft_id" -H "$(auth "$a_token")"
expect_status 200
expect_json 'd["id"]' "$draft_id"
ok "A reads own draft"

req PUT "$API/posts/$post1_id" -H "$(auth "$b_token")" -H 'Content-Type: application/json' \
  -d '{"title":"Hijacked"}'
expect_status 403
expect_detail "Not enough permissions"
ok "B cannot update A's post (403)"

req PUT "$API/posts/$post1_id" -H "$(auth "$a_token")" -H 'Content-Type: application/json' \
  -d '{"title":"A New Title","content":"Edited content."}'
expect_status 200
expect_json 'd["title"]' "A New Title"
expect_json 'd["content"]' "Edited content."
expect_json 'd["slug"]' "$post1_slug"
expect_json 'd["published_at"]' "$post1_published_at"
ok "A updates own post (slug and published_at unchanged)"

req GET "$API/posts/"
expect_status 200
expect_json '[p["id"] for p in d]' "[$post3_id, $post1_id]"
expect_true 'all(p["published"] for p in d)'
ok "GET /posts/ lists published posts only, newest first"

# ---------------------------------------------------------------------------------------------
step "avatar upload"
printf '\x89PNG\r\n\x1a\nnot really a png' >"$work/avatar.png"
req POST "$API/users/me/avatar" -H "$(auth "$a_token")" -F "file=@$work/avatar.png;type=image/png"
expect_status 200
expect_true 'd["avatar_url"]'
avatar_url="$(json_get 'd["avatar_url"]')"
avatar_path="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).path)' "$avatar_url")"
ok "avatar -> 200, avatar_url $avatar_url"

req GET "$avatar_path"
expect_status 200
cmp -s "$work/body" "$work/avatar.png" || fail "GET $avatar_path did not return the uploaded bytes"
ok "GET $avatar_path returns the uploaded bytes"

echo "plain text" >"$work/notes.txt"
req POST "$API/users/me/avatar" -H "$(auth "$a_token")" -F "file=@$work/notes.txt;type=text/plain"
expect_status 400
ok ".txt avatar -> 400"

# ---------------------------------------------------------------------------------------------
step "refresh token rotation"
req POST "$API/auth/refresh" -H 'Content-Type: application/json' \
  -d "{\"refresh_token\":\"$a_refresh\"}"
expect_status 200
expect_json 'd["token_type"]' bearer
a_refresh2="$(json_get 'd["refresh_token"]')"
[[ "$a_refresh2" != "$a_refresh" ]] || fail "refresh returned the same refresh token"
ok "refresh -> 200 with a new refresh token"

req POST "$API/auth/refresh" -H 'Content-Type: application/json' \
  -d "{\"refresh_token\":\"$a_refresh\"}"
expect_status 401
expect_detail "Invalid refresh token"
ok "reusing the old refresh token -> 401"

# ---------------------------------------------------------------------------------------------
step "logout"
req POST "$API/auth/logout" -H "$(auth "$a_token")"
expect_status 200
expect_json 'd["message"]' "Successfully logged out"
ok "logout -> 200"

req GET "$API/users/me" -H "$(auth "$a_token")"
expect_status 401
expect_detail "Could not validate credentials"
expect_header WWW-Authenticate Bearer
expect_trace_headers
ok "the logged-out access token -> 401 with WWW-Authenticate: Bearer"

req POST "$API/auth/refresh" -H 'Content-Type: application/json' \
  -d "{\"refresh_token\":\"$a_refresh2\"}"
expect_status 401
expect_detail "Invalid refresh token"
ok "a refresh token issued before logout -> 401"

login "$a_email" "$a_password"
expect_status 200
a_token="$(json_get 'd["access_token"]')"
req GET "$API/users/me" -H "$(auth "$a_token")"
expect_status 200
ok "login right after logout works"

# ---------------------------------------------------------------------------------------------
step "delete a post"
req DELETE "$API/posts/$post3_id" -H "$(auth "$a_token")"
expect_status 204
[[ ! -s "$work/body" ]] || fail "204 with a non-empty body"
expect_trace_headers
ok "A deletes a post -> 204, empty body"

req GET "$API/posts/$post3_id"
expect_status 404
expect_detail "Post not found"
ok "the deleted post is gone"

# ---------------------------------------------------------------------------------------------
step "headers and trusted hosts"
req GET /health -H 'X-Request-ID: e2e-request-42'
expect_status 200
expect_header X-Request-ID e2e-request-42
ok "X-Request-ID is echoed"

req GET /health -H 'Host: evil.example'
expect_status 400
expect_trace_headers
ok "Host: evil.example -> 400"

# A body over MAX_REQUEST_BODY_SIZE (default MAX_FILE_SIZE + 1 MiB = 6 MiB): 413, whether the
# client announces its length or sends it chunked; the server reads no further.
head -c $((7 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$work/big.json"
req POST "$API/auth/register" -H 'Content-Type: application/json' --data-binary "@$work/big.json"
expect_status 413
expect_json 'd["detail"]' "Payload Too Large"
expect_trace_headers
ok "a 7 MiB body with Content-Length -> 413"
req POST "$API/auth/register" -H 'Content-Type: application/json' \
  -H 'Transfer-Encoding: chunked' --data-binary "@$work/big.json"
expect_status 413
expect_json 'd["detail"]' "Payload Too Large"
expect_trace_headers
ok "a 7 MiB chunked body -> 413"
rm -f "$work/big.json"

# ---------------------------------------------------------------------------------------------
step "graceful stop (SIGTERM) and restart"
stop_server
ok "SIGTERM -> exit status 0"
start_server
ok "restarted"

req GET "$API/users/me" -H "$(auth "$a_token")"
expect_status 200
expect_json 'd["id"]' "$a_id"
ok "an access token issued before the restart still works"

login "$a_email" "$a_password"
expect_status 200
a_token="$(json_get 'd["access_token"]')"
ok "A logs in again"

req GET "$API/users/me/posts" -H "$(auth "$a_token")"
expect_status 200
expect_json '[p["id"] for p in d]' "[$draft_id, $post1_id]"
ok "A's posts (draft included) are still there"

req GET "$API/posts/by-slug/$post1_slug"
expect_status 200
expect_json 'd["id"]' "$post1_id"
expect_json 'd["title"]' "A New Title"
ok "GET /posts/by-slug/$post1_slug"

stop_server
ok "stopped"
echo "PASS: blog e2e"
