"""How the Celery apps meet a Redis outage: the worker reconnects without a limit and its
task retries wait for the broker (Celery would drop a batch whose retry it cannot
publish); producers (API, CLI) give up at once, so a write answers 503."""

from __future__ import annotations

from indexer.settings import Settings
from indexer.worker import WORKER_PUBLISH_RETRY_POLICY, make_celery, worker_celery


def test_the_worker_waits_for_redis():
    app = worker_celery(Settings())
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.task_publish_retry is True
    assert app.conf.task_publish_retry_policy == WORKER_PUBLISH_RETRY_POLICY
    assert WORKER_PUBLISH_RETRY_POLICY["max_retries"] is None


def test_producers_give_up_quickly():
    policy = make_celery(Settings()).conf.task_publish_retry_policy
    assert policy["max_retries"] is not None and policy["max_retries"] <= 5
