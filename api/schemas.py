"""Request and response schemas of the ingest, job and health endpoints.

Examples come from the sample article ``samples/003_35686e7d763b10ba.txt``.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from indexer.enrich.published import MAX_DAYS_AHEAD, too_far_ahead
from indexer.parse import FUTURE_MESSAGE, local_midnight

# --- examples from the samples ------------------------------------------------

EXAMPLE_EXTERNAL_ID = "003_35686e7d763b10ba"
EXAMPLE_ID = "2945faa13ab0e33ec4e9"  # identity.article_id(external_id=EXAMPLE_EXTERNAL_ID)
EXAMPLE_JOB_ID = "6f1c1a3c2b0e4d7a9a8f0c6c5d4b3a21"
EXAMPLE_TITLE = "USA: Russland und Nordkorea verhandeln über Rüstungsgeschäfte"
EXAMPLE_TEXT = (
    "Russland und Nordkorea verhandeln inmitten des Ukraine-Kriegs nach Angaben der "
    "US-Regierung über Rüstungsgeschäfte. Das gehe aus Informationen der Geheimdienste "
    "hervor, sagte der Kommunikationsdirektor des Nationalen Sicherheitsrats, John Kirby, "
    "am Mittwoch in Washington.")
EXAMPLE_PUBLISHED_AT = "2023-08-30T18:36:00+02:00"
EXAMPLE_SYNDICATION_KEY = "mh1-0046a7f524d0601a"   # sample 003's
SYNDICATION_KEY = ("Shared by the syndicated copies of one story: the same agency text in "
                   "several outlets, also when a sentence was edited or a line added "
                   "(indexer/enrich/syndication.py).")
EXAMPLE_ARTICLE_IN = {
    "text": EXAMPLE_TEXT, "title": EXAMPLE_TITLE, "external_id": EXAMPLE_EXTERNAL_ID,
    "published_at": EXAMPLE_PUBLISHED_AT, "language": "de",
    "metadata": {"source_file": "samples/003_35686e7d763b10ba.txt"},
}
EXAMPLE_ARTICLE = {
    "id": EXAMPLE_ID, "external_id": EXAMPLE_EXTERNAL_ID, "url": None, "title": EXAMPLE_TITLE,
    "body": EXAMPLE_TEXT, "language": "de", "outlet": "radiocentral.ch", "agencies": ["sda"],
    "published_at": EXAMPLE_PUBLISHED_AT, "mentioned_dates": ["2023-08-30"],
    "dates_mentioned": [{"date": "2023-08-30", "end": None, "text": "am Mittwoch",
                         "sentence": EXAMPLE_TEXT.split(". ")[1], "relative": True,
                         "granularity": "day"}],
    "persons": [{"id": "per-john-kirby", "name": "John Kirby"}], "organizations": [],
    "places": [{"id": "loc-russland", "name": "Russland"},
               {"id": "loc-nordkorea", "name": "Nordkorea"},
               {"id": "loc-washington", "name": "Washington"}],
    "facet_persons": ["per-john-kirby|John Kirby"], "facet_organizations": [],
    "facet_places": ["loc-russland|Russland", "loc-nordkorea|Nordkorea",
                     "loc-washington|Washington"],
    "entities": [{"id": f"{kind.lower()}-{name.lower().replace(' ', '-')}", "type": kind,
                  "name": name, "aliases": [],
                  "mentions": [{"start": start, "end": start + len(name), "text": name}]}
                 for kind, name, start in (("LOC", "Russland", 0), ("LOC", "Nordkorea", 13),
                                           ("PER", "John Kirby", 234),
                                           ("LOC", "Washington", 261))],
    "syndication_key": EXAMPLE_SYNDICATION_KEY,
    "content_hash": "19dc135e382a677fcb46252d8462cec7c91c0ad2e4e1ae0890338116473bf40a",
    "word_count": 32, "ingested_at": "2023-08-30T17:00:00+00:00",
    "raw": {"text": EXAMPLE_TEXT, "title": EXAMPLE_TITLE, "outlet": None,
            "published_at": EXAMPLE_PUBLISHED_AT, "language": "de"},
    "metadata": {"source_file": "samples/003_35686e7d763b10ba.txt"},
}


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be empty.")


# --- requests -------------------------------------------------------------------

class PublishedAt(fields.AwareDateTime):
    """ISO 8601 with a time zone, or a date alone: that day's local midnight (Europe/Berlin),
    as the pipeline reads a date stamp without a time (``indexer.parse.local_midnight``)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            try:
                day = local_midnight(value)
            except ValueError:
                raise self.make_error("invalid") from None
            if day is not None:
                return self._not_too_far_ahead(day)
        return self._not_too_far_ahead(super()._deserialize(value, attr, data, **kwargs))

    def _not_too_far_ahead(self, moment):
        if too_far_ahead(moment):
            raise self.make_error("too_far_ahead")
        return moment


class ArticleInSchema(ma.Schema):
    """One article to ingest: ``text`` or ``html`` (exactly one), the rest optional."""

    text = fields.String(validate=_not_blank, metadata={
        "description": "Plain text of the article (site clutter is removed on ingest).",
        "examples": [EXAMPLE_TEXT]})
    html = fields.String(validate=_not_blank, metadata={
        "description": "HTML of the article page, instead of `text`.",
        "examples": ["<html><head><title>" + EXAMPLE_TITLE + "</title></head>"
                     "<body><p>" + EXAMPLE_TEXT + "</p></body></html>"]})
    title = fields.String(validate=validate.Length(max=1000), metadata={
        "description": "Headline; found in the text when absent.", "examples": [EXAMPLE_TITLE]})
    url = fields.Url(schemes={"http", "https"}, validate=validate.Length(max=4096), metadata={
        "description": "Address of the article; its canonical form identifies the article "
                       "when there is no `external_id`.",
        "examples": ["https://www.example.org/news/usa-russland-nordkorea-ruestung"]})
    outlet = fields.String(validate=validate.Length(min=1, max=200), metadata={
        "description": "Publishing outlet; found from the URL or the text when absent.",
        "examples": ["CNN"]})
    published_at = PublishedAt(format="iso", metadata={
        "description": "Publication time, ISO 8601 with a time zone; a date alone "
                       "(`2023-08-30`) is that day's midnight in German time (Europe/Berlin). "
                       f"Any past year; at most {MAX_DAYS_AHEAD} days ahead (an embargo). "
                       "Found from the metadata or the text when absent.",
        "examples": [EXAMPLE_PUBLISHED_AT]}, error_messages={
        "invalid": "Not a valid ISO 8601 date-time (e.g. 2023-08-30T18:36:00+02:00).",
        "invalid_awareness": "Needs a time zone (e.g. 2023-08-30T18:36:00+02:00).",
        "too_far_ahead": f"Is {FUTURE_MESSAGE}."})
    language = fields.String(validate=validate.Regexp(
        r"^[a-z]{2,3}$", error="Must be an ISO 639 language code such as 'de'."), metadata={
        "description": "ISO 639 code; detected when absent.", "examples": ["de"]})
    external_id = fields.String(validate=[validate.Length(min=1, max=512), _not_blank], metadata={
        "description": "Your id for the article; re-sending the same id overwrites it.",
        "examples": [EXAMPLE_EXTERNAL_ID]})
    metadata = fields.Dict(keys=fields.String(), metadata={
        "description": "Any JSON object; stored and returned unchanged, not searchable.",
        "examples": [{"source_file": "samples/003_35686e7d763b10ba.txt"}]})

    @ma.validates_schema(pass_original=True, skip_on_field_errors=False)
    def _one_body(self, data, original, **kwargs):
        if not isinstance(original, dict):
            return
        if "text" in original and "html" in original:
            raise ma.ValidationError("Give either text or html, not both.", "html")
        if "text" not in original and "html" not in original:
            raise ma.ValidationError("Missing data for required field (or give html).", "text")


# --- responses -----------------------------------------------------------------

class ArticleAcceptedSchema(ma.Schema):
    job_id = fields.String(required=True, metadata={"examples": [EXAMPLE_JOB_ID]})
    article_id = fields.String(required=True, metadata={
        "description": "The id the article will have (deterministic).",
        "examples": [EXAMPLE_ID]})


class BulkAcceptedSchema(ma.Schema):
    job_id = fields.String(required=True, metadata={"examples": [EXAMPLE_JOB_ID]})
    accepted = fields.Integer(required=True, metadata={
        "description": "Number of articles queued.", "examples": [5]})


class RetryAcceptedSchema(ma.Schema):
    job_id = fields.String(required=True, metadata={"examples": [EXAMPLE_JOB_ID]})
    requeued = fields.Integer(required=True, metadata={
        "description": "Failed articles sent to the worker again.", "examples": [1]})


class JobCountsSchema(ma.Schema):
    accepted = fields.Integer(required=True, metadata={"examples": [5]})
    indexed = fields.Integer(required=True, metadata={"examples": [4]})
    failed = fields.Integer(required=True, metadata={"examples": [1]})
    pending = fields.Integer(required=True, metadata={"examples": [0]})
    retried = fields.Integer(required=True, metadata={
        "description": "Failed articles re-queued so far.", "examples": [0]})


class JobErrorSchema(ma.Schema):
    position = fields.Integer(required=True, metadata={
        "description": "0-based position of the article in the job (the NDJSON line - 1).",
        "examples": [3]})
    article_id = fields.String(allow_none=True, metadata={"examples": [EXAMPLE_ID]})
    external_id = fields.String(allow_none=True, metadata={"examples": [EXAMPLE_EXTERNAL_ID]})
    reason = fields.String(required=True, metadata={
        "examples": ["ParseError: published_at: needs a time zone: '2023-08-30T18:36:00'"]})
    attempts = fields.Integer(required=True, metadata={"examples": [1]})
    failed_at = fields.String(required=True, metadata={"examples": ["2023-08-30T17:00:02+00:00"]})


class JobSchema(ma.Schema):
    id = fields.String(required=True, metadata={"examples": [EXAMPLE_JOB_ID]})
    state = fields.String(required=True, validate=validate.OneOf(
        ["queued", "running", "completed", "completed_with_errors"]), metadata={
        "examples": ["completed_with_errors"]})
    source = fields.String(allow_none=True, metadata={"examples": ["api:bulk"]})
    created_at = fields.String(required=True, metadata={"examples": ["2023-08-30T17:00:00+00:00"]})
    updated_at = fields.String(required=True, metadata={"examples": ["2023-08-30T17:00:02+00:00"]})
    counts = fields.Nested(JobCountsSchema, required=True)
    errors = fields.List(fields.Nested(JobErrorSchema), required=True, metadata={
        "description": "Failed articles (dead letters), first 100 by position."})
    errors_truncated = fields.Boolean(required=True, metadata={"examples": [False]})


class EntityRefSchema(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE
    id = fields.String(metadata={"examples": ["per-john-kirby"]})
    name = fields.String(metadata={"examples": ["John Kirby"]})


def _always_list(item: fields.Field, **kwargs) -> fields.List:
    """A list field that is always in the response: empty when the record has none."""
    return fields.List(item, required=True, dump_default=list, **kwargs)


def _string_or_null(**kwargs) -> fields.String:
    """A string field that is always in the response: null when the record has none."""
    return fields.String(required=True, allow_none=True, dump_default=None, **kwargs)


class ArticleSchema(ma.Schema):
    """The whole stored record of an article. Every field is always present, as in search
    results: null (or an empty list) when unknown."""

    id = fields.String(required=True)
    external_id = _string_or_null()
    url = _string_or_null()
    title = _string_or_null()
    body = fields.String(required=True, metadata={"description": "Cleaned article text."})
    language = fields.String(required=True)
    outlet = _string_or_null()
    agencies = _always_list(fields.String())
    published_at = _string_or_null(metadata={"description": "ISO 8601 with time zone."})
    mentioned_dates = _always_list(fields.String(), metadata={
        "description": "Dates mentioned in the text, resolved (ISO dates)."})
    dates_mentioned = _always_list(fields.Dict(), metadata={
        "description": "Each mentioned date with its expression and sentence."})
    persons = _always_list(fields.Nested(EntityRefSchema))
    organizations = _always_list(fields.Nested(EntityRefSchema))
    places = _always_list(fields.Nested(EntityRefSchema))
    facet_persons = _always_list(fields.String())
    facet_organizations = _always_list(fields.String())
    facet_places = _always_list(fields.String())
    entities = _always_list(fields.Dict(), metadata={
        "description": "Entity mentions with character offsets."})
    syndication_key = fields.String(required=True, metadata={"description": SYNDICATION_KEY,
                                                             "examples": [EXAMPLE_SYNDICATION_KEY]})
    content_hash = fields.String(required=True)
    word_count = fields.Integer(required=True)
    ingested_at = fields.String(required=True)
    raw = fields.Dict(required=True, metadata={"description": (
        "The input as received: `text` or `html`, the given `title`, and `outlet`, "
        "`published_at` and `language` as given (null: not given, so derived; the derived "
        "values are the top-level fields). Articles stored by earlier versions keep only "
        "text/html/title here.")})
    metadata = fields.Dict(required=True, dump_default=dict)


class _CheckSchema(ma.Schema):
    status = fields.String(required=True, validate=validate.OneOf(["up", "down"]),
                           metadata={"examples": ["up"]})
    error = fields.String(metadata={"description": "Why the check failed (when down)."})


class EntitiesIndexCheckSchema(ma.Schema):
    alias = fields.String(metadata={"examples": ["newsarchive-entities"]})
    index = fields.String(metadata={"description": "Index behind the alias.",
                                    "examples": ["newsarchive-entities-v2"]})
    mapping_version = fields.Integer(allow_none=True, metadata={"examples": [1]})
    documents = fields.Integer(metadata={"description": "Canonical entities.",
                                         "examples": [39]})


class ElasticsearchCheckSchema(_CheckSchema):
    cluster_status = fields.String(metadata={"examples": ["green"]})
    alias = fields.String(metadata={"examples": ["newsarchive-articles"]})
    index = fields.String(metadata={"description": "Index behind the alias.",
                                    "examples": ["newsarchive-articles-v1"]})
    mapping_version = fields.Integer(allow_none=True, metadata={"examples": [1]})
    documents = fields.Integer(metadata={"examples": [5]})
    entities = fields.Nested(EntitiesIndexCheckSchema, metadata={
        "description": "The entities index (the worker needs it to index articles)."})


class RedisCheckSchema(_CheckSchema):
    pass


class WorkerCheckSchema(_CheckSchema):
    workers = fields.List(fields.String(), metadata={
        "description": "Workers with a fresh heartbeat.", "examples": [["celery@host"]]})


class NerCheckSchema(_CheckSchema):
    pass


class ChecksSchema(ma.Schema):
    elasticsearch = fields.Nested(ElasticsearchCheckSchema, required=True)
    redis = fields.Nested(RedisCheckSchema, required=True)
    worker = fields.Nested(WorkerCheckSchema, required=True)
    ner = fields.Nested(NerCheckSchema, required=True, metadata={
        "description": "The NER service the worker tags entities with."})


class HealthSchema(ma.Schema):
    status = fields.String(required=True, metadata={"examples": ["ok"]})
    checks = fields.Nested(ChecksSchema, required=True)
