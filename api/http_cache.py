"""HTTP caching for read endpoints: a strong ETag over the response body,
``Cache-Control``, and ``304 Not Modified`` for a matching ``If-None-Match``.

A compressed body's ETag is the plain one with the encoding appended (``"abc:gzip"``,
api/compression.py). A client that revalidates that form gets its 304 here too, before the
body is compressed only to be thrown away."""

from __future__ import annotations

import functools
import hashlib

from flask import current_app, request

from api.compression import ENCODINGS

ETAG_HEADER = {"description": "Strong validator of the representation.",
               "schema": {"type": "string"}}
CACHE_CONTROL_HEADER = {"description": "e.g. `public, max-age=60`", "schema": {"type": "string"}}
CACHE_HEADERS = {"ETag": ETAG_HEADER, "Cache-Control": CACHE_CONTROL_HEADER}


def conditional(max_age):
    """Decorate a view that returns a ``Response`` (below ``@blp.response``).

    ``max_age`` is seconds or a callable giving seconds (read at request time).
    """
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            response = current_app.ensure_sync(view)(*args, **kwargs)
            if response.status_code != 200:
                return response
            seconds = max_age() if callable(max_age) else max_age
            etag = hashlib.sha256(response.get_data()).hexdigest()[:32]
            response.set_etag(_held_form(etag))
            response.headers["Cache-Control"] = f"public, max-age={seconds}"
            return response.make_conditional(request)
        return wrapper
    return decorator


def _held_form(etag: str) -> str:
    """The form of ``etag`` that the client's ``If-None-Match`` holds: the compressed one when
    it names that form for an encoding the client still accepts, else the plain one."""
    for encoding in ENCODINGS:
        tag = f"{etag}:{encoding}"
        if request.if_none_match.contains(tag) and request.accept_encodings[encoding]:
            return tag
    return etag
