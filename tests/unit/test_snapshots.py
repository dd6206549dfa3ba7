"""Shared point-in-time snapshots of relevance searches (api/snapshots.py), without a node."""

from __future__ import annotations

import elasticsearch
import pytest
import redis
from elastic_transport import ApiResponseMeta

from api import snapshots


class FakeEs:
    def __init__(self):
        self.opened = []

    def open_point_in_time(self, index, keep_alive):
        self.opened.append((index, keep_alive))
        return {"id": f"pit-{len(self.opened)}"}


class FakeRedis:
    """get / set(px, nx) / delete with expiry on a fake clock."""

    def __init__(self):
        self.now, self.data = 0.0, {}

    def get(self, key):
        value, expires = self.data.get(key, (None, 0))
        return value.encode() if value is not None and self.now < expires else None

    def set(self, key, value, px, nx=False):
        if nx and self.get(key) is not None:
            return None
        self.data[key] = (value, self.now + px / 1000)
        return True

    def delete(self, key):
        self.data.pop(key, None)


class DownRedis:
    def get(self, key):
        raise redis.ConnectionError("down")


def test_first_pages_share_one_pit_for_share_seconds():
    es, store = FakeEs(), FakeRedis()
    shared = snapshots.SharedPit(store, "p", share_seconds=1.0)
    assert shared.get(es, "a", "2m") == "pit-1"
    store.now += 0.9
    assert shared.get(es, "a", "2m") == "pit-1"
    store.now += 0.2
    assert shared.get(es, "a", "2m") == "pit-2"
    assert shared.get(es, "other-index", "2m") == "pit-3"
    assert es.opened[0] == ("a", "2m")
    # Another API process (same Redis) uses the same snapshot.
    assert snapshots.SharedPit(store, "p", share_seconds=1.0).get(es, "a", "2m") == "pit-2"


def test_the_slower_of_two_openers_closes_its_pit_and_uses_the_shared_one():
    es, store = FakeEs(), FakeRedis()
    es.closed = []
    es.close_point_in_time = lambda id: es.closed.append(id)
    shared = snapshots.SharedPit(store, "p", share_seconds=5)
    original_open = es.open_point_in_time

    def open_while_another_process_wins(index, keep_alive):
        store.set("p:search-pit:a", "pit-winner", px=5000)
        return original_open(index, keep_alive)
    es.open_point_in_time = open_while_another_process_wins
    assert shared.get(es, "a", "1m") == "pit-winner" and es.closed == ["pit-1"]


def test_a_forgotten_pit_is_replaced_at_once_and_no_redis_means_one_pit_per_search():
    es, store = FakeEs(), FakeRedis()
    shared = snapshots.SharedPit(store, "p", share_seconds=60)
    assert shared.get(es, "a", "1m") == "pit-1"
    shared.forget("a", "pit-other")
    assert shared.get(es, "a", "1m") == "pit-1"
    shared.forget("a", "pit-1")
    assert shared.get(es, "a", "1m") == "pit-2"
    alone = snapshots.SharedPit(DownRedis(), "p")
    assert alone.get(es, "a", "1m") == "pit-3" and alone.get(es, "a", "1m") == "pit-4"
    alone.forget("a", "pit-3")


def test_without_pit_drops_the_pit_and_its_tiebreaker_value():
    body = {"sort": [{"_score": "desc"}, {"id": "asc"}], "search_after": [1.5, "x", 42]}
    in_pit = snapshots.with_pit(body, "pit-1", "2m")
    assert in_pit["pit"] == {"id": "pit-1", "keep_alive": "2m"} and "pit" not in body
    assert snapshots.without_pit(in_pit) == {"sort": body["sort"], "search_after": [1.5, "x"]}
    plain = {"sort": [{"id": "asc"}], "search_after": ["x"]}
    assert snapshots.without_pit(plain) == plain


def _api_error(cls, status, body):
    meta = ApiResponseMeta(status=status, http_version="1.1", headers={},
                                         duration=0.0, node=None)
    return cls(message="error", meta=meta, body=body)


@pytest.mark.parametrize("error, missing", [
    (_api_error(elasticsearch.NotFoundError, 404,
                {"error": {"type": "search_context_missing_exception"}}), True),
    (_api_error(elasticsearch.ApiError, 500,
                {"error": {"root_cause": [{"type": "search_context_missing_exception"}]}}), True),
    (_api_error(elasticsearch.BadRequestError, 400,
                {"error": {"type": "parsing_exception"}}), False),
    (ValueError("x"), False),
])
def test_is_missing(error, missing):
    assert snapshots.is_missing(error) is missing


def test_an_id_the_caller_already_read_from_redis_is_used_without_reading_again():
    es = FakeEs()
    shared = snapshots.SharedPit(DownRedis(), "p")          # any read would fail
    assert shared.get(es, "a", "1m", current="pit-read") == "pit-read" and es.opened == []
    assert shared.get(es, "a", "1m", current=b"pit-bytes") == "pit-bytes"
    store = FakeRedis()
    shared = snapshots.SharedPit(store, "p")
    assert shared.get(es, "a", "1m", current=None) == "pit-1"   # none yet: opened and shared
    assert store.get(shared.key("a")) == b"pit-1"
