"""``/v1/search``: German full text with filters, multi-select facets and cursors."""

from __future__ import annotations

import orjson
from elasticsearch import ApiError, Elasticsearch
from flask import Response, current_app
from flask.views import MethodView

from api import access, archive_cache, cursor, query, snapshots, suggest
from api import extensions as ext
from api.errors import bad_param
from api.extensions import Blueprint
from api.query_syntax import QueryError
from api.search_schemas import SearchArgsSchema, SearchPageSchema

blp = Blueprint("search", __name__, url_prefix="/v1/search",
                description="Search the articles: German full text, filters, facets, cursors.")


# One instance for every request: given the class, webargs would build a new schema (deep
# copies of its fields, ~0.2 ms) per request.
SEARCH_ARGS = SearchArgsSchema()


def cursor_secret() -> bytes:
    return ext.settings().cursor_secret.encode()


# (alias, word) -> its compound parts; the analysis is deterministic per index version.
_PARTS_CACHE: dict[tuple[str, str], list[str]] = {}
PARTS_CACHE_SIZE = 50_000


def compound_parts(words: list[str]) -> dict[str, list[str]]:
    """Word -> parts as the articles index decompounds them (see ``index_compound_parts``)."""
    return index_compound_parts(ext.es(), ext.settings().articles_alias, words)


def index_compound_parts(es, index: str, words: list[str]) -> dict[str, list[str]]:
    """Word -> parts as ``index`` decompounds them (``_analyze`` with ``de_index``,
    once per word, index and process). Needs only the client, no Flask app."""
    out = {}
    for word in words:
        key = (index, word)
        if key not in _PARTS_CACHE:
            if len(_PARTS_CACHE) >= PARTS_CACHE_SIZE:
                _PARTS_CACHE.clear()
            tokens = es.indices.analyze(index=index, analyzer="de_index", text=word)
            _PARTS_CACHE[key] = query.compound_parts(tokens.get("tokens") or [])
        out[word] = _PARTS_CACHE[key]
    return out


# (alias, parameter, value) -> match, kept until the archive changes (``api.archive_cache``):
# front ends page and facet with the same filters, so a cursor's 30 pages ask the entities
# index once, not 30 times.
ENTITY_ANSWERS = archive_cache.ArchiveCache()


def entity_matches(args: dict) -> dict[tuple[str, str], query.EntityMatch]:
    """(parameter, value) -> the entities with that name, alias or id (their ids, names and
    aliases), for the ``person``/``organization``/``place`` values of ``args``: one search
    of the entities index for the values not looked up since the archive last changed."""
    index = ext.settings().entities_alias
    out, missing = {}, {}
    for param in query.ENTITY_TYPES:
        for value in args.get(param) or []:
            cached = ENTITY_ANSWERS.get((index, param, value))
            if cached is not archive_cache.MISSING:
                out[(param, value)] = cached
            else:
                missing.setdefault(param, []).append(value)
    body, keys = query.entity_lookup_body(missing)
    if body is None:
        return out
    found = query.entity_matches_from(ext.es().search(index=index, body=body), keys)
    for key in keys:
        out[key] = found.get(key, query.EntityMatch([], []))
        ENTITY_ANSWERS.put((index, *key), out[key])
    return out


def resolve(args: dict) -> dict:
    """``args`` with what ``query.build_body`` needs from Elasticsearch: compound parts
    (``_analyze``) and the entities the filters name. /v1/search and /v1/export."""
    args["compound_parts"] = compound_parts(query.compound_words(args.get("q")))
    args["entity_matches"] = entity_matches(args)
    return args


def search_body(args: dict) -> dict:
    """The body of the one ``_search`` for parsed arguments (``search_after`` decoded from
    the cursor): ``resolve``, then ``query.build_body``. Raises ``QueryError``;
    benchmarks/search.py sends the same body straight to Elasticsearch."""
    return query.build_body(resolve(args))


def shared_pit_key() -> str:
    """The Redis key of the shared snapshot: read with the rate limit (``access.prefetch``)."""
    return ext.shared_pit().key(ext.settings().articles_alias)


def json_response(page: dict) -> Response:
    """``jsonify(page)`` as Flask writes it (compact, UTF-8, key order kept, a final
    newline), by orjson: ~0.1 ms less per page of 20 results. Only for plain JSON
    values (no dates, no NaN): floats smaller than 1e-4 are written without an
    exponent's leading zero (``1e-5``, not ``1e-05``), the same number."""
    return current_app.response_class(orjson.dumps(page, option=orjson.OPT_APPEND_NEWLINE),
                                      mimetype="application/json")


@blp.route("")
class Search(MethodView):
    @access.prefetch(lambda: [shared_pit_key(), archive_cache.changed_key()])
    @blp.arguments(SEARCH_ARGS, location="query", as_kwargs=False)
    @blp.response(200, SearchPageSchema)
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.alt_response(503, response="UNAVAILABLE")
    def get(self, args):
        """Search articles

        Facets are multi-select: a facet's own filter does not shrink its buckets.
        Follow `next_cursor` for the next page: no 10,000 limit, and pages never
        repeat or skip an article while new ones arrive (relevance-sorted pages come
        from one snapshot that lives `NEWSARCHIVE_CURSOR_KEEP_ALIVE` after each page;
        later, a cursor goes on from the same position in the current index).
        """
        pit_id = None
        if args.get("cursor"):
            try:
                position = cursor.decode(args["cursor"], query.fingerprint(args), cursor_secret())
            except cursor.CursorError as exc:
                bad_param("cursor", str(exc), "invalid_cursor")
            args["search_after"], pit_id = position.search_after, position.pit_id
        try:
            body = search_body(args)
        except QueryError as exc:
            bad_param("q", str(exc), "invalid_query")
        first_page = not args.get("cursor")
        if first_page and args["size"] and query.sort_name(args) == "relevance":
            shared, settings = ext.shared_pit(), ext.settings()
            pit_id = shared.get(ext.es(), settings.articles_alias, settings.cursor_keep_alive,
                                current=access.prefetched(shared_pit_key(), snapshots.NOT_READ))
        raw = run_search(ext.es(), body, pit_id, first_page=first_page)
        # The page already has SearchPageSchema's shape (tests/unit/test_search_page.py), so
        # it is sent as it is: a marshmallow dump of every result cost ~1.4 ms per request.
        page = query.to_page(raw, args, cursor_secret())
        if first_page and page["total"] == 0 and (args.get("q") or "").strip():
            page["suggestion"] = suggest.suggestion(
                ext.es(), ext.settings().articles_alias, args["q"],
                lambda q: total_of({**args, "q": q}))
        return json_response(page)


def total_of(args: dict) -> int:
    """How many articles the search of ``args`` finds (its first page's ``total``)."""
    body = search_body({**args, "size": 0, "facets": []})
    return ext.es().search(index=ext.settings().articles_alias, body=body)["hits"]["total"][
        "value"]


def run_search(es: Elasticsearch, body: dict, pit_id: str | None, *, first_page: bool) -> dict:
    """One ``_search``, in ``pit_id`` when given. A PIT that is gone is replaced by
    a fresh shared one for a first page, by the current index for a later page."""
    settings = ext.settings()
    if pit_id is None:
        return es.search(index=settings.articles_alias, body=body)
    try:
        return es.search(body=snapshots.with_pit(body, pit_id, settings.cursor_keep_alive))
    except ApiError as exc:
        if not snapshots.is_missing(exc):
            raise
        ext.shared_pit().forget(settings.articles_alias, pit_id)
    if first_page:
        pit_id = ext.shared_pit().get(es, settings.articles_alias, settings.cursor_keep_alive)
        return es.search(body=snapshots.with_pit(body, pit_id, settings.cursor_keep_alive))
    return es.search(index=settings.articles_alias, body=snapshots.without_pit(body))
