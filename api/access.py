"""Who may call what, and how often: API keys and rate limits (before every request).

Keys (``indexer/api_keys.py``) come as ``Authorization: Bearer nak_...``. Views
declare what they need with ``@requires(blp, "write")`` (also documented in
OpenAPI); undeclared views are reads: public, or ``read`` when the deployment sets
``NEWSARCHIVE_READ_ACCESS=key``; ``@public`` views (health, metrics) never need a key.
No key where one is needed, or a malformed, unknown or revoked key: 401 with
``WWW-Authenticate``. A valid key without the scope: 403. A key sent to a public
endpoint is still checked, so a client learns at once that its key is wrong.

Rate limits (fixed windows in Redis, one counter per client and window): a request
with a valid key counts against that key (``NEWSARCHIVE_RATE_LIMIT_KEY``, or the
key's own limit), any other against the client's IP address
(``NEWSARCHIVE_RATE_LIMIT_ANONYMOUS``; behind a proxy set
``NEWSARCHIVE_TRUSTED_PROXIES``). Every answer carries ``RateLimit-Limit``,
``RateLimit-Remaining``, ``RateLimit-Reset`` and ``RateLimit-Policy``; over the
limit it is a 429 with ``Retry-After`` and a message that says which limit, whose,
and when to retry. If Redis is unreachable, requests are not limited (and writes
fail on the queue anyway) rather than every read failing.
"""

from __future__ import annotations

import dataclasses
import logging
import time

import redis
from flask import Flask, current_app, g, request
from flask_smorest import abort

from api import extensions as ext
from indexer import api_keys

log = logging.getLogger(__name__)

SECURITY_SCHEME = "bearerAuth"
PUBLIC = "public"


def requires(blp, scope: str):
    """A view needs a key with ``scope`` (documented as the operation's security)."""
    if scope not in api_keys.SCOPES:
        raise ValueError(scope)

    def decorator(func):
        func._required_scope = scope
        func = blp.alt_response(401, response="UNAUTHORIZED")(func)
        func = blp.alt_response(403, response="FORBIDDEN")(func)
        return blp.doc(security=[{SECURITY_SCHEME: []}])(func)
    return decorator


def public(func):
    """A view that never needs a key (health checks, metrics)."""
    func._required_scope = PUBLIC
    return func


def init_app(app: Flask) -> None:
    app.before_request(check_request)
    app.after_request(add_rate_limit_headers)


def document(spec) -> None:
    spec.components.security_scheme(SECURITY_SCHEME, {
        "type": "http", "scheme": "bearer", "bearerFormat": "nak_<id>_<secret>",
        "description": "An API key from `newsarchive keys create`. Writes, deletes and jobs "
                       "need scope `write`, reindexing `admin`; reads need a key only when "
                       "the deployment sets `NEWSARCHIVE_READ_ACCESS=key`."})


# --- before each request ----------------------------------------------------------

def check_request():
    if request.method == "OPTIONS":   # CORS preflight: answered without a key
        return
    scope = _required_scope()
    try:
        g.api_key = _authenticate()
    except redis.RedisError as exc:
        if scope and scope != PUBLIC:
            raise                        # the error handler answers 503
        # A public read goes on without the key rather than fail with the key store.
        log.warning("API key not checked (Redis: %s); answering as anonymous", exc)
        g.api_key = None
    if scope and scope != PUBLIC:
        if g.api_key is None:
            _unauthorized(f"This endpoint needs an API key with scope '{scope}': send "
                          f"'Authorization: Bearer <key>'.", "missing_api_key")
        if not g.api_key.allows(scope):
            abort(403, message=f"The API key '{g.api_key.name}' ({g.api_key.id}) has scope "
                               f"'{g.api_key.scope}'; this endpoint needs '{scope}'.",
                  code="insufficient_scope", details={"required_scope": scope,
                                                      "key_scope": g.api_key.scope})
    _rate_limit()


def _authenticate() -> api_keys.ApiKey | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        _unauthorized("The Authorization header must be 'Bearer <key>'.", "invalid_authorization")
    settings = ext.settings()
    key = api_keys.verify(ext.redis_conn(), settings.redis_prefix, token.strip())
    if key is None:
        _unauthorized("The API key is unknown or revoked.", "invalid_api_key")
    return key


def _required_scope() -> str | None:
    if request.blueprint == "api-docs":  # the OpenAPI document and Swagger UI
        return PUBLIC
    view = current_app.view_functions.get(request.endpoint)
    if view is None:                     # no route: the 404/405 comes next
        return None
    view_class = getattr(view, "view_class", None)
    func = getattr(view_class, request.method.lower(), None) if view_class else view
    scope = getattr(func, "_required_scope", None)
    if scope is None and ext.settings().read_access == "key":
        return "read"
    return scope


def _unauthorized(message: str, code: str):
    abort(401, message=message, code=code,
          headers={"WWW-Authenticate": 'Bearer realm="newsarchive"'})


# --- rate limits ----------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Window:
    limit: int
    seconds: int
    used: int
    reset: int          # seconds until the window ends
    who: str            # "API key 'name' (id)" or "IP address 1.2.3.4"

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def _rate_limit() -> None:
    settings = ext.settings()
    key = g.get("api_key")
    if key is not None:
        rate = key.rate_limit or settings.rate_limit_key
        subject, who = f"key:{key.id}", f"API key '{key.name}' ({key.id})"
    else:
        rate = settings.rate_limit_anonymous
        subject, who = f"ip:{request.remote_addr}", f"IP address {request.remote_addr}"
    limit, seconds = api_keys.parse_rate(rate)
    try:
        window = count_request(ext.redis_conn(), settings.redis_prefix, subject, limit, seconds,
                               who)
    except redis.RedisError as exc:
        log.warning("rate limit not applied (Redis: %s)", exc)
        return
    g.rate_window = window
    if window.used > window.limit:
        advice = "" if key is not None else "; an API key has a higher limit"
        abort(429, message=f"Rate limit exceeded: {window.limit} requests per {window.seconds} s "
                           f"for {window.who}. Retry in {window.reset} s{advice}.",
              code="rate_limited",
              details={"limit": window.limit, "window_seconds": window.seconds,
                       "retry_after_seconds": window.reset},
              headers={"Retry-After": str(window.reset), **rate_limit_headers(window)})


def count_request(r: redis.Redis, prefix: str, subject: str, limit: int, seconds: int,
                  who: str, now: float | None = None) -> Window:
    """Count one request of ``subject`` in the current fixed window."""
    now = time.time() if now is None else now
    start = int(now // seconds) * seconds
    counter = f"{prefix}:ratelimit:{subject}:{seconds}:{start}"
    pipe = r.pipeline()
    pipe.incr(counter)
    pipe.expire(counter, seconds + 1)
    used, _ = pipe.execute()
    reset = max(1, int(start + seconds - now + 0.999))
    return Window(limit=limit, seconds=seconds, used=int(used), reset=reset, who=who)


def rate_limit_headers(window: Window) -> dict[str, str]:
    return {"RateLimit-Limit": str(window.limit), "RateLimit-Remaining": str(window.remaining),
            "RateLimit-Reset": str(window.reset),
            "RateLimit-Policy": f"{window.limit};w={window.seconds}"}


def add_rate_limit_headers(response):
    window = g.get("rate_window")
    if window is not None:
        for name, value in rate_limit_headers(window).items():
            response.headers.setdefault(name, value)
    return response
