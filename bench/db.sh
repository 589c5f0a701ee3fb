#!/usr/bin/env bash
# GET /items/{id} through Vivace vs a bare SOCI loop of the same query, SQLite and PostgreSQL
# (a throwaway cluster), in the release-like bench build. Prints a markdown table; the ratios
# are time per request, framework / bare loop, medians over the rounds. Extra arguments go to
# db_bench (--threads, --seconds, --rounds, --io-threads, --workers).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset bench >/dev/null
cmake --build build/bench --target db_bench
bin=build/bench/bench/db_bench
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
echo "| backend | requests in flight | bare loop (req/s) | bare, prepared once (req/s) | ReadSessionDep (req/s; time ratio to bare, to prepared) | SessionDep, in a transaction (req/s; time ratio) |"
echo "|---|---|---|---|---|---|"
"$bin" "sqlite:///$dir/bench.db" "$@"
bash tests/db/with-postgres.sh bash -c "\"$bin\" \"\$VIVACE_TEST_POSTGRES_URL\" $*" | grep '^|'
