#!/usr/bin/env bash
# The whole local stack in order: Python env, Elasticsearch (+ plugin), Redis, index, worker, API.
#   scripts/stack.sh up | down | status | load-samples
# NEWSARCHIVE_PROFILE=run (default) or test selects ports, index prefix and state folder.
. "$(dirname "$0")/config.sh"
S="$ROOT/scripts"

cmd_up() {
  "$S/python.sh"
  "$S/elasticsearch.sh" start
  "$S/redis.sh" start
  log "creating the articles index behind its alias (idempotent)"
  "$VENV/bin/newsarchive" create-index
  "$S/app.sh" start
}

cmd_down() {
  "$S/app.sh" stop
  "$S/redis.sh" stop
  "$S/elasticsearch.sh" stop
}

cmd_status() {
  "$S/elasticsearch.sh" status
  "$S/redis.sh" status
  "$S/app.sh" status
}

cmd_load_samples() {
  log "loading the sample articles through the API"
  "$VENV/bin/newsarchive" import --api "$NEWSARCHIVE_API_URL" --wait "$ROOT/samples"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  load-samples) cmd_load_samples ;;
  *) echo "usage: $0 up|down|status|load-samples" >&2; exit 2 ;;
esac
