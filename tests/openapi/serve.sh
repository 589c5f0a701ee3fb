# Sourced by the OpenAPI checks: starts a Vivace program that serves on a free loopback port
# (`--port 0` or `--serve`) and waits for the port it logs.
# serve LOG COMMAND... → sets SERVED_PID and SERVED_PORT; exits 1 when the server does not start.
serve() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  SERVED_PID=$!
  SERVED_PORT=""
  for _ in $(seq 100); do
    SERVED_PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log" | head -1)
    [[ -n $SERVED_PORT ]] && return 0
    sleep 0.05
  done
  echo "serve: $* did not start" >&2
  cat "$log" >&2
  exit 1
}
