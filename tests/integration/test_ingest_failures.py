"""No article disappears: rejected articles become dead letters with a reason, visible
in the job and re-queueable; Elasticsearch's refusals are told apart from outages."""

import pytest

from indexer import jobs, store, tasks
from indexer.store import RetryableIndexError


def test_rejected_articles_are_dead_letters_and_can_be_retried(api, celery_app, redis_conn,
                                                                settings, token):
    # Sent past the API's validation (as the CLI's direct mode could), to reach the worker.
    articles = [{"text": f"gut {token}"},
                {"text": f"schlecht {token}", "published_at": "gestern",
                 "external_id": f"x-{token}"},
                {"text": "x", "unbekannt": 1}]
    job_id = tasks.submit(celery_app, redis_conn, settings, articles, source="test")
    job = api.wait_for_job(job_id)
    assert job["state"] == "completed_with_errors"
    assert job["counts"] == {"accepted": 3, "indexed": 1, "failed": 2, "pending": 0, "retried": 0}
    first, second = job["errors"]
    assert (first["position"], first["external_id"]) == (1, f"x-{token}")
    assert "published_at" in first["reason"]
    assert second["position"] == 2 and "unbekannt" in second["reason"]

    # The dead letters keep the article; a retry sends them again (and they fail again).
    retry = api.post(f"/v1/jobs/{job_id}/retry")
    assert retry.status_code == 202 and retry.json() == {"job_id": job_id, "requeued": 2}
    job = api.wait_for_job(job_id)
    assert job["counts"]["failed"] == 2 and job["counts"]["retried"] == 2
    # A job with dead letters does not expire.
    assert redis_conn.ttl(f"{settings.redis_prefix}:job:{job_id}:failed") == -1


def test_fixed_dead_letter_is_indexed_on_retry(api, celery_app, redis_conn, settings, token):
    job_id = tasks.submit(celery_app, redis_conn, settings,
                          [{"text": f"später {token}", "published_at": "bald"}], source="test")
    assert api.wait_for_job(job_id)["counts"]["failed"] == 1
    # Repair the stored article in place, as an operator would, then retry.
    letters = jobs.dead_letters(redis_conn, settings.redis_prefix, job_id)
    import json
    letter = json.loads(letters[0])
    letter["article"]["published_at"] = "2023-09-01T12:00:00+02:00"
    redis_conn.hset(f"{settings.redis_prefix}:job:{job_id}:failed", "0", json.dumps(letter))
    assert api.post(f"/v1/jobs/{job_id}/retry").json()["requeued"] == 1
    job = api.wait_for_job(job_id)
    assert job["state"] == "completed"
    assert job["counts"] == {"accepted": 1, "indexed": 1, "failed": 0, "pending": 0, "retried": 1}


def test_redelivered_batch_is_not_counted_twice(es, redis_conn, settings, articles_index, token):
    job_id = jobs.create_job(redis_conn, settings.redis_prefix, 2, source="test",
                             ttl=settings.job_ttl_seconds)
    batch = [{"text": f"eins {token}"}, {"text": f"zwei {token}"}]
    for _ in range(2):  # as if the worker died after indexing and the message came back
        tasks.run_batch(es, redis_conn, settings, job_id, batch, [0, 1])
    job = jobs.get_job(redis_conn, settings.redis_prefix, job_id)
    assert job["counts"]["indexed"] == 2 and job["state"] == "completed"
    es.indices.refresh(index=settings.articles_alias)
    assert es.count(index=settings.articles_alias, query={"match": {"body": token}})["count"] == 2


def test_elasticsearch_refusing_a_document_is_a_reason_not_a_retry(es, settings, articles_index):
    result = store.bulk_index(es, settings.articles_alias, [
        {"id": "it-refused", "body": "x", "word_count": "viele"}])
    assert result.indexed == []
    assert "word_count" in result.failed["it-refused"]


def test_missing_alias_is_retryable_and_creates_no_index(es, settings):
    alias = f"{settings.index_prefix}-nothing-here"
    with pytest.raises(RetryableIndexError):
        store.bulk_index(es, alias, [{"id": "a", "body": "x"}])
    assert not es.indices.exists(index=alias)


def test_heartbeats_are_read_back(redis_conn, settings):
    prefix = f"{settings.redis_prefix}-hb-test"
    jobs.beat(redis_conn, prefix, "w@host", now=1000.0)
    assert jobs.live_workers(redis_conn, prefix, max_age=15, now=1010.0) == ["w@host"]
    assert jobs.live_workers(redis_conn, prefix, max_age=15, now=1020.0) == []
    jobs.forget_worker(redis_conn, prefix, "w@host")
    assert jobs.live_workers(redis_conn, prefix, max_age=15, now=1010.0) == []
