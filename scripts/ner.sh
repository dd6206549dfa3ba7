#!/usr/bin/env bash
# The NER service (ner-service/): Stanford CoreNLP's German CRF behind a small HTTP server, used by
# the worker. Built with Maven (CoreNLP and its German models jar come from Maven Central, cached in
# the local Maven repository); runs as a plain JVM on loopback.
#   scripts/ner.sh install | start | stop | status
. "$(dirname "$0")/config.sh"

NER_DIR="$ROOT/ner-service"
NER_JAR="$NER_DIR/target/newsarchive-ner.jar"
NER_PID="$PID_DIR/ner.pid"

cmd_install() { mvn_package "$NER_DIR" "$NER_JAR"; }

health() { curl -fsS "$NEWSARCHIVE_NER_URL/health"; }

cmd_start() {
  if pid_alive "$NER_PID"; then log "NER service already running (pid $(cat "$NER_PID"))"; return 0; fi
  cmd_install
  log "starting the NER service on $NEWSARCHIVE_NER_URL (heap $NEWSARCHIVE_NER_HEAP)"
  NEWSARCHIVE_NER_BIND="$NEWSARCHIVE_BIND" NEWSARCHIVE_NER_PORT="$NEWSARCHIVE_NER_PORT" \
    nohup "$ES_JAVA_HOME/bin/java" -Xms256m -Xmx"$NEWSARCHIVE_NER_HEAP" -XX:+UseSerialGC \
      -jar "$NER_JAR" >> "$LOG_DIR/ner.log" 2>&1 &
  echo $! > "$NER_PID"
  wait_for "NER service" 60 health
}

cmd_stop() { stop_pidfile "NER service" "$NER_PID"; }

cmd_status() {
  print_status ner "$NER_PID" "$NEWSARCHIVE_NER_URL"
}

run_command "install start stop status" "${1:-}"
