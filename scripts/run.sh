#!/usr/bin/env bash
# Start web, a Celery worker and beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
VAR_DIR="${RABFANG_VAR_DIR:-var}"
mkdir -p "$VAR_DIR/broker" "$VAR_DIR/broker-processed" "$VAR_DIR/log"

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

"$BIN/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - &
pids+=($!)
"$BIN/celery" -A config worker --loglevel INFO --concurrency 2 &
pids+=($!)
"$BIN/celery" -A config beat --loglevel INFO &
pids+=($!)

sleep 2
cat <<INFO

Rabfang is running (web, worker, beat). Ctrl-C stops everything.
  API            http://127.0.0.1:$PORT/api/v1/
  API docs       http://127.0.0.1:$PORT/api/docs/
  OpenAPI schema http://127.0.0.1:$PORT/api/schema/
  Health         http://127.0.0.1:$PORT/healthz
  Django admin   http://127.0.0.1:$PORT/admin/
Demo logins (password: ${DEMO_PASSWORD:-rabfang-demo}):
  admin clerk1 officer1 officer2 supervisor1 director integrity1 auditor1 committee1
Database: ${DATABASE_URL:-SQLite file $VAR_DIR/rabfang.sqlite3}; broker: ${CELERY_BROKER_URL:-filesystem under $VAR_DIR/broker}

INFO
wait -n "${pids[@]}"
