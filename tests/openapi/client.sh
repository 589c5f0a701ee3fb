#!/usr/bin/env bash
# A typed TypeScript client from Vivace's OpenAPI document, against a live server: the
# every-feature test app's document → openapi-typescript → schema.d.ts (which must contain no
# `any`), client.ts type-checked with `tsc --strict` (typescript 5.9, pinned), then run with
# node against `openapi_features_app --serve`. Tools from tools/openapi (npm ci by check.sh).
# usage: tests/openapi/client.sh [build dir (build/dev)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/dev}
npm_dir=$root/build/npm
work=$npm_dir/client  # inside build/npm so that node and tsc find node_modules
[[ -d $npm_dir/node_modules ]] || { echo "client: run tests/openapi/check.sh first" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cp "$here/client/client.ts" "$here/client/tsconfig.json" "$work/"
printf '{"type": "module", "private": true}\n' >"$work/package.json"

"$build/tests/openapi_features_app" >"$work/openapi.json"
"$npm_dir/node_modules/.bin/openapi-typescript" "$work/openapi.json" -o "$work/schema.d.ts" \
  >/dev/null
if grep -nwE 'any' "$work/schema.d.ts"; then
  echo "client: the generated types contain 'any'" >&2
  exit 1
fi
(cd "$work" && "$npm_dir/node_modules/.bin/tsc" -p tsconfig.json)
echo "client: generated types and client.ts type-check (tsc --strict)"

source "$here/serve.sh"
serve "$work/server.log" "$build/tests/openapi_features_app" --serve
trap 'kill $SERVED_PID 2>/dev/null || true; wait $SERVED_PID 2>/dev/null || true' EXIT
BASE_URL="http://127.0.0.1:$SERVED_PORT" node "$work/out/client.js"
