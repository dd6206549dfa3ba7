"""Client factories for Elasticsearch and Redis, configured from ``Settings``.

Clients are created lazily by their users (the API per app, the worker per
process) and passed as arguments to ``store``, ``admin`` and ``jobs``.
"""

from __future__ import annotations

import redis
from elasticsearch import Elasticsearch

from indexer.settings import Settings


def elasticsearch_client(settings: Settings, *, timeout: float | None = None,
                         retry_on_timeout: bool = True) -> Elasticsearch:
    """An Elasticsearch client with explicit timeouts and bounded retries. The API does not
    retry a timed-out request (``retry_on_timeout=False``): its answer must come within
    ``NEWSARCHIVE_ES_TIMEOUT``, not three times that.

    The minimal node has no ``GET /``; the client's product check reads the
    response header of the first real request, so nothing here calls ``info()``.
    """
    return Elasticsearch(
        settings.es_url,
        request_timeout=timeout or settings.es_timeout,
        max_retries=2,
        retry_on_timeout=retry_on_timeout,
    )


def redis_client(settings: Settings, *, timeout: float = 5.0) -> redis.Redis:
    return redis.Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        health_check_interval=30,
        decode_responses=True,
    )
