"""Client factories for Elasticsearch and Redis, configured from ``Settings``.

Clients are created lazily by their users (the API per app, the worker per
process) and passed as arguments to ``store``, ``admin`` and ``jobs``.
"""

from __future__ import annotations

import orjson
import redis
from elasticsearch import Elasticsearch
from elasticsearch.serializer import JsonSerializer, OrjsonSerializer

from indexer.curl_node import CurlHttpNode
from indexer.settings import Settings


class FastJsonSerializer(OrjsonSerializer):
    """orjson, and the standard library's json for what orjson refuses (a lone surrogate,
    an integer beyond 64 bits, NaN): the same bodies as ``JsonSerializer``, faster."""

    def json_dumps(self, data) -> bytes:
        try:
            return super().json_dumps(data)
        except TypeError:               # orjson.JSONEncodeError
            return JsonSerializer.json_dumps(self, data)

    def json_loads(self, data: bytes):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            return JsonSerializer.json_loads(self, data)


def elasticsearch_client(settings: Settings, *, timeout: float | None = None,
                         retry_on_timeout: bool = True, fast: bool = False,
                         connections: int | None = None) -> Elasticsearch:
    """An Elasticsearch client with explicit timeouts and bounded retries. The API does not
    retry a timed-out request (``retry_on_timeout=False``): its answer must come within
    ``NEWSARCHIVE_ES_TIMEOUT``, not three times that.

    ``fast`` (the API's client): request and response bodies through orjson
    (``FastJsonSerializer``: ~0.3 ms less CPU per search than the standard library's json),
    and plain-HTTP connections through libcurl (``CurlHttpNode``: ~0.5 ms less than urllib3).

    ``connections``: keep-alive connections kept open (elastic-transport's default is 10).
    The API keeps one per thread: with fewer, a burst of concurrent searches closed the
    connections above 10 after use and opened new ones for the next burst (~6 % of the
    benchmark's searches opened a connection with 24 threads and 20 clients).

    The minimal node has no ``GET /``; the client's product check reads the
    response header of the first real request, so nothing here calls ``info()``.
    """
    return Elasticsearch(
        settings.es_url,
        request_timeout=timeout or settings.es_timeout,
        max_retries=2,
        retry_on_timeout=retry_on_timeout,
        **({"connections_per_node": connections} if connections else {}),
        **(fast_options(settings.es_url) if fast else {}),
    )


def fast_options(url: str) -> dict:
    options = {"serializers": {"application/json": FastJsonSerializer()}}
    if url.startswith("http://"):
        options["node_class"] = CurlHttpNode
    return options


def redis_client(settings: Settings, *, timeout: float = 5.0) -> redis.Redis:
    return redis.Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        health_check_interval=30,
        decode_responses=True,
    )
