#!/usr/bin/env bash
# `make run`: a private PostgreSQL (unless DATABASE_URL names a server), migrations, demo data, then
# web, a Celery worker and beat together. A process that dies is started again (and the output says so);
# Ctrl-C (or SIGTERM) stops all of them, the database last.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
VAR_DIR="${RABFANG_VAR_DIR:-var}"
export RABFANG_VAR_DIR="$VAR_DIR"
mkdir -p "$VAR_DIR/log"

declare -A pids=()  # name -> pid
db_pid=""
stop() {
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  if [ -n "$db_pid" ]; then kill "$db_pid" 2>/dev/null || true; wait "$db_pid" 2>/dev/null || true; fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${DATABASE_URL:-}" ]; then
  url_file="$VAR_DIR/postgres.url"
  rm -f "$url_file"
  "$BIN/python" scripts/private_postgres.py "$VAR_DIR/postgres" "$url_file" &
  db_pid=$!
  # Wait for the server to answer (the script writes the file only then), or for the script to fail.
  while [ ! -s "$url_file" ]; do
    if ! kill -0 "$db_pid" 2>/dev/null; then echo "The embedded PostgreSQL did not start (see above)." >&2; exit 1; fi
    sleep 0.2
  done
  DATABASE_URL="$(cat "$url_file")"
  export DATABASE_URL
fi

"$BIN/python" manage.py migrate --no-input
"$BIN/python" manage.py seed_demo
"$BIN/python" manage.py collectstatic --no-input -v 0

start() {
  case "$1" in
    web) "$BIN/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - & ;;
    worker) "$BIN/celery" -A config worker --loglevel INFO --concurrency 2 & ;;
    beat) "$BIN/celery" -A config beat --loglevel INFO & ;;
  esac
  pids[$1]=$!
}
for name in web worker beat; do start "$name"; done

cat <<INFO

Rabfang is starting (web, worker, beat). Ctrl-C stops everything.
  Citizen portal http://127.0.0.1:$PORT/
  API            http://127.0.0.1:$PORT/api/v1/
  API docs       http://127.0.0.1:$PORT/api/docs/
  OpenAPI schema http://127.0.0.1:$PORT/api/schema/
  Health         http://127.0.0.1:$PORT/healthz
  Django admin   http://127.0.0.1:$PORT/admin/
Demo logins (password: ${DEMO_PASSWORD:-rabfang-demo}):
  admin clerk1 officer1 officer2 supervisor1 director integrity1 auditor1 committee1
Database: ${db_pid:+embedded PostgreSQL in $VAR_DIR/postgres, }$DATABASE_URL
Broker: ${CELERY_BROKER_URL:-filesystem under $VAR_DIR/broker}

INFO
# Keep all three running: whichever exits is started again, after 1, 2, 4 ... at most 30 seconds when it
# keeps dying (a port in use, a broken configuration), and after 1 second again once it has run a minute.
declare -A delay=() started=()
for name in "${!pids[@]}"; do delay[$name]=1; started[$name]=$SECONDS; done
while true; do
  status=0
  wait -n -p exited "${pids[@]}" || status=$?
  for name in "${!pids[@]}"; do
    if [ "${pids[$name]}" = "${exited:-}" ]; then
      if (( SECONDS - started[$name] >= 60 )); then delay[$name]=1; fi
      echo "make run: $name (pid $exited) exited with status $status; starting it again in ${delay[$name]} s" >&2
      sleep "${delay[$name]}"
      delay[$name]=$(( delay[$name] * 2 > 30 ? 30 : delay[$name] * 2 ))
      started[$name]=$SECONDS
      start "$name"
    fi
  done
done
