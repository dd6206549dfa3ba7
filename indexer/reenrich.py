"""Re-enrichment: every stored article through the current pipeline again.

The cleaner and the enrichment rules improve; an article keeps what the pipeline of its day
derived until it passes through the pipeline again. Example: before organisation and place
names were put in the nominative, "Nationalen Sicherheitsrat" was an entity of its own; the
articles that named it keep that id until they are re-enriched. ``newsarchive reenrich``
reads every article of the alias and queues them as one ingest job: the worker's own path
(parse -> clean -> enrich -> validate -> store), with the job's counts and dead letters.

Each article is rebuilt from what its document kept of the input (``raw_article``):

* the text or HTML and the given title (``raw``); the outlet, publication date and language
  as given (``raw`` holds them, None where the pipeline derived them, so they are derived
  again); url, external_id and metadata, which are only ever given;
* the stored id, so no copy appears where the id came from the text of an older cleaner;
* documents written before ``raw`` kept the derivable fields (no ``language`` key there):
  their stored outlet, date and language are passed as given, because they may have been
  given, and deriving them again could replace a caller's value without a word.

A write made during the run wins: an article is written back only if it is still stored as it
was read (its ``_seq_no`` and ``_primary_term``, carried as ``stored_version`` and checked by
``store.bulk_index(expected=...)``). An article re-sent or deleted meanwhile stays as it is
and counts as done: its newer state came through the current pipeline, or it is gone. (After
a reindex swapped the alias during the run, every article counts as changed: run it again.)

The articles are read from one point in time, a page at a time, and queued page by page, so
memory stays flat; the job's count is the number of articles in that snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import redis
from celery import Celery
from elasticsearch import Elasticsearch

from indexer import jobs
from indexer.parse import RAW_DERIVABLE_FIELDS, RAW_TEXT_FIELDS
from indexer.scan import Snapshot
from indexer.settings import Settings

PAGE_SIZE = 500
SOURCE_FIELDS = ["raw", "url", "external_id", "metadata", *RAW_DERIVABLE_FIELDS]
JOB_SOURCE = "reenrich"


def raw_article(hit: dict) -> dict:
    """The raw article (as ``pipeline.process`` takes it) that a stored hit was made from,
    with its ``id`` and ``stored_version``. The hit needs ``SOURCE_FIELDS`` and
    ``seq_no_primary_term``."""
    source = hit["_source"]
    kept = source.get("raw") or {}
    article = {key: kept[key] for key in RAW_TEXT_FIELDS if kept.get(key) is not None}
    given = kept if "language" in kept else source
    for key in RAW_DERIVABLE_FIELDS:
        if given.get(key) is not None:
            article[key] = given[key]
    for key in ("url", "external_id", "metadata"):
        if source.get(key):
            article[key] = source[key]
    article["id"] = hit["_id"]
    article["stored_version"] = [hit["_seq_no"], hit["_primary_term"]]
    return article


def expected_versions(raws: Iterable[dict]) -> dict[str, tuple[int, int]]:
    """Article id -> (seq_no, primary_term) for the re-enriched articles among ``raws``."""
    return {raw["id"]: tuple(raw["stored_version"])
            for raw in raws if raw.get("stored_version") and raw.get("id")}


def reenrich(es: Elasticsearch, r: redis.Redis, celery: Celery, settings: Settings, *,
             ids: Sequence[str] | None = None, page_size: int = PAGE_SIZE,
             progress: Callable[[int, int], None] | None = None) -> tuple[str, int]:
    """Queue every article of the alias (or those of ``ids``) for the pipeline as one job:
    (job id, number of articles). ``progress(queued, total)`` after each page."""
    from indexer import tasks  # here: tasks imports this module

    query = {"ids": {"values": list(ids)}} if ids is not None else None
    with Snapshot(es, settings.articles_alias) as snapshot:
        total = snapshot.total(query)
        job_id = jobs.create_job(r, settings.redis_prefix, total, source=JOB_SOURCE,
                                 ttl=settings.job_ttl_seconds)
        queued = 0
        for hits in snapshot.pages(page_size, query, _source=SOURCE_FIELDS,
                                   seq_no_primary_term=True):
            articles = [raw_article(hit) for hit in hits]
            tasks.enqueue(celery, r, settings, job_id, articles,
                          range(queued, queued + len(articles)))
            queued += len(articles)
            if progress is not None:
                progress(queued, total)
    return job_id, total
