"""The API's error envelope as Python exceptions.

Every error answer of the API is ``{"error": {"status", "code", "message", "details"}}``
(api/errors.py). ``ApiError`` carries those four plus the ``X-Request-ID`` to quote in a bug
report; the statuses a caller treats differently have their own class, so code can say
``except RateLimited`` instead of comparing numbers.
"""

from __future__ import annotations

import json
from typing import Any


class ApiError(Exception):
    """An error answer of the API (or, seldom, of something in front of it: then ``code`` is
    ``"http_<status>"`` and ``message`` the start of the answer's text)."""

    def __init__(self, status: int, code: str, message: str, details: Any = None, *,
                 request_id: str | None = None, retry_after: float | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details
        self.request_id, self.retry_after = request_id, retry_after


class BadRequest(ApiError):
    """400: the request names what is wrong (``details["fields"]``: parameter -> messages)."""


class Unauthorized(ApiError):
    """401: the call needs an API key (``Client(api_key=...)`` or ``NEWSARCHIVE_API_KEY``)."""


class Forbidden(ApiError):
    """403: the key's scope does not allow the call."""


class NotFound(ApiError):
    """404: no such article, entity or job."""


class RateLimited(ApiError):
    """429: over the key's or address's rate limit; ``retry_after`` seconds until it resets."""


class Unavailable(ApiError):
    """503: Elasticsearch, Redis or an export slot is not available now; try again after
    ``retry_after`` seconds."""


class IncompleteExport(Exception):
    """An export stream ended before all of its rows arrived (the connection was lost or the
    server failed mid-way): ``received`` of ``expected`` rows. Run the export again."""

    def __init__(self, received: int, expected: int | None, reason: str = ""):
        total = "an unknown number of" if expected is None else str(expected)
        super().__init__(f"export incomplete: {received} of {total} rows arrived"
                         + (f" ({reason})" if reason else ""))
        self.received, self.expected = received, expected


BY_STATUS: dict[int, type[ApiError]] = {400: BadRequest, 401: Unauthorized, 403: Forbidden,
                                         404: NotFound, 429: RateLimited, 503: Unavailable}


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds (the API sends whole seconds; an HTTP date is not used)."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def from_answer(status: int, headers: dict, body: bytes) -> ApiError:
    """The exception for an error answer: the envelope's fields when the body is one, else
    the status and the first 200 characters of the text."""
    retry_after = retry_after_seconds(headers.get("Retry-After"))
    request_id = headers.get("X-Request-ID")
    error = None
    try:
        parsed = json.loads(body)
        if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
            error = parsed["error"]
    except ValueError:
        pass
    cls = BY_STATUS.get(status, ApiError)
    if error is None:
        text = body.decode("utf-8", "replace").strip()[:200]
        return cls(status, f"http_{status}", text or "no error message", None,
                   request_id=request_id, retry_after=retry_after)
    return cls(status, str(error.get("code") or f"http_{status}"),
               str(error.get("message") or ""), error.get("details"),
               request_id=request_id, retry_after=retry_after)
