#!/usr/bin/env bash
# The project's virtualenv: created once, reinstalled when pyproject.toml changes (pip's cache in
# ~/.cache/pip keeps reinstalls fast).
. "$(dirname "$0")/config.sh"

stamp="$VENV/.pyproject.sha1"
want="$(sha1sum "$ROOT/pyproject.toml" | cut -c1-40)"
if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then exit 0; fi
if [ ! -x "$VENV/bin/python" ]; then
  log "creating virtualenv $VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
fi
log "installing the Python package and its pinned dependencies"
"$VENV/bin/pip" install -q --disable-pip-version-check -e "$ROOT[test]" >&2
echo "$want" > "$stamp"
