"""The ingest task and the functions that send and run it.

A job's articles are kept in its record in Redis, in batches (``jobs.store_batches``);
a task message names only the job and the batch. ``ingest_batch`` is thin: it
loads its batch, resolves this process's clients and calls ``run_batch``, a plain
function, which records the outcomes and closes the batch in one transaction. A
batch already closed (a redelivered message) is not run again. Transient Elasticsearch,
Redis and NER service errors retry the whole batch with exponential backoff (safe: ids
are deterministic, outcomes keyed by position). When retries run out, or anything else fails the task, every
article of the batch becomes a dead letter of its job, visible in
``GET /v1/jobs/{id}`` and re-queueable; no article disappears silently.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Sequence

import elastic_transport
import redis
from celery import Celery, Task, shared_task
from elasticsearch import Elasticsearch

from indexer import (
    archive_generation,
    entity_links,
    entity_records,
    entity_store,
    ingest_metrics,
    jobs,
    pipeline,
    reenrich,
    store,
)
from indexer.batching import batches, text_size
from indexer.enrich import ner_service
from indexer.enrich.ner_service import NerUnavailable
from indexer.settings import Settings
from indexer.worker import INGEST_TASK, worker_clients

log = logging.getLogger(__name__)

RETRYABLE_ERRORS = (
    elastic_transport.ConnectionError,
    elastic_transport.ConnectionTimeout,
    store.RetryableIndexError,
    redis.ConnectionError,
    redis.TimeoutError,
    NerUnavailable,
)
MAX_BATCH_BYTES = 8 * 1024 * 1024


class IngestTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The task gave up: keep every article of the batch as a dead letter (if Redis
        is unreachable, the batch stays open and is sent again later)."""
        job_id, number = args[0], args[1]
        settings = self.app.conf.newsarchive_settings
        _, r = worker_clients(settings)
        reason = f"gave up after {self.request.retries} retries: {type(exc).__name__}: {exc}"
        try:
            batch = jobs.load_batch(r, settings.redis_prefix, job_id, number)
            if batch is None:
                return
            letters = {pos: jobs.dead_letter(pos, raw, reason, attempts=self.request.retries + 1)
                       for pos, raw in zip(*batch, strict=True)}
            jobs.record(r, settings.redis_prefix, job_id, indexed={}, failed=letters,
                        ttl=settings.job_ttl_seconds, batch=number)
            ingest_metrics.count_outcomes(r, settings.redis_prefix, failed=len(letters))
        except redis.RedisError:
            log.exception("job %s batch %s could not be recorded as dead letters; it stays "
                          "open and is sent again", job_id, number)


@shared_task(bind=True, base=IngestTask, name=INGEST_TASK, acks_late=True,
             reject_on_worker_lost=True, ignore_result=True,
             autoretry_for=RETRYABLE_ERRORS, retry_backoff=2, retry_backoff_max=60,
             retry_jitter=True)
def ingest_batch(self, job_id: str, number: int, positions: list[int] | None = None):
    settings = self.app.conf.newsarchive_settings
    es, r = worker_clients(settings)
    if isinstance(number, list):
        # A message queued before articles were kept in the job record carries them itself
        # (``[job_id, articles]``, ``positions``): store them as batches and send those.
        enqueue(self.app, r, settings, job_id, number, positions or range(len(number)))
        return {"indexed": 0, "failed": 0}
    batch = jobs.load_batch(r, settings.redis_prefix, job_id, number)
    if batch is None:
        log.info("job %s batch %s is already done (a repeated message)", job_id, number)
        return {"indexed": 0, "failed": 0}
    jobs.touch_batches(r, settings.redis_prefix, [jobs.batch_member(job_id, number)])
    positions, articles = batch
    return run_batch(es, r, settings, job_id, articles, positions,
                     attempts=self.request.retries + 1, batch=number)


def run_batch(es: Elasticsearch, r: redis.Redis, settings: Settings, job_id: str,
              articles: Sequence[dict], positions: Sequence[int], *, attempts: int = 1,
              batch: int | None = None) -> dict:
    """Process and index one batch; record each article's outcome in its job.

    Genitive, acronym and differently spelled names join the entities the batch or the
    entities index knows under the other form (``entity_links``). The batch's entities go
    into the entities index first (merged, idempotent), so every indexed article's entities
    are there, and are repeated in the new entities index while a rebuild runs. An article the
    pipeline rejects, or Elasticsearch refuses for good, becomes a dead letter; transient
    errors propagate (the caller retries the batch). With ``batch``, the stored batch is
    closed with the outcomes.
    """
    if attempts > 1:
        # A retry (often: Elasticsearch or the NER service was down): ask both first, so a
        # batch is not cleaned, enriched and tagged again only to fail. Raises while one is down.
        es.options(request_timeout=5, max_retries=0).cluster.health()
        if not ner_service.health(settings.ner_url):
            raise NerUnavailable(f"NER service at {settings.ner_url} is not answering")
    jobs.mark_started(r, settings.redis_prefix, job_id)
    raw_by_position = dict(zip(positions, articles, strict=True))
    docs: dict[int, dict] = {}
    failed: dict[int, dict] = {}
    # NerUnavailable propagates: the service is down, not an article at fault; retry later.
    outcomes = pipeline.process_batch(list(raw_by_position.values()))
    for (pos, raw), outcome in zip(raw_by_position.items(), outcomes, strict=True):
        if isinstance(outcome, Exception):   # any article-level failure is a dead letter
            log.warning("job %s article %s rejected: %s", job_id, pos, outcome)
            failed[pos] = jobs.dead_letter(pos, raw, f"{type(outcome).__name__}: {outcome}",
                                           attempts=attempts)
        else:
            docs[pos] = outcome
    # "Angela Merkels", "die EZB" and "Deutscher Fußball-Bund" are the Angela Merkel,
    # Europäische Zentralbank and Deutscher Fußballbund the archive knows.
    entity_links.resolve(es, settings.entities_alias, settings.articles_alias,
                         list(docs.values()))
    records = entity_records.records_from_articles(docs.values())
    entities = entity_store.write_entities(es, settings.entities_alias, records,
                                           refresh=settings.index_refresh)
    entity_links.use_stored_names(docs.values(), entities.names)
    result = store.bulk_index(es, settings.articles_alias, docs.values(),
                              refresh=settings.index_refresh,
                              expected=reenrich.expected_versions(
                                  raw_by_position[pos] for pos in docs))
    # After the articles: a rebuild of the entities index reads them (entity_rebuild).
    entity_store.mirror_records(es, settings.entities_alias, records, entities.index)
    if docs or entities.count:     # the API's cached lookups must ask again (archive_cache)
        archive_generation.mark_changed(r, settings.redis_prefix)
    if result.superseded:
        # A re-enrichment of an article that changed or went meanwhile: the newer state stays
        # (it came through the current pipeline, or is a delete), so the article is done.
        log.info("job %s: %d articles changed since re-enrichment read them; kept as they are",
                 job_id, len(result.superseded))
    indexed: dict[int, str] = {}
    for pos, doc in docs.items():
        if doc["id"] in result.failed:
            failed[pos] = jobs.dead_letter(pos, raw_by_position[pos],
                                           result.failed[doc["id"]], article_id=doc["id"],
                                           attempts=attempts)
        else:
            indexed[pos] = doc["id"]
    jobs.record(r, settings.redis_prefix, job_id, indexed=indexed, failed=failed,
                ttl=settings.job_ttl_seconds, batch=batch)
    ingest_metrics.count_outcomes(r, settings.redis_prefix, indexed=len(indexed), failed=len(failed))
    return {"indexed": len(indexed), "failed": len(failed)}


# --- producers: the API and the CLI ------------------------------------------

def submit(celery: Celery, r: redis.Redis, settings: Settings, articles: Sequence[dict], *,
           source: str, job_id: str | None = None) -> str:
    """Create a job for the articles and queue them in batches; returns the job id."""
    job_id = jobs.create_job(r, settings.redis_prefix, len(articles), source=source,
                             ttl=settings.job_ttl_seconds, job_id=job_id)
    enqueue(celery, r, settings, job_id, articles, range(len(articles)))
    return job_id


def retry_failed(celery: Celery, r: redis.Redis, settings: Settings, job_id: str) -> int:
    """Re-queue every dead letter of a job; returns how many were re-queued."""
    letters = jobs.dead_letters(r, settings.redis_prefix, job_id)
    if not letters:
        return 0
    positions = sorted(letters)
    enqueue(celery, r, settings, job_id,
            [json.loads(letters[pos])["article"] for pos in positions], positions)
    jobs.release(r, settings.redis_prefix, job_id, letters)
    return len(letters)


def enqueue(celery: Celery, r: redis.Redis, settings: Settings, job_id: str,
            articles: Sequence[dict], positions: Iterable[int]) -> int:
    """Store the articles in the job as batches and send an ``ingest_batch`` task for
    each; returns the number of tasks."""
    items = list(zip(positions, articles, strict=True))
    grouped = [([pos for pos, _ in batch], [raw for _, raw in batch])
               for batch in batches(items, settings.batch_size, MAX_BATCH_BYTES,
                                    size=lambda item: text_size(item[1]))]
    numbers = jobs.store_batches(r, settings.redis_prefix, job_id, grouped,
                                 ttl=settings.job_ttl_seconds)
    for number in numbers:
        send_batch(celery, settings, job_id, number)
    return len(numbers)


def send_batch(celery: Celery, settings: Settings, job_id: str, number: int,
               **options) -> None:
    """Send the task of a stored batch; its id names the batch (``batch_task_prefix``), so
    the broker's messages can be matched with open batches."""
    celery.send_task(INGEST_TASK, args=[job_id, number], queue=settings.ingest_queue,
                     task_id=f"{batch_task_prefix(job_id, number)}{uuid.uuid4().hex[:12]}",
                     **options)


TASK_ID_PREFIX = "ingest:"


def batch_task_prefix(job_id: str, number: int) -> str:
    """The start of the id of every task sent for a batch: ``ingest:JOB_ID:BATCH:``."""
    return f"{TASK_ID_PREFIX}{jobs.batch_member(job_id, number)}:"


def batch_of_task(task_id: str) -> str | None:
    """The open-batch member ("JOB_ID:BATCH") a task id was made for by ``send_batch``."""
    if not task_id.startswith(TASK_ID_PREFIX):
        return None
    member = task_id[len(TASK_ID_PREFIX):].rpartition(":")[0]
    return member or None

