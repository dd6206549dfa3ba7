"""API keys, stored hashed in Redis (created and revoked with ``newsarchive keys``).

A key is ``nak_<id>_<secret>``: the id names it (in lists, logs and rate limits),
the secret (32 random bytes) is shown once at creation and only its SHA-256 is
stored, in the hash ``{prefix}:apikey:<id>``. A random 256-bit secret needs no
slow password hash: nobody can guess it, and the digest cannot be reversed.
Revoking deletes the hash; the next request with that key is a 401.

Scopes: ``read`` (reads, when the deployment keys them), ``write`` (send, delete
and retry articles, jobs), ``admin`` (reindex). Each scope includes the ones
before it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import re
import secrets

import redis

SCOPES = ("read", "write", "admin")
_KEY = re.compile(r"^nak_(?P<id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})$")
_RATE = re.compile(r"^(?P<count>[1-9][0-9]*)/(?P<seconds>[1-9][0-9]*)s$")


@dataclasses.dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    scope: str
    created: str
    rate_limit: str | None = None   # "count/seconds" instead of the deployment's default

    def allows(self, scope: str) -> bool:
        return SCOPES.index(self.scope) >= SCOPES.index(scope)


def parse_rate(text: str) -> tuple[int, int]:
    """``"600/60s"`` -> (600, 60): requests per window of seconds."""
    match = _RATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a rate such as 600/60s (requests per seconds)")
    return int(match["count"]), int(match["seconds"])


def _redis_key(prefix: str, key_id: str) -> str:
    return f"{prefix}:apikey:{key_id}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def create(r: redis.Redis, prefix: str, name: str, scope: str = "write", *,
           rate_limit: str | None = None) -> tuple[str, ApiKey]:
    """A new key: (the key to give to its user, shown only now; its record)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if not name.strip() or len(name) > 200:
        raise ValueError("name must be 1 to 200 characters")
    if rate_limit is not None:
        parse_rate(rate_limit)
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    record = ApiKey(id=key_id, name=name.strip(), scope=scope,
                    created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    rate_limit=rate_limit)
    fields = {"name": record.name, "scope": scope, "created": record.created,
              "digest": _digest(secret), "rate_limit": rate_limit or ""}
    r.hset(_redis_key(prefix, key_id), mapping=fields)
    return f"nak_{key_id}_{secret}", record


def verify(r: redis.Redis, prefix: str, token: str) -> ApiKey | None:
    """The key's record, or None for a malformed, unknown or revoked key."""
    match = _KEY.match(token)
    if not match:
        return None
    fields = r.hgetall(_redis_key(prefix, match["id"]))
    fields = {_text(k): _text(v) for k, v in fields.items()}
    if not fields or not hmac.compare_digest(fields.get("digest", ""), _digest(match["secret"])):
        return None
    return _record(match["id"], fields)


def revoke(r: redis.Redis, prefix: str, key_id: str) -> bool:
    """True when the key existed."""
    return bool(r.delete(_redis_key(prefix, key_id)))


def list_keys(r: redis.Redis, prefix: str) -> list[ApiKey]:
    keys = []
    for name in r.scan_iter(match=_redis_key(prefix, "*"), count=500):
        key_id = _text(name).rsplit(":", 1)[1]
        fields = {_text(k): _text(v) for k, v in r.hgetall(name).items()}
        if fields:
            keys.append(_record(key_id, fields))
    return sorted(keys, key=lambda k: k.created)


def _record(key_id: str, fields: dict[str, str]) -> ApiKey:
    return ApiKey(id=key_id, name=fields.get("name", ""), scope=fields.get("scope", "read"),
                  created=fields.get("created", ""), rate_limit=fields.get("rate_limit") or None)


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
