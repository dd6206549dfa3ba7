"""``/v1/entities``: prefix search over entity names and aliases, and one entity with the
entities it co-occurs with and its monthly timeline.

The entity documents and article counts come from ``indexer.entity_store``; co-occurrences and
the timeline are aggregations over the articles naming the entity (always current, exact).
"""

from __future__ import annotations

import functools

from flask.views import MethodView
from flask_smorest import abort

from api import cursor
from api import extensions as ext
from api.entity_schemas import (
    MAX_RANK,
    TYPE_NAMES,
    TYPES,
    EntityArgsSchema,
    EntityListSchema,
    EntitySchema,
    EntitySearchArgsSchema,
)
from api.errors import bad_param
from api.extensions import Blueprint
from api.query import date_buckets, date_histogram
from api.search import cursor_secret
from indexer import entity_store
from indexer.entity_store import ARTICLE_ID_FIELDS

blp = Blueprint("entities", __name__, url_prefix="/v1/entities",
                description="People, organizations and places named in the articles.")

# Related-entity groups of the response -> id field of the articles index.
RELATED_FIELDS = {"persons": "persons.id", "organizations": "organizations.id",
                  "places": "places.id"}
FIELD_TYPES = {field: code for code, field in ARTICLE_ID_FIELDS.items()}


def summary(entity: dict) -> dict:
    """An entity document (with ``article_count``) as the API shows it."""
    return {"id": entity["id"], "type": TYPE_NAMES.get(entity.get("type"), entity.get("type")),
            "name": entity["name"], "aliases": list(entity.get("aliases") or []),
            "article_count": entity.get("article_count", 0),
            "first_seen": entity.get("first_seen"), "last_seen": entity.get("last_seen")}


def detail_body(entity_id: str, entity_type: str, *, related_size: int = 10) -> dict:
    """Articles-index request: the entities named most often with ``entity_id`` (itself
    excluded) per type, and articles per month of publication. Months are German calendar
    months, as in the search's ``published`` histogram: an article of 00:30 on 1 September in
    Berlin counts for September, not for August as in UTC."""
    field = ARTICLE_ID_FIELDS.get(entity_type)
    if field:
        query = {"term": {field: entity_id}}
    else:
        query = {"bool": {"should": [{"term": {f: entity_id}} for f in RELATED_FIELDS.values()],
                          "minimum_should_match": 1}}
    aggs: dict = {name: {"terms": {"field": f, "size": related_size, "exclude": [entity_id]}}
                  for name, f in RELATED_FIELDS.items()}
    # Months with articles only: the empty ones between are filled in by ``timeline_from``,
    # which, like the search histogram, stops filling where Elasticsearch would refuse the
    # number of buckets (an article dated 0001 and one dated 9999).
    aggs["timeline"] = date_histogram("published_at", "month")
    return {"size": 0, "track_total_hits": True, "query": {"bool": {"filter": [query]}},
            "aggs": aggs}


def related_ids(aggregations: dict) -> list[str]:
    return [bucket["key"] for name in RELATED_FIELDS
            for bucket in aggregations.get(name, {}).get("buckets", [])]


def related_from(aggregations: dict, names: dict[str, str]) -> dict[str, list[dict]]:
    """Related buckets -> {"persons": [{"id", "type", "name", "count"}], ...}; ``names`` maps
    ids to canonical names (the id stands in for one not found)."""
    out = {}
    for name, field in RELATED_FIELDS.items():
        out[name] = [{"id": bucket["key"], "type": TYPE_NAMES[FIELD_TYPES[field]],
                      "name": names.get(bucket["key"], bucket["key"]),
                      "count": bucket["doc_count"]}
                     for bucket in aggregations.get(name, {}).get("buckets", [])]
    return out


def timeline_from(aggregations: dict) -> list[dict]:
    """Articles per month, from the first to the last, the empty months as count 0 (unless
    there would be more than ``query.MAX_DATE_BUCKETS``, as for the search's histogram)."""
    counts = [(bucket["key_as_string"], bucket["doc_count"])
              for bucket in aggregations.get("timeline", {}).get("buckets", [])]
    return [{"month": bucket["value"][:-3], "count": bucket["count"]}
            for bucket in date_buckets(counts, "month")]


def entity_names(ids: list[str]) -> dict[str, str]:
    """id -> canonical name from the entities index."""
    if not ids:
        return {}
    docs = ext.es().mget(index=ext.settings().entities_alias, ids=sorted(set(ids)))["docs"]
    return {doc["_id"]: doc["_source"]["name"] for doc in docs if doc.get("found")}


@blp.route("")
class Entities(MethodView):
    @blp.arguments(EntitySearchArgsSchema, location="query", as_kwargs=False)
    @blp.response(200, EntityListSchema)
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.alt_response(503, response="UNAVAILABLE")
    def get(self, args):
        """Find entities by name or alias prefix, or list them

        Each result has its article count and first and last publication. With `q`, the
        best matches, the entity in most articles first (`sort=name`: every match A-Z);
        without, every entity A-Z page by page (`sort=articles`: the most named first,
        page by page). An entity that no article names any more is left out. When no name
        or alias starts with `q`, the names spelt like it are the results (`fuzzy` is
        true).
        """
        q = (args.get("q") or "").strip()
        entity_type = TYPES.get(args.get("type"))
        if (args.get("sort") or ("articles" if q else "name")) == "name":
            return a_to_z_page(q, entity_type, args["size"], args.get("cursor"))
        if not q:
            return ranking_page(entity_type, args["size"], args.get("cursor"))
        if args.get("cursor"):
            bad_param("cursor", "With q, sort=articles is one page of the best matches; "
                      "sort=name pages through every match.", "invalid_cursor")
        stores = _stores()
        search = functools.partial(entity_store.search_entities, *stores, q,
                                   entity_type=entity_type, size=args["size"])
        found = search()
        return page(found) if found else page(search(fuzzy=True), fuzzy=True)


def a_to_z_page(q: str, entity_type: str | None, size: int, token: str | None) -> dict:
    """``sort=name``: the page after ``token`` (a cursor signed for this ``q`` and type) of
    the matching entities A-Z; names spelt like ``q`` (one page) when none matches."""
    fingerprint = cursor.digest(["entities", q, entity_type, "name"])
    by_name = functools.partial(entity_store.entities_by_name, *_stores(), q,
                                entity_type=entity_type, size=size)
    found, after = by_name(search_after=_after(token, fingerprint))
    if not found and after is None and q and not token:
        return page(by_name(fuzzy=True)[0], fuzzy=True)
    return page(found, after and cursor.encode(after, fingerprint, cursor_secret()))


def ranking_page(entity_type: str | None, size: int, token: str | None) -> dict:
    """``sort=articles`` without ``q``: the page after ``token`` of the entities ranked by
    how many articles name them, down to rank ``MAX_RANK`` (the cursor holds the offset)."""
    fingerprint = cursor.digest(["entities", "", entity_type, "articles"])
    [offset] = _after(token, fingerprint) or [0]
    size = max(0, min(size, MAX_RANK - offset))
    found, more = entity_store.most_named(*_stores(), entity_type=entity_type, size=size,
                                          offset=offset)
    end = offset + size
    return page(found, cursor.encode([end], fingerprint, cursor_secret())
                if more and end < MAX_RANK else None)


def _after(token: str | None, fingerprint: str) -> list | None:
    """Where the page after ``token`` starts (its ``search_after`` values), None without a
    token; a 400 ``invalid_cursor`` for a cursor not signed for ``fingerprint``."""
    if not token:
        return None
    try:
        return cursor.decode(token, fingerprint, cursor_secret()).search_after
    except cursor.CursorError as exc:
        bad_param("cursor", str(exc), "invalid_cursor")


def page(found: list[dict], next_cursor: str | None = None, *, fuzzy: bool = False) -> dict:
    return {"results": [summary(entity) for entity in found], "fuzzy": fuzzy,
            "next_cursor": next_cursor}


def _stores() -> tuple:
    settings = ext.settings()
    return ext.es(), settings.entities_alias, settings.articles_alias


@blp.route("/<string:entity_id>")
class Entity(MethodView):
    @blp.arguments(EntityArgsSchema, location="query", as_kwargs=False)
    @blp.response(200, EntitySchema)
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(503, response="UNAVAILABLE")
    def get(self, args, entity_id):
        """One entity

        Canonical name, aliases, article count, first and last seen, the entities named most
        often in the same articles, and the number of articles per month.
        """
        settings = ext.settings()
        entity = entity_store.get_entity(ext.es(), settings.entities_alias,
                                         settings.articles_alias, entity_id)
        if entity is None:
            abort(404, message=f"No entity with id {entity_id!r}.")
        raw = ext.es().search(index=settings.articles_alias,
                              body=detail_body(entity_id, entity.get("type"),
                                               related_size=args["related_size"]))
        aggregations = raw.get("aggregations") or {}
        names = entity_names(related_ids(aggregations))
        return {**summary({**entity, "id": entity.get("id", entity_id)}),
                "related": related_from(aggregations, names),
                "timeline": timeline_from(aggregations)}
