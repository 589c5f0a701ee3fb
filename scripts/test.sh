#!/usr/bin/env bash
# Installs what is missing, builds and runs every test: the dev build (warnings as errors),
# then the same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
# After the dev suite: the OpenAPI documents checked by two external validators (npm), the docs
# pages rendered by headless Chromium, the API reference built by Doxygen (no warnings), then
# the libFuzzer targets on VIVACE_FUZZ_RUNS inputs (default 500000) when clang is installed. Set VIVACE_SKIP_SANITIZERS=1 to run only the dev build.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh test
# Node.js from the npm registry (setup.sh puts it there when the machine's is missing or older
# than 20) goes before the machine's own.
# It trusts the certificate authorities the system trusts, as Debian's own Node.js does (its
# bundled list alone refuses a network's own CA, on a network that intercepts TLS).
if [[ -x build/tools/node/bin/node ]]; then
  export PATH="$PWD/build/tools/node/bin:$PATH"
  if [[ -z ${NODE_EXTRA_CA_CERTS:-} && -r /etc/ssl/certs/ca-certificates.crt ]]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
fi

jobs=$(nproc)
export CCACHE_DIR=${CCACHE_DIR:-$PWD/build/.ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-2G}

run_suite() {
  local preset=$1
  echo "== ${preset}: configure and build"
  local start=$SECONDS
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== ${preset}: built in $((SECONDS - start)) s; running the tests"
  ctest --preset "$preset" -j "$jobs"
}

run_suite dev
# The OpenAPI documents through the strict 3.1 schema and Redocly's linter (pinned npm tools).
tests/openapi/check.sh build/dev
# A typed TypeScript client generated from the document, type-checked and run against a server.
tests/openapi/client.sh build/dev
# The same for the example blog server's document: a generated client runs the scripted session
# of tests/blog/e2e.sh against a live blog-server on PostgreSQL (the e2e test's backend).
tests/db/with-postgres.sh tests/openapi/blog-client.sh build/dev
# Swagger UI and ReDoc rendered by headless Chromium: the operations must be listed.
tests/openapi/browser.sh build/dev
# The API reference from the headers' comments: an undocumented public symbol fails the run.
docs/api-reference.sh
# The schema decoder's fuzz target on a fixed number of inputs from a fixed seed, so that the
# result is the same on every run (skipped without clang's libFuzzer). Explore longer by hand:
# tests/fuzz/run.sh 600
FUZZ_RUNS=${VIVACE_FUZZ_RUNS:-500000} tests/fuzz/run.sh
if [[ "${VIVACE_SKIP_SANITIZERS:-0}" != 1 ]]; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  run_suite asan-ubsan
fi
