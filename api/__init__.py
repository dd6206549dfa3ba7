"""The Flask application: ``create_app()`` (``gunicorn 'api:create_app()'``)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, request
from flask_cors import CORS
from flask_smorest import abort
from werkzeug.middleware.proxy_fix import ProxyFix

from api import (
    access,
    admin,
    articles,
    compression,
    entities,
    errors,
    export,
    health,
    jobs,
    metrics,
    observability,
    search,
)
from api.config import flask_config
from api.extensions import Api, init_backends
from indexer.settings import Settings

MAX_URL_CHARS = 16_384   # longer request URLs are a 414 (gunicorn's own limit is lifted)
BLUEPRINTS = (health.blp, articles.blp, jobs.blp, search.blp, entities.blp, export.blp, admin.blp, metrics.blp)


def create_app(config: Mapping | None = None) -> Flask:
    """Application factory.

    ``config`` overrides Flask settings; its ``NEWSARCHIVE_SETTINGS`` (an
    ``indexer.settings.Settings``) replaces the one read from the environment.
    Nothing connects to a backend here; clients are made on first use.
    """
    config = dict(config or {})
    settings = config.pop("NEWSARCHIVE_SETTINGS", None) or Settings.from_env()
    app = Flask(__name__)
    app.config.update(flask_config(settings))
    app.config.update(config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    init_backends(app, settings)
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)
    observability.init_app(app)   # first: every later hook's log lines carry the request id
    app.before_request(_limit_url_length)
    access.init_app(app)
    app.after_request(_no_sniffing)
    api = Api(app)
    errors.register_error_handlers(app)
    errors.document_responses(api.spec)
    access.document(api.spec)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    if settings.cors_origins:
        CORS(app, resources={r"/v1/*": {"origins": list(settings.cors_origins)}},
             expose_headers=["ETag", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
                             "RateLimit-Reset", "RateLimit-Policy", "X-Request-ID",
                             "X-Total-Count"], max_age=600)
    compression.init_app(app)   # last: its hook runs first, so the log line has the sent size
    return app


def _limit_url_length():
    if len(request.full_path) > MAX_URL_CHARS:
        abort(414, message=f"The request URL is longer than {MAX_URL_CHARS} characters; "
                           f"send fewer or shorter parameters.", code="uri_too_long")


def _no_sniffing(response):
    """Browsers must take the declared content type (JSON, never HTML to render)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
