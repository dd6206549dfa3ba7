"""``/v1/articles``: send one article or a bulk of them, read and delete one."""

from __future__ import annotations

import functools

from flask import request
from flask.views import MethodView
from flask_smorest import abort

from api import extensions as ext
from api import ingest
from api.access import requires
from api.extensions import Blueprint
from api.http_cache import CACHE_HEADERS, conditional
from api.schemas import (
    EXAMPLE_ARTICLE,
    EXAMPLE_ARTICLE_IN,
    EXAMPLE_ID,
    EXAMPLE_TEXT,
    EXAMPLE_TITLE,
    ArticleAcceptedSchema,
    ArticleInSchema,
    ArticleSchema,
    BulkAcceptedSchema,
)
from indexer import archive_generation, store

blp = Blueprint("articles", __name__, url_prefix="/v1/articles",
                description="Send articles for indexing; read or delete a stored article.")

_parser = Blueprint.ARGUMENTS_PARSER
_parser.location_loader("article_body")(functools.partial(ingest.load_article_body, _parser))

RAW_BODIES = {"requestBody": {"content": {
    "text/plain": {"schema": {"type": "string"}, "example": EXAMPLE_TITLE + "\n\n" + EXAMPLE_TEXT},
    "text/html": {"schema": {"type": "string"},
                  "example": f"<html><head><title>{EXAMPLE_TITLE}</title></head>"
                             f"<body><p>{EXAMPLE_TEXT}</p></body></html>"},
}}}
NDJSON_BODY = {"requestBody": {"required": True, "description": "One JSON article per line "
               "(fields as for `POST /v1/articles`).", "content": {"application/x-ndjson": {
                   "schema": {"type": "string"},
                   "example": "\n".join([
                       '{"external_id": "003_35686e7d763b10ba", "text": "' + EXAMPLE_TEXT + '"}',
                       '{"external_id": "002_13fc5d182ca531a0", "outlet": "CNN", "text": '
                       '"US-Beamte haben Nordkorea gewarnt, dass es „einen Preis zahlen“ werde."}',
                   ])}}}}


@blp.route("")
class Articles(MethodView):
    @requires(blp, "write")
    @blp.arguments(ArticleInSchema, location="article_body", example=EXAMPLE_ARTICLE_IN,
                   description="JSON, or the article as a raw `text/plain` or `text/html` body.")
    @blp.doc(**RAW_BODIES)
    @blp.response(202, ArticleAcceptedSchema)
    @blp.alt_response(413, response="PAYLOAD_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(503, response="UNAVAILABLE")
    def post(self, article):
        """Send one article

        Validated now, processed by the worker. Re-sending an article with the
        same `external_id` (else URL, else text) overwrites it.
        """
        return ingest.accept_article(article)


@blp.route("/bulk")
class Bulk(MethodView):
    @requires(blp, "write")
    @blp.doc(**NDJSON_BODY)
    @blp.response(202, BulkAcceptedSchema)
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.alt_response(413, response="PAYLOAD_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(503, response="UNAVAILABLE")
    def post(self):
        """Send many articles as NDJSON (one job)

        Every line is validated first; any invalid line rejects the request with
        400 naming the lines, so nothing is half-accepted.
        """
        return ingest.accept_bulk(ingest.read_ndjson(request))


ARTICLE_ID = {"in": "path", "name": "article_id", "examples": {"sample": {"value": EXAMPLE_ID}},
              "description": "Article id, as returned by `POST /v1/articles` (20 hex digits)."}


@blp.route("/<string:article_id>", parameters=[ARTICLE_ID])
class Article(MethodView):
    @conditional(lambda: ext.settings().article_max_age)
    @blp.response(200, ArticleSchema, example=EXAMPLE_ARTICLE, headers=CACHE_HEADERS)
    @blp.alt_response(304, description="Not modified (the `If-None-Match` ETag matches).")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(503, response="UNAVAILABLE")
    def get(self, article_id):
        """Read the whole stored record of an article"""
        article = store.get_article(ext.es(), ext.settings().articles_alias, article_id)
        if article is None:
            abort(404, message=f"No article with id {article_id!r}.")
        return article

    @requires(blp, "write")
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(503, response="UNAVAILABLE")
    def delete(self, article_id):
        """Delete an article"""
        settings = ext.settings()
        if not store.delete_article(ext.es(), settings.articles_alias, article_id,
                                    refresh=settings.index_refresh):
            abort(404, message=f"No article with id {article_id!r}.")
        archive_generation.mark_changed(ext.redis_conn(), settings.redis_prefix)
