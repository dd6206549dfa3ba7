"""Opaque, signed search cursors (pure).

A cursor is ``base64url(JSON).base64url(HMAC-SHA256)``; the JSON holds the
``search_after`` values of the last hit, the point in time (PIT) the page was
read from when there is one, and a fingerprint of the query, filters and sort it
belongs to. A cursor that was changed, signed with another secret
or sent with another query raises ``CursorError`` (the API answers 400).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json

VERSION = 2
MAX_CHARS = 4096


class CursorError(ValueError):
    """The cursor is not one this API gave out for this query."""


@dataclasses.dataclass(frozen=True)
class Position:
    """Where the next page starts: after ``search_after``, in ``pit_id`` if set."""
    search_after: list
    pit_id: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def digest(parts) -> str:
    """A short stable hash of JSON-able ``parts``."""
    data = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def encode(search_after: list, fingerprint: str, secret: bytes, pit_id: str | None = None) -> str:
    payload = json.dumps({"v": VERSION, "a": search_after, "f": fingerprint, "p": pit_id},
                         separators=(",", ":"), ensure_ascii=True).encode()
    signature = hmac.new(secret, payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


def decode(token: str, fingerprint: str, secret: bytes) -> Position:
    """Where the page after ``token`` starts."""
    if len(token) > MAX_CHARS or token.count(".") != 1:
        raise CursorError("The cursor is malformed; use next_cursor from the previous page.")
    payload_b64, signature_b64 = token.split(".")
    try:
        payload, signature = _unb64(payload_b64), _unb64(signature_b64)
    except (ValueError, TypeError):
        raise CursorError("The cursor is malformed; use next_cursor from the previous "
                          "page.") from None
    expected = hmac.new(secret, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise CursorError("The cursor is invalid (altered, or from another deployment).")
    data = json.loads(payload)
    if (data.get("v") != VERSION or not isinstance(data.get("a"), list)
            or not isinstance(data.get("p"), str | None)):
        raise CursorError("The cursor is from an incompatible version; start again.")
    if data.get("f") != fingerprint:
        raise CursorError("The cursor belongs to another query, filters or sort; "
                          "use it with the same parameters.")
    return Position(data["a"], data.get("p"))
