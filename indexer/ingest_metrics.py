"""Ingest numbers in Redis, so the API (another process) can expose the worker's counts.

Keys, with ``p`` the index prefix:
  ``p:metrics:ingest``  hash: ``indexed`` / ``failed`` -> articles processed with that outcome

The counters grow with every processing of an article: an article that failed and is
re-queued and then indexed counts once in each; a batch redelivered after a worker died
between recording and acknowledging counts twice (rare; Celery delivers at least once).
Writing them never fails an ingest: a Redis error is logged and the numbers skip a beat.
"""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)

OUTCOMES = ("indexed", "failed")
# kombu's Redis transport keeps a queue in one list per priority step; priority 0 uses the
# queue's own name, the others "<queue>\x06\x16<priority>" (kombu.transport.redis).
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)


def _key(prefix: str) -> str:
    return f"{prefix}:metrics:ingest"


def count_outcomes(r: redis.Redis, prefix: str, *, indexed: int = 0, failed: int = 0) -> None:
    if not (indexed or failed):
        return
    try:
        with r.pipeline() as pipe:
            for outcome, number in zip(OUTCOMES, (indexed, failed)):
                if number:
                    pipe.hincrby(_key(prefix), outcome, number)
            pipe.execute()
    except redis.RedisError as exc:
        log.warning("ingest counts not updated (Redis: %s)", exc)


def outcome_counts(r: redis.Redis, prefix: str) -> dict[str, int]:
    """``{"indexed": n, "failed": m}``, zeros when nothing was counted yet."""
    values = r.hmget(_key(prefix), OUTCOMES)
    return {outcome: int(value or 0) for outcome, value in zip(OUTCOMES, values)}


def queue_depth(r: redis.Redis, queue: str) -> int:
    """Tasks waiting in the Celery queue (not those a worker holds)."""
    names = [queue] + [f"{queue}{_PRIORITY_SEPARATOR}{step}" for step in _PRIORITY_STEPS]
    with r.pipeline() as pipe:
        for name in names:
            pipe.llen(name)
        return sum(pipe.execute())
