"""Ingest state in Redis: jobs, their per-article outcomes, dead letters, and
worker heartbeats. Every function takes the Redis client (``decode_responses``).

Keys, with ``p`` the index prefix:
  ``p:job:ID``          hash: accepted, created_at, updated_at, started_at, source, retried
  ``p:job:ID:indexed``  hash: position -> article id
  ``p:job:ID:failed``   hash: position -> JSON dead letter (reason, attempts, the raw article)
  ``p:job:ID:batches``  hash: batch number -> JSON {positions, articles}, until its outcome is recorded
  ``p:ingest:open``     sorted set: "JOB_ID:BATCH" of every open batch -> when it was last sent,
                        started or seen waiting in the broker (unix time)
  ``p:workers``         sorted set: worker hostname -> last heartbeat (unix time)

Outcomes are keyed by the article's position in the job, so recording the same
batch twice (a redelivered task) never counts twice. Counts and state are
derived from the hashes when read. A job with dead letters never expires; one
without expires ``ttl`` seconds after its last change.

The articles of a batch live in the job record, not in the task message (which names
only the job and the batch): Redis persists the record (append-only file), while a
message a worker held when Redis went away can be gone for good. A batch stays open
until the pipeline that records its outcomes closes it, so an open batch whose message
is gone is found and sent again (``indexer/redelivery.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import redis

MAX_LISTED_ERRORS = 100


def _keys(prefix: str, job_id: str) -> tuple[str, str, str]:
    base = f"{prefix}:job:{job_id}"
    return base, f"{base}:indexed", f"{base}:failed"


def _batches_key(prefix: str, job_id: str) -> str:
    return f"{prefix}:job:{job_id}:batches"


def open_batches_key(prefix: str) -> str:
    return f"{prefix}:ingest:open"


def batch_member(job_id: str, number: int) -> str:
    """The open-batch set's member for a batch (a job id holds no ``:``)."""
    return f"{job_id}:{number}"


def parse_batch_member(member: str) -> tuple[str, int]:
    job_id, _, number = member.rpartition(":")
    return job_id, int(number)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_job_id() -> str:
    return uuid.uuid4().hex


def create_job(r: redis.Redis, prefix: str, accepted: int, *, source: str,
               ttl: int, job_id: str | None = None) -> str:
    job_id = job_id or new_job_id()
    meta, _, _ = _keys(prefix, job_id)
    now = _now()
    with r.pipeline() as pipe:
        pipe.hset(meta, mapping={"accepted": accepted, "created_at": now,
                                 "updated_at": now, "source": source, "retried": 0})
        pipe.expire(meta, ttl)
        pipe.execute()
    return job_id


def job_exists(r: redis.Redis, prefix: str, job_id: str) -> bool:
    return bool(r.exists(_keys(prefix, job_id)[0]))


def mark_started(r: redis.Redis, prefix: str, job_id: str) -> None:
    meta, _, _ = _keys(prefix, job_id)
    now = _now()
    with r.pipeline() as pipe:
        pipe.hsetnx(meta, "started_at", now)
        pipe.hset(meta, "updated_at", now)
        pipe.execute()


def dead_letter(position: int, article: dict, reason: str, *, article_id: str | None = None,
                attempts: int = 1) -> dict:
    # "letter" makes every dead letter unique: ``release`` deletes only the letters it
    # re-queued, and a retry that fails again within the same second writes an otherwise
    # identical one, which must stay.
    return {"position": position, "article_id": article_id,
            "external_id": article.get("external_id"), "reason": reason,
            "attempts": attempts, "failed_at": _now(), "article": article,
            "letter": uuid.uuid4().hex}


# --- batches: the articles of a job, kept until their outcomes are recorded ---

def store_batches(r: redis.Redis, prefix: str, job_id: str,
                  batches: list[tuple[list[int], list[dict]]], *, ttl: int,
                  now: float | None = None) -> list[int]:
    """Keep each batch (positions, articles) in the job record and mark it open; returns
    the batches' numbers, unique within the job."""
    if not batches:
        return []
    meta, _, _ = _keys(prefix, job_id)
    last = r.hincrby(meta, "batches", len(batches))
    numbers = list(range(last - len(batches), last))
    key = _batches_key(prefix, job_id)
    now = now or time.time()
    with r.pipeline() as pipe:
        pipe.hset(key, mapping={str(n): json.dumps({"positions": positions, "articles": articles},
                                                   ensure_ascii=False)
                                for n, (positions, articles) in zip(numbers, batches, strict=True)})
        pipe.expire(key, ttl)
        pipe.zadd(open_batches_key(prefix), {batch_member(job_id, n): now for n in numbers})
        pipe.execute()
    return numbers


def load_batch(r: redis.Redis, prefix: str, job_id: str,
               number: int) -> tuple[list[int], list[dict]] | None:
    """(positions, articles) of an open batch; None once its outcomes are recorded."""
    stored = r.hget(_batches_key(prefix, job_id), str(number))
    if stored is None:
        return None
    batch = json.loads(stored)
    return batch["positions"], batch["articles"]


def batch_is_open(r: redis.Redis, prefix: str, job_id: str, number: int) -> bool:
    """Whether the batch's articles are still stored (without reading them)."""
    return bool(r.hexists(_batches_key(prefix, job_id), str(number)))


def touch_batches(r: redis.Redis, prefix: str, members: list[str], *,
                  now: float | None = None) -> None:
    """Note activity on open batches (started, retried, seen in the broker); closed ones stay closed."""
    if members:
        r.zadd(open_batches_key(prefix), dict.fromkeys(members, now or time.time()), xx=True)


def stale_batches(r: redis.Redis, prefix: str, *, older_than: float) -> list[str]:
    """Open batches without activity since ``older_than`` (unix time)."""
    return r.zrangebyscore(open_batches_key(prefix), "-inf", older_than)


def close_batch(r: redis.Redis, prefix: str, job_id: str, number: int) -> None:
    """Forget an open batch whose job (and articles) no longer exist."""
    with r.pipeline() as pipe:
        _close_batch(pipe, prefix, job_id, number)
        pipe.execute()


def _close_batch(pipe, prefix: str, job_id: str, number: int) -> None:
    """Queue on ``pipe`` what closes a batch: its articles and its open-set member go."""
    pipe.hdel(_batches_key(prefix, job_id), str(number))
    pipe.zrem(open_batches_key(prefix), batch_member(job_id, number))


def record(r: redis.Redis, prefix: str, job_id: str, *, indexed: dict[int, str],
           failed: dict[int, dict], ttl: int, batch: int | None = None) -> None:
    """Store outcomes: ``indexed`` position -> article id, ``failed`` position -> dead letter;
    with ``batch``, close that batch in the same transaction."""
    meta, indexed_key, failed_key = _keys(prefix, job_id)
    batches_key = _batches_key(prefix, job_id)
    with r.pipeline() as pipe:
        if batch is not None:
            _close_batch(pipe, prefix, job_id, batch)
        if indexed:
            pipe.hset(indexed_key, mapping={str(pos): aid for pos, aid in indexed.items()})
            pipe.hdel(failed_key, *[str(pos) for pos in indexed])
        if failed:
            pipe.hset(failed_key, mapping={str(pos): json.dumps(letter, ensure_ascii=False)
                                           for pos, letter in failed.items()})
        pipe.hset(meta, "updated_at", _now())
        pipe.hlen(failed_key)
        has_failures = pipe.execute()[-1] > 0
    _set_expiry(r, (meta, indexed_key, failed_key, batches_key), None if has_failures else ttl)


def _set_expiry(r: redis.Redis, keys, ttl: int | None) -> None:
    with r.pipeline() as pipe:
        for key in keys:
            pipe.persist(key) if ttl is None else pipe.expire(key, ttl)
        pipe.execute()


def get_job(r: redis.Redis, prefix: str, job_id: str, *,
            max_errors: int = MAX_LISTED_ERRORS) -> dict | None:
    """The job as the API shows it, or None when unknown (or expired)."""
    meta_key, indexed_key, failed_key = _keys(prefix, job_id)
    with r.pipeline() as pipe:
        pipe.hgetall(meta_key)
        pipe.hlen(indexed_key)
        pipe.hvals(failed_key)
        meta, indexed, letters = pipe.execute()
    if not meta:
        return None
    accepted = int(meta["accepted"])
    failed = len(letters)
    pending = max(accepted - indexed - failed, 0)
    errors = sorted((json.loads(letter) for letter in letters), key=lambda e: e["position"])
    return {
        "id": job_id,
        "state": job_state(pending=pending, failed=failed, started="started_at" in meta),
        "source": meta.get("source"),
        "created_at": meta["created_at"],
        "updated_at": meta["updated_at"],
        "counts": {"accepted": accepted, "indexed": indexed, "failed": failed,
                   "pending": pending, "retried": int(meta.get("retried", 0))},
        "errors": [{k: v for k, v in e.items() if k != "article"} for e in errors[:max_errors]],
        "errors_truncated": len(errors) > max_errors,
    }


def job_state(*, pending: int, failed: int, started: bool) -> str:
    if pending:
        return "running" if started else "queued"
    return "completed_with_errors" if failed else "completed"


def indexed_ids(r: redis.Redis, prefix: str, job_id: str) -> dict[int, str]:
    _, indexed_key, _ = _keys(prefix, job_id)
    return {int(pos): aid for pos, aid in r.hgetall(indexed_key).items()}


def dead_letters(r: redis.Redis, prefix: str, job_id: str) -> dict[int, str]:
    """Raw JSON of every dead letter, by position (the input of ``release``)."""
    _, _, failed_key = _keys(prefix, job_id)
    return {int(pos): letter for pos, letter in r.hgetall(failed_key).items()}


# Deletes a dead letter only if it is still the one that was re-queued: a newer
# failure recorded meanwhile by a fast worker is kept.
_RELEASE = """
local released = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    released = released + 1
  end
end
redis.call('HINCRBY', KEYS[2], 'retried', #ARGV / 2)
return released
"""


def release(r: redis.Redis, prefix: str, job_id: str, letters: dict[int, str]) -> int:
    """Remove re-queued dead letters (after their articles were re-sent) and count
    them as retried; returns how many were still unchanged and so removed."""
    if not letters:
        return 0
    meta, _, failed_key = _keys(prefix, job_id)
    argv = [item for pos, letter in letters.items() for item in (str(pos), letter)]
    return int(r.eval(_RELEASE, 2, failed_key, meta, *argv))


# --- worker heartbeats ------------------------------------------------------

def _workers_key(prefix: str) -> str:
    return f"{prefix}:workers"


def beat(r: redis.Redis, prefix: str, hostname: str, *, now: float | None = None) -> None:
    r.zadd(_workers_key(prefix), {hostname: now or time.time()})


def forget_worker(r: redis.Redis, prefix: str, hostname: str) -> None:
    r.zrem(_workers_key(prefix), hostname)


def live_workers(r: redis.Redis, prefix: str, *, max_age: float,
                 now: float | None = None) -> list[str]:
    """Workers whose last heartbeat is at most ``max_age`` seconds old."""
    now = now or time.time()
    key = _workers_key(prefix)
    r.zremrangebyscore(key, "-inf", now - 10 * max_age)
    return sorted(r.zrangebyscore(key, now - max_age, "+inf"))
