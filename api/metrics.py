"""``GET /v1/metrics``: Prometheus text format (version 0.0.4).

gunicorn runs several worker processes, each counting its own requests, so the request
metrics use prometheus_client's multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR`` is set
(api/gunicorn_conf.py empties that directory when gunicorn starts): every process writes its
values to a file there, and a scrape, whichever process answers it, sums them all. Without
the variable (tests, ``flask run``) the process's own registry is served.

The ingest numbers come from the worker, another process: it counts outcomes in Redis
(indexer/ingest_metrics.py) and the queue is a Redis list, so they are read from Redis at
scrape time. When Redis cannot be read the scrape still answers, with
``newsarchive_redis_up 0`` and without those numbers.
"""

from __future__ import annotations

import os

import redis
from flask import Response
from flask.views import MethodView
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

from api import extensions as ext
from api.access import public
from api.extensions import Blueprint
from indexer import ingest_metrics
from indexer.settings import Settings

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4       # "text/plain; version=0.0.4; charset=utf-8"
DOCUMENTED_TYPE = "text/plain; version=0.0.4"

blp = Blueprint("metrics", __name__, url_prefix="/v1/metrics",
                description="Prometheus metrics: request latency, ingest counts, queue depth, "
                            "Elasticsearch errors.")


@blp.route("")
class Metrics(MethodView):
    @public
    @blp.response(200, {"type": "string"}, content_type=DOCUMENTED_TYPE, description=(
        "Prometheus text exposition format 0.0.4. Families: "
        "`newsarchive_http_request_duration_seconds` (histogram) and "
        "`newsarchive_http_requests_total` by `method`, `route` (template) and `status` "
        "(class, e.g. 2xx); `newsarchive_elasticsearch_errors_total` by `kind`; "
        "`newsarchive_ingest_articles_total` by `outcome` (indexed, failed); "
        "`newsarchive_ingest_queue_depth`; `newsarchive_redis_up`."))
    @blp.alt_response(500, response="INTERNAL_SERVER_ERROR")
    def get(self):
        """Metrics for Prometheus"""
        return Response(exposition(ext.redis_conn(), ext.settings()), content_type=CONTENT_TYPE,
                        headers={"Cache-Control": "no-store"})


def exposition(r: redis.Redis, settings: Settings) -> bytes:
    """Every metric in the text format: all API processes' (or this one's) and Redis's."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_DIR):
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(RedisCollector(r, settings))
    return generate_latest(registry)


class _ThisProcess:
    """The default registry (this process's metrics) as one collector."""

    def collect(self):
        return REGISTRY.collect()


class RedisCollector:
    """Ingest outcomes and queue depth, read from Redis at each scrape."""

    def __init__(self, r: redis.Redis, settings: Settings):
        self.redis = r
        self.settings = settings

    def collect(self):
        try:
            counts = ingest_metrics.outcome_counts(self.redis, self.settings.redis_prefix)
            depth = ingest_metrics.queue_depth(self.redis, self.settings.ingest_queue)
        except redis.RedisError:
            yield _redis_up(0)
            return
        yield _redis_up(1)
        articles = CounterMetricFamily("newsarchive_ingest_articles",
                                       "Articles the worker processed, by outcome.", labels=["outcome"])
        for outcome, number in counts.items():
            articles.add_metric([outcome], number)
        yield articles
        yield GaugeMetricFamily("newsarchive_ingest_queue_depth",
                                "Ingest tasks (batches) waiting in the Celery queue.", depth)


def _redis_up(value: int) -> GaugeMetricFamily:
    return GaugeMetricFamily("newsarchive_redis_up",
                             "1 when this scrape could read the ingest numbers from Redis.", value)
