"""Flask configuration, derived from ``indexer.settings.Settings`` (the
``NEWSARCHIVE_*`` environment variables) so API and worker read one set of names.
"""

from __future__ import annotations

from indexer.settings import Settings

API_VERSION = "1.0.0"

DESCRIPTION = """\
Open search API for a German news archive.

Articles are sent with `POST /v1/articles` (or in bulk as NDJSON), processed by a
Celery worker (cleaning, enrichment) and indexed in Elasticsearch; the answer is
`202` with a job to follow at `GET /v1/jobs/{id}`.

Every error has one shape: `{"error": {"status", "code", "message", "details"}}`.
Invalid parameters and bodies are `400` and name the fields in `details.fields`;
a backend that cannot be reached is `503` with `Retry-After`.

Responses are compressed for a client that sends `Accept-Encoding`: gzip or deflate,
and deflate for streamed exports.
"""


def flask_config(settings: Settings) -> dict:
    return {
        "NEWSARCHIVE_SETTINGS": settings,
        "MAX_CONTENT_LENGTH": settings.max_body_bytes,
        "JSON_SORT_KEYS": False,
        "API_TITLE": "Newsarchive API",
        "API_VERSION": API_VERSION,
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": settings.swagger_ui_url,
        "API_SPEC_OPTIONS": {
            "info": {
                "description": DESCRIPTION,
            },
        },
    }
