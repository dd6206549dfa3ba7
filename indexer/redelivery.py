"""Open batches whose task message is gone are sent again.

Why: kombu's Redis transport keeps a delivered message in the worker's memory and in
its ``unacked`` hash until the task is acknowledged. When Redis dies while a worker
holds messages, kombu "restores" them over the dead connection on its way to a new
one, and they can be gone for good: in 3 of 5 runs of the Redis-kill test the two
batches in flight were lost, although Redis itself lost nothing (append-only file,
``appendfsync always``). The articles, though, are in the job record (``jobs``), and a
batch stays open until its outcomes are recorded.

How: every ``sweep_interval`` seconds one worker (a Redis lock) reads the open batches
without activity (sent, started, retried) for longer than the visibility timeout.
Those whose message is still in the broker (the queue, or kombu's unacked hash, from
which kombu restores it itself) are marked as seen; the others are sent again. A batch
sent twice runs once: a task loads its batch only while it is open, and article ids
are deterministic, so even two concurrent runs write the same documents.
"""

from __future__ import annotations

import json
import logging
import time

import redis
from celery import Celery

from indexer import jobs, tasks
from indexer.settings import Settings

log = logging.getLogger(__name__)

UNACKED_KEY = "unacked"    # kombu's Redis transport default (transport option unacked_key)
# A re-send fails fast when Redis goes away meanwhile: the batch stays open for the next sweep.
RESEND_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.5, "interval_step": 0.5,
                       "interval_max": 1}


def sweep_interval(settings: Settings) -> float:
    return max(1.0, min(30.0, settings.visibility_timeout / 3))


def message_task_id(raw: str) -> str | None:
    """The task id in a kombu message as Redis holds it: the message, or, in the unacked
    hash, ``[message, exchange, routing_key]``."""
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    if isinstance(message, list) and message:
        message = message[0]
    headers = message.get("headers") if isinstance(message, dict) else None
    task_id = headers.get("id") if isinstance(headers, dict) else None
    return task_id if isinstance(task_id, str) else None


def batches_in_broker(r: redis.Redis, queue: str) -> set[str]:
    """Batches with a message in the queue or held unacknowledged by a worker."""
    with r.pipeline(transaction=False) as pipe:
        pipe.lrange(queue, 0, -1)
        pipe.hvals(UNACKED_KEY)
        queued, unacked = pipe.execute()
    members = (tasks.batch_of_task(task_id) for raw in (*queued, *unacked)
               if (task_id := message_task_id(raw)))
    return {member for member in members if member}


def resend_lost_batches(celery: Celery, r: redis.Redis, settings: Settings, *,
                        now: float | None = None) -> list[str]:
    """Send again every open batch that has been quiet for a visibility timeout and has no
    message in the broker; returns those batches ("JOB_ID:BATCH")."""
    now = now or time.time()
    prefix = settings.redis_prefix
    stale = jobs.stale_batches(r, prefix, older_than=now - settings.visibility_timeout)
    if not stale:
        return []
    waiting = batches_in_broker(r, settings.ingest_queue)
    jobs.touch_batches(r, prefix, [member for member in stale if member in waiting], now=now)
    lost = [member for member in stale if member not in waiting]
    resent = []
    for member in lost:
        job_id, number = jobs.parse_batch_member(member)
        if not jobs.batch_is_open(r, prefix, job_id, number):
            jobs.close_batch(r, prefix, job_id, number)   # closed meanwhile, or its job expired
            continue
        tasks.send_batch(celery, settings, job_id, number, retry=True,
                         retry_policy=RESEND_RETRY_POLICY)
        jobs.touch_batches(r, prefix, [member], now=now)
        resent.append(member)
    if resent:
        log.warning("sent again %d open batches whose task message was gone: %s",
                    len(resent), ", ".join(resent[:10]))
    return resent


def sweep(celery: Celery, r: redis.Redis, settings: Settings, owner: str) -> list[str]:
    """One worker's sweep: only the holder of the sweep lock looks (one per interval)."""
    lock = f"{settings.redis_prefix}:ingest:sweep-lock"
    if not r.set(lock, owner, nx=True, px=int(sweep_interval(settings) * 900)):
        return []
    return resend_lost_batches(celery, r, settings)
