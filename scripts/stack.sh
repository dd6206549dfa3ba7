#!/usr/bin/env bash
# The whole local stack in order: Python env, Elasticsearch (+ plugin), Redis, NER service, index,
# worker, API.
#   scripts/stack.sh up | down | status | load-samples | local-key
# NEWSARCHIVE_PROFILE=run (default) or test selects ports, index prefix and state folder.
. "$(dirname "$0")/config.sh"
S="$ROOT/scripts"

cmd_up() {
  "$S/python.sh"
  "$S/elasticsearch.sh" start
  "$S/redis.sh" start
  "$S/ner.sh" start
  log "creating the articles index behind its alias (idempotent)"
  "$VENV/bin/newsarchive" create-index
  "$S/app.sh" start
}

cmd_down() {
  "$S/app.sh" stop
  "$S/ner.sh" stop
  "$S/redis.sh" stop
  "$S/elasticsearch.sh" stop
}

cmd_status() {
  "$S/elasticsearch.sh" status
  "$S/redis.sh" status
  "$S/ner.sh" status
  "$S/app.sh" status
}

# The local admin key (scope admin) that make run uses and prints, kept in the state folder
# (mode 600); made again when Redis no longer knows it (e.g. after make clean).
cmd_local_key() {
  local key_file="$STATE_DIR/api-key"
  if [ -s "$key_file" ] && NEWSARCHIVE_API_KEY="$(cat "$key_file")" \
       "$VENV/bin/newsarchive" keys check >/dev/null 2>&1; then
    return 0
  fi
  log "creating the local admin API key ($key_file)"
  (umask 077 && "$VENV/bin/newsarchive" keys create --name "local admin (make run)" \
     --scope admin > "$key_file.tmp" 2>/dev/null && mv "$key_file.tmp" "$key_file")
}

cmd_load_samples() {
  cmd_local_key
  log "loading the sample articles through the API"
  NEWSARCHIVE_API_KEY="$(cat "$STATE_DIR/api-key")" \
    "$VENV/bin/newsarchive" import --api "$NEWSARCHIVE_API_URL" --wait "$ROOT/samples"
}

run_command "up down status load-samples local-key" "${1:-}"
