"""Request ids, access log lines and request metrics: ``init_app(app)``.

Every response carries ``X-Request-ID``: the client's own when it is a sane token (at most
128 characters of ``[A-Za-z0-9._-]``), else a new uuid4 hex. Every line logged while a
request runs has that ``request_id`` (indexer/json_logging.py), and each request ends with
one line from the ``api.requests`` logger: method, route template (``/v1/articles/{article_id}``,
never the raw path), status, duration, response bytes, client address, and the query string
with cursor values cut short and credentials masked. Headers and bodies are never logged.

Metrics (Prometheus; served by api/metrics.py): the request latency histogram and request
counter by method, route template and status class, and Elasticsearch errors by kind.
"""

from __future__ import annotations

import functools
import logging
import re
import time
import uuid

from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError
from flask import Flask, Response, g, request
from prometheus_client import Counter, Histogram

from indexer import json_logging

HEADER = "X-Request-ID"
UNMATCHED = "unmatched"          # the route label of a request no route matched (404, 405)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
MAX_QUERY_CHARS = 512
CURSOR_CHARS = 12                # a cursor value is logged as its first characters and "..."
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_SECRET_PARAM = re.compile(r"key|token|secret|password|auth", re.I)

access_log = logging.getLogger("api.requests")

REQUEST_DURATION = Histogram(
    "newsarchive_http_request_duration_seconds",
    "Time from the request's arrival in the app to its response headers, by route template.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
REQUESTS = Counter(
    "newsarchive_http_requests", "Requests answered, by route template and status class.",
    ["method", "route", "status"])
ES_ERROR_KINDS = ("unavailable", "rejected", "timeout", "other")
ES_ERRORS = Counter(
    "newsarchive_elasticsearch_errors",
    "Elasticsearch errors the API answered: unavailable (unreachable, busy, index missing), "
    "rejected (400: the query), timeout, other.",
    ["kind"])
for _kind in ES_ERROR_KINDS:
    ES_ERRORS.labels(_kind)


def init_app(app: Flask) -> None:
    """Register before any other request hook, so every later hook's lines have the id."""
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_teardown)


def request_id_from(header: str | None) -> str:
    """The client's id when it is a sane token, else a new one."""
    if header and _VALID_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


@functools.lru_cache(maxsize=1024)   # the app's routes: a few dozen
def route_template(rule: str | None) -> str:
    """``/v1/articles/<article_id>`` -> ``/v1/articles/{article_id}``; no rule -> ``unmatched``."""
    return _CONVERTER.sub(r"{\1}", rule) if rule else UNMATCHED


def safe_query(query_string: str) -> str:
    """The query string as logged: cursor values cut short, credentials masked, length capped."""
    parts = []
    for part in query_string.split("&"):
        name, sep, value = part.partition("=")
        if _SECRET_PARAM.search(name) and value:
            value = "***"
        elif name == "cursor" and len(value) > CURSOR_CHARS:
            value = value[:CURSOR_CHARS] + "..."
        parts.append(name + sep + value)
    text = "&".join(parts)
    return text if len(text) <= MAX_QUERY_CHARS else text[:MAX_QUERY_CHARS] + "..."


def status_class(status: int) -> str:
    return f"{status // 100}xx"


def count_es_error(error: Exception) -> None:
    """Count an Elasticsearch error by kind (called from the error handlers in api/errors.py)."""
    ES_ERRORS.labels(es_error_kind(error)).inc()


def es_error_kind(error: Exception) -> str:
    if isinstance(error, ConnectionTimeout):
        return "timeout"
    if not isinstance(error, ApiError):
        return "unavailable"          # any other transport error: not reachable
    if error.status_code in (408, 504):
        return "timeout"
    if error.status_code == 400:
        return "rejected"
    if error.status_code in (404, 429, 502, 503):
        return "unavailable"
    return "other"


# --- request hooks ---------------------------------------------------------------

def _request_id() -> str:
    if "request_id" not in g:
        g.request_id = request_id_from(request.headers.get(HEADER))
    return g.request_id


def _start():
    g.request_started = time.perf_counter()
    json_logging.bind(request_id=_request_id())


def _finish(response: Response) -> Response:
    request_id = _request_id()
    response.headers[HEADER] = request_id
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    method = request.method if request.method in METHODS else "other"
    route = route_template(request.url_rule.rule if request.url_rule else None)
    labels = (method, route, status_class(response.status_code))
    REQUEST_DURATION.labels(*labels).observe(seconds)
    REQUESTS.labels(*labels).inc()
    fields = {"request_id": request_id, "method": method, "route": route,
              "status": response.status_code, "duration_ms": round(seconds * 1000, 1),
              "bytes": response.content_length, "remote_addr": request.remote_addr}
    if request.query_string:
        fields["query"] = safe_query(request.query_string.decode("latin-1"))
    access_log.info("%s %s %s", method, route, response.status_code, extra=fields)
    return response


def _teardown(_exc):
    json_logging.clear()
