"""The entities index: one document per canonical entity, written race-free without scripts.

Why this shape. The same person must be the same entity in every article, with every spelling
seen ("Kim Jong-un", "Kim Jong Un", "Kim") searchable by prefix. Several worker processes write
at once, and the minimal node has no scripting, so there are no scripted updates; and a plain
``index`` of each article's view of an entity would let the last writer drop the aliases others
wrote. So:

1. The document holds only what merges without counting (``indexer.entity_records``): type,
   name, all labels and aliases. Its merge is commutative,
   associative and idempotent, so the final document does not depend on the order of writes or
   on retries.
2. Writes use optimistic concurrency: ``mget`` the current documents (real time, no refresh
   needed), merge, and write with ``if_seq_no``/``if_primary_term`` (``create`` for a new
   entity). An entity another worker changed in between fails with 409 and goes into the next
   round, which reads it again. No write is lost and none is needed when nothing is new (the
   common case once an entity is known: one ``mget``, no write).
3. Article counts, first and last publication dates (and anything else per article:
   co-occurrences, timelines) are not stored: a counter bumped per article would be wrong after
   a retry, a re-sent article or a delete, and a stored date range would outlive a deleted or
   corrected article. They are computed at query time by a terms aggregation over
   ``persons.id``/``organizations.id``/``places.id`` of the articles index, which is exact and
   always current (``article_stats``).

``tasks.run_batch`` writes a batch's entities before its articles, so every indexed article's
entities are in this index. Labels and aliases only grow: a deleted article does not take them
away (its counts and dates do go, being computed from the articles); ``indexer.entity_rebuild``
builds the index anew from the articles, and writers repeat their records there meanwhile
(``mirror_records``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping

from elasticsearch import ApiError, Elasticsearch, NotFoundError

from indexer import entity_records, reindex
from indexer.enrich.canonical import fold, id_prefix, id_type
from indexer.store import RETRYABLE_STATUSES, RetryableIndexError

MAX_ROUNDS = 10
CHUNK = 500
CANDIDATES = 100  # matches re-ranked by article count in search_entities
# Entity type -> id field of the articles index holding that type.
ARTICLE_ID_FIELDS = {"PER": "persons.id", "ORG": "organizations.id", "LOC": "places.id"}
ID_PREFIXES = {field: id_prefix(entity_type) for entity_type, field in ARTICLE_ID_FIELDS.items()}
BY_NAME = [{"name.folded": "asc"}, {"id": "asc"}]   # A-Z, umlauts and case folded; id: ties
SEARCH_FIELDS = ["name.prefix^2", "aliases.prefix"]
WORD_FIELDS = ["name.words^3", "aliases.words^2"]


class EntityIndexError(Exception):
    """Elasticsearch refused an entity document for good (a bug, e.g. a mapping mismatch)."""


# --- writing -----------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Written:
    count: int           # documents created or changed
    index: str | None    # the index the alias led to when read (None: nothing was read)
    # id -> the entity's name as stored now (the best label of all its articles)
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)


def write_entities(es: Elasticsearch, alias: str, records: Mapping[str, dict], *,
                   refresh: str = "false", max_rounds: int = MAX_ROUNDS,
                   require_alias: bool = True) -> Written:
    """Merge the records (id -> record) into the index (``alias``; an index's own name with
    ``require_alias=False``). Raises ``RetryableIndexError`` when the cluster is busy, the
    alias is missing, or conflicts outlast ``max_rounds`` (run the batch again: safe, merges
    are idempotent); ``EntityIndexError`` when a document is refused for good. The result
    names each record's entity as stored (``Written.names``)."""
    pending = dict(records)
    written, index, names = 0, None, {}
    for _ in range(max_rounds):
        if not pending:
            return Written(written, index, names)
        conflicts: dict[str, dict] = {}
        for chunk in _chunks(list(pending), CHUNK):
            current, read_from = _current(es, alias, chunk)
            index = index or read_from
            operations = _operations(alias, {i: pending[i] for i in chunk}, current, names)
            if operations:
                done, retry = _bulk(es, operations, refresh, require_alias)
                written += done
                conflicts.update({i: pending[i] for i in retry})
        pending = conflicts
    if pending:
        raise RetryableIndexError(f"entities: {len(pending)} documents still conflicting after "
                                  f"{max_rounds} rounds (e.g. {sorted(pending)[0]})")
    return Written(written, index)


def mirror_records(es: Elasticsearch, alias: str, records: Mapping[str, dict],
                   written: str | None) -> None:
    """Merge records already written through ``alias`` (into the index ``written``) into the
    indices ``reindex.repeat_targets`` names: the new index of a running rebuild
    (``indexer.entity_rebuild``), or the one its swap just put behind the alias. Call it
    after the articles the records came from are stored: the rebuild reads the articles, so a
    batch stored before it began is in what it reads, and any later one is repeated here."""
    if not records:
        return
    with _retryable_reads(alias, "entities alias lookup"):
        targets = reindex.repeat_targets(es, alias, written)
    for target in targets:
        write_entities(es, target, records, require_alias=False)


def stored_names(es: Elasticsearch, alias: str, ids: list[str]) -> dict[str, str]:
    """id -> name of those of ``ids`` the index holds (real time: no refresh needed)."""
    return {i: found["source"]["name"] for chunk in _chunks(ids, CHUNK)
            for i, found in _current(es, alias, chunk)[0].items()}


@contextlib.contextmanager
def _retryable_reads(alias: str, what: str):
    """A missing alias or a busy cluster as ``RetryableIndexError`` (the batch runs again)."""
    try:
        yield
    except NotFoundError as exc:
        raise RetryableIndexError(f"alias {alias} missing: {exc}") from exc
    except ApiError as exc:
        if exc.status_code in RETRYABLE_STATUSES:
            raise RetryableIndexError(f"{what} refused: {exc}") from exc
        raise


def other_forms(es: Elasticsearch, alias: str, *, aliases: list[str], compact: list[str],
                exclude: list[str], size: int) -> list[dict]:
    """The stored records (at most ``size``) that have one of ``aliases`` as an alias, or
    whose name written without spaces and hyphens is one of ``compact`` (``name.compact``,
    entities-v2) and whose id is not in ``exclude``."""
    should: list[dict] = []
    if aliases:
        should.append({"terms": {"aliases": aliases}})
    if compact:
        should.append({"bool": {"filter": [{"terms": {"name.compact": compact}}],
                                "must_not": [{"ids": {"values": exclude}}]}})
    if not should:
        return []
    with _retryable_reads(alias, "entities search"):
        response = es.search(index=alias, size=size,
                             query={"bool": {"should": should, "minimum_should_match": 1}})
    return [hit["_source"] for hit in response["hits"]["hits"]]


def first_word_counts(es: Elasticsearch, alias: str, entity_type: str,
                      words: list[str]) -> dict[str, int]:
    """word -> how many stored entities of ``entity_type`` have a name of two or more words
    that starts with it ("Karl" -> "Karl Moik", "Karl Blecha", ...): case and accents folded
    (``name.folded``)."""
    if not words:
        return {}
    filters = {word: {"prefix": {"name.folded": f"{word} "}} for word in words}
    with _retryable_reads(alias, "entities first words"):
        response = es.search(index=alias, size=0, query={"term": {"type": entity_type}},
                             aggs={"first": {"filters": {"filters": filters}}})
    buckets = response["aggregations"]["first"]["buckets"]
    return {word: buckets[word]["doc_count"] for word in words}


def _current(es: Elasticsearch, alias: str, ids: list[str]) -> tuple[dict[str, dict], str | None]:
    """(id -> {"source", "seq_no", "primary_term"} of the entities that exist, the index the
    alias led to)."""
    with _retryable_reads(alias, "entities mget"):
        response = es.mget(index=alias, ids=ids)
    found, index = {}, None
    for doc in response["docs"]:
        if "error" in doc:
            raise RetryableIndexError(f"entities mget {doc.get('_id')}: {doc['error']}")
        index = index or doc.get("_index")
        if doc.get("found"):
            found[doc["_id"]] = {"source": doc["_source"], "seq_no": doc["_seq_no"],
                                 "primary_term": doc["_primary_term"]}
    return found, index


def _operations(alias: str, records: dict[str, dict], current: dict[str, dict],
                names: dict[str, str]) -> list[dict]:
    """The bulk operations that store ``records`` over ``current``; ``names`` gets each
    record's name as stored by them."""
    operations: list[dict] = []
    for entity_id, record in records.items():
        stored = current.get(entity_id)
        if stored is None:
            operations += [{"create": {"_index": alias, "_id": entity_id}}, record]
            names[entity_id] = record["name"]
            continue
        before = entity_records.normalized(stored["source"])
        merged = entity_records.merge(before, record)
        names[entity_id] = merged["name"]
        if merged != before:
            operations += [{"index": {"_index": alias, "_id": entity_id,
                                      "if_seq_no": stored["seq_no"],
                                      "if_primary_term": stored["primary_term"]}}, merged]
    return operations


def _bulk(es: Elasticsearch, operations: list[dict], refresh: str,
          require_alias: bool = True) -> tuple[int, list[str]]:
    """(documents written, ids that met a version conflict)."""
    try:
        response = es.bulk(operations=operations, require_alias=require_alias, refresh=refresh)
    except ApiError as exc:
        if exc.status_code in RETRYABLE_STATUSES:
            raise RetryableIndexError(f"entities bulk refused: {exc}") from exc
        raise
    written, conflicts, transient = 0, [], []
    for item in response["items"]:
        result = next(iter(item.values()))
        status, error = result.get("status", 500), result.get("error") or {}
        if status < 300:
            written += 1
        elif status == 409:
            conflicts.append(result["_id"])
        elif status in RETRYABLE_STATUSES or error.get("type") == "index_not_found_exception":
            transient.append(f"{result['_id']}: {error.get('type')}: {error.get('reason')}")
        else:
            raise EntityIndexError(f"entity {result['_id']}: {error.get('type')}: "
                                   f"{error.get('reason')}")
    if transient:
        raise RetryableIndexError("entities: " + "; ".join(transient[:3]))
    return written, conflicts


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- reading -----------------------------------------------------------------------

def search_body(q: str | None = None, *, entity_type: str | None = None, size: int = 10,
                fuzzy: bool = False, by_name: bool = False,
                search_after: list | None = None) -> dict:
    """Prefix search over names and aliases: every word of ``q`` must start a word of the
    name or of one alias ("kim j" -> "Kim Jong Un"; umlauts, ß and accents folded, so
    "muell" finds "Müller"). Whole-word matches rank above prefix-only ones.

    ``fuzzy``: every word of ``q`` must instead be spelt like a whole word of the name or of
    one alias: Lucene's AUTO edit distance (none for 1-2 letters, one for 3-5, two for more;
    a swap of two letters is one), with the first letter as typed ("merkle" -> "Angela
    Merkel", "selenski" -> "Selenskyj").

    ``by_name`` (always without ``q``): A-Z by the folded name, then id, continued after
    ``search_after`` (the last entity's ``sort`` values)."""
    filters = [{"term": {"type": entity_type}}] if entity_type else []
    text = (q or "").strip()
    if not text:
        query: dict = {"bool": {"filter": filters}}
    elif fuzzy:
        query = {"bool": {
            "must": [{"multi_match": {"query": text, "fields": WORD_FIELDS,
                                      "type": "best_fields", "operator": "and",
                                      "fuzziness": "AUTO", "prefix_length": 1}}],
            "filter": filters}}
    else:
        query = {"bool": {
            "must": [{"multi_match": {"query": text, "fields": SEARCH_FIELDS,
                                      "type": "best_fields", "operator": "and"}}],
            "should": [{"multi_match": {"query": text, "fields": WORD_FIELDS,
                                        "type": "best_fields", "operator": "and"}},
                       {"term": {"name.folded": {"value": text, "boost": 5}}}],
            "filter": filters}}
    if by_name or not text:
        body = {"query": query, "size": size, "sort": BY_NAME}
        if search_after:
            body["search_after"] = list(search_after)
        return body
    return {"query": query, "size": size, "sort": ["_score", {"name": "asc"}]}


def stats_body(ids: list[str]) -> dict:
    """Articles-index request for each entity id's articles: their number and their earliest
    and latest publication (exact: one terms aggregation per id field, restricted to exactly
    these ids, with a min and a max of ``published_at`` per id)."""
    fields = sorted({ARTICLE_ID_FIELDS[t] for t in _types(ids)})
    dates = {"first_seen": {"min": {"field": "published_at"}},
             "last_seen": {"max": {"field": "published_at"}}}
    return {
        "size": 0,
        "query": {"bool": {"should": [{"terms": {field: ids}} for field in fields]}},
        "aggs": {field: {"terms": {"field": field, "include": ids, "size": len(ids)},
                         "aggs": dates}
                 for field in fields},
    }


def article_stats(es: Elasticsearch, articles_alias: str, ids: list[str]) -> dict[str, dict]:
    """id -> {"article_count", "first_seen", "last_seen"}: the number of articles naming it
    (0 for none) and the earliest and latest ``published_at`` among them, in UTC to the second
    ("2023-08-30T16:36:00+00:00"; None while none of them has a date)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    response = es.search(index=articles_alias, **stats_body(ids))
    buckets: dict[str, list[dict]] = {i: [] for i in ids}   # an id of unknown type: per field
    for agg in response["aggregations"].values():
        for bucket in agg["buckets"]:
            buckets[bucket["key"]].append(bucket)
    return {i: _stats(found) for i, found in buckets.items()}


def article_counts(es: Elasticsearch, articles_alias: str, ids: list[str]) -> dict[str, int]:
    """id -> the number of articles naming it (``article_stats``), for the worker: a missing
    alias or a busy cluster raise ``RetryableIndexError`` (the batch runs again)."""
    with _retryable_reads(articles_alias, "article count"):
        return {i: stats["article_count"]
                for i, stats in article_stats(es, articles_alias, ids).items()}


def _stats(buckets: list[dict]) -> dict:
    firsts, lasts = _values(buckets, "first_seen"), _values(buckets, "last_seen")
    return {"article_count": sum(b["doc_count"] for b in buckets),
            "first_seen": _utc(min(firsts)) if firsts else None,
            "last_seen": _utc(max(lasts)) if lasts else None}


def _values(buckets: list[dict], name: str) -> list[float]:
    values = (b.get(name, {}).get("value") for b in buckets)
    return [v for v in values if v is not None]


def _utc(epoch_millis: float) -> str:
    moment = dt.datetime.fromtimestamp(epoch_millis / 1000, dt.UTC)
    return moment.isoformat(timespec="seconds")


def search_entities(es: Elasticsearch, entities_alias: str, articles_alias: str,
                    q: str | None = None, *, entity_type: str | None = None,
                    size: int = 10, fuzzy: bool = False) -> list[dict]:
    """Matching entities, each with ``article_count``, ``first_seen`` and ``last_seen``
    (``article_stats``): the ``CANDIDATES`` best matches by score, and when more match (a
    one-letter ``q``), the ``size`` most named of all matches (``most_named_ids``), ordered
    by article count (then score, then name), the first ``size`` of them. An entity that no
    article names any more (its articles were deleted or re-sent without it) is left out: it
    would lead to an empty search. (For autocompletion the person in most articles comes
    first: "putin" gives "Wladimir Putin" before a bare "Putin" that one article named.)
    ``fuzzy``: names spelt like ``q`` (``search_body``)."""
    candidates = max(size, CANDIDATES)
    body = search_body(q, entity_type=entity_type, size=candidates, fuzzy=fuzzy)
    hits = es.search(index=entities_alias, **body)["hits"]["hits"]
    if len(hits) == candidates and not fuzzy:
        # More match than were read ("m": hundreds of persons, the best scores first, not
        # the most named): add the most named of all whose name has a word starting with q.
        known = {hit["_id"] for hit in hits}
        more = [i for i in most_named_ids(es, articles_alias, q, entity_type=entity_type,
                                          size=size) if i not in known]
        hits += _found(es, entities_alias, more)
    named = _named(es, articles_alias, hits)
    return sorted(named, key=lambda entity: -entity["article_count"])[:size]   # stable


def id_word(q: str | None) -> str | None:
    """``q`` as one word of an entity id (ids are slugs of folded names: "per-angela-merkel"),
    or None when it is more than one word ("kim j") or none."""
    word = re.sub(r"[^\w]+", "-", fold(q or "")).strip("-")
    return word if word and "-" not in word else None


def most_named_ids_body(q: str | None = None, *, entity_type: str | None,
                        size: int) -> dict | None:
    """Articles-index request for the ``size`` entity ids (of ``entity_type``) that most
    articles name: a terms aggregation per id field. With ``q``, only ids with a word
    starting with ``q``'s one word (``include``: a regular expression over the ids); None
    for a ``q`` of more words."""
    word = None if q is None else id_word(q)
    if q is not None and word is None:
        return None
    fields = [ARTICLE_ID_FIELDS[entity_type]] if entity_type else list(ARTICLE_ID_FIELDS.values())
    return {"size": 0, "aggs": {field: {"terms": {
        "field": field, "size": size,
        **({"include": f"{ID_PREFIXES[field]}-(.*-)?{word}.*"} if word else {})}}
        for field in fields}}


def most_named_ids(es: Elasticsearch, articles_alias: str, q: str | None = None, *,
                   entity_type: str | None, size: int) -> list[str]:
    """``most_named_ids_body``'s ids, most named first."""
    body = most_named_ids_body(q, entity_type=entity_type, size=size)
    if body is None:
        return []
    aggregations = es.search(index=articles_alias, **body)["aggregations"]
    counts = {bucket["key"]: bucket["doc_count"]
              for agg in aggregations.values() for bucket in agg["buckets"]}
    # Ties in the aggregation's order (most articles, then id), so pages of the ranking
    # (``most_named(offset=...)``) meet without a gap or a repeat.
    return sorted(counts, key=lambda i: (-counts[i], i))[:size]


def _found(es: Elasticsearch, entities_alias: str, ids: list[str]) -> list[dict]:
    """The entity documents of ``ids`` that exist, in order (``mget``; none for no ids)."""
    if not ids:
        return []
    return [doc for doc in es.mget(index=entities_alias, ids=ids)["docs"] if doc.get("found")]


def _named(es: Elasticsearch, articles_alias: str, hits: list[dict]) -> list[dict]:
    """The entities of ``hits`` (search hits or found ``mget`` docs), in their order, each
    with ``article_stats``; those that no article names are left out."""
    stats = article_stats(es, articles_alias, [hit["_id"] for hit in hits])
    return [{**hit["_source"], **stats[hit["_id"]]} for hit in hits
            if stats[hit["_id"]]["article_count"] > 0]


def entities_by_name(es: Elasticsearch, entities_alias: str, articles_alias: str,
                     q: str | None = None, *, entity_type: str | None = None, size: int = 10,
                     fuzzy: bool = False, search_after: list | None = None
                     ) -> tuple[list[dict], list | None]:
    """A page of the matching entities A-Z (``search_body(by_name=True)``), each with
    ``article_stats``, and where the next page starts (None after the last). Entities that no
    article names are left out, so a page can be shorter than ``size``."""
    body = search_body(q, entity_type=entity_type, size=size, fuzzy=fuzzy, by_name=True,
                       search_after=search_after)
    hits = es.search(index=entities_alias, **body)["hits"]["hits"]
    return _named(es, articles_alias, hits), (hits[-1]["sort"] if len(hits) == size else None)


def most_named(es: Elasticsearch, entities_alias: str, articles_alias: str, *,
               entity_type: str | None = None, size: int = 10, offset: int = 0
               ) -> tuple[list[dict], bool]:
    """The entities (of ``entity_type``) ranked ``offset`` to ``offset + size`` by how many
    articles name them (then by id), each with ``article_stats``: a terms aggregation over the
    articles' entity ids. Also whether the ranking goes on after them."""
    ranked = most_named_ids(es, articles_alias, entity_type=entity_type, size=offset + size + 1)
    docs = _found(es, entities_alias, ranked[offset:offset + size])
    return _named(es, articles_alias, docs), len(ranked) > offset + size


def get_entity(es: Elasticsearch, entities_alias: str, articles_alias: str,
               entity_id: str) -> dict | None:
    """One entity with ``article_count``, ``first_seen`` and ``last_seen``, or None."""
    try:
        source = es.get(index=entities_alias, id=entity_id)["_source"]
    except NotFoundError as exc:
        body = exc.body if isinstance(exc.body, dict) else {}
        if isinstance(body.get("error"), dict):  # the index itself is missing
            raise
        return None
    return {**source, **article_stats(es, articles_alias, [entity_id])[entity_id]}


def _types(ids: list[str]) -> set[str]:
    """Entity types named by the id prefixes ("per-..." -> PER); all types when unknown."""
    types = {id_type(i) for i in ids}
    return types if types <= set(ARTICLE_ID_FIELDS) else set(ARTICLE_ID_FIELDS)
