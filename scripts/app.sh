#!/usr/bin/env bash
# The project's own processes: the Celery worker and the API under gunicorn.
#   scripts/app.sh start | stop | status
. "$(dirname "$0")/config.sh"

WORKER_PID="$PID_DIR/worker.pid"
SUPERVISOR_PID="$PID_DIR/worker-supervisor.pid"
API_PID="$PID_DIR/api.pid"

api_health() { curl -fsS -o /dev/null "$NEWSARCHIVE_API_URL/v1/health"; }

cmd_start() {
  cd "$ROOT"
  if pid_alive "$SUPERVISOR_PID"; then log "worker supervisor already running (pid $(cat "$SUPERVISOR_PID"))"; else
    stop_pidfile worker "$WORKER_PID"   # a worker left without its supervisor
    rm -f "$WORKER_PID"  # a stale file would satisfy the wait below before the new worker is up
    log "starting Celery worker (concurrency $NEWSARCHIVE_WORKER_CONCURRENCY), supervised"
    # A supervising shell starts the worker again when it dies (a crash, or kombu's
    # AttributeError when the Redis connection drops at a bad moment): accepted batches wait
    # in Redis, so a restart loses nothing. TERM to the supervisor stops both.
    setsid bash -c '
      trap "kill -TERM \$child 2>/dev/null; wait \$child; exit 0" TERM
      while true; do
        "$0" -A indexer.worker worker --loglevel INFO --concurrency "$1" --hostname "$2" \
          --pidfile "$3" --logfile "$4" &
        child=$!
        wait $child
        echo "{\"level\": \"WARNING\", \"logger\": \"supervisor\", \"message\": \"worker exited ($?), starting it again in 2 s\"}" >> "$4"
        sleep 2
      done' "$VENV/bin/celery" "$NEWSARCHIVE_WORKER_CONCURRENCY" "worker-$PROFILE@%h" \
      "$WORKER_PID" "$LOG_DIR/worker.log" </dev/null >/dev/null 2>&1 &
    echo $! > "$SUPERVISOR_PID"
    wait_for "worker pid file" 30 test -s "$WORKER_PID"
  fi
  if pid_alive "$API_PID"; then log "API already running (pid $(cat "$API_PID"))"; else
    rm -f "$API_PID"
    log "starting API on $NEWSARCHIVE_API_URL ($NEWSARCHIVE_API_WORKERS gunicorn workers x $NEWSARCHIVE_API_THREADS threads)"
    # The gunicorn workers share their metrics through files here (api/metrics.py), emptied at
    # each start. JSON log lines, one access line per request among them, go to api.log.
    export PROMETHEUS_MULTIPROC_DIR="$STATE_DIR/metrics"
    rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    "$VENV/bin/gunicorn" -c python:api.gunicorn_conf --bind "$NEWSARCHIVE_BIND:$NEWSARCHIVE_API_PORT" \
      --workers "$NEWSARCHIVE_API_WORKERS" --pid "$API_PID" --daemon \
      --no-control-socket --error-logfile "$LOG_DIR/api.log" \
      "api:create_app()"
    wait_for "API pid file" 30 test -s "$API_PID"
  fi
  wait_for "API health (Elasticsearch, Redis, worker, NER service)" 90 api_health
  log "API is up"
}

cmd_stop() {
  stop_pidfile api "$API_PID"
  stop_pidfile "worker supervisor" "$SUPERVISOR_PID"
  stop_pidfile worker "$WORKER_PID"
}

cmd_status() {
  local name
  for name in worker api; do print_status "$name" "$PID_DIR/$name.pid"; done
}

run_command "start stop status" "${1:-}"
