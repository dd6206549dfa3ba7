"""``GET /v1/health``: Elasticsearch, Redis, the worker and the NER service, each named."""

from __future__ import annotations

import elastic_transport
import redis
from elasticsearch import ApiError, Elasticsearch
from flask.views import MethodView

from api import extensions as ext
from api.access import public
from api.errors import unavailable
from api.extensions import Blueprint
from api.schemas import HealthSchema
from indexer import admin, jobs
from indexer.enrich import ner_service
from indexer.settings import Settings
from indexer.worker import HEARTBEAT_MAX_AGE

CHECK_TIMEOUT = 2.0

blp = Blueprint("health", __name__, url_prefix="/v1/health",
                description="Liveness of Elasticsearch, Redis, the ingest worker and its NER service.")


@blp.route("")
class Health(MethodView):
    @public
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="UNAVAILABLE",
                      description="A part is down; `details.failing` names it, "
                                  "`details.checks` has every check.")
    def get(self):
        """Health of the stack (200 when every part is up)"""
        checks = run_checks(ext.es(), ext.redis_conn(), ext.settings())
        failing = [name for name, check in checks.items() if check["status"] != "up"]
        if failing:
            return unavailable(f"Unavailable: {', '.join(failing)}.", code="unhealthy",
                               details={"failing": failing, "checks": checks})
        return {"status": "ok", "checks": checks}


def run_checks(es: Elasticsearch, r: redis.Redis, settings: Settings) -> dict[str, dict]:
    return {
        "elasticsearch": check_elasticsearch(es, settings.articles_alias, settings.entities_alias),
        "redis": check_redis(r),
        "worker": check_worker(r, settings.redis_prefix),
        "ner": check_ner(settings.ner_url),
    }


def check_elasticsearch(es: Elasticsearch, alias: str, entities_alias: str) -> dict:
    """Cluster status via ``_cluster/health`` (the minimal node has no ``GET /``), the index
    behind the articles alias with its mapping version and document count, and the same for
    the entities index (the worker cannot index articles without it)."""
    fast = es.options(request_timeout=CHECK_TIMEOUT, max_retries=0)
    try:
        cluster = fast.cluster.health()["status"]
        targets = {name: admin.alias_target(fast, name) for name in (alias, entities_alias)}
        missing = [name for name, target in targets.items() if target is None]
        if missing:
            return {"status": "down", "cluster_status": cluster, "alias": alias,
                    "error": f"alias {', '.join(missing)} does not exist (run `newsarchive create-index`)"}
        documents = {name: fast.count(index=name)["count"] for name in targets}
    except (ApiError, elastic_transport.TransportError) as exc:
        return {"status": "down", "error": f"{type(exc).__name__}: {exc}"}
    target, entities = targets[alias], targets[entities_alias]
    return {"status": "down" if cluster == "red" else "up", "cluster_status": cluster,
            "alias": alias, "index": target.index, "mapping_version": target.version,
            "documents": documents[alias],
            "entities": {"alias": entities_alias, "index": entities.index,
                         "mapping_version": entities.version, "documents": documents[entities_alias]}}


def check_redis(r: redis.Redis) -> dict:
    try:
        r.ping()
    except redis.RedisError as exc:
        return {"status": "down", "error": f"{type(exc).__name__}: {exc}"}
    return {"status": "up"}


def check_worker(r: redis.Redis, prefix: str) -> dict:
    """A worker is up when its heartbeat (written every few seconds) is fresh."""
    try:
        workers = jobs.live_workers(r, prefix, max_age=HEARTBEAT_MAX_AGE)
    except redis.RedisError as exc:
        return {"status": "down", "error": f"heartbeats unreadable: {type(exc).__name__}"}
    if not workers:
        return {"status": "down", "workers": [],
                "error": f"no worker heartbeat in the last {HEARTBEAT_MAX_AGE:.0f} s"}
    return {"status": "up", "workers": workers}


def check_ner(url: str) -> dict:
    """The worker's NER service answers its health check. Search does not need it; without it
    new articles wait in the queue (the worker retries), so the stack is not healthy."""
    if ner_service.health(url, timeout=CHECK_TIMEOUT):
        return {"status": "up"}
    return {"status": "down",
            "error": "the NER service does not answer; new articles wait until it is back"}
