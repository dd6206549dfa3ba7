"""Answers the API got from the indices, kept until the archive changes.

Two of the requests behind a search depend only on what the indices hold, not on who asks:
which entities a ``person``/``organization``/``place`` value names (the entities index), and
the "did you mean" correction of a ``q`` that found nothing (the articles' words). A front
end pages and facets with the same filters, and a search that found nothing is often sent
again; asking Elasticsearch every time made such a search wait in its queue twice (at 20
clients, entity filters took ~1.5x and multi-select facets ~1.7x raw Elasticsearch's p50,
against ~1.35x for the other kinds).

So an answer is kept under the time of the archive's last change (``indexer.archive_generation``,
read in the rate limit's round trip: ``@access.prefetch(lambda: [changed_key()])``). The next
change makes it unused at once. It is kept at most ``KEEP_SECONDS`` (a change no writer
recorded), and only ``SETTLE_SECONDS`` when the last change is more recent than that or
could not be read: Elasticsearch shows a write to searches only after its next refresh (each
second), so an answer asked just after a change may not have it yet.
"""

from __future__ import annotations

import time
from collections.abc import Hashable

from api import access
from api import extensions as ext
from indexer import archive_generation

KEEP_SECONDS = 600.0
SETTLE_SECONDS = 5.0
MISSING = object()      # ArchiveCache.get: nothing kept
_UNREAD = object()


def changed_key() -> str:
    """The Redis key a view prefetches so that its caches know the archive's last change."""
    return archive_generation.key(ext.settings().redis_prefix)


def last_change():
    """The archive's last change as this request read it: Unix seconds, None (never
    recorded), or ``_UNREAD`` (not read: Redis unreachable, or the view did not prefetch)."""
    value = access.prefetched(changed_key(), _UNREAD)
    return value if value is _UNREAD else archive_generation.changed_at(value)


class ArchiveCache:
    """Key -> answer, for the archive as it was at the request's ``last_change()``; cleared
    when ``size`` answers are kept (the cheapest eviction that bounds it). The dict's own
    operations are atomic, so the threads of a worker share it without a lock."""

    def __init__(self, size: int = 50_000):
        self.size = size
        self._entries: dict[tuple, tuple[float, object]] = {}

    def get(self, key: Hashable):
        """The answer kept for ``key`` and the current archive, else ``MISSING``."""
        entry = self._entries.get((_version(last_change()), key))
        if entry is None or entry[0] <= time.monotonic():
            return MISSING
        return entry[1]

    def put(self, key: Hashable, value) -> None:
        changed = last_change()
        settled = changed is None or (changed is not _UNREAD
                                      and time.time() - changed >= SETTLE_SECONDS)
        if len(self._entries) >= self.size:
            self._entries.clear()
        expires = time.monotonic() + (KEEP_SECONDS if settled else SETTLE_SECONDS)
        self._entries[(_version(changed), key)] = (expires, value)


def _version(changed) -> object:
    return "unread" if changed is _UNREAD else changed
