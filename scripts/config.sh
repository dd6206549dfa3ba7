# Sourced by every script: paths, ports and names of the local stack, all overridable by environment.
# Two profiles share the code: `run` (make run) and `test` (make test), with their own ports, index prefix
# and state folder, so a test run never disturbs a running stack.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
. "$ROOT/scripts/versions.env"

PROFILE="${NEWSARCHIVE_PROFILE:-run}"
# Browser origins on this machine, any port (a regular expression, as flask-cors reads it).
LOCAL_ORIGINS='^https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?$'
case "$PROFILE" in
  run)  _es=9200; _tr=9300; _redis=6379; _api=8000; _ner=9400; _prefix=newsarchive;      _heap=2g; _vis=300; _batch=50 ;;
  test) _es=9201; _tr=9301; _redis=6380; _api=8001; _ner=9401; _prefix=test-newsarchive; _heap=1g; _vis=30;  _batch=10 ;;
  *) echo "NEWSARCHIVE_PROFILE must be run or test, not '$PROFILE'" >&2; exit 2 ;;
esac

export NEWSARCHIVE_BIND="${NEWSARCHIVE_BIND:-127.0.0.1}"
export NEWSARCHIVE_ES_PORT="${NEWSARCHIVE_ES_PORT:-$_es}"
export NEWSARCHIVE_ES_TRANSPORT_PORT="${NEWSARCHIVE_ES_TRANSPORT_PORT:-$_tr}"
export NEWSARCHIVE_REDIS_PORT="${NEWSARCHIVE_REDIS_PORT:-$_redis}"
export NEWSARCHIVE_API_PORT="${NEWSARCHIVE_API_PORT:-$_api}"
export NEWSARCHIVE_NER_PORT="${NEWSARCHIVE_NER_PORT:-$_ner}"
# The NER service's JVM heap: the German CRF takes ~0.4 GB loaded.
export NEWSARCHIVE_NER_HEAP="${NEWSARCHIVE_NER_HEAP:-768m}"
export NEWSARCHIVE_INDEX_PREFIX="${NEWSARCHIVE_INDEX_PREFIX:-$_prefix}"
export NEWSARCHIVE_ES_HEAP="${NEWSARCHIVE_ES_HEAP:-$_heap}"
export NEWSARCHIVE_ES_URL="${NEWSARCHIVE_ES_URL:-http://$NEWSARCHIVE_BIND:$NEWSARCHIVE_ES_PORT}"
export NEWSARCHIVE_REDIS_URL="${NEWSARCHIVE_REDIS_URL:-redis://$NEWSARCHIVE_BIND:$NEWSARCHIVE_REDIS_PORT/0}"
export NEWSARCHIVE_API_URL="${NEWSARCHIVE_API_URL:-http://$NEWSARCHIVE_BIND:$NEWSARCHIVE_API_PORT}"
export NEWSARCHIVE_NER_URL="${NEWSARCHIVE_NER_URL:-http://$NEWSARCHIVE_BIND:$NEWSARCHIVE_NER_PORT}"
# Seconds before a task held by a dead worker goes back to the queue (short for tests that kill one).
export NEWSARCHIVE_VISIBILITY_TIMEOUT="${NEWSARCHIVE_VISIBILITY_TIMEOUT:-$_vis}"
# Articles per ingest task; the test profile keeps a batch well inside its visibility timeout.
export NEWSARCHIVE_BATCH_SIZE="${NEWSARCHIVE_BATCH_SIZE:-$_batch}"
# gunicorn: worker processes x threads each (why 1 x 24 on 2 cores: api/gunicorn_conf.py).
export NEWSARCHIVE_API_WORKERS="${NEWSARCHIVE_API_WORKERS:-1}"
export NEWSARCHIVE_API_THREADS="${NEWSARCHIVE_API_THREADS:-24}"
# The test suite sends thousands of requests from one address; its own tests set low limits.
if [ "$PROFILE" = test ]; then
  export NEWSARCHIVE_RATE_LIMIT_ANONYMOUS="${NEWSARCHIVE_RATE_LIMIT_ANONYMOUS:-1000000/60s}"
  export NEWSARCHIVE_RATE_LIMIT_KEY="${NEWSARCHIVE_RATE_LIMIT_KEY:-1000000/60s}"
fi
export NEWSARCHIVE_WORKER_CONCURRENCY="${NEWSARCHIVE_WORKER_CONCURRENCY:-2}"
# A front end in development (http://localhost:3000, 127.0.0.1:5173, ...) may call the local
# API from the browser; set it empty to turn CORS off, or list your own origins.
export NEWSARCHIVE_CORS_ORIGINS="${NEWSARCHIVE_CORS_ORIGINS-$LOCAL_ORIGINS}"

# Downloads and builds are cached outside the work tree so fresh clones reuse them.
CACHE_DIR="${NEWSARCHIVE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/newsarchive}"
STATE_DIR="${NEWSARCHIVE_STATE_DIR:-$ROOT/var/$PROFILE}"
VENV="${NEWSARCHIVE_VENV:-$ROOT/.venv}"
ES_USER="${NEWSARCHIVE_ES_USER:-newsarchive}"
ES_JAVA_HOME="${ES_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}}"
PLUGIN_NAME=newsarchive-analysis
M2_REPO="${NEWSARCHIVE_M2_REPO:-$HOME/.m2/repository}"
PID_DIR="$STATE_DIR/pids"
LOG_DIR="$STATE_DIR/logs"
mkdir -p "$PID_DIR" "$LOG_DIR"

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "$PROFILE" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# pid_alive FILE: the pid in FILE names a running process (a killed one that its parent has not
# reaped yet, state Z, counts as dead).
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null || return 1
  case "$(ps -o stat= -p "$pid" 2>/dev/null)" in Z*|"") return 1 ;; esac
}

# stop_pidfile NAME FILE: TERM the process named in FILE, wait up to 30 s, then KILL; remove the file.
stop_pidfile() {
  local name="$1" file="$2" pid i
  if ! pid_alive "$file"; then rm -f "$file"; return 0; fi
  pid="$(cat "$file")"
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "$name did not stop in 30 s: KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$file"
}

# print_status NAME FILE [URL]: the status line of the process named in FILE.
print_status() {
  if pid_alive "$2"; then echo "$1: running (pid $(cat "$2"))${3:+ $3}"; else echo "$1: stopped"; fi
}

# run_command "CMD1 CMD2 ..." ARG: each script's last line; runs cmd_ARG (a "-" in ARG becomes
# "_") when ARG is one of the commands, else prints the usage and exits 2.
run_command() {
  local known
  for known in $1; do
    if [ "${2:-}" = "$known" ]; then "cmd_${known//-/_}"; return; fi
  done
  echo "usage: $0 ${1// /|}" >&2; exit 2
}

# wait_for NAME SECONDS COMMAND...: poll COMMAND until it succeeds.
wait_for() {
  local name="$1" secs="$2" i; shift 2
  for i in $(seq 1 "$((secs * 2))"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$name not ready after ${secs}s"
}

# mvn_in DIR ARGS...: Maven in the project folder DIR, on the JDK the services run on, with the
# shared download cache; its output goes to stderr like the scripts' own log.
mvn_in() { local dir="$1"; shift; (cd "$dir" && JAVA_HOME="$ES_JAVA_HOME" mvn -B -q -Dmaven.repo.local="$M2_REPO" "$@" >&2); }

# mvn_package DIR ARTIFACT [ARGS...]: `mvn package` without tests in DIR (es-plugin, ner-service),
# skipped when ARTIFACT exists and DIR's pom.xml and src/ are unchanged since it was built (their
# checksum is kept in DIR/target/.sources.sha1). The JUnit tests run in scripts/test.sh.
mvn_package() {
  local dir="$1" artifact="$2" stamp="$1/target/.sources.sha1" sum
  shift 2
  sum="$(cd "$dir" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-40)"
  if [ -f "$artifact" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then return 0; fi
  log "building $(basename "$dir") with Maven (downloads cached in $M2_REPO)"
  mvn_in "$dir" -DskipTests "$@" package
  [ -f "$artifact" ] || die "the $(basename "$dir") build did not produce $artifact"
  echo "$sum" > "$stamp"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
