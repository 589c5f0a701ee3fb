#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster: initdb into a temporary folder, start
# on 127.0.0.1 and a free port, create a database, export VIVACE_TEST_POSTGRES_URL (and
# VIVACE_TEST_POSTGRES_RESTART, a command that restarts the server), run, then stop and delete
# the cluster whatever happens. As root the cluster runs as the `postgres` user.
#
#   tests/db/with-postgres.sh <command> [args...]
set -euo pipefail

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  [[ -x "$d/initdb" ]] && bindir="$d"
done
if [[ -z "$bindir" ]]; then
  echo "with-postgres: no PostgreSQL server found (apt-get install postgresql-15)" >&2
  exit 1
fi

as_owner=()
if [[ "$(id -u)" == 0 ]]; then
  as_owner=(runuser -u postgres --)
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/vivace-pg.XXXXXX")"
chmod 755 "$dir"
if [[ "$(id -u)" == 0 ]]; then
  chown postgres: "$dir"
fi
data="$dir/data"
log="$dir/server.log"

cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$data" -U vivace --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

started=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  if "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" \
      start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [[ -z "$started" ]]; then
  echo "with-postgres: the server did not start:" >&2
  cat "$log" >&2 || true
  exit 1
fi
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U vivace vivace_test

cat >"$dir/restart.sh" <<RESTART
#!/usr/bin/env bash
exec ${as_owner[*]} "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 -m fast restart \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" >/dev/null
RESTART
chmod 755 "$dir/restart.sh"

export VIVACE_TEST_POSTGRES_URL="postgresql://vivace@127.0.0.1:$port/vivace_test"
export VIVACE_TEST_POSTGRES_RESTART="$dir/restart.sh"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port"
status=0
"$@" || status=$?
exit "$status"
