"""One error envelope for every error the API returns:

    {"error": {"status": 400, "code": "validation_error",
               "message": "Invalid request: text: Missing data for required field.",
               "details": {"location": "body",
                           "fields": {"text": ["Missing data for required field."]}}}}

``status`` is the HTTP status, ``code`` a stable machine-readable name,
``message`` a sentence for people, ``details`` an object (``{}`` when there is
nothing more). Bad parameters and bodies are 400 with the offending fields named
in ``details.fields``; Elasticsearch or Redis being unreachable is 503 with
``Retry-After``; Elasticsearch rejecting a request is 400. Bad input never
causes a 500.
"""

from __future__ import annotations

import json
import logging

import elastic_transport
import kombu.exceptions
import marshmallow as ma
import redis
from elasticsearch import ApiError
from flask import Flask, current_app, jsonify, request
from flask_smorest import abort
from werkzeug.exceptions import HTTPException

from api.observability import count_es_error

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10

CODES = {
    400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
    409: "conflict", 412: "precondition_failed", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 428: "precondition_required",
    429: "too_many_requests", 500: "internal_error", 502: "bad_gateway",
    503: "service_unavailable",
}
MESSAGES = {
    404: "The requested resource does not exist.",
    500: "Internal error; it has been logged.",
}
# marshmallow's message for a body that is not an object, said plainly.
WHOLE_BODY_MESSAGES = {"Invalid input type.": "Must be a JSON object."}
# Location names of request data as the client sees them.
LOCATIONS = {"json": "body", "article_body": "body", "query": "query", "querystring": "query",
             "view_args": "path", "path": "path", "headers": "headers"}


class ErrorDetailSchema(ma.Schema):
    status = ma.fields.Integer(required=True, metadata={"examples": [400]})
    code = ma.fields.String(required=True, metadata={"examples": ["validation_error"]})
    message = ma.fields.String(required=True, metadata={
        "examples": ["Invalid request: text: Missing data for required field."]})
    details = ma.fields.Dict(required=True, metadata={
        "description": "More about the error; for invalid requests `location` and "
                       "`fields` (field name -> messages).",
        "examples": [{"location": "body",
                      "fields": {"text": ["Missing data for required field."]}}],
    })


class ErrorSchema(ma.Schema):
    """The error envelope (documentation only)."""
    error = ma.fields.Nested(ErrorDetailSchema, required=True)


def envelope(status: int, message: str, *, code: str | None = None,
             details: dict | None = None) -> dict:
    """The error body (also written by api/gunicorn_worker.py, outside any request)."""
    return {"error": {"status": status, "code": code or CODES.get(status, "error"),
                      "message": message, "details": details or {}}}


def error_response(status: int, message: str, *, code: str | None = None,
                   details: dict | None = None, headers: dict | None = None):
    response = jsonify(envelope(status, message, code=code, details=details))
    response.status_code = status
    response.headers.update(headers or {})
    return response


def bad_param(name: str, message: str, code: str):
    """Abort with a 400 naming the query parameter ``name``, as webargs' own refusals do."""
    abort(400, message=f"Invalid request: {name}: {message}", code=code,
          details={"location": "query", "fields": {name: [message]}})


def unavailable(message: str, *, code: str = "service_unavailable", details: dict | None = None):
    return error_response(503, message, code=code, details=details,
                          headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


# --- HTTP exceptions (abort(), webargs validation, routing, body size) ---------

def handle_http_exception(error: HTTPException):
    """Every ``HTTPException``, including webargs validation errors."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if status >= 500:
        log.error("HTTP %s: %s", status, error.description, exc_info=getattr(
            error, "original_exception", None))
    if "messages" in data or "errors" in data:
        return _validation_response(data.get("messages") or data.get("errors"),
                                    getattr(error, "exc", None), headers)
    message = data.get("message") or MESSAGES.get(status) or error.description or error.name
    if status == 413 and "message" not in data:
        limit = request.max_content_length if request else None
        if limit:
            message = f"The request body is larger than the limit of {limit} bytes."
    return error_response(status, message, code=data.get("code"),
                          details=data.get("details"), headers=headers)


def _validation_response(messages, exc, headers):
    if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
        text = (f"Malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
                if isinstance(exc, json.JSONDecodeError) else f"Body is not valid UTF-8: {exc}")
        return error_response(400, text, code="invalid_json",
                              details={"location": "body", "fields": {"body": [text]}},
                              headers=headers)
    location, fields = flatten_messages(messages)
    summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in list(fields.items())[:5])
    return error_response(400, f"Invalid request: {summary}" if summary else "Invalid request.",
                          code="validation_error",
                          details={"location": location, "fields": fields}, headers=headers)


def flatten_messages(messages) -> tuple[str, dict[str, list[str]]]:
    """webargs messages ``{location: {field: [msg] | {sub: [msg]}}}`` -> the
    client-facing location and ``{"field.sub": [msg]}``."""
    if not isinstance(messages, dict):
        return "body", {"body": _as_list(messages)}
    locations = [LOCATIONS.get(key, key) for key in messages]
    fields: dict[str, list[str]] = {}
    for value in messages.values():
        _flatten(value, "", fields)
    return (locations[0] if len(set(locations)) == 1 else "request"), fields


def _flatten(value, path: str, out: dict[str, list[str]]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            name = "body" if key == ma.exceptions.SCHEMA else str(key)
            _flatten(sub, f"{path}.{name}" if path else name, out)
    else:
        out.setdefault(path or "body", []).extend(
            WHOLE_BODY_MESSAGES.get(m, m) for m in _as_list(value))


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


# --- backend errors ----------------------------------------------------------

def handle_es_api_error(error: ApiError):
    count_es_error(error)
    status = error.status_code
    reason = _es_reason(error)
    if status == 400:
        return error_response(400, f"Elasticsearch rejected the request: {reason}",
                              code="invalid_query", details={"reason": reason})
    if status == 404 and error.error == "index_not_found_exception":
        return unavailable("The articles index does not exist yet; create it with "
                           "`newsarchive create-index`.", code="index_missing")
    if status in (429, 502, 503, 504):
        return unavailable(f"Elasticsearch is busy or unavailable: {reason}",
                           code="search_unavailable")
    log.error("Elasticsearch error %s: %s", status, reason)
    return error_response(502, "Elasticsearch returned an unexpected error.",
                          details={"reason": reason})


def handle_es_transport_error(error: elastic_transport.TransportError):
    count_es_error(error)
    if isinstance(error, elastic_transport.ConnectionTimeout):
        # The client gave up and closed the connection; Elasticsearch cancels a search whose
        # HTTP connection is closed, so the slow query does not go on running.
        timeout = current_app.extensions["newsarchive"]["settings"].es_timeout
        log.warning("Elasticsearch timed out after %s s: %s", timeout, error)
        return error_response(504, f"The request took longer than {timeout:g} s and was "
                                   f"cancelled; narrow the query or its filters, or try again.",
                              code="search_timeout", details={"timeout_seconds": timeout})
    log.warning("Elasticsearch unreachable: %s", error)
    return unavailable("Elasticsearch is unreachable; try again shortly.",
                       code="search_unavailable")


def handle_queue_error(error: Exception):
    log.warning("Redis unreachable: %s", error)
    return unavailable("The job queue (Redis) is unreachable; try again shortly.",
                       code="queue_unavailable")


def _es_reason(error: ApiError) -> str:
    body = error.body if isinstance(error.body, dict) else {}
    detail = body.get("error")
    if isinstance(detail, dict):
        causes = detail.get("root_cause") or [detail]
        return "; ".join(str(c.get("reason") or c.get("type")) for c in causes[:3])
    return str(detail or error.message)


def document_responses(spec) -> None:
    """Named error responses the views refer to (stable across Python versions,
    and 503 documents its ``Retry-After``)."""
    body = {"application/json": {"schema": "Error"}}
    spec.components.response("PAYLOAD_TOO_LARGE", {
        "description": "The body is over the size limit.", "content": body})
    spec.components.response("UNAVAILABLE", {
        "description": "A backend (Elasticsearch, Redis) is unreachable or a part is down.",
        "content": body,
        "headers": {"Retry-After": {"description": "Seconds to wait before trying again.",
                                    "schema": {"type": "integer"}}}})


def register_error_handlers(app: Flask) -> None:
    """Backend errors; ``HTTPException`` is routed here by ``extensions.Api``."""
    app.register_error_handler(ApiError, handle_es_api_error)
    app.register_error_handler(elastic_transport.TransportError, handle_es_transport_error)
    app.register_error_handler(redis.ConnectionError, handle_queue_error)
    app.register_error_handler(redis.TimeoutError, handle_queue_error)
    app.register_error_handler(kombu.exceptions.OperationalError, handle_queue_error)
