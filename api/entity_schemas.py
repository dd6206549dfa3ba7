"""Arguments and responses of ``GET /v1/entities`` and ``GET /v1/entities/{id}``; examples
from the sample articles."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from api.query import ENTITY_TYPES as TYPES

# TYPES: public type names -> the entity types stored in the index (one table with the filters).
TYPE_NAMES = {code: name for name, code in TYPES.items()}
MAX_SIZE = 50
# ``sort=articles`` without ``q`` ranks this many entities (a terms aggregation of this
# size per type; ``sort=name`` pages through all of them).
MAX_RANK = 10_000
MAX_RELATED = 50
MAX_Q_CHARS = 200
SORTS = ("articles", "name")

EXAMPLE_ENTITY_ID = "per-kim-jong-un"
EXAMPLE_FIRST_SEEN = "2023-08-30T16:36:00+00:00"
EXAMPLE_LAST_SEEN = "2023-09-04T08:00:00+00:00"


class EntitySearchArgsSchema(ma.Schema):
    q = fields.String(validate=validate.Length(max=MAX_Q_CHARS), metadata={
        "description": "Prefix search: every word must start a word of the name or of one "
                       "alias (case, umlauts and accents folded). When no name matches so, "
                       "names spelt like it (a typo: `merkle` finds Angela Merkel; see "
                       "`fuzzy` in the response). Empty: all entities.",
        "examples": ["kim j"]})
    type = fields.String(validate=validate.OneOf(list(TYPES)), metadata={
        "description": "Only entities of this type.", "examples": ["person"]})
    size = fields.Integer(load_default=10, validate=validate.Range(1, MAX_SIZE), metadata={
        "description": "Number of entities.", "examples": [10]})
    sort = fields.String(validate=validate.OneOf(SORTS), metadata={
        "description": "`articles`: the entity in most articles first (default with `q`: "
                       "one page of the best matches; without: the archive's ranking, page "
                       f"by page with `cursor` down to rank {MAX_RANK:,}). `name`: A-Z "
                       "(umlauts and case folded), every match, page by page with `cursor` "
                       "(default without `q`).",
        "examples": ["name"]})
    cursor = fields.String(metadata={
        "description": "`next_cursor` of the previous page (`sort=name`, or "
                       "`sort=articles` without `q`), with the same `q`, `type` and `sort`.",
        "examples": ["eyJ2IjoyLCJhIjpbImtpbSBqb25nIHVuIl19.c2lnbmF0dXJl"]})


class EntityArgsSchema(ma.Schema):
    related_size = fields.Integer(load_default=10, validate=validate.Range(1, MAX_RELATED),
                                  metadata={"description": "Co-occurring entities per type.",
                                            "examples": [10]})


def _type_field() -> fields.String:
    return fields.String(required=True, validate=validate.OneOf(list(TYPES)),
                         metadata={"examples": ["person"]})


class EntitySummarySchema(ma.Schema):
    id = fields.String(required=True, metadata={"examples": [EXAMPLE_ENTITY_ID]})
    type = _type_field()
    name = fields.String(required=True, metadata={
        "description": "Canonical name.", "examples": ["Kim Jong Un"]})
    aliases = fields.List(fields.String(), required=True, metadata={
        "description": "Other written forms seen in articles.",
        "examples": [["Kim", "Kim Jong-un"]]})
    article_count = fields.Integer(required=True, metadata={
        "description": "Articles naming the entity.", "examples": [5]})
    first_seen = fields.String(allow_none=True, metadata={
        "description": "Earliest publication date (UTC) of the articles naming it now; null "
                       "when none of them has a date.",
        "examples": [EXAMPLE_FIRST_SEEN]})
    last_seen = fields.String(allow_none=True, metadata={
        "description": "Latest publication date (UTC) of the articles naming it now; null "
                       "when none of them has a date.",
        "examples": [EXAMPLE_LAST_SEEN]})


class EntityListSchema(ma.Schema):
    results = fields.List(fields.Nested(EntitySummarySchema), required=True, metadata={
        "description": "In the order of `sort`. A-Z pages leave out entities no article "
                       "names any more, so a page can be shorter than `size`; follow "
                       "`next_cursor` until it is null.",
        "examples": [[{"id": EXAMPLE_ENTITY_ID, "type": "person", "name": "Kim Jong Un",
                       "aliases": ["Kim", "Kim Jong-un"], "article_count": 5,
                       "first_seen": EXAMPLE_FIRST_SEEN, "last_seen": EXAMPLE_LAST_SEEN}]]})
    fuzzy = fields.Boolean(required=True, metadata={
        "description": "true when no name or alias starts with `q`, so the results are the "
                       "names spelt like it: each word of `q` within one letter of a word of "
                       "the name (two for words over 5 letters; a swap of two letters is one), "
                       "the first letter as typed.",
        "examples": [False]})
    next_cursor = fields.String(allow_none=True, required=True, metadata={
        "description": "The next A-Z page (`sort=name`); null after the last page, and for "
                       "`sort=articles` and names spelt like `q` (one page).",
        "examples": [None]})


class RelatedEntitySchema(ma.Schema):
    id = fields.String(required=True, metadata={"examples": ["per-wladimir-putin"]})
    type = _type_field()
    name = fields.String(required=True, metadata={"examples": ["Wladimir Putin"]})
    count = fields.Integer(required=True, metadata={
        "description": "Articles naming both.", "examples": [5]})


class RelatedSchema(ma.Schema):
    persons = fields.List(fields.Nested(RelatedEntitySchema), required=True, metadata={
        "examples": [[{"id": "per-wladimir-putin", "type": "person", "name": "Wladimir Putin",
                       "count": 5}]]})
    organizations = fields.List(fields.Nested(RelatedEntitySchema), required=True, metadata={
        "examples": [[{"id": "org-vereinte-nationen", "type": "organization",
                       "name": "Vereinte Nationen", "count": 2}]]})
    places = fields.List(fields.Nested(RelatedEntitySchema), required=True, metadata={
        "examples": [[{"id": "loc-washington", "type": "place", "name": "Washington",
                       "count": 3}]]})


class TimelineBucketSchema(ma.Schema):
    month = fields.String(required=True, metadata={
        "description": "yyyy-MM, the month in German time (Europe/Berlin), as in the "
                       "search's `published` histogram.", "examples": ["2023-08"]})
    count = fields.Integer(required=True, metadata={"examples": [2]})


class EntitySchema(EntitySummarySchema):
    related = fields.Nested(RelatedSchema, required=True, metadata={
        "description": "The entities named most often in the same articles, per type."})
    timeline = fields.List(fields.Nested(TimelineBucketSchema), required=True, metadata={
        "description": "Articles per month of publication, from the first month to the last "
                       "(empty months included).",
        "examples": [[{"month": "2023-08", "count": 2}, {"month": "2023-09", "count": 3}]]})
