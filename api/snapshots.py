"""Point-in-time snapshots for relevance-sorted searches.

Relevance scores depend on the whole index (term statistics), so an article
that arrives between two pages can move documents across the page boundary: a
page would repeat or skip one. Relevance-sorted searches therefore read from a
point in time (PIT), and every cursor carries its PIT, so all pages of one
search come from the same snapshot. Date sorts need none: a document's position
depends only on its own date and id, which arrivals do not change.

Opening a PIT is a round trip, so the first pages of all searches share one
PIT for ``share_seconds`` (about Elasticsearch's own refresh interval, so an
article becomes searchable about as soon as without it). The shared PIT's id is
kept in Redis, so every API process uses the same one and what a client sees
never goes back in time from one request to the next (per-process PITs of
different ages would make a new article appear, vanish and reappear). Without
Redis, each first page opens its own PIT. A PIT lives ``keep_alive`` after its
last use; a cursor whose PIT expired (or whose index was replaced by a reindex)
goes on from the same sort position in the current index (``without_pit``), so
a slow reader gets the next page, not an error.
"""

from __future__ import annotations

import logging

import redis
from elasticsearch import ApiError, Elasticsearch, NotFoundError

log = logging.getLogger(__name__)

NOT_READ = object()   # SharedPit.get: the caller did not read the key


class SharedPit:
    """The PIT that first pages use now, one for all API processes (in Redis)."""

    def __init__(self, redis_conn: redis.Redis, key_prefix: str, share_seconds: float = 1.0):
        self.redis, self.key_prefix = redis_conn, key_prefix
        self.share_ms = max(1, int(share_seconds * 1000))

    def key(self, index: str) -> str:
        """The Redis key of ``index``'s shared PIT id."""
        return f"{self.key_prefix}:search-pit:{index}"

    def get(self, es: Elasticsearch, index: str, keep_alive: str, current=NOT_READ) -> str:
        """The shared PIT of ``index``, opened when there is none. ``current``: the value of
        ``key(index)`` when the caller has just read it (None: no such key)."""
        key = self.key(index)
        if current is NOT_READ:
            try:
                current = self.redis.get(key)
            except redis.RedisError as exc:
                log.warning("no shared snapshot (Redis: %s); opening one for this search", exc)
                return es.open_point_in_time(index=index, keep_alive=keep_alive)["id"]
        if current:
            return current.decode() if isinstance(current, bytes) else current
        pit_id = es.open_point_in_time(index=index, keep_alive=keep_alive)["id"]
        try:
            if self.redis.set(key, pit_id, px=self.share_ms, nx=True):
                return pit_id
            other = self.redis.get(key)   # another process was quicker: use its PIT
        except redis.RedisError:
            return pit_id
        if not other:
            return pit_id
        try:
            es.close_point_in_time(id=pit_id)
        except Exception as exc:  # noqa: BLE001 - it expires after keep_alive anyway
            log.warning("could not close a spare snapshot: %s", exc)
        return other.decode() if isinstance(other, bytes) else other

    def forget(self, index: str, pit_id: str) -> None:
        """Drop ``pit_id`` if it is the shared one (it expired or its index is gone)."""
        key = self.key(index)
        try:
            current = self.redis.get(key)
            if current is not None and (current.decode() if isinstance(current, bytes)
                                        else current) == pit_id:
                self.redis.delete(key)
        except redis.RedisError:
            pass


def is_missing(exc: Exception) -> bool:
    """Elasticsearch's answer for a PIT that expired, was closed or lost its index."""
    if isinstance(exc, NotFoundError):
        return True
    if isinstance(exc, ApiError):
        text = str(exc.body if exc.body is not None else exc)
        return "search_context_missing" in text or "No search context found" in text
    return False


def with_pit(body: dict, pit_id: str, keep_alive: str) -> dict:
    """``body`` read from ``pit_id`` (the request then names no index)."""
    return {**body, "pit": {"id": pit_id, "keep_alive": keep_alive}}


def without_pit(body: dict) -> dict:
    """``body`` for the current index after its PIT is gone: a PIT's hits carry one
    more sort value than the sort asks for (the ``_shard_doc`` tie-breaker that
    Elasticsearch adds), which ``search_after`` must then lose. Every sort ends on
    the unique id, so the position stays exact."""
    body = {key: value for key, value in body.items() if key != "pit"}
    if "search_after" in body and len(body["search_after"]) > len(body["sort"]):
        body["search_after"] = body["search_after"][:len(body["sort"])]
    return body
