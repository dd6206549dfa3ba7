"""Matching broker messages with open batches (indexer/redelivery.py); the sweep itself
runs against real Redis and a real worker in tests/integration/test_redelivery.py."""

import json

from indexer import jobs, redelivery, tasks
from indexer.settings import Settings


def test_task_ids_name_their_batch():
    task_id = tasks.batch_task_prefix("0f3a", 12) + "9c1d2e3f4a5b"
    assert tasks.batch_of_task(task_id) == jobs.batch_member("0f3a", 12) == "0f3a:12"
    assert jobs.parse_batch_member("0f3a:12") == ("0f3a", 12)
    assert tasks.batch_of_task("d2a4-other-task") is None
    assert tasks.batch_of_task("ingest:") is None


def test_message_task_id_reads_queued_and_unacked_messages():
    message = {"body": "W10=", "headers": {"id": "ingest:j:1:x", "task": "t"}, "properties": {}}
    assert redelivery.message_task_id(json.dumps(message)) == "ingest:j:1:x"
    assert redelivery.message_task_id(json.dumps([message, "", "q"])) == "ingest:j:1:x"
    for junk in ("", "not json", "[]", "{}", '{"headers": 3}', '{"headers": {"id": 5}}', "7"):
        assert redelivery.message_task_id(junk) is None


def test_sweep_interval_follows_the_visibility_timeout():
    assert redelivery.sweep_interval(Settings(visibility_timeout=30)) == 10
    assert redelivery.sweep_interval(Settings(visibility_timeout=300)) == 30
    assert redelivery.sweep_interval(Settings(visibility_timeout=1)) == 1
