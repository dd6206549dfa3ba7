"""The app's extensions: the flask-smorest ``Api`` and ``Blueprint`` with our
error envelope and 400 validation status, and the backend clients (made per
app, lazily, from the app's ``Settings``).
"""

from __future__ import annotations

import difflib
import functools

import elasticsearch
import flask_smorest
import marshmallow as ma
import redis
from celery import Celery
from flask import Flask, current_app
from webargs.flaskparser import FlaskParser

from api import errors
from api.snapshots import SharedPit
from indexer.clients import elasticsearch_client, redis_client
from indexer.settings import Settings
from indexer.worker import make_celery


class Parser(FlaskParser):
    """Bad parameters and bodies are 400 (not webargs' 422); unknown query
    parameters are rejected, so a typo is never silently ignored."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE, "querystring": ma.RAISE,
    }

    def load_querystring(self, req, schema):
        """The query parameters as a plain dict, as webargs' proxy gives them (all values
        of a parameter the schema takes as a list, else the first): the proxy raised and
        caught a KeyError for each absent parameter of each request."""
        args, multiple = req.args, self._multiple_keys(schema)
        return {key: args.getlist(key) if key in multiple else args[key] for key in args}

    @functools.lru_cache(maxsize=64)   # noqa: B019 - one parser, a few schemas, kept alive
    def _multiple_keys(self, schema: ma.Schema) -> frozenset[str]:
        return frozenset(self._makeproxy({}, schema).multiple_keys)

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        """webargs' answer, with the name an unknown parameter or field was probably meant to
        be: ``persn`` gets "Unknown field; did you mean 'person'?"."""
        suggest_known_names(error.messages, schema)
        return super().handle_error(error, req, schema, error_status_code=error_status_code,
                                    error_headers=error_headers)


UNKNOWN = "Unknown field."   # marshmallow's message (tests/unit/test_api_parser.py)


def suggest_known_names(messages: dict, schema: ma.Schema) -> None:
    """Rewrite, in place, the "Unknown field." message of each name in ``messages`` (webargs'
    ``{location: {name: [message]}}``) that is close to one ``schema`` takes."""
    known = [field.data_key or name for name, field in schema.fields.items()
             if not field.dump_only]
    for fields in messages.values():
        if not isinstance(fields, dict):
            continue
        for name, texts in fields.items():
            if texts != [UNKNOWN]:
                continue
            if close := difflib.get_close_matches(str(name), known, n=1, cutoff=0.7):
                fields[name] = [f"Unknown field; did you mean '{close[0]}'?"]


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()
    # "article_body" (JSON or a raw text/html body, see api/articles.py) is a request body.
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "article_body": "application/json",
    }


class Api(flask_smorest.Api):
    ERROR_SCHEMA = errors.ErrorSchema

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)


def init_backends(app: Flask, settings: Settings) -> None:
    app.extensions["newsarchive"] = {"settings": settings}
    celery_init_app(app, settings)


def celery_init_app(app: Flask, settings: Settings) -> Celery:
    """Flask's Celery pattern: one Celery app per Flask app, kept in
    ``app.extensions["celery"]``. The API only sends tasks (by name); the worker
    (``celery -A indexer.worker worker``) runs them without Flask."""
    celery_app = make_celery(settings, name=app.name)
    app.extensions["celery"] = celery_app
    return celery_app


def settings() -> Settings:
    return current_app.extensions["newsarchive"]["settings"]


def celery() -> Celery:
    return current_app.extensions["celery"]


def es() -> elasticsearch.Elasticsearch:
    state = current_app.extensions["newsarchive"]
    if "es" not in state:
        settings = state["settings"]
        state["es"] = elasticsearch_client(settings, retry_on_timeout=False, fast=True,
                                           connections=settings.api_threads)
    return state["es"]


def redis_conn() -> redis.Redis:
    state = current_app.extensions["newsarchive"]
    if "redis" not in state:
        state["redis"] = redis_client(state["settings"], timeout=3.0)
    return state["redis"]


def shared_pit() -> SharedPit:
    """This process's snapshot for first pages of relevance searches (api/snapshots.py)."""
    state = current_app.extensions["newsarchive"]
    if "shared_pit" not in state:
        settings = state["settings"]
        state["shared_pit"] = SharedPit(redis_conn(), settings.redis_prefix,
                                        settings.pit_share_seconds)
    return state["shared_pit"]
