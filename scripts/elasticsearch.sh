#!/usr/bin/env bash
# Elasticsearch for the local stack, without Docker: the integ-test-zip distribution from Maven Central
# (the server without modules) plus our es-plugin for German analysis, run as an unprivileged user.
#   scripts/elasticsearch.sh install | start | stop | status
. "$(dirname "$0")/config.sh"

ES_ZIP_COORD="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
ES_ZIP="$M2_REPO/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
PLUGIN_ZIP="$ROOT/es-plugin/target/$PLUGIN_NAME-$ES_VERSION.zip"

# Elasticsearch refuses to run as root. As root we create a system user and run the node as it;
# otherwise the node runs as the calling (already unprivileged) user.
as_es() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$ES_USER" -- env "$@"; else env "$@"; fi
}

ensure_user() {
  [ "$(id -u)" = 0 ] || return 0
  id "$ES_USER" >/dev/null 2>&1 && return 0
  log "creating system user $ES_USER for Elasticsearch"
  useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin "$ES_USER"
}

# The node's files live under var/ of the checkout when the ES user can reach it; a checkout under a
# private home folder cannot be read by another user, so the node then lives under /var/lib instead.
es_reachable() {
  [ "$(id -u)" != 0 ] || runuser -u "$ES_USER" -- test -x "$ROOT/var" 2>/dev/null
}

hash_of() { printf %s "$1" | sha1sum | cut -c1-10; }

paths() {
  if es_reachable; then
    BASE="$ROOT/var"
    ES_STATE="$STATE_DIR/es"
  else
    BASE="/var/lib/newsarchive/$(hash_of "$ROOT")"
    ES_STATE="$BASE/state-$(hash_of "$STATE_DIR")/es"
  fi
  ES_HOME="$BASE/elasticsearch-$ES_VERSION"
  ES_CONF="$ES_STATE/config"
  ES_PID="$PID_DIR/elasticsearch.pid"
}

fetch_zip() {
  [ -f "$ES_ZIP" ] && return 0
  log "fetching $ES_ZIP_COORD with mvn (cached in $M2_REPO)"
  mvn -B -q dependency:get -Dartifact="$ES_ZIP_COORD" -Dtransitive=false -Dmaven.repo.local="$M2_REPO" >&2
  [ -f "$ES_ZIP" ] || die "mvn did not produce $ES_ZIP"
}

build_plugin() { mvn_package "$ROOT/es-plugin" "$PLUGIN_ZIP" -Delasticsearch.version="$ES_VERSION"; }

install_node() {
  [ -x "$ES_HOME/bin/elasticsearch" ] && return 0
  log "unpacking Elasticsearch $ES_VERSION into $ES_HOME"
  local tmp; tmp="$(mktemp -d "$BASE/.unpack.XXXXXX")"
  (cd "$tmp" && unzip -q "$ES_ZIP")
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
  rmdir "$tmp"
}

install_plugin() {
  local want have
  want="$(sha1sum "$PLUGIN_ZIP" | cut -c1-40)"
  have="$(cat "$ES_HOME/.$PLUGIN_NAME.sha1" 2>/dev/null || true)"
  [ "$want" = "$have" ] && [ -d "$ES_HOME/plugins/$PLUGIN_NAME" ] && return 0
  if pid_alive "$ES_PID"; then die "plugin changed while Elasticsearch runs: run 'make stop' first"; fi
  log "installing plugin $PLUGIN_NAME"
  [ -d "$ES_HOME/plugins/$PLUGIN_NAME" ] && as_es ES_JAVA_HOME="$ES_JAVA_HOME" "$ES_HOME/bin/elasticsearch-plugin" remove "$PLUGIN_NAME" >&2
  as_es ES_JAVA_HOME="$ES_JAVA_HOME" "$ES_HOME/bin/elasticsearch-plugin" install --batch "file://$PLUGIN_ZIP" >&2
  echo "$want" > "$ES_HOME/.$PLUGIN_NAME.sha1"
}

# Analysis resource files (hyphenation patterns, compound parts, synonyms) are built from installed
# packages by scripts/build_analysis_resources.py and copied into the node's config dir, where
# mappings/ refers to them as analysis/<file>. They depend only on the build script, our synonyms
# and the pinned packages, so they are built once per combination (about 7 s) into the cache.
analysis_resources() {
  local key dir tmp
  key="$(cat "$ROOT/scripts/build_analysis_resources.py" "$ROOT/mappings/analysis/de_synonyms.txt" \
         "$ROOT/pyproject.toml" | sha1sum | cut -c1-12)"
  dir="$CACHE_DIR/analysis-$key"
  if [ ! -d "$dir" ]; then
    mkdir -p "$CACHE_DIR"
    tmp="$(mktemp -d "$CACHE_DIR/.analysis.XXXXXX")"
    "$VENV/bin/python" "$ROOT/scripts/build_analysis_resources.py" "$tmp" >&2
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"   # another build won the race: use its files
  fi
  echo "$dir"
}

write_config() {
  mkdir -p "$ES_CONF/analysis" "$ES_STATE/data" "$ES_STATE/logs"
  cp "$ES_HOME/config/jvm.options" "$ES_HOME/config/log4j2.properties" "$ES_CONF/"
  mkdir -p "$ES_CONF/jvm.options.d"
  cat > "$ES_CONF/elasticsearch.yml" <<YML
# written by scripts/elasticsearch.sh; edit the script, not this file
cluster.name: newsarchive-$PROFILE
node.name: newsarchive-$PROFILE-1
path.data: $ES_STATE/data
path.logs: $ES_STATE/logs
network.host: $NEWSARCHIVE_BIND
http.port: $NEWSARCHIVE_ES_PORT
transport.port: $NEWSARCHIVE_ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
action.auto_create_index: false
cluster.routing.allocation.disk.threshold_enabled: false
YML
  cp "$(analysis_resources)"/* "$ES_CONF/analysis/"
  ln -sfn "$ES_STATE/logs" "$LOG_DIR/elasticsearch"
}

own() {
  [ "$(id -u)" = 0 ] || return 0
  chown -R "$ES_USER" "$ES_HOME" "$ES_STATE"
}

cmd_install() {
  ensure_user; paths
  mkdir -p "$BASE" "$ES_STATE"; chmod 755 "$BASE"
  fetch_zip; build_plugin; install_node; own; install_plugin; write_config; own
}

health() { curl -fsS "$NEWSARCHIVE_ES_URL/_cluster/health?wait_for_status=yellow&timeout=1s"; }

cmd_start() {
  paths
  if pid_alive "$ES_PID"; then log "Elasticsearch already running (pid $(cat "$ES_PID"))"; return 0; fi
  cmd_install
  log "starting Elasticsearch on $NEWSARCHIVE_ES_URL (heap $NEWSARCHIVE_ES_HEAP, logs $ES_STATE/logs)"
  local tmp_pid="$ES_STATE/es.pid"
  rm -f "$tmp_pid"
  as_es ES_JAVA_HOME="$ES_JAVA_HOME" ES_PATH_CONF="$ES_CONF" \
      ES_JAVA_OPTS="-Xms$NEWSARCHIVE_ES_HEAP -Xmx$NEWSARCHIVE_ES_HEAP" \
      "$ES_HOME/bin/elasticsearch" -d -p "$tmp_pid" >"$LOG_DIR/elasticsearch-start.log" 2>&1 \
    || die "Elasticsearch failed to start; see $ES_STATE/logs/newsarchive-$PROFILE.log"
  wait_for "Elasticsearch pid file" 60 test -s "$tmp_pid"
  cp "$tmp_pid" "$ES_PID"
  wait_for "Elasticsearch" 120 health
  log "Elasticsearch is up"
}

cmd_stop() { paths; stop_pidfile elasticsearch "$ES_PID"; }

# Removes the node's data (indices), for a test run that must start empty.
cmd_wipe() {
  paths
  if pid_alive "$ES_PID"; then die "Elasticsearch is running: stop it before wiping its data"; fi
  rm -rf "$ES_STATE/data"
}

cmd_status() {
  paths
  print_status elasticsearch "$ES_PID" "$NEWSARCHIVE_ES_URL"
}

run_command "install start stop status wipe" "${1:-}"
