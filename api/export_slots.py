"""How many exports may stream at once: per client and in total (leases in Redis).

An export holds a point in time and streams for as long as the client reads, so the
number running is bounded: ``NEWSARCHIVE_MAX_EXPORTS_PER_CLIENT`` per API key (or IP
address without one) and ``NEWSARCHIVE_MAX_EXPORTS`` over all clients. A running
export holds a lease (a member of a Redis sorted set, scored by its expiry) that it
renews at every page and gives back when the stream ends; the lease of an API
process that died expires after ``LEASE_SECONDS`` without renewal, so a crash does
not keep a slot forever. Without Redis, exports are not limited.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid

import redis

log = logging.getLogger(__name__)

LEASE_SECONDS = 120


class NoSlot(Exception):
    """Too many exports run now; ``str()`` says which limit."""


@dataclasses.dataclass
class Lease:
    r: redis.Redis | None
    keys: tuple[str, ...]
    token: str

    def renew(self) -> None:
        if self.r is None:
            return
        try:
            pipe = self.r.pipeline()
            for key in self.keys:
                pipe.zadd(key, {self.token: time.time() + LEASE_SECONDS})
                pipe.expire(key, LEASE_SECONDS * 2)
            pipe.execute()
        except redis.RedisError as exc:
            log.warning("could not renew an export lease: %s", exc)

    def release(self) -> None:
        if self.r is None:
            return
        try:
            pipe = self.r.pipeline()
            for key in self.keys:
                pipe.zrem(key, self.token)
            pipe.execute()
        except redis.RedisError as exc:
            log.warning("could not release an export lease (it expires): %s", exc)


# Atomic check-and-take: drop expired leases, then take one if both counts allow it.
_ACQUIRE = """
local now, expiry, token = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local limits = {tonumber(ARGV[4]), tonumber(ARGV[5])}
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZCARD', key) >= limits[i] then return i end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, expiry, token)
  redis.call('EXPIRE', key, ARGV[6])
end
return 0
"""


def acquire(r: redis.Redis, prefix: str, client: str, per_client: int, total: int) -> Lease:
    """A lease for one export of ``client`` ("key:<id>" or "ip:<address>"); raises
    ``NoSlot`` when the client or everyone together runs the maximum already."""
    keys = (f"{prefix}:exports:{client}", f"{prefix}:exports:all")
    token, now = uuid.uuid4().hex, time.time()
    try:
        full = r.eval(_ACQUIRE, 2, *keys, now, now + LEASE_SECONDS, token, per_client, total,
                      LEASE_SECONDS * 2)
    except redis.RedisError as exc:
        log.warning("exports not limited (Redis: %s)", exc)
        return Lease(None, keys, token)
    if full == 1:
        raise NoSlot(f"{per_client} exports of this client are running already (the limit); "
                     f"wait until one has finished.")
    if full == 2:
        raise NoSlot(f"{total} exports are running already (the limit of this server); "
                     f"try again in a minute.")
    return Lease(r, keys, token)
