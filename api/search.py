"""``/v1/search``: German full text with filters, multi-select facets and cursors."""

from __future__ import annotations

import os

from flask.views import MethodView
from flask_smorest import abort

from api import cursor, query
from api import extensions as ext
from api.extensions import Blueprint
from api.query_syntax import QueryError
from api.search_schemas import SearchArgsSchema, SearchPageSchema

blp = Blueprint("search", __name__, url_prefix="/v1/search",
                description="Search the articles: German full text, filters, facets, cursors.")

CURSOR_SECRET_ENV = "NEWSARCHIVE_CURSOR_SECRET"
DEV_CURSOR_SECRET = "newsarchive-dev-cursor-secret"  # set the variable in production


def cursor_secret() -> bytes:
    return (os.environ.get(CURSOR_SECRET_ENV) or DEV_CURSOR_SECRET).encode()


# (alias, word) -> its compound parts; the analysis is deterministic per index version.
_PARTS_CACHE: dict[tuple[str, str], list[str]] = {}
PARTS_CACHE_SIZE = 50_000


def compound_parts(words: list[str]) -> dict[str, list[str]]:
    """Word -> parts as the index decompounds them (``_analyze`` with ``de_index``,
    once per word and process)."""
    alias = ext.settings().articles_alias
    out = {}
    for word in words:
        key = (alias, word)
        if key not in _PARTS_CACHE:
            if len(_PARTS_CACHE) >= PARTS_CACHE_SIZE:
                _PARTS_CACHE.clear()
            tokens = ext.es().indices.analyze(index=alias, analyzer="de_index", text=word)
            _PARTS_CACHE[key] = query.compound_parts(tokens.get("tokens") or [])
        out[word] = _PARTS_CACHE[key]
    return out


def _bad_param(name: str, message: str, code: str):
    abort(400, message=f"Invalid request: {name}: {message}", code=code,
          details={"location": "query", "fields": {name: [message]}})


@blp.route("")
class Search(MethodView):
    @blp.arguments(SearchArgsSchema, location="query", as_kwargs=False)
    @blp.response(200, SearchPageSchema)
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.alt_response(503, response="UNAVAILABLE")
    def get(self, args):
        """Search articles

        Facets are multi-select: a facet's own filter does not shrink its buckets.
        Follow `next_cursor` for the next page (stable order, no 10,000 limit).
        """
        if args.get("cursor"):
            try:
                args["search_after"] = cursor.decode(args["cursor"], query.fingerprint(args),
                                                     cursor_secret())
            except cursor.CursorError as exc:
                _bad_param("cursor", str(exc), "invalid_cursor")
        try:
            args["compound_parts"] = compound_parts(query.compound_words(args.get("q")))
            body = query.build_body(args)
        except QueryError as exc:
            _bad_param("q", str(exc), "invalid_query")
        raw = ext.es().search(index=ext.settings().articles_alias, body=body)
        return query.to_page(raw, args, cursor_secret())
