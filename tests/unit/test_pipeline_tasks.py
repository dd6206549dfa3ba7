"""The pure parts around the task: batching, job states, settings, dead letters.
(``run_batch`` itself runs against real Elasticsearch and Redis in tests/integration.)"""

from pathlib import Path

import pytest

from indexer import jobs
from indexer.batching import batches
from indexer.settings import ENV_NAMES, Settings
from indexer.worker import INGEST_TASK, make_celery


def items(*sizes):
    return [{"pos": pos, "text": "x" * size} for pos, size in enumerate(sizes)]


def test_batches_split_by_count():
    assert [[a["pos"] for a in b] for b in batches(items(1, 1, 1, 1, 1), 2, 10**6)] == \
        [[0, 1], [2, 3], [4]]


def test_batches_split_by_size_but_never_leave_an_item_out():
    assert [[a["pos"] for a in b] for b in batches(items(6, 6, 20, 1), 10, 10)] == \
        [[0], [1], [2], [3]]


def test_batches_of_nothing():
    assert list(batches([], 5, 5)) == []


@pytest.mark.parametrize("pending, failed, started, state", [
    (3, 0, False, "queued"),
    (2, 0, True, "running"),
    (1, 1, True, "running"),
    (0, 0, True, "completed"),
    (0, 2, True, "completed_with_errors"),
])
def test_job_state(pending, failed, started, state):
    assert jobs.job_state(pending=pending, failed=failed, started=started) == state


def test_dead_letter_keeps_the_article_for_a_retry():
    article = {"text": "t", "external_id": "e"}
    letter = jobs.dead_letter(4, article, "ParseError: x", attempts=2)
    assert letter["article"] is article
    assert (letter["position"], letter["external_id"], letter["reason"], letter["attempts"]) == \
        (4, "e", "ParseError: x", 2)


def test_settings_defaults_are_documented_values():
    s = Settings.from_env({})
    assert (s.es_url, s.redis_url, s.index_prefix, s.api_port) == \
        ("http://127.0.0.1:9200", "redis://127.0.0.1:6379/0", "newsarchive", 8000)
    assert s.articles_alias == "newsarchive-articles"
    assert s.max_body_bytes == 5 * 1024 * 1024


def test_settings_from_environment():
    s = Settings.from_env({
        "NEWSARCHIVE_ES_URL": "http://127.0.0.1:9201",
        "NEWSARCHIVE_INDEX_PREFIX": "test-newsarchive",
        "NEWSARCHIVE_MAX_BODY_BYTES": "1000",
        "NEWSARCHIVE_CORS_ORIGINS": "https://a.org, https://b.org",
        "NEWSARCHIVE_MAPPINGS_DIR": "/tmp/m",
        "NEWSARCHIVE_INDEX_REFRESH": "wait_for",
        "NEWSARCHIVE_CURSOR_SECRET": "s3cret",
        "NEWSARCHIVE_CURSOR_KEEP_ALIVE": "90s",
        "NEWSARCHIVE_PIT_SHARE_SECONDS": "0.5",
        "OTHER": "x"})
    assert s.es_url == "http://127.0.0.1:9201"
    assert s.articles_alias == "test-newsarchive-articles"
    assert s.max_body_bytes == 1000
    assert s.cors_origins == ("https://a.org", "https://b.org")
    assert s.mappings_dir == Path("/tmp/m")
    assert s.index_refresh == "wait_for"
    assert (s.cursor_secret, s.cursor_keep_alive, s.pit_share_seconds) == ("s3cret", "90s", 0.5)


@pytest.mark.parametrize("name, value", [
    ("NEWSARCHIVE_API_PORT", "acht"), ("NEWSARCHIVE_MAX_BODY_BYTES", "-1"),
    ("NEWSARCHIVE_INDEX_REFRESH", "sometimes"), ("NEWSARCHIVE_INDEX_PREFIX", "Upper"),
    ("NEWSARCHIVE_CURSOR_KEEP_ALIVE", "2 minutes"), ("NEWSARCHIVE_PIT_SHARE_SECONDS", "one"),
])
def test_bad_settings_name_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value})


def test_every_setting_has_a_variable():
    assert ENV_NAMES["es_url"] == "NEWSARCHIVE_ES_URL"
    assert ENV_NAMES["cors_origins"] == "NEWSARCHIVE_CORS_ORIGINS"


def test_celery_app_is_configured_for_at_least_once_delivery():
    settings = Settings(redis_url="redis://127.0.0.1:9/0", index_prefix="p", visibility_timeout=77,
                        task_max_retries=5)
    import indexer.tasks  # noqa: F401 - registers the shared tasks (the worker imports it too)
    app = make_celery(settings)
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 77
    assert conf.task_default_queue == "p.ingest"
    task = app.tasks[INGEST_TASK]
    assert task.acks_late and task.reject_on_worker_lost
    assert task.max_retries == 5
    assert task.autoretry_for
    assert conf.broker_transport_options["unacked_restore_throttle"] == 1
    assert conf.broker_transport_options["unacked_mutex_expire"] <= 30


def test_a_retried_batch_asks_elasticsearch_before_processing(monkeypatch):
    """While Elasticsearch is down, a retry fails at once instead of running the whole
    pipeline (cleaning, NER) again only to fail on the write."""
    import elastic_transport

    from indexer import pipeline, tasks

    processed = []
    monkeypatch.setattr(pipeline, "process", lambda raw: processed.append(raw))

    class DownEs:
        def options(self, **kwargs):
            return self

        class cluster:  # noqa: N801 - the client's attribute name
            @staticmethod
            def health():
                raise elastic_transport.ConnectionError("refused")

    with pytest.raises(tasks.RETRYABLE_ERRORS):
        tasks.run_batch(DownEs(), None, Settings(), "job", [{"text": "x"}], [0], attempts=2)
    assert processed == []
