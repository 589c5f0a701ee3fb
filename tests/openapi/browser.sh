#!/usr/bin/env bash
# A real browser opens the docs pages: headless Chromium (Debian's package) loads /docs and
# /redoc of examples/hello, served on a free loopback port, and the rendered pages must list
# the operations; then playwright-core drives Swagger UI's "Authorize" dialog (OAuth2 password
# flow) on the every-feature test app and runs an operation that needs the token
# (tests/openapi/authorize.mjs). Screenshots go to BUILD/openapi-check/. Skipped, saying so,
# only when Chromium is not installed (scripts/setup.sh installs it). Needs the npm tools that
# tests/openapi/check.sh installs.
# usage: tests/openapi/browser.sh [build dir (build/dev)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/dev}
out=$build/openapi-check
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  echo "browser: chromium is not installed; the docs pages were not checked in a browser"
  exit 0
fi
server=$build/examples/hello/hello
[[ -x $server ]] || { echo "browser: $server not built" >&2; exit 1; }

source "$here/serve.sh"
profile=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; rm -rf "$profile"' EXIT
serve "$out/hello-server.log" "$server" --port 0
pids+=("$SERVED_PID")
port=$SERVED_PORT

# Flags that keep Chromium off the network (it may only talk to the loopback server).
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --disable-default-apps --user-data-dir="$profile" --virtual-time-budget=10000
  --window-size=1280,1600)

render() {  # page name, URL → the DOM after scripts ran (and a screenshot)
  "$browser" "${flags[@]}" --screenshot="$out/$1.png" "$2" >/dev/null 2>&1 || true
  "$browser" "${flags[@]}" --dump-dom "$2" 2>/dev/null
}

failed=0
expect() {  # page, DOM file, text that must be there
  if grep -qF -- "$3" "$2"; then
    echo "browser: $1 shows $3"
  else
    echo "browser: $1 does not show $3 (DOM in $2)" >&2
    failed=1
  fi
}
render docs "http://127.0.0.1:$port/docs" >"$out/docs.html"
expect /docs "$out/docs.html" 'data-path="/items/{item_id}"'
expect /docs "$out/docs.html" 'Read an item'
expect /docs "$out/docs.html" 'OAS 3.1'
render redoc "http://127.0.0.1:$port/redoc" >"$out/redoc.html"
expect /redoc "$out/redoc.html" 'Read an item'
expect /redoc "$out/redoc.html" '/items/{item_id}'
echo "browser: screenshots in $out/docs.png and $out/redoc.png"

# Swagger UI's Authorize button against the test app's token URL.
npm_dir=$root/build/npm
serve "$out/features-server.log" "$build/tests/openapi_features_app" --serve
pids+=("$SERVED_PID")
fport=$SERVED_PORT
cp "$here/authorize.mjs" "$npm_dir/"
BASE_URL="http://127.0.0.1:$fport" CHROMIUM="$browser" OUT="$out" node "$npm_dir/authorize.mjs" ||
  failed=1
exit $failed
