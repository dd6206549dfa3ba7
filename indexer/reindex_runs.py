"""Reindex runs started through the API (``POST /v1/admin/reindex``): the Celery task
that runs ``indexer.reindex.reindex`` on the worker, and its state in Redis
(``{prefix}:reindex:<id>``, kept ``RUN_TTL`` seconds) for ``GET /v1/admin/reindex/<id>``.
One run at a time: a new one is refused while another is queued or running.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import uuid

import redis
from celery import shared_task

from indexer import reindex
from indexer.worker import worker_clients

log = logging.getLogger(__name__)

REINDEX_TASK = "indexer.reindex_runs.run_reindex"
RUN_TTL = 7 * 24 * 3600
LOCK_SECONDS = 24 * 3600


class AlreadyRunning(Exception):
    """Another reindex is queued or running (``str()`` names it)."""


def _key(prefix: str, run_id: str) -> str:
    return f"{prefix}:reindex:{run_id}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def create_run(r: redis.Redis, prefix: str) -> str:
    """A queued run; raises ``AlreadyRunning`` while another holds the lock."""
    run_id = uuid.uuid4().hex
    if not r.set(f"{prefix}:reindex-lock", run_id, nx=True, ex=LOCK_SECONDS):
        other = r.get(f"{prefix}:reindex-lock")
        other = other.decode() if isinstance(other, bytes) else other
        raise AlreadyRunning(f"reindex {other} is queued or running; follow it at "
                             f"/v1/admin/reindex/{other}")
    r.set(_key(prefix, run_id), json.dumps({"id": run_id, "state": "queued",
                                             "created_at": _now(), "copied": 0}), ex=RUN_TTL)
    return run_id


def get_run(r: redis.Redis, prefix: str, run_id: str) -> dict | None:
    raw = r.get(_key(prefix, run_id))
    return json.loads(raw) if raw else None


def _update(r: redis.Redis, prefix: str, run_id: str, **changes) -> None:
    run = get_run(r, prefix, run_id) or {"id": run_id}
    run.update(changes)
    r.set(_key(prefix, run_id), json.dumps(run), ex=RUN_TTL)


@shared_task(bind=True, name=REINDEX_TASK, acks_late=False, ignore_result=True)
def run_reindex(self, run_id: str, delete_old: bool = False) -> None:
    """Not retried or redelivered: a half-done copy is resumed by starting a new run."""
    settings = self.app.conf.newsarchive_settings
    es, r = worker_clients(settings)
    prefix = settings.redis_prefix
    _update(r, prefix, run_id, state="running", started_at=_now())
    try:
        report = reindex.reindex(
            es, settings.index_prefix, mappings_dir=settings.mappings_dir, delete_old=delete_old,
            progress=lambda n: _update(r, prefix, run_id, copied=n))
    except Exception as exc:  # noqa: BLE001 - any failure is the run's outcome
        log.exception("reindex %s failed", run_id)
        _update(r, prefix, run_id, state="failed", finished_at=_now(),
                error=f"{type(exc).__name__}: {exc}")
    else:
        _update(r, prefix, run_id, state="completed", finished_at=_now(),
                copied=report.copied + report.newer, report=dataclasses.asdict(report))
    finally:
        r.delete(f"{prefix}:reindex-lock")
