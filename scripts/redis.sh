#!/usr/bin/env bash
# Redis for the local stack (Celery broker, result store, job state): Debian's redis-server, bound to
# loopback, with append-only persistence so accepted jobs survive a restart.
# appendfsync always: Redis answers a write only once it is fsynced, so a job answered 202 survives a
# crash of Redis or of the machine. everysec would answer first and lose up to ~2 s of accepted jobs
# (README, "Where Redis persistence is needed"); measured here: a 1,000-article bulk is accepted in
# ~0.9 s instead of ~0.3 s, ingest and search throughput unchanged.
#   scripts/redis.sh install | start | stop | status
. "$(dirname "$0")/config.sh"

REDIS_DIR="$STATE_DIR/redis"
REDIS_PID="$PID_DIR/redis.pid"

cmd_install() {
  command -v redis-server >/dev/null && return 0
  log "installing redis-server from Debian's packages"
  # policy-rc.d keeps the package from starting its own system service on the default port.
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq redis-server >&2 \
    || { as_root apt-get update -qq >&2 && as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq redis-server >&2; }
}

ping() { redis-cli -h "$NEWSARCHIVE_BIND" -p "$NEWSARCHIVE_REDIS_PORT" ping | grep -q PONG; }

cmd_start() {
  if pid_alive "$REDIS_PID"; then log "Redis already running (pid $(cat "$REDIS_PID"))"; return 0; fi
  cmd_install
  mkdir -p "$REDIS_DIR"
  log "starting Redis on $NEWSARCHIVE_REDIS_URL"
  redis-server --bind "$NEWSARCHIVE_BIND" --port "$NEWSARCHIVE_REDIS_PORT" --daemonize yes \
    --pidfile "$REDIS_PID" --dir "$REDIS_DIR" --logfile "$LOG_DIR/redis.log" \
    --appendonly yes --appendfsync always --save "" --protected-mode yes >&2
  wait_for "Redis" 20 ping
}

cmd_stop() { stop_pidfile redis "$REDIS_PID"; }

cmd_status() {
  print_status redis "$REDIS_PID" "$NEWSARCHIVE_REDIS_URL"
}

run_command "install start stop status" "${1:-}"
