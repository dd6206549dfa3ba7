"""The Celery application: ``celery -A indexer.worker worker``.

Broker and result backend are Redis. Delivery is at-least-once: tasks are
acknowledged after they ran (``acks_late``), a task whose worker process died is
re-queued (``reject_on_worker_lost``), and a message a killed worker held is
redelivered after ``NEWSARCHIVE_VISIBILITY_TIMEOUT`` seconds (default 300; keep it
above the longest batch plus the longest retry countdown, 60 s). Tasks are
idempotent (deterministic ids, outcomes keyed by position), so a redelivery
overwrites instead of duplicating.

The worker writes a heartbeat into Redis every few seconds (``jobs.beat``); the
API's health check reads it instead of broadcasting a ping.

Redis going away (restart, crash) loses nothing: the queue, the unacknowledged
messages and the job records, with every article of a job that is not done yet, are
in its append-only file (scripts/redis.sh). A message a worker held when Redis went
away can be gone all the same (kombu restores it over the dead connection): its
batch is still open in the job record, and the ``Redelivery`` step sends it again
after the visibility timeout (``indexer/redelivery.py``). The worker reconnects by
itself, without a limit on attempts. A task that meets the
outage retries through the broker, which is Redis too: Celery's ``Task.retry``
*rejects and drops* the message when it cannot publish the retry, so in the worker
a retry waits for Redis instead (``WORKER_PUBLISH_RETRY_POLICY``); the original
message stays unacknowledged meanwhile. Producers (API, CLI) keep Celery's short
policy, so a write answers 503 at once.
"""

from __future__ import annotations

import functools
import logging

import redis
from celery import Celery, bootsteps, signals

from indexer import jobs, json_logging
from indexer.clients import elasticsearch_client, redis_client
from indexer.settings import Settings

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 5.0   # seconds between heartbeats
HEARTBEAT_MAX_AGE = 15.0   # a worker silent for longer counts as down
INGEST_TASK = "indexer.tasks.ingest_batch"
# How the worker publishes (task retries): until Redis answers, every 1, 2, ... 5 s.
WORKER_PUBLISH_RETRY_POLICY = {"max_retries": None, "interval_start": 1, "interval_step": 1,
                               "interval_max": 5}


class RepeatingStep(bootsteps.StartStopStep):
    """A worker step that calls ``tick`` every ``interval`` seconds on the worker's timer;
    ``setup(worker)`` runs once before (and may set ``interval``)."""

    requires = {"celery.worker.components:Timer"}
    interval = 1.0

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def setup(self, worker):
        raise NotImplementedError

    def tick(self):
        raise NotImplementedError

    def start(self, worker):
        self.setup(worker)
        self.tref = worker.timer.call_repeatedly(self.interval, self.tick, priority=10)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


class Heartbeat(RepeatingStep):
    """Writes this worker's hostname and the time into ``{prefix}:workers``."""

    interval = HEARTBEAT_INTERVAL

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.redis = None

    def setup(self, worker):
        settings = worker.app.conf.newsarchive_settings
        self.redis = redis_client(settings, timeout=2.0)
        self.prefix = settings.redis_prefix
        self.hostname = worker.hostname
        self.tick()

    def tick(self):
        try:
            jobs.beat(self.redis, self.prefix, self.hostname)
        except redis.RedisError as exc:
            log.warning("heartbeat not written: %s", exc)

    def stop(self, worker):
        super().stop(worker)
        if self.redis is not None:
            try:
                jobs.forget_worker(self.redis, self.prefix, self.hostname)
            except redis.RedisError:
                pass


class Redelivery(RepeatingStep):
    """Sends again open batches whose task message is gone (``indexer/redelivery.py``)."""

    def setup(self, worker):
        from indexer import redelivery  # imports the tasks, which import this module

        self.redelivery = redelivery
        self.app = worker.app
        self.settings = worker.app.conf.newsarchive_settings
        self.redis = redis_client(self.settings, timeout=5.0)
        self.owner = worker.hostname
        self.interval = redelivery.sweep_interval(self.settings)

    def tick(self):
        try:
            self.redelivery.sweep(self.app, self.redis, self.settings, self.owner)
        except Exception as exc:  # noqa: BLE001 - the next sweep tries again
            log.warning("open batches not checked: %s: %s", type(exc).__name__, exc)


def make_celery(settings: Settings, *, name: str = "newsarchive") -> Celery:
    """A Celery app for the worker or for a producer (API, CLI)."""
    app = Celery(name, broker=settings.redis_url, backend=settings.redis_url,
                 include=["indexer.tasks", "indexer.reindex_runs"], set_as_current=False)
    app.conf.update(
        task_default_queue=settings.ingest_queue,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        result_expires=3600,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_retry=True,
        broker_connection_max_retries=None,   # reconnect for as long as Redis is away
        # A message held by a killed worker comes back after visibility_timeout; the
        # sweep that brings it back runs every 10 s (kombu's default: every ~100 s).
        # unacked_mutex_expire: the lock kombu takes while it puts expired unacknowledged
        # messages back lives 300 s by default; a worker (or Redis) killed while holding it
        # blocked every restore for those 5 minutes, and batches looked lost.
        broker_transport_options={"visibility_timeout": settings.visibility_timeout,
                                  "unacked_restore_interval": 10,
                                  "unacked_restore_throttle": 1,
                                  "unacked_mutex_expire": 15},
        task_annotations={INGEST_TASK: {"max_retries": settings.task_max_retries}},
        newsarchive_settings=settings,
    )
    app.steps["worker"].add(Heartbeat)
    app.steps["worker"].add(Redelivery)
    return app


@functools.cache
def worker_clients(settings: Settings):
    """(Elasticsearch, Redis) clients of this process, made on first use (after fork)."""
    return elasticsearch_client(settings), redis_client(settings)


def worker_celery(settings: Settings) -> Celery:
    """The worker's app: ``make_celery`` whose publishes wait for Redis."""
    app = make_celery(settings)
    app.conf.task_publish_retry_policy = WORKER_PUBLISH_RETRY_POLICY
    return app


app = worker_celery(Settings.from_env())


# --- logs: JSON lines (indexer/json_logging.py) -------------------------------
# Celery sets up its handlers (``--logfile``), then these switch them to JSON at
# NEWSARCHIVE_LOG_LEVEL. Lines logged while a task runs carry ``task_id``, ``task`` and,
# for ingest batches, ``job_id``. Celery attaches a task's arguments (the articles) to
# some records as ``data``: never written.
LOG_EXCLUDE = ("data",)


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _json_logs(logger, **_):
    json_logging.use_json(logger, app.conf.newsarchive_settings.log_level, exclude=LOG_EXCLUDE)


@signals.task_prerun.connect
def _bind_task(task_id=None, task=None, args=None, **_):
    fields = {"task_id": task_id, "task": task.name}
    if task.name == INGEST_TASK and args:
        fields["job_id"] = args[0]
    json_logging.bind(**fields)


@signals.task_postrun.connect
def _unbind_task(**_):
    json_logging.clear()
