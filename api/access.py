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

A view that reads Redis keys of its own can declare them with ``@prefetch(keys)``: they are
read in the rate limit's round trip, and the view finds their values with ``prefetched``
(api/search.py: the shared snapshot's id, one Redis round trip per search instead of two).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence

import redis
from flask import Flask, current_app, g, request
from flask_smorest import abort
from redis.commands.core import Script

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


def prefetch(keys):
    """A view whose Redis keys (``keys()``: called in the request) are read together with
    the rate limit's counter; the view reads them with ``prefetched(key)``."""
    def decorator(func):
        func._prefetch_keys = keys
        return func
    return decorator


def prefetched(key: str, default=None):
    """The value of ``key`` read before the view ran (None: no such key), or ``default``
    when it was not read (Redis unreachable, or not declared with ``@prefetch``)."""
    return g.get("redis_prefetched", {}).get(key, default)


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
    func = _view_function()
    scope = _required_scope(func)
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
    _rate_limit(getattr(func, "_prefetch_keys", None))


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


def _view_function():
    """The function that answers this request (a ``MethodView``'s method), or None."""
    view = current_app.view_functions.get(request.endpoint)
    if view is None:                     # no route: the 404/405 comes next
        return None
    view_class = getattr(view, "view_class", None)
    return getattr(view_class, request.method.lower(), None) if view_class else view


def _required_scope(func) -> str | None:
    if request.blueprint == "api-docs":  # the OpenAPI document and Swagger UI
        return PUBLIC
    if func is None:
        return None
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


def _rate_limit(prefetch_keys=None) -> None:
    settings = ext.settings()
    key = g.get("api_key")
    if key is not None:
        rate = key.rate_limit or settings.rate_limit_key
        subject, who = f"key:{key.id}", f"API key '{key.name}' ({key.id})"
    else:
        rate = settings.rate_limit_anonymous
        subject, who = f"ip:{request.remote_addr}", f"IP address {request.remote_addr}"
    limit, seconds = api_keys.parse_rate(rate)
    keys = list(prefetch_keys()) if prefetch_keys else []
    try:
        window, values = count_request(ext.redis_conn(), settings.redis_prefix, subject, limit,
                                       seconds, who, also_get=keys)
    except redis.RedisError as exc:
        log.warning("rate limit not applied (Redis: %s)", exc)
        return
    g.rate_window = window
    if keys:
        g.redis_prefetched = dict(zip(keys, values))
    if window.used > window.limit:
        advice = "" if key is not None else "; an API key has a higher limit"
        abort(429, message=f"Rate limit exceeded: {window.limit} requests per {window.seconds} s "
                           f"for {window.who}. Retry in {window.reset} s{advice}.",
              code="rate_limited",
              details={"limit": window.limit, "window_seconds": window.seconds,
                       "retry_after_seconds": window.reset},
              headers={"Retry-After": str(window.reset), **rate_limit_headers(window)})


# One round trip per request: count it in its window (the counter expires one second after
# the window), and read the keys a view declared with ``@prefetch``. The counters are not
# written to the append-only file or replicas (``REPL_NONE``): they need no durability, and
# with ``appendfsync always`` (scripts/redis.sh) every counted request would wait for an
# fsync (~0.5 ms) and grow the file.
COUNT_SCRIPT = Script(None, b"""
redis.set_repl(redis.REPL_NONE)
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local out = {used}
for i = 2, #KEYS do out[i] = redis.call('GET', KEYS[i]) end
return out
""")


def count_request(r: redis.Redis, prefix: str, subject: str, limit: int, seconds: int,
                  who: str, now: float | None = None,
                  also_get: Sequence[str] = ()) -> tuple[Window, list]:
    """Count one request of ``subject`` in the current fixed window, and read the keys
    ``also_get`` in the same round trip: (the window, their values: None when missing)."""
    now = time.time() if now is None else now
    start = int(now // seconds) * seconds
    counter = f"{prefix}:ratelimit:{subject}:{seconds}:{start}"
    used, *values = COUNT_SCRIPT(keys=[counter, *also_get], args=[seconds + 1], client=r)
    reset = max(1, int(start + seconds - now + 0.999))
    return (Window(limit=limit, seconds=seconds, used=int(used), reset=reset, who=who),
            values)


def rate_limit_headers(window: Window) -> dict[str, str]:
    return {"RateLimit-Limit": str(window.limit), "RateLimit-Remaining": str(window.remaining),
            "RateLimit-Reset": str(window.reset),
            "RateLimit-Policy": f"{window.limit};w={window.seconds}"}


def add_rate_limit_headers(response):
    window = g.get("rate_window")
    if window is not None:
        present = {name.lower() for name in response.headers.keys()}   # a 429 has them
        for name, value in rate_limit_headers(window).items():
            if name.lower() not in present:
                response.headers.add(name, value)
    return response
