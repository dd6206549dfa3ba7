"""The API process parses and cleans articles but never enriches them: it must not load
spaCy (~50 MB and ~1 s per gunicorn process); the worker does (indexer/pipeline.py)."""

from __future__ import annotations

import subprocess
import sys

PROBE = ("import sys; from api import create_app; create_app(); "
         "import indexer.tasks; print(sorted(m for m in ('spacy', 'thinc') if m in sys.modules))")


def test_the_api_does_not_load_spacy():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]"
