"""The ingest task and the functions that send and run it.

``ingest_batch`` is thin: it resolves this process's clients and calls
``run_batch``, a plain function. Transient Elasticsearch/Redis errors retry the
whole batch with exponential backoff (safe: ids are deterministic, outcomes keyed
by position). When retries run out, or anything else fails the task, every
article of the batch becomes a dead letter of its job, visible in
``GET /v1/jobs/{id}`` and re-queueable; no article disappears silently.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence

import elastic_transport
import redis
from celery import Celery, Task, shared_task
from elasticsearch import Elasticsearch

from indexer import entity_records, entity_store, ingest_metrics, jobs, pipeline, store
from indexer.batching import batches, text_size
from indexer.settings import Settings
from indexer.worker import INGEST_TASK, worker_clients

log = logging.getLogger(__name__)

RETRYABLE_ERRORS = (
    elastic_transport.ConnectionError,
    elastic_transport.ConnectionTimeout,
    store.RetryableIndexError,
    redis.ConnectionError,
    redis.TimeoutError,
)
MAX_BATCH_BYTES = 8 * 1024 * 1024


class IngestTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The task gave up: keep every article of the batch as a dead letter."""
        job_id, articles = args[0], args[1]
        positions = kwargs.get("positions") or list(range(len(articles)))
        settings = self.app.conf.newsarchive_settings
        _, r = worker_clients(settings)
        reason = f"gave up after {self.request.retries} retries: {type(exc).__name__}: {exc}"
        letters = {pos: jobs.dead_letter(pos, raw, reason, attempts=self.request.retries + 1)
                   for pos, raw in zip(positions, articles, strict=True)}
        try:
            jobs.record(r, settings.redis_prefix, job_id, indexed={}, failed=letters,
                        ttl=settings.job_ttl_seconds)
        except redis.RedisError:
            log.exception("job %s: %d articles could not be recorded as dead letters",
                          job_id, len(letters))
        ingest_metrics.count_outcomes(r, settings.redis_prefix, failed=len(letters))


@shared_task(bind=True, base=IngestTask, name=INGEST_TASK, acks_late=True,
             reject_on_worker_lost=True, ignore_result=True,
             autoretry_for=RETRYABLE_ERRORS, retry_backoff=2, retry_backoff_max=60,
             retry_jitter=True)
def ingest_batch(self, job_id: str, articles: list[dict], positions: list[int] | None = None):
    settings = self.app.conf.newsarchive_settings
    es, r = worker_clients(settings)
    return run_batch(es, r, settings, job_id, articles,
                     positions or list(range(len(articles))), attempts=self.request.retries + 1)


def run_batch(es: Elasticsearch, r: redis.Redis, settings: Settings, job_id: str,
              articles: Sequence[dict], positions: Sequence[int], *, attempts: int = 1) -> dict:
    """Process and index one batch; record each article's outcome in its job.

    The batch's entities go into the entities index first (merged, idempotent), so every
    indexed article's entities are there. An article the pipeline rejects, or Elasticsearch
    refuses for good, becomes a dead letter; transient errors propagate (the caller retries
    the batch).
    """
    if attempts > 1:
        # A retry (often: Elasticsearch was down): ask it first, so a batch is not cleaned,
        # enriched and NER-tagged again only to fail on the write. Raises while it is down.
        es.options(request_timeout=5, max_retries=0).cluster.health()
    jobs.mark_started(r, settings.redis_prefix, job_id)
    raw_by_position = dict(zip(positions, articles, strict=True))
    docs: dict[int, dict] = {}
    failed: dict[int, dict] = {}
    for pos, raw in raw_by_position.items():
        try:
            docs[pos] = pipeline.process(raw)
        except Exception as exc:  # noqa: BLE001 - any article-level failure is a dead letter
            log.warning("job %s article %s rejected: %s", job_id, pos, exc)
            failed[pos] = jobs.dead_letter(pos, raw, f"{type(exc).__name__}: {exc}",
                                           attempts=attempts)
    entity_store.write_entities(es, settings.entities_alias,
                                entity_records.records_from_articles(docs.values()),
                                refresh=settings.index_refresh)
    result = store.bulk_index(es, settings.articles_alias, docs.values(),
                              refresh=settings.index_refresh)
    indexed: dict[int, str] = {}
    for pos, doc in docs.items():
        if doc["id"] in result.failed:
            failed[pos] = jobs.dead_letter(pos, raw_by_position[pos],
                                           result.failed[doc["id"]], article_id=doc["id"],
                                           attempts=attempts)
        else:
            indexed[pos] = doc["id"]
    jobs.record(r, settings.redis_prefix, job_id, indexed=indexed, failed=failed,
                ttl=settings.job_ttl_seconds)
    ingest_metrics.count_outcomes(r, settings.redis_prefix, indexed=len(indexed), failed=len(failed))
    return {"indexed": len(indexed), "failed": len(failed)}


# --- producers: the API and the CLI ------------------------------------------

def submit(celery: Celery, r: redis.Redis, settings: Settings, articles: Sequence[dict], *,
           source: str, job_id: str | None = None) -> str:
    """Create a job for the articles and queue them in batches; returns the job id."""
    job_id = jobs.create_job(r, settings.redis_prefix, len(articles), source=source,
                             ttl=settings.job_ttl_seconds, job_id=job_id)
    enqueue(celery, settings, job_id, articles, range(len(articles)))
    return job_id


def retry_failed(celery: Celery, r: redis.Redis, settings: Settings, job_id: str) -> int:
    """Re-queue every dead letter of a job; returns how many were re-queued."""
    letters = jobs.dead_letters(r, settings.redis_prefix, job_id)
    if not letters:
        return 0
    positions = sorted(letters)
    enqueue(celery, settings, job_id, [json.loads(letters[pos])["article"] for pos in positions],
            positions)
    jobs.release(r, settings.redis_prefix, job_id, letters)
    return len(letters)


def enqueue(celery: Celery, settings: Settings, job_id: str, articles: Sequence[dict],
            positions: Iterable[int]) -> int:
    """Send the articles as ``ingest_batch`` tasks; returns the number of tasks."""
    count = 0
    items = list(zip(positions, articles, strict=True))
    for batch in batches(items, settings.batch_size, MAX_BATCH_BYTES,
                         size=lambda item: text_size(item[1])):
        celery.send_task(INGEST_TASK, args=[job_id, [raw for _, raw in batch]],
                         kwargs={"positions": [pos for pos, _ in batch]},
                         queue=settings.ingest_queue)
        count += 1
    return count

