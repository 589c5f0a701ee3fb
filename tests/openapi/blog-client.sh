#!/usr/bin/env bash
# A typed TypeScript client of the example blog server, generated from its OpenAPI document,
# runs the scripted session of tests/blog/e2e.sh against a live server: `blog-server openapi`
# → openapi-typescript → schema.d.ts (which must contain no `any`), blog-client/blog.ts
# type-checked with `tsc --strict` (typescript 5.9, pinned), then run with node against
# `blog-server` on a free loopback port. SQLite in a temporary folder, or PostgreSQL when
# VIVACE_TEST_POSTGRES_URL is set:
#
#   tests/db/with-postgres.sh tests/openapi/blog-client.sh build/dev
#
# Tools from tools/openapi (npm ci by check.sh).
# usage: tests/openapi/blog-client.sh [build dir (build/dev)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/dev}
npm_dir=$root/build/npm
work=$npm_dir/blog-client  # inside build/npm so that node and tsc find node_modules
if [[ ! -d $npm_dir/node_modules ]]; then
  echo "blog-client: run tests/openapi/check.sh first" >&2
  exit 1
fi
server=$(cd "$build" && pwd)/examples/blog/blog-server
[[ -x $server ]] || { echo "blog-client: no $server (build the example first)" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cp "$here/blog-client/blog.ts" "$here/blog-client/tsconfig.json" "$work/"
printf '{"type": "module", "private": true}\n' >"$work/package.json"

# The server runs in a folder of its own (no stray .env is read; the SQLite file and the
# uploads go there), removed at the end.
run=$(mktemp -d "${TMPDIR:-/tmp}/vivace-blog-client.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$run"
}
trap cleanup EXIT

if ! (cd "$run" && ENVIRONMENT=development "$server" openapi >"$work/openapi.json" \
  2>"$run/openapi.log"); then
  echo "blog-client: blog-server openapi failed" >&2
  cat "$run/openapi.log" >&2
  exit 1
fi
# --default-non-nullable=false: openapi-typescript 7 otherwise makes every property with a
# `default` required in component schemas, request bodies included (PostCreate.published,
# PostUpdate's fields, the login form's grant_type...), so that no partial update could be typed.
"$npm_dir/node_modules/.bin/openapi-typescript" "$work/openapi.json" -o "$work/schema.d.ts" \
  --default-non-nullable=false >/dev/null
if grep -nwE 'any' "$work/schema.d.ts"; then
  echo "blog-client: the generated types contain 'any'" >&2
  exit 1
fi
(cd "$work" && "$npm_dir/node_modules/.bin/tsc" -p tsconfig.json)
echo "blog-client: generated types and blog.ts type-check (tsc --strict)"

if [[ -n ${VIVACE_TEST_POSTGRES_URL:-} ]]; then
  database_url=$VIVACE_TEST_POSTGRES_URL
  backend=PostgreSQL
else
  database_url="sqlite:///$run/blog.db"  # an absolute path: sqlite:////...
  backend=SQLite
fi
mkdir -p "$run/uploads"
secret_key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')

# PORT=0: the system picks a free port, which the server logs ("listening on http://..."). The
# log exists before the server starts (the redirection happens in the child process), so that
# the loop below never reads a file that is not there yet.
: >"$run/server.log"
(
  cd "$run"
  exec env DATABASE_URL="$database_url" HOST=127.0.0.1 PORT=0 ENVIRONMENT=production \
    SECRET_KEY="$secret_key" UPLOAD_DIR="$run/uploads" ALLOWED_HOSTS=127.0.0.1,localhost \
    ACCESS_TOKEN_EXPIRE_MINUTES=30 PASSWORD_HASH_COST=10 WORKERS=2 "$server" serve
) >"$run/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 300); do  # migrations first: up to 30 s
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$run/server.log" | head -1)
  [[ -n $port ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "blog-client: blog-server did not start ($backend)" >&2
  cat "$run/server.log" >&2
  exit 1
fi
echo "blog-client: blog-server on 127.0.0.1:$port ($backend)"

status=0
BASE_URL="http://127.0.0.1:$port" node "$work/out/blog.js" || status=$?
if [[ $status != 0 ]]; then
  echo "blog-client: server log (tail):" >&2
  tail -n 20 "$run/server.log" >&2
  exit "$status"
fi

# A graceful stop: SIGTERM, then the server must exit by itself (within 20 s) with status 0.
kill -TERM "$server_pid"
for _ in $(seq 200); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
kill -KILL "$server_pid" 2>/dev/null || true
rc=0
wait "$server_pid" || rc=$?
server_pid=""
if [[ $rc != 0 ]]; then
  echo "blog-client: blog-server exited with status $rc after SIGTERM (137: killed after 20 s)" >&2
  tail -n 20 "$run/server.log" >&2
  exit 1
fi
echo "blog-client: blog-server stopped (SIGTERM, exit status 0)"
