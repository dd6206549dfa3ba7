"""Answers kept until the archive changes (api/archive_cache.py) and the record of the last
change that writers leave in Redis (indexer/archive_generation.py)."""

import redis

from api import archive_cache
from api.archive_cache import KEEP_SECONDS, MISSING, SETTLE_SECONDS, ArchiveCache
from indexer import archive_generation


class Clock:
    def __init__(self, monkeypatch, changed):
        self.mono, self.wall, self.changed = 50.0, 10_000.0, changed
        monkeypatch.setattr(archive_cache.time, "monotonic", lambda: self.mono)
        monkeypatch.setattr(archive_cache.time, "time", lambda: self.wall)
        monkeypatch.setattr(archive_cache, "last_change", lambda: self.changed)

    def wait(self, seconds):
        self.mono += seconds
        self.wall += seconds


def test_an_answer_is_kept_until_the_archive_changes(monkeypatch):
    clock, cache = Clock(monkeypatch, 9_000.0), ArchiveCache()
    assert cache.get("k") is MISSING
    cache.put("k", None)                      # None is an answer too ("nothing to correct")
    clock.wait(KEEP_SECONDS - 1)
    assert cache.get("k") is None
    clock.changed = clock.wall                # a writer recorded a change
    assert cache.get("k") is MISSING


def test_an_answer_is_kept_at_most_keep_seconds(monkeypatch):
    clock, cache = Clock(monkeypatch, None), ArchiveCache()   # no change ever recorded
    cache.put("k", 1)
    clock.wait(KEEP_SECONDS + 1)
    assert cache.get("k") is MISSING


def test_just_after_a_change_or_unread_an_answer_is_kept_only_until_refresh(monkeypatch):
    for changed in (10_000.0 - 1, archive_cache._UNREAD):
        clock, cache = Clock(monkeypatch, changed), ArchiveCache()
        cache.put("k", 1)                     # Elasticsearch may not show the change yet
        clock.wait(SETTLE_SECONDS - 0.5)
        assert cache.get("k") == 1
        clock.wait(1)
        assert cache.get("k") is MISSING


def test_the_cache_is_emptied_when_full(monkeypatch):
    Clock(monkeypatch, None)
    cache = ArchiveCache(size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert [cache.get(k) for k in "abc"] == [MISSING, MISSING, 3]


def test_the_last_change_is_read_as_written():
    assert archive_generation.changed_at(b"1764000000.250000") == 1764000000.25
    assert archive_generation.changed_at("12.5") == 12.5
    assert archive_generation.changed_at(None) is None
    assert archive_generation.changed_at(b"junk") is None


class FakeRedis:
    def __init__(self, fail=False):
        self.fail, self.values = fail, {}

    def set(self, key, value):
        if self.fail:
            raise redis.ConnectionError("down")
        self.values[key] = value


def test_a_writer_records_its_change_and_a_redis_error_does_not_fail_it(caplog):
    r = FakeRedis()
    archive_generation.mark_changed(r, "na", now=12.5)
    assert r.values == {"na:archive-changed": "12.500000"}
    archive_generation.mark_changed(FakeRedis(fail=True), "na")
    assert "could not record" in caplog.text
