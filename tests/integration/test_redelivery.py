"""A batch whose task message is gone (as when Redis dies while a worker holds it) is
found open in its job record and sent again; one still in the broker is left alone.
The real worker runs what is sent again (indexer/redelivery.py)."""

import json
import time

from indexer import jobs, redelivery, tasks


def stored_job(redis_conn, settings, token: str, texts: list[str]) -> tuple[str, str]:
    """A job whose one batch is stored and open, but whose message was never sent."""
    job_id = jobs.create_job(redis_conn, settings.redis_prefix, len(texts), source="test",
                             ttl=settings.job_ttl_seconds)
    articles = [{"external_id": f"{token}-{i}", "text": f"{text} {token}."}
                for i, text in enumerate(texts)]
    [number] = jobs.store_batches(redis_conn, settings.redis_prefix, job_id,
                                  [(list(range(len(articles))), articles)],
                                  ttl=settings.job_ttl_seconds)
    return job_id, jobs.batch_member(job_id, number)


def later(settings) -> float:
    return time.time() + settings.visibility_timeout + 1


def test_lost_batch_is_sent_again_and_indexed(api, es, celery_app, redis_conn, settings, token):
    job_id, member = stored_job(redis_conn, settings, token,
                                ["Die Bahn streikt in Hamburg", "Der Bundestag tagt in Berlin"])
    # Not yet quiet for a visibility timeout: nothing is sent.
    assert redelivery.resend_lost_batches(celery_app, redis_conn, settings) == []
    assert redelivery.resend_lost_batches(celery_app, redis_conn, settings,
                                          now=later(settings)) == [member]
    job = api.wait_for_job(job_id)
    assert job["state"] == "completed" and job["counts"]["indexed"] == 2, job
    assert redis_conn.zscore(jobs.open_batches_key(settings.redis_prefix), member) is None
    assert jobs.load_batch(redis_conn, settings.redis_prefix, job_id, 0) is None
    es.indices.refresh(index=settings.articles_alias)
    assert es.count(index=settings.articles_alias,
                    query={"match": {"body": token}})["count"] == 2
    # Closed: never sent again.
    assert redelivery.resend_lost_batches(celery_app, redis_conn, settings,
                                          now=later(settings)) == []


def test_batch_held_in_the_broker_is_not_sent_again(celery_app, redis_conn, settings, token):
    job_id, member = stored_job(redis_conn, settings, token, ["Ein Text"])
    # kombu keeps a delivered message in its unacked hash: [message, exchange, routing key].
    tag = f"tag-{token}"
    message = {"body": "", "headers": {"id": f"{tasks.batch_task_prefix(job_id, 0)}abc",
                                       "task": tasks.INGEST_TASK}, "properties": {}}
    redis_conn.hset(redelivery.UNACKED_KEY, tag, json.dumps([message, "", settings.ingest_queue]))
    try:
        now = later(settings)
        assert redelivery.resend_lost_batches(celery_app, redis_conn, settings, now=now) == []
        # Seen waiting: quiet again only a visibility timeout later.
        score = redis_conn.zscore(jobs.open_batches_key(settings.redis_prefix), member)
        assert score == now
    finally:
        redis_conn.hdel(redelivery.UNACKED_KEY, tag)
        jobs.close_batch(redis_conn, settings.redis_prefix, job_id, 0)


def test_open_batch_of_an_expired_job_is_forgotten(celery_app, redis_conn, settings, token):
    job_id, member = stored_job(redis_conn, settings, token, ["Ein Text"])
    redis_conn.delete(f"{settings.redis_prefix}:job:{job_id}:batches")
    assert redelivery.resend_lost_batches(celery_app, redis_conn, settings,
                                          now=later(settings)) == []
    assert redis_conn.zscore(jobs.open_batches_key(settings.redis_prefix), member) is None


def test_messages_in_the_queue_are_matched_with_their_batch(celery_app, redis_conn, settings,
                                                            token):
    # A real message as the producers send it, in a queue no worker reads.
    queue = f"{settings.ingest_queue}-probe-{token}"
    task_id = f"{tasks.batch_task_prefix('job' + token, 7)}abc"
    celery_app.send_task(tasks.INGEST_TASK, args=["job" + token, 7], queue=queue, task_id=task_id)
    try:
        # Also in the answer: batches a worker holds unacknowledged right now, from any queue
        # (the hash of unacknowledged messages is the broker's, one for all queues).
        assert f"job{token}:7" in redelivery.batches_in_broker(redis_conn, queue)
    finally:
        redis_conn.delete(queue)


def test_message_of_the_old_format_is_stored_and_indexed(api, celery_app, redis_conn, settings,
                                                         token):
    # Queued before an upgrade: the articles inside the message, positions as a keyword.
    job_id = jobs.create_job(redis_conn, settings.redis_prefix, 2, source="test",
                             ttl=settings.job_ttl_seconds)
    articles = [{"external_id": f"{token}-old-{i}", "text": f"Alte Nachricht {i} {token}."}
                for i in range(2)]
    celery_app.send_task(tasks.INGEST_TASK, args=[job_id, articles], kwargs={"positions": [0, 1]},
                         queue=settings.ingest_queue)
    job = api.wait_for_job(job_id)
    assert job["state"] == "completed" and job["counts"]["indexed"] == 2, job
