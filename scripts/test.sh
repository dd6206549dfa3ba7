#!/usr/bin/env bash
# make test: the JUnit tests of es-plugin and ner-service, then the whole pytest suite against a test
# stack on its own ports, index prefix and state folder. The test stack is stopped afterwards, also when tests fail.
export NEWSARCHIVE_PROFILE=test
. "$(dirname "$0")/config.sh"
S="$ROOT/scripts"

"$S/python.sh"
if [ "${NEWSARCHIVE_TEST_JUNIT:-1}" = 1 ]; then
  for project in es-plugin ner-service; do
    log "$project: mvn test"
    mvn_in "$ROOT/$project" test
  done
fi

trap '"$S/stack.sh" down' EXIT
# Every run starts from empty Elasticsearch and Redis data: indices are created from the mapping
# files as they are now, and nothing left by an earlier run can change a result.
"$S/stack.sh" down
log "removing the test stack's data (Elasticsearch indices, Redis, logs)"
"$S/elasticsearch.sh" wipe
rm -rf "$STATE_DIR"
# The stack reads its mapping files from a copy, so the reindex tests can add a next version.
mkdir -p "$STATE_DIR"
cp -r "$ROOT/mappings" "$STATE_DIR/mappings"
export NEWSARCHIVE_MAPPINGS_DIR="$STATE_DIR/mappings"
"$S/stack.sh" up
cd "$ROOT"
set +e
"$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
rc=$?
set -e
exit "$rc"
