"""Arguments and response of ``GET /v1/search``; examples from the sample articles."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate
from webargs.fields import DelimitedList

from api import cursor as cursors
from api.entity_schemas import EXAMPLE_ENTITY_ID
from api.query import ENTITY_TYPES, FACETS, INTERVALS, MAX_DATE_BUCKETS, SORTS
from api.schemas import (
    EXAMPLE_EXTERNAL_ID,
    EXAMPLE_ID,
    EXAMPLE_PUBLISHED_AT,
    EXAMPLE_SYNDICATION_KEY,
    EXAMPLE_TITLE,
    SYNDICATION_KEY,
)

MAX_SIZE = 100
MAX_FACET_SIZE = 100
MAX_Q_CHARS = 1000
MAX_VALUES = 20


def _values(description: str, example: str) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(min=1, max=300)),
                       validate=validate.Length(max=MAX_VALUES),
                       metadata={"description": description, "examples": [[example]]})


def _date(description: str, example: str) -> fields.Date:
    return fields.Date(metadata={"description": description + " (ISO date, inclusive).",
                                 "examples": [example]},
                       error_messages={"invalid": "Not a valid ISO date (e.g. 2023-08-30)."})


ENTITY_VALUE = ("Entity id, canonical name or any alias, case and accents ignored "
                "(`Erdogan` finds Recep Tayyip Erdoğan); a name several entities answer to "
                "(`Kim`) finds each of them. A name in the genitive that names no entity "
                "itself finds its base form (`Angela Merkels`: Angela Merkel). "
                "Repeated = all must match.")


class SearchArgsSchema(ma.Schema):
    q = fields.String(validate=validate.Length(max=MAX_Q_CHARS), metadata={
        "description": "Words are ANDed; `OR`; `-word` or `NOT word`; `\"exact phrase\"`; "
                       "parentheses; trailing `*` for prefixes (at least 2 letters); "
                       "`title:` (or `titel:`) before a word, phrase or group searches "
                       "the headline only, `body:` (or `text:`) the text only.",
        "examples": ['Nordkorea Russland "Kim Jong Un" -Ukraine']})
    person = _values(ENTITY_VALUE, "Kim Jong Un")
    organization = _values(ENTITY_VALUE, "Vereinte Nationen")
    place = _values(ENTITY_VALUE, "Washington")
    outlet = _values("Outlet name (case-insensitive); repeated = any.", "CNN")
    agency = _values("News agency; repeated = any.", "dpa")
    language = _values("ISO 639 code; repeated = any.", "de")
    syndication_key = _values("The syndicated copies of one story: a result's "
                              "`syndication_key`; repeated = any.", EXAMPLE_SYNDICATION_KEY)
    published_from = _date("Published on or after", "2023-08-01")
    published_to = _date("Published on or before", "2023-09-30")
    mentioned_from = _date("Mentions a date on or after", "2023-09-01")
    mentioned_to = _date("Mentions a date on or before", "2023-09-30")
    # An empty ``facets=`` is a 400, not "no facets": the parameter names what to count.
    facets = DelimitedList(fields.String(validate=validate.OneOf(list(FACETS))), validate=
                           validate.Length(min=1, error="Name at least one facet, or leave "
                                                        "the parameter out."), metadata={
        "description": "Comma list of facets to count: " + ", ".join(FACETS) + ".",
        "examples": [["persons", "outlets", "published"]]})
    facet_size = fields.Integer(load_default=10, validate=validate.Range(1, MAX_FACET_SIZE),
                                metadata={"description": "Buckets per facet.", "examples": [10]})
    interval = fields.String(load_default="month", validate=validate.OneOf(INTERVALS), metadata={
        "description": "Bucket width of the `published` facet (buckets start on the "
                       "day, Monday, first of the month or year, Europe/Berlin). Buckets run "
                       "from the first with articles to the last, empty ones with count 0, "
                       f"unless that would make more than {MAX_DATE_BUCKETS:,}: then only "
                       "buckets with articles are listed.", "examples": ["day"]})
    sort = fields.String(validate=validate.OneOf(list(SORTS)), metadata={
        "description": "Default: `relevance` when `q` is given, else `newest`.",
        "examples": ["newest"]})
    size = fields.Integer(load_default=20, validate=validate.Range(0, MAX_SIZE), metadata={
        "description": "Results per page; `0` for the total and the facets only (no results, "
                       "no cursor).", "examples": [20]})
    # No example: a cursor is signed by the deployment and bound to its query.
    cursor = fields.String(validate=validate.Length(min=1, max=cursors.MAX_CHARS), metadata={
        "description": "`next_cursor` of the previous page (opaque; same parameters)."})

    @ma.validates_schema
    def _ranges(self, data, **kwargs):
        for name in ("published", "mentioned"):
            start, end = data.get(f"{name}_from"), data.get(f"{name}_to")
            if start and end and start > end:
                raise ma.ValidationError(f"Must not be before {name}_from.", f"{name}_to")

    @ma.validates_schema
    def _cursor_needs_a_page(self, data, **kwargs):
        if data.get("cursor") and data.get("size") == 0:
            raise ma.ValidationError("A cursor continues the results; size=0 asks for none. "
                                     "Leave out the cursor, or ask for size >= 1.", "cursor")


class FacetBucketSchema(ma.Schema):
    value = fields.String(required=True, metadata={
        "description": "Label: entity name, outlet, agency, language or date (yyyy-MM-dd).",
        "examples": ["Kim Jong Un"]})
    id = fields.String(metadata={"description": "Entity id (entity facets only).",
                                 "examples": [EXAMPLE_ENTITY_ID]})
    count = fields.Integer(required=True, metadata={"examples": [5]})


class SnippetsSchema(ma.Schema):
    """Matches of `q` in `<mark>`, and the names (and aliases) of the entities that
    `person`, `organization` and `place` name; without a match, the first words."""

    title = fields.List(fields.String(), required=True, metadata={
        "description": "HTML text (`&`, `<` and `>` escaped); matches in `<mark>`.",
        "examples": [["USA: <mark>Russland</mark> und Nordkorea verhandeln über "
                      "Rüstungsgeschäfte"]]})
    body = fields.List(fields.String(), required=True, metadata={
        "description": "Up to 3 passages of the text, as HTML text (`&`, `<` and `>` "
                       "escaped); matches in `<mark>`.",
        "examples": [["<mark>Russland</mark> und Nordkorea verhandeln inmitten des "
                      "Ukraine-Kriegs"]]})


class EntityLabelSchema(ma.Schema):
    id = fields.String(required=True, metadata={"examples": ["per-john-kirby"]})
    name = fields.String(required=True, metadata={"examples": ["John Kirby"]})


class SearchResultSchema(ma.Schema):
    id = fields.String(required=True, metadata={"examples": [EXAMPLE_ID]})
    external_id = fields.String(allow_none=True, metadata={"examples": [EXAMPLE_EXTERNAL_ID]})
    title = fields.String(allow_none=True, metadata={"examples": [EXAMPLE_TITLE]})
    url = fields.String(allow_none=True, metadata={"examples": [None]})
    outlet = fields.String(allow_none=True, metadata={"examples": ["CNN"]})
    agencies = fields.List(fields.String(), required=True, metadata={"examples": [["dpa"]]})
    language = fields.String(allow_none=True, metadata={"examples": ["de"]})
    published_at = fields.String(allow_none=True, metadata={"examples": [EXAMPLE_PUBLISHED_AT]})
    snippets = fields.Nested(SnippetsSchema, required=True)
    persons = fields.List(fields.Nested(EntityLabelSchema), required=True)
    organizations = fields.List(fields.Nested(EntityLabelSchema), required=True)
    places = fields.List(fields.Nested(EntityLabelSchema), required=True)
    syndication_key = fields.String(allow_none=True, metadata={
        "description": SYNDICATION_KEY + " Filter with `syndication_key=` for all copies.",
        "examples": [EXAMPLE_SYNDICATION_KEY]})
    score = fields.Float(allow_none=True, metadata={
        "description": "Relevance score (null when sorted by date).", "examples": [7.31]})


class SuggestionSchema(ma.Schema):
    q = fields.String(required=True, metadata={
        "description": "The query as typed, with the misspelt words corrected.",
        "examples": ["Merkel Macron"]})
    total = fields.Integer(required=True, metadata={
        "description": "Articles it finds.", "examples": [3]})


class EntityFilterSchema(ma.Schema):
    param = fields.String(required=True, validate=validate.OneOf(list(ENTITY_TYPES)),
                          metadata={"examples": ["person"]})
    value = fields.String(required=True, metadata={"description": "The value as sent.",
                                                   "examples": ["Kim"]})
    entities = fields.List(fields.Nested(EntityLabelSchema), required=True, metadata={
        "description": "The entities with this name, alias or id: the filter matches "
                       "articles that name any of them. Empty: no entity answers to the "
                       "value, and the filter matches articles that name it as written.",
        "examples": [[{"id": EXAMPLE_ENTITY_ID, "name": "Kim Jong Un"}]]})


class SearchPageSchema(ma.Schema):
    total = fields.Integer(required=True, metadata={"examples": [5]})
    results = fields.List(fields.Nested(SearchResultSchema), required=True)
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(
        FacetBucketSchema)), required=True, metadata={
        "description": "Requested facets: name -> buckets.",
        "examples": [{"persons": [{"value": "Kim Jong Un", "id": "per-kim-jong-un", "count": 5}],
                      "outlets": [{"value": "CNN", "count": 1}]}]})
    next_cursor = fields.String(allow_none=True, required=True, metadata={
        "description": "Pass as `cursor` for the next page; null on the last page.",
        "examples": [None]})
    entity_filters = fields.List(fields.Nested(EntityFilterSchema), required=True, metadata={
        "description": "What each `person`, `organization` and `place` value found, in "
                       "the order sent (empty without such filters)."})
    suggestion = fields.Nested(SuggestionSchema, allow_none=True, required=True, metadata={
        "description": "Did you mean: when `q` found nothing because of a word no article "
                       "contains, `q` with such words corrected (the closest word of the "
                       "articles, at most two letters off, the first letter as typed) and "
                       "what it finds with the same filters; null otherwise."})
