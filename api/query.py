"""Search arguments -> one Elasticsearch request body, and its answer -> a page (pure).

``build_body(args)`` and ``to_page(raw, args, cursor_secret)`` import neither
Flask nor the Elasticsearch client; ``api/search.py`` calls them around one
``es.search``. The searchable and facetable fields are declared once below.

Text fields (mappings/articles-v1.json): ``title``/``body`` hold every
article's text analysed language-neutrally (lower case, folding), their
``.exact`` subfields keep the exact forms, and German articles also have
``title_de``/``body_de`` analysed in German (stems, synonyms, decompounding).

Relevance: each query word must match title (boost 3) or body, in the German
fields (``de_search``: stems, synonyms) or the neutral ones (any language);
the exact form (``.exact``) adds score over a stemmed match; the query's words
near each other (a sloppy phrase) add score. Phrases match the ``.exact``
fields ("exact" means exact), prefixes too (bounded expansions).

Compounds: German documents are decompounded at index time
("Rüstungsgeschäfte" -> rüstungsgeschäft + rüstung + geschäft), queries are
not. A query word of at least ``COMPOUND_MIN_CHARS`` letters is analysed with
``de_index`` (by the view, through ``_analyze``, cached: see
``compound_words`` and ``compound_parts``) and, when it has parts, also
matches documents where all its parts occur within ``COMPOUND_MAX_GAPS``
words of each other in any order ("Kontrolle über die Grenze" for
"Grenzkontrollen"), with a low boost. Not chosen: a ``match`` with
``analyzer: de_index``, which Elasticsearch turns into an OR of the parts; on
the 1,028 articles of 10kGNAD it took "Fußballspieler" from 3 to 236 hits
(intervals: 10), "Parteichef" from 15 to 297 (intervals: 22).

Multi-select facets (as Aleph does it): a filter whose facet is requested goes
into ``post_filter``; every facet aggregation is wrapped in a ``filter``
aggregation holding the *other* post filters, so a facet's own selection does
not shrink its buckets. Other filters go into the query's ``filter``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from api import cursor as cursors
from api.query_syntax import (
    And,
    InField,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Word,
    parse,
    positive_words,
    walk,
)
from indexer.enrich.canonical import genitive_stem

# --- the registry -------------------------------------------------------------

TEXT_FIELDS = {"title": 3.0, "body": 1.0}       # field -> boost
GERMAN_FIELDS = {"title": "title_de", "body": "body_de"}
EXACT_BOOST = 0.5          # the word in its exact form, added to the stemmed match
COMPOUND_BOOST = 0.3       # the word's parts near each other, without the word itself
COMPOUND_MIN_CHARS = 8
COMPOUND_MAX_GAPS = 3
PROXIMITY_SLOP = 3
PROXIMITY_BOOST = 2.0
PREFIX_MAX_EXPANSIONS = 50
TIME_ZONE = "Europe/Berlin"  # of date filters and the published histogram
SNIPPET_CHARS = 160
SNIPPETS = 3
RESULT_FIELDS = ["id", "external_id", "title", "url", "outlet", "agencies", "language",
                 "published_at", "persons", "organizations", "places", "syndication_key"]


@dataclasses.dataclass(frozen=True)
class Facet:
    name: str        # in ``facets=`` and in the response
    field: str       # aggregated field
    params: tuple    # filter parameters on this facet's field
    kind: str = "terms"  # "terms", "entity" ("id|name" buckets) or "date"


FACETS = {f.name: f for f in (
    Facet("persons", "facet_persons", ("person",), "entity"),
    Facet("organizations", "facet_organizations", ("organization",), "entity"),
    Facet("places", "facet_places", ("place",), "entity"),
    Facet("outlets", "outlet", ("outlet",)),
    Facet("agencies", "agencies", ("agency",)),
    Facet("languages", "language", ("language",)),
    Facet("published", "published_at", ("published_from", "published_to"), "date"),
)}
ENTITY_PARAMS = {"person": "persons", "organization": "organizations", "place": "places"}
ANY_OF_PARAMS = {"outlet": "outlet.folded", "agency": "agencies", "language": "language",
                 "syndication_key": "syndication_key"}
DATE_RANGES = {"published": "published_at", "mentioned": "mentioned_dates"}
SORTS = {
    "relevance": [{"_score": "desc"}, {"id": "asc"}],
    "newest": [{"published_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
    "oldest": [{"published_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
}
INTERVALS = ("day", "week", "month", "year")
FILTER_PARAMS = (*ENTITY_PARAMS, *ANY_OF_PARAMS, "published_from", "published_to",
                 "mentioned_from", "mentioned_to")


# --- the text query -----------------------------------------------------------

def text_query(node: Node, parts: Mapping[str, Sequence[str]] | None = None,
               fields: Mapping[str, float] = TEXT_FIELDS) -> dict:
    """The boolean query of a parsed ``q``; ``parts``: query word -> its compound
    parts as indexed (see ``compound_parts``); ``fields``: the text fields searched
    (a ``title:`` scope narrows them to the title)."""
    parts = parts or {}
    if isinstance(node, Word):
        return _either([clause for field, boost in fields.items()
                        for clause in _word_clauses(node.text, parts.get(node.text) or (),
                                                    field, boost)])
    if isinstance(node, (Phrase, Prefix)):
        return _either([_exact_clause(node, field, boost) for field, boost in fields.items()])
    if isinstance(node, And):
        must = [text_query(c, parts, fields) for c in node.children if not isinstance(c, Not)]
        must_not = [text_query(c.child, parts, fields) for c in node.children
                    if isinstance(c, Not)]
        return {"bool": {key: value for key, value in
                         (("must", must), ("must_not", must_not)) if value}}
    if isinstance(node, Or):
        return _either([text_query(c, parts, fields) for c in node.children])
    if isinstance(node, Not):
        return {"bool": {"must_not": [text_query(node.child, parts, fields)]}}
    if isinstance(node, InField):
        return text_query(node.child, parts, {node.field: TEXT_FIELDS[node.field]})
    raise TypeError(f"not a query node: {node!r}")


def _word_clauses(word: str, parts: Sequence[str], field: str, boost: float, *,
                  exact: bool = True) -> list[dict]:
    """A word on one text field: its German copy (stems, synonyms), the neutral field,
    the exact form (``exact``) and, for a compound, its parts near each other."""
    german = GERMAN_FIELDS[field]
    clauses = [_match(german, word, boost), _match(field, word, boost)]
    if exact:
        clauses.append(_match(f"{field}.exact", word, boost * EXACT_BOOST))
    if len(parts) > 1:
        clauses.append({"intervals": {german: {"all_of": {
            "intervals": [{"match": {"query": part, "analyzer": "keyword"}} for part in parts],
            "max_gaps": COMPOUND_MAX_GAPS, "ordered": False}, "boost": boost * COMPOUND_BOOST}}})
    return clauses


def _exact_clause(node: Phrase | Prefix, field: str, boost: float) -> dict:
    if isinstance(node, Phrase):
        return {"match_phrase": {f"{field}.exact": {"query": node.text, "boost": boost}}}
    return {"match_phrase_prefix": {f"{field}.exact": {
        "query": node.text, "max_expansions": PREFIX_MAX_EXPANSIONS, "boost": boost}}}


def _match(field: str, text: str, boost: float) -> dict:
    return {"match": {field: {"query": text, "operator": "and", "boost": boost}}}


def compound_words(q: str | None) -> list[str]:
    """Words of ``q`` long enough to be compounds: the view asks Elasticsearch
    for their parts (raises ``QueryError`` like ``parse``)."""
    node = parse(q or "")
    words = [n.text for n in walk(node) if isinstance(n, Word)]
    return list(dict.fromkeys(w for w in words if sum(ch.isalpha() for ch in w)
                              >= COMPOUND_MIN_CHARS))


def compound_parts(tokens: list[dict]) -> list[str]:
    """The parts of one word from its ``_analyze`` tokens (``de_index``): the
    decompounder stacks them on the word's position. ``[]`` when it has none."""
    if not tokens or any(t["position"] != tokens[0]["position"] for t in tokens):
        return []
    parts = list(dict.fromkeys(t["token"] for t in tokens[1:] if t["token"] != tokens[0]["token"]))
    return parts if len(parts) > 1 else []


def _either(clauses: list[dict]) -> dict:
    return clauses[0] if len(clauses) == 1 else \
        {"bool": {"should": clauses, "minimum_should_match": 1}}


def proximity_boost(node: Node | None) -> list[dict]:
    """Sloppy phrases of the query's words: in German (stems) and neutral fields."""
    words = positive_words(node)
    if len(words) < 2:
        return []
    text = " ".join(words)
    return [{"match_phrase": {name: {"query": text, "slop": PROXIMITY_SLOP,
                                     "boost": boost * PROXIMITY_BOOST}}}
            for field, boost in TEXT_FIELDS.items()
            for name in (GERMAN_FIELDS[field], field)]


# --- filters ------------------------------------------------------------------

def filter_clauses(args: dict) -> dict[str, list[dict]]:
    """Parameter name -> its filter clauses (only parameters that were given). An entity
    value matches the article's entity id or stored name, and the ids of the entities that
    have it as a name or alias (``args["entity_matches"]``, from ``entity_lookup_body``)."""
    out: dict[str, list[dict]] = {}
    known = args.get("entity_matches") or {}
    for param, field in ENTITY_PARAMS.items():
        values = args.get(param) or []
        if values:
            out[param] = [{"bool": {"should": _entity_value_clauses(
                field, v, known[(param, v)].ids if (param, v) in known else None),
                "minimum_should_match": 1}} for v in values]
    for param, field in ANY_OF_PARAMS.items():
        if args.get(param):
            out[param] = [{"terms": {field: list(args[param])}}]
    for name, field in DATE_RANGES.items():
        bounds = {}
        if args.get(f"{name}_from"):
            bounds["gte"] = f"{args[f'{name}_from'].isoformat()}||/d"
        if args.get(f"{name}_to"):
            bounds["lte"] = f"{args[f'{name}_to'].isoformat()}||/d"
        if bounds:
            if name == "published":
                bounds["time_zone"] = TIME_ZONE
            out[f"{name}_from" if "gte" in bounds else f"{name}_to"] = [
                {"range": {field: bounds}}]
    return out


def _entity_value_clauses(field: str, value: str, ids: Sequence[str] | None) -> list[dict]:
    clauses = [{"term": {f"{field}.id": value}}, {"term": {f"{field}.name": value}}]
    if ids:
        clauses.append({"terms": {f"{field}.id": sorted(ids)}})
    return clauses


# --- entity names and aliases -> ids (the view asks the entities index) -------------

# Public type names (the filter parameters, ``/v1/entities?type=``) -> the stored entity types.
ENTITY_TYPES = {"person": "PER", "organization": "ORG", "place": "LOC"}
ENTITY_LOOKUP_SIZE = 100    # entities per filter value ("Müller": many people)
MARKED_NAMES = 20           # names and aliases the snippets mark, over all entity filters


class EntityMatch(NamedTuple):
    """The entities that answer to one filter value: their ids (the filter), their names
    and aliases (the snippets mark them), and the name of each id (``labels``, in the
    order of ``ids``: the response says which entities a value found)."""

    ids: list[str]
    names: list[str]
    labels: list[str] | tuple = ()


def entity_lookup_body(args: dict) -> tuple[dict | None, list[tuple[str, str]]]:
    """The entities-index search that finds, for each ``person``/``organization``/``place``
    value, the entities of that type that have it as their name or as an alias, case and
    accents ignored ("erdogan" finds "Recep Tayyip Erdoğan" through his alias "Erdoğan"); and
    the (parameter, value) of each named clause. None when no entity filter was given.
    Every entity that answers to the value counts: "Kim" is each Kim the archive knows. A
    value that is an entity's id finds that entity too (for its names). A value in the
    genitive ("Angela Merkels") also asks for its base form (clause ``"<n>g"``), which
    ``entity_matches_from`` takes only when the value itself names no entity."""
    keys = [(param, value) for param in ENTITY_TYPES for value in args.get(param) or []]
    if not keys:
        return None, keys
    should = []
    for n, (param, value) in enumerate(keys):
        should.append(_named_entity_clause(str(n), ENTITY_TYPES[param], value, by_id=True))
        if (stem := genitive_stem(value.strip())) is not None:
            should.append(_named_entity_clause(f"{n}g", ENTITY_TYPES[param], stem))
    return ({"size": ENTITY_LOOKUP_SIZE * len(should), "_source": ["id", "name", "aliases"],
             "query": {"bool": {"should": should, "minimum_should_match": 1}}}, keys)


def _named_entity_clause(name: str, entity_type: str, value: str, *, by_id: bool = False
                         ) -> dict:
    """The entities of ``entity_type`` with ``value`` as name or alias (or id)."""
    names = [{"term": {"name.folded": value}}, {"term": {"aliases.folded": value}}]
    if by_id:
        names.append({"ids": {"values": [value]}})
    return {"bool": {"_name": name, "filter": [
        {"term": {"type": entity_type}},
        {"bool": {"should": names, "minimum_should_match": 1}}]}}


def entity_matches_from(raw: dict, keys: list[tuple[str, str]]
                        ) -> dict[tuple[str, str], EntityMatch]:
    """The lookup's answer -> (parameter, value) -> the entities that answer to it: those
    named by the value, or else those named by its base form (a genitive's)."""
    found: dict[str, EntityMatch] = {}
    for hit in raw["hits"]["hits"]:
        source = hit.get("_source") or {}
        names = [n for n in (source.get("name"), *(source.get("aliases") or ())) if n]
        for name in hit.get("matched_queries") or ():
            match = found.setdefault(name, EntityMatch([], [], []))
            match.ids.append(source.get("id") or hit["_id"])
            match.names.extend(names)
            match.labels.append(source.get("name") or match.ids[-1])
    out: dict[tuple[str, str], EntityMatch] = {}
    for n, key in enumerate(keys):
        match = found.get(str(n)) or found.get(f"{n}g")
        if match is not None:
            out[key] = match
    return out


def marked_names(args: dict) -> list[str]:
    """The names the snippets mark for the entity filters: each filter value, or the names
    and aliases of the entities that answer to it; at most ``MARKED_NAMES``, case ignored."""
    known = args.get("entity_matches") or {}
    out: dict[str, str] = {}
    for param in ENTITY_PARAMS:
        for value in args.get(param) or []:
            match = known.get((param, value))
            for name in (match.names if match and match.ids else [value]):
                out.setdefault(name.casefold(), name)
    return list(out.values())[:MARKED_NAMES]


def _facet_of(param: str, facets: list[str]) -> str | None:
    for name in facets:
        if param in FACETS[name].params:
            return name
    return None


# --- the body -----------------------------------------------------------------

def build_body(args: dict) -> dict:
    """Parsed ``SearchArgs`` -> the body of one ``_search`` request.

    ``args["search_after"]`` (decoded from the cursor by the caller) continues a
    previous page. Raises ``QueryError`` for a malformed ``q``.
    """
    node = parse(args.get("q") or "")
    parts = args.get("compound_parts") or {}
    facets = list(dict.fromkeys(args.get("facets") or []))
    filters = filter_clauses(args)
    post: dict[str, list[dict]] = {}   # facet name -> its own filter clauses
    query_filters: list[dict] = []
    for param, clauses in filters.items():
        facet = _facet_of(param, facets)
        if facet is None:
            query_filters.extend(clauses)
        else:
            post.setdefault(facet, []).extend(clauses)

    query: dict = {"bool": {}}
    if node is not None:
        query["bool"]["must"] = [text_query(node, parts)]
        if boost := proximity_boost(node):
            query["bool"]["should"] = boost
    if query_filters:
        query["bool"]["filter"] = query_filters
    if not query["bool"]:
        query = {"match_all": {}}

    size = args.get("size", 20)
    body: dict = {"query": query, "size": size, "track_total_hits": True}
    if size:   # size 0: the total and the facets only (no sort, no snippets to make)
        body.update({"sort": SORTS[sort_name(args)], "_source": RESULT_FIELDS,
                     "highlight": highlight(node, parts, marked_names(args))})
    if post:
        body["post_filter"] = _all_of([c for clauses in post.values() for c in clauses])
    if facets:
        body["aggs"] = {name: _facet_agg(FACETS[name], args, [
            c for other, clauses in post.items() if other != name for c in clauses])
            for name in facets}
    if args.get("search_after") is not None:
        body["search_after"] = list(args["search_after"])
    return body


def sort_name(args: dict) -> str:
    return args.get("sort") or ("relevance" if (args.get("q") or "").strip() else "newest")


def highlight(node: Node | None = None, parts: Mapping | None = None,
              names: Sequence[str] = ()) -> dict:
    """Snippets with <mark>: the query's words (stemmed, exact, decompounded),
    phrases and prefixes are marked one by one; the proximity boost is left out
    (it would mark the whole span between two words). ``names`` (``marked_names``:
    the entities the filters name) are marked as phrases, in the neutral and the
    German field ("Merkels" for "Merkel"), so a search by person shows where the
    article names the person, with or without ``q``.

    Each field gets its own ``highlight_query``: any of ``mark_clauses`` (that
    field's clauses of the positive query parts, flat), and ``matched_fields``
    only the subfields those clauses use. This marks the same words as
    highlighting with the whole text query (every hit matches it, and the
    highlighter marks every positive clause that matches), at less than half
    the highlighter's cost on the benchmark corpus: a nested ``must`` on a
    field would mark nothing there unless all its words occur in that very
    field, and each subfield in ``matched_fields`` is one more pass per hit.
    """
    def field(name: str, **options) -> dict:
        out = {"type": "unified", "matched_fields": [name, f"{name}.exact", GERMAN_FIELDS[name]],
               **options}
        clauses = mark_clauses(node, name, parts) if node is not None else []
        clauses += [{"match_phrase": {f: {"query": n}}} for n in names
                    for f in (name, GERMAN_FIELDS[name])]
        if clauses:  # else the search's own query, which marks nothing (no positive text)
            used = {field for clause in clauses for field in next(iter(clause.values()))}
            out["matched_fields"] = [name, *(f for f in out["matched_fields"][1:] if f in used)]
            out["highlight_query"] = _either(clauses)
        return out
    return {
        "encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
        "require_field_match": True,
        "fields": {
            "title": field("title", number_of_fragments=0),
            "body": field("body", fragment_size=SNIPPET_CHARS, number_of_fragments=SNIPPETS,
                          no_match_size=SNIPPET_CHARS),
        },
    }


def mark_clauses(node: Node, field: str, parts: Mapping | None = None) -> list[dict]:
    """The clauses on ``field`` (and its subfields) of the query's positive
    words, phrases and prefixes, flat and without repeats. A word's exact form is
    left out: whatever ``.exact`` matches of a word, the neutral field matches
    at the same place (it folds a little more)."""
    parts = parts or {}
    boost = TEXT_FIELDS[field]
    clauses: dict[str, dict] = {}
    for item in _positive(node, field):
        if isinstance(item, Word):
            found = _word_clauses(item.text, parts.get(item.text) or (), field, boost, exact=False)
        else:
            found = [_exact_clause(item, field, boost)]
        for clause in found:
            clauses.setdefault(repr(clause), clause)
    return list(clauses.values())


def _positive(node: Node, field: str):
    """Words, phrases and prefixes not under NOT that may match ``field``, depth first."""
    if isinstance(node, (Word, Phrase, Prefix)):
        yield node
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _positive(child, field)
    elif isinstance(node, InField) and node.field == field:
        yield from _positive(node.child, field)


def _all_of(clauses: list[dict]) -> dict:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _facet_agg(facet: Facet, args: dict, other_filters: list[dict]) -> dict:
    size = args.get("facet_size", 10)
    if facet.kind == "date":
        inner = date_histogram(facet.field, args.get("interval") or "month")
    else:
        inner = {"terms": {"field": facet.field, "size": size}}
    return {"filter": _all_of(other_filters), "aggs": {"values": inner}}


def date_histogram(field: str, interval: str) -> dict:
    """Articles per German calendar ``interval`` of ``field``, only the buckets with articles
    (``date_buckets`` fills in the empty ones): the ``published`` facet and an entity's
    timeline."""
    return {"date_histogram": {"field": field, "calendar_interval": interval,
                               "time_zone": TIME_ZONE, "format": "yyyy-MM-dd",
                               "min_doc_count": 1}}


# --- the answer ---------------------------------------------------------------

def to_page(raw: dict, args: dict, cursor_secret: bytes) -> dict:
    """The ``_search`` answer -> the response of ``GET /v1/search``; the next
    cursor keeps the answer's point in time (``pit_id``) when it has one."""
    hits = raw["hits"]["hits"]
    results = [_result(hit) for hit in hits]
    size = args.get("size", 20)
    next_cursor = None
    if len(hits) == size and hits and "sort" in hits[-1]:
        next_cursor = cursors.encode(hits[-1]["sort"], fingerprint(args), cursor_secret,
                                     pit_id=raw.get("pit_id"))
    facets = {name: _buckets(FACETS[name], agg["values"]["buckets"], args)
              for name, agg in (raw.get("aggregations") or {}).items() if name in FACETS}
    return {"total": raw["hits"]["total"]["value"], "results": results, "facets": facets,
            "next_cursor": next_cursor, "suggestion": None,
            "entity_filters": entity_filters(args)}


def entity_filters(args: dict) -> list[dict]:
    """Each ``person``/``organization``/``place`` value and the entities it found (by name,
    alias or id), so a reader sees that ``person=Kim`` filtered for Kim Jong Un, and that a
    value no entity answers to found none."""
    known = args.get("entity_matches") or {}
    out = []
    for param in ENTITY_PARAMS:
        for value in args.get(param) or []:
            match = known.get((param, value)) or EntityMatch([], [])
            out.append({"param": param, "value": value, "entities": [
                {"id": id_, "name": label} for id_, label in zip(match.ids, match.labels)]})
    return out


def _result(hit: dict) -> dict:
    # One literal (keys in SearchResultSchema's order): 20 of these per page.
    get = (hit.get("_source") or {}).get
    marks = hit.get("highlight") or {}
    return {
        "id": get("id") or hit["_id"], "external_id": get("external_id"), "title": get("title"),
        "url": get("url"), "outlet": get("outlet"), "language": get("language"),
        "published_at": get("published_at"), "agencies": get("agencies") or [],
        "snippets": {"title": _text_html(marks.get("title", [])),
                     "body": _text_html(marks.get("body", []))},
        "persons": get("persons") or [], "organizations": get("organizations") or [],
        "places": get("places") or [], "syndication_key": get("syndication_key"),
        "score": hit.get("_score"),
    }


# Elasticsearch's html encoder also writes quotes and "/" as entities ("CDU&#x2F;CSU"), which
# HTML text does not need and a reader of the raw JSON has to decode; it writes every "&" as
# "&amp;", so these three only ever stand for the character.
_NEEDLESS_ENTITIES = (("&quot;", '"'), ("&#x27;", "'"), ("&#x2F;", "/"))


def _text_html(snippets: list[str]) -> list[str]:
    """Snippets as HTML text: only ``&``, ``<`` and ``>`` escaped, matches in ``<mark>``."""
    out = []
    for snippet in snippets:
        if "&" in snippet:
            for entity, char in _NEEDLESS_ENTITIES:
                snippet = snippet.replace(entity, char)
        out.append(snippet)
    return out


def _buckets(facet: Facet, buckets: list[dict], args: Mapping) -> list[dict]:
    if facet.kind == "entity":
        return _entity_buckets(buckets)
    if facet.kind == "date":
        return date_buckets([(b["key_as_string"], b["doc_count"]) for b in buckets],
                            args.get("interval") or "month")
    return [{"value": bucket["key"], "count": bucket["doc_count"]} for bucket in buckets]


MAX_DATE_BUCKETS = 5_000   # ~14 years of days: beyond, empty buckets stay left out


def date_buckets(counts: Sequence[tuple[str, int]], interval: str) -> list[dict]:
    """The buckets of a ``date_histogram`` (the ``published`` facet, an entity's timeline:
    (start date, count), in date order, only those with articles, Elasticsearch's
    ``min_doc_count: 1``) with the empty ones between the first and the last filled in as
    count 0, so a chart needs no gap logic; unless that makes more than ``MAX_DATE_BUCKETS``
    (``interval=day`` over a century because of one old article)."""
    filled = _filled(counts, interval) if len(counts) > 1 else None
    return filled or [{"value": value, "count": count} for value, count in counts]


def _filled(counts: Sequence[tuple[str, int]], interval: str) -> list[dict] | None:
    """Every bucket from the first of ``counts`` to the last, or None when that would be more
    than ``MAX_DATE_BUCKETS`` or a date is a year Python's dates do not have."""
    try:
        first, last = (dt.date.fromisoformat(counts[n][0]) for n in (0, -1))
    except ValueError:      # before year 1 or after 9999
        return None
    if _bucket_index(last, interval) - _bucket_index(first, interval) >= MAX_DATE_BUCKETS:
        return None
    known = dict(counts)
    filled, day = [], first
    while day <= last:
        value = day.isoformat()
        filled.append({"value": value, "count": known.get(value, 0)})
        day = _next_bucket(day, interval)
    return filled


def _bucket_index(day: dt.date, interval: str) -> int:
    """A number that grows by one from each bucket start to the next."""
    if interval == "year":
        return day.year
    if interval == "month":
        return day.year * 12 + day.month - 1
    return day.toordinal() // (7 if interval == "week" else 1)


def _next_bucket(day: dt.date, interval: str) -> dt.date:
    if interval == "year":
        return dt.date(day.year + 1, 1, 1)
    if interval == "month":
        return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + dt.timedelta(days=7 if interval == "week" else 1)


def _entity_buckets(buckets: list[dict]) -> list[dict]:
    """One bucket per entity id. An article stores the entity's name as the entities index had
    it then, so an id can come in two buckets ("id|GRÜNEN", "id|Grünen") when its name
    changed: their counts add up (an article names an entity once), under the name of the
    larger one."""
    by_id: dict[str, dict] = {}
    for bucket in buckets:
        entity_id, _, name = str(bucket["key"]).partition("|")
        if entity_id in by_id:
            by_id[entity_id]["count"] += bucket["doc_count"]
        else:
            by_id[entity_id] = {"value": name or entity_id, "id": entity_id,
                                "count": bucket["doc_count"]}
    return sorted(by_id.values(), key=lambda b: -b["count"])   # stable: the terms order


def fingerprint(args: dict) -> str:
    """What a cursor belongs to: the query, filters and sort (not size or facets)."""
    parts = [("q", (args.get("q") or "").strip()), ("sort", sort_name(args))]
    for param in FILTER_PARAMS:
        value = args.get(param)
        if value:
            parts.append((param, sorted(str(v) for v in value) if isinstance(value, list)
                          else str(value)))
    return cursors.digest(parts)
