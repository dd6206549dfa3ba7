"""Compressed responses (flask-compress): a client that sends ``Accept-Encoding`` gets JSON,
CSV and NDJSON compressed. A search page of 50 results is ~60 KB of JSON and ~10 KB
gzipped; an export of the whole archive shrinks about as much.

- Whole responses (search pages, articles, entities) are gzip or deflate, as the client
  prefers. Errors stay plain: flask-compress leaves any status outside 2xx alone.
- Streamed exports are deflate, compressed as they stream (flask-compress does not offer
  gzip for streams), so their memory stays constant; a client that accepts only gzip gets
  them uncompressed.
- A compressed response's ETag gets the encoding appended (``"abc:gzip"``), as RFC 9110
  asks of a representation that differs in its bytes, and a matching ``If-None-Match``
  gets a 304 (``COMPRESS_EVALUATE_CONDITIONAL_REQUEST``; api/http_cache.py answers it
  before the body is compressed).
- Every response says ``Vary: Accept-Encoding`` so that caches keep the two forms apart.
- Responses under 500 bytes stay plain. Brotli and zstd would need another package each,
  and gzip and deflate are what every HTTP client decodes (requests and our Python client
  ask for both by default, curl with ``--compressed``).

A reverse proxy that compresses itself sees ``Content-Encoding`` and leaves the body alone.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

MIMETYPES = ["application/json", "application/x-ndjson", "text/csv", "text/plain",
             "text/html", "application/yaml"]
ENCODINGS = ["gzip", "deflate"]


def init_app(app: Flask) -> None:
    """Compress the responses of ``app`` (register after the hooks that set headers)."""
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ENCODINGS)
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["deflate"])
    Compress(app)
