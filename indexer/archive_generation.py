"""When the archive last changed: a Redis key that every writer of articles or entities sets
to the time of its write, so the API can keep what it learnt from the indices (which
entities a filter value names, a "did you mean" correction) until the next change instead
of asking Elasticsearch again for each request (``api/archive_cache.py``).

Writers: the worker after each batch (entities, then articles), the API after a delete, the
CLI after ``rebuild-entities``. Setting the key is best effort: a reader that misses a change
keeps its answer only for a short time anyway (``api/archive_cache.py``).
"""

from __future__ import annotations

import logging
import time

import redis

log = logging.getLogger(__name__)


def key(prefix: str) -> str:
    """The Redis key holding the time (Unix seconds) of the archive's last change."""
    return f"{prefix}:archive-changed"


def mark_changed(r: redis.Redis, prefix: str, now: float | None = None) -> None:
    """Record a change of the articles or entities made just now; a Redis error is logged,
    not raised (the change itself is done)."""
    try:
        r.set(key(prefix), f"{time.time() if now is None else now:.6f}")
    except redis.RedisError as exc:
        log.warning("could not record the archive's change in Redis: %s", exc)


def changed_at(value) -> float | None:
    """The time a read of ``key`` gives (bytes or str), None when never set or unreadable."""
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
