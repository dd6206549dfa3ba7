"""What the ingest endpoints do, as plain functions: read request bodies
(JSON, raw text/HTML, NDJSON), turn validated input into the plain dicts the
worker takes, and queue them as a job.
"""

from __future__ import annotations

import datetime as dt
import json

import marshmallow as ma
from flask import Request
from flask_smorest import abort
from webargs.core import is_json

from api import extensions as ext
from api.errors import flatten_messages
from api.schemas import ArticleInSchema
from indexer import pipeline, tasks
from indexer.parse import ParseError

NDJSON_TYPES = frozenset({"application/x-ndjson", "application/ndjson", "application/jsonl",
                          "application/x-jsonlines", "application/jsonlines", "text/plain"})
MAX_REPORTED_ERRORS = 20

article_in = ArticleInSchema()


def load_article_body(parser, request: Request, schema):
    """webargs location loader: a JSON object, or a raw text/plain or text/html body."""
    mimetype = request.mimetype
    if is_json(mimetype):
        return parser.load_json(request, schema)
    if mimetype in ("text/plain", "text/html"):
        return {"text" if mimetype == "text/plain" else "html": decode_body(request)}
    abort(415, message=f"Send application/json, text/plain or text/html "
                       f"(got {mimetype or 'no Content-Type'}).")


def decode_body(request: Request) -> str:
    charset = request.mimetype_params.get("charset", "utf-8")
    try:
        return request.get_data().decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        abort(400, message=f"Body is not valid {charset}: {exc}",
              details={"location": "body", "fields": {"body": [f"Not valid {charset}."]}})


def to_raw(article: dict) -> dict:
    """Validated ``ArticleInSchema`` data -> the worker's plain, JSON-safe dict."""
    raw = dict(article)
    if isinstance(raw.get("published_at"), dt.datetime):
        raw["published_at"] = raw["published_at"].isoformat()
    return raw


def read_ndjson(request: Request) -> list[dict]:
    """Validated raw articles of an NDJSON body; 400/413/415 with the lines named."""
    settings = ext.settings()
    if request.mimetype not in NDJSON_TYPES:
        abort(415, message=f"Send application/x-ndjson, one JSON article per line "
                           f"(got {request.mimetype or 'no Content-Type'}).")
    request.max_content_length = settings.max_bulk_bytes
    articles, fields = [], {}
    for number, line in enumerate(decode_body(request).split("\n"), start=1):
        if not line.strip():
            continue
        if len(line.encode("utf-8")) > settings.max_body_bytes:
            abort(413, message=f"Line {number} is larger than the article limit of "
                               f"{settings.max_body_bytes} bytes.")
        if len(articles) >= settings.max_bulk_articles:
            abort(413, code="too_many_articles",
                  message=f"More than {settings.max_bulk_articles} articles in one request; "
                          f"split the body.")
        try:
            articles.append(to_raw(article_in.load(json.loads(line))))
        except json.JSONDecodeError as exc:
            fields[f"line {number}"] = [f"Malformed JSON: {exc.msg} (column {exc.colno})."]
        except ma.ValidationError as exc:
            fields.update({f"line {number}.{name}": msgs
                           for name, msgs in flatten_messages({"json": exc.messages})[1].items()})
        if len(fields) >= MAX_REPORTED_ERRORS:
            break
    if fields:
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in list(fields.items())[:5])
        abort(400, code="validation_error", message=f"Invalid articles: {summary}",
              details={"location": "body", "fields": fields})
    if not articles:
        abort(400, code="validation_error", message="The body holds no articles.",
              details={"location": "body", "fields": {"body": ["No NDJSON lines."]}})
    return articles


def accept_article(article: dict) -> dict:
    """Queue one validated article; the answer names its job and its future id."""
    raw = to_raw(article)
    try:
        raw["id"] = pipeline.article_id_for(raw)
    except ParseError as exc:
        field, _, text = str(exc).partition(": ")
        abort(400, code="validation_error", message=f"Invalid request: {exc}",
              details={"location": "body", "fields": {field: [text or str(exc)]}})
    job_id = submit([raw], source="api")
    return {"job_id": job_id, "article_id": raw["id"]}


def accept_bulk(articles: list[dict]) -> dict:
    return {"job_id": submit(articles, source="api:bulk"), "accepted": len(articles)}


def submit(articles: list[dict], *, source: str) -> str:
    return tasks.submit(ext.celery(), ext.redis_conn(), ext.settings(), articles, source=source)
