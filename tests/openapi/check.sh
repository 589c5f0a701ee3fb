#!/usr/bin/env bash
# The OpenAPI documents checked by tools nobody here wrote: the strict OpenAPI 3.1 schema
# (@seriousme/openapi-schema-validator) and Redocly's linter with the `spec` ruleset
# (references, path parameters). Versions are pinned in tools/openapi/package-lock.json and
# installed with `npm ci` into build/npm. Each tool must also reject the deliberately broken
# documents in tests/openapi/broken/, so that a check that cannot fail would be noticed.
# usage: tests/openapi/check.sh [build dir (build/dev)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/dev}
npm_dir=$root/build/npm
out=$build/openapi-check
mkdir -p "$npm_dir" "$out"
build=$(cd "$build" && pwd)
out=$(cd "$out" && pwd)

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "openapi: node and npm are required (scripts/setup.sh installs them)" >&2
  exit 1
fi
if [[ ! -d $npm_dir/node_modules ]] ||
  ! cmp -s "$root/tools/openapi/package-lock.json" "$npm_dir/package-lock.json"; then
  echo "openapi: installing the pinned tools (npm ci)"
  cp "$root/tools/openapi/package.json" "$root/tools/openapi/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
export REDOCLY_TELEMETRY=off NO_UPDATE_NOTIFIER=1
validator=$npm_dir/node_modules/.bin/validate-api
redocly=$npm_dir/node_modules/.bin/redocly

# The documents: the example's and the every-feature test app's.
"$build/tests/openapi_features_app" >"$out/features.json"
docs=("$out/features.json")
if [[ -x $build/examples/hello/hello ]]; then
  "$build/examples/hello/hello" openapi >"$out/hello.json"
  docs+=("$out/hello.json")
fi
if [[ -x $build/examples/blog/blog-server ]]; then  # the example application
  (cd "$out" && ENVIRONMENT=development PASSWORD_HASH_COST=10 \
    "$build/examples/blog/blog-server" openapi >"$out/blog.json" 2>/dev/null)
  docs+=("$out/blog.json")
fi

check() {  # tool name, document → 0 when the tool accepts it; output kept in a log
  local tool=$1 doc=$2 log
  log="$out/$(basename "$doc" .json).$tool.log"
  case $tool in
    schema) "$validator" "$doc" >"$log" 2>&1 && grep -q '"valid": true' "$log" ;;
    redocly) "$redocly" lint --extends=spec --format=stylish "$doc" >"$log" 2>&1 ;;
  esac
}

failed=0
for doc in "${docs[@]}"; do
  for tool in schema redocly; do
    if check "$tool" "$doc"; then
      echo "openapi: $(basename "$doc"): $tool: valid"
    else
      echo "openapi: $(basename "$doc"): $tool: INVALID" >&2
      cat "$out/$(basename "$doc" .json).$tool.log" >&2
      failed=1
    fi
  done
done
for doc in "$here"/broken/*.json; do
  for tool in schema redocly; do
    if check "$tool" "$doc"; then
      echo "openapi: broken/$(basename "$doc"): $tool accepted a broken document" >&2
      failed=1
    else
      echo "openapi: broken/$(basename "$doc"): $tool: rejected, as it must be"
    fi
  done
done
exit $failed
