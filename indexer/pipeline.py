"""The ingest pipeline: parse -> clean -> identify -> enrich -> validate.

``process(raw)`` turns one raw article (a plain dict as accepted by the API or
read by the CLI) into the document stored in Elasticsearch; ``process_batch`` does the
same for a worker's batch, with one call to the entity tagger for all its texts. Pure:
no Flask, no Elasticsearch, no Redis; the same input gives the same document except
for ``ingested_at``.

The steps are listed in ``CLEAN_STEPS`` and ``ENRICH_STEPS``. A step is
``Callable[[dict], dict]``: it takes the draft document and returns it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from indexer import identity
from indexer.clean import clean_html, clean_text
from indexer.enrich import enrich
from indexer.enrich.canonical import canonicalize
from indexer.enrich.ner_service import NerUnavailable
from indexer.parse import ParseError, parse_article

Step = Callable[[dict], dict]


class DocumentError(ValueError):
    """The finished document breaks the document contract (a bug in a step)."""


# --- the steps ------------------------------------------------------------------
# Keys starting with "_" are scratch space between steps; finish() drops them.

def clean_step(doc: dict) -> dict:
    """Boilerplate removal: trafilatura + line classifier for HTML, the line classifier for
    text. The removed lines (with their class) stay available to enrichment, which reads
    agencies and dates from "Quelle:" lines and bylines but never from teasers, and so do
    all lines in their order (an outlet label opening the text)."""
    markup = doc["raw"].get("html")
    cleaned = (clean_html(markup, url=doc.get("url")) if markup is not None
               else clean_text(doc["body"], title=doc.get("title")))
    # When every line looks like clutter (a one-line text, say), the text is kept as given:
    # dropping it would lose the article silently.
    doc["body"] = cleaned.body if cleaned.body.strip() else doc["body"].strip()
    doc["_removed"] = cleaned.removed
    doc["_input_lines"] = [line.text for line in cleaned.lines]
    doc["_page_metadata"] = dict(cleaned.metadata or {})
    if not doc.get("title") and cleaned.title:
        doc["title"] = cleaned.title
    return doc


def enrich_step(doc: dict) -> dict:
    """Title, outlet, agencies, dates, language and syndication key (indexer.enrich)."""
    given = {**doc, "metadata": {**doc.pop("_page_metadata", {}), **(doc.get("metadata") or {})}}
    doc.update(enrich(given, doc.pop("_removed", None), doc.pop("_input_lines", None)))
    return doc


ENTITY_FIELDS = {"PER": "persons", "ORG": "organizations", "LOC": "places"}


def entities_step(doc: dict) -> dict:
    """Named entities merged into canonical entities with stable ids. The facet fields hold
    "id|name" so a facet bucket carries its label without a lookup at search time."""
    # Imported here: spaCy's tokenizer and the rules' word lists (~1 s and ~90 MB), and the
    # declension tables (indexer/enrich/declension.py, ~1.5 s and ~27 MB, at the first
    # organisation or place) are loaded by the processes that enrich articles, not by the API,
    # which only parses and cleans one (``article_id_for``). The tagging itself runs in the
    # NER service; ``process_batch`` has tagged the batch's texts already (``_tagged``).
    from indexer.enrich.entities import extract_entities
    mentions = extract_entities(doc["body"], tagged=doc.pop("_tagged", None))
    set_entity_fields(doc, canonicalize(mentions, doc["body"]))
    return doc


def set_entity_fields(doc: dict, entities: list[dict],
                      names: Mapping[str, str] | None = None) -> None:
    """``entities`` and the per-type fields made from them (also after
    ``indexer.entity_links`` joined a genitive, acronym or other spelling to a known entity).
    ``names`` (id -> name) names them in the per-type fields instead of ``entities``' names."""
    doc["entities"] = entities
    names = names or {}
    for etype, field in ENTITY_FIELDS.items():
        chosen = [(e["id"], names.get(e["id"]) or e["name"]) for e in entities
                  if e["type"] == etype]
        doc[field] = [{"id": entity_id, "name": name} for entity_id, name in chosen]
        doc[f"facet_{field}"] = [f"{entity_id}|{name}" for entity_id, name in chosen]


CLEAN_STEPS: list[Step] = [clean_step]
ENRICH_STEPS: list[Step] = [enrich_step, entities_step]


# --- the pipeline -------------------------------------------------------------

def prepare(raw: dict) -> dict:
    """Parse and clean; the draft then has its deterministic ``id``."""
    doc = parse_article(raw)
    for step in CLEAN_STEPS:
        doc = step(doc)
    if not doc["body"].strip():
        raise ParseError("text: no article text left after cleaning")
    doc["id"] = doc["id"] or identity.article_id(
        external_id=doc["external_id"], url=doc["url"], text=doc["body"])
    return doc


def article_id_for(raw: dict) -> str:
    """The id ``process(raw)`` will give, computed cheaply when the id comes
    from ``external_id`` or ``url`` (the API answers with it before indexing)."""
    if raw.get("id"):
        return raw["id"]
    if raw.get("external_id") or raw.get("url"):
        return identity.article_id(external_id=raw.get("external_id"), url=raw.get("url"))
    return prepare(raw)["id"]


def process(raw: dict, *, now: dt.datetime | None = None) -> dict:
    """Raw article -> finished, validated document."""
    [result] = process_batch([raw], now=now)
    if isinstance(result, Exception):
        raise result
    return result


def process_batch(raws: Sequence[dict], *,
                  now: dt.datetime | None = None) -> list[dict | Exception]:
    """Each raw article -> its finished document, or the exception that rejected it.

    The model tags the texts of the whole batch in one call (``tag_entities``: a few
    requests to the NER service instead of one per article); everything else runs article
    by article. ``NerUnavailable`` (the service is down) is raised for the batch."""
    drafts = [_attempt(prepare, raw) for raw in raws]
    prepared = [draft for draft in drafts if not isinstance(draft, Exception)]
    for draft, tagged in zip(prepared, tag_entities([d["body"] for d in prepared]),
                             strict=True):
        draft["_tagged"] = tagged
    return [draft if isinstance(draft, Exception) else _attempt(_enrich, draft, now)
            for draft in drafts]


def tag_entities(texts: list[str]) -> list:
    """The texts tokenised, with the model's entities (``entities.tag_texts``)."""
    from indexer.enrich.entities import tag_texts  # see entities_step
    return tag_texts(texts)


def _enrich(doc: dict, now: dt.datetime | None) -> dict:
    for step in ENRICH_STEPS:
        doc = step(doc)
    return finish(doc, now=now)


def _attempt(function: Callable, *args) -> dict | Exception:
    try:
        return function(*args)
    except NerUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - the article is rejected, the batch goes on
        return exc


# Language-dependent search fields. ``title`` and ``body`` hold the text of every article and
# are analyzed language-neutrally (standard tokens, lower case, elision, folding: no stemming,
# no decompounding). German articles also get a copy in ``title_de``/``body_de``, analyzed
# with the German analyzers; other languages never pass through German analysis, so they are
# found by their own words and never by German stems. Undetermined text ("und": too short to
# tell) counts as German: the archive is German, and the neutral fields find it either way.
GERMAN_COPIES = {"title": "title_de", "body": "body_de"}
GERMAN_ANALYZED_LANGUAGES = frozenset({"de", "und"})


def german_copies(doc: dict) -> dict:
    """``{"title_de": ..., "body_de": ...}`` for a German article, else ``{}``."""
    if doc.get("language") not in GERMAN_ANALYZED_LANGUAGES:
        return {}
    return {copy: doc[field] for field, copy in GERMAN_COPIES.items() if doc.get(field)}


def finish(doc: dict, *, now: dt.datetime | None = None) -> dict:
    """Add the derived fields, drop empty ones, check the contract."""
    for copy in GERMAN_COPIES.values():  # derived here only, never taken from a step
        doc.pop(copy, None)
    doc.update(german_copies(doc))
    doc["content_hash"] = identity.content_hash(doc["body"])
    doc["word_count"] = len(doc["body"].split())
    doc["ingested_at"] = (now or dt.datetime.now(dt.UTC)).isoformat()
    doc = {key: value for key, value in doc.items()
           if value not in (None, "", [], {}) and not key.startswith("_")}
    validate(doc)
    return doc


# Top-level document fields and their JSON types; mirrors
# mappings/articles-vN.json (a unit test keeps the two in step).
DOCUMENT_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str, "external_id": str, "url": str, "title": str, "body": str,
    "title_de": str, "body_de": str,
    "language": str, "outlet": str, "agencies": list, "published_at": str,
    "mentioned_dates": list, "dates_mentioned": list,
    "persons": list, "organizations": list, "places": list,
    "facet_persons": list, "facet_organizations": list, "facet_places": list,
    "entities": list, "syndication_key": str, "content_hash": str,
    "word_count": int, "ingested_at": str, "raw": dict, "metadata": dict,
}
REQUIRED_FIELDS = ("id", "body", "language", "content_hash", "word_count", "ingested_at", "raw")


def validate(doc: dict) -> None:
    unknown = sorted(set(doc) - set(DOCUMENT_FIELDS))
    if unknown:
        raise DocumentError(f"fields not in the document mapping: {', '.join(unknown)}")
    missing = [key for key in REQUIRED_FIELDS if key not in doc]
    if missing:
        raise DocumentError(f"required document fields missing: {', '.join(missing)}")
    for key, value in doc.items():
        expected = DOCUMENT_FIELDS[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise DocumentError(f"{key}: expected {getattr(expected, '__name__', expected)}, "
                                f"got {type(value).__name__}")
