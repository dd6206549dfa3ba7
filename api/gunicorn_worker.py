"""gunicorn's threaded worker, answering the requests gunicorn refuses itself with the
API's error envelope (``JsonErrorsThreadWorker``, set in api/gunicorn_conf.py), parsing
requests with gunicorn's C parser, and serving a client's next request on a kept-alive
connection in the thread that answered the last one.

gunicorn reads the request line and the headers before the app sees a request, and answers
what it cannot take with a small HTML page: a client would get HTML from a JSON API. The
common case is a German query typed into curl, ``curl 'http://.../v1/search?q=Bürgermeister'``:
curl sends the "ü" as raw UTF-8 bytes, which RFC 9112 does not allow in a request line
(it must be ``%C3%BC``), so gunicorn refuses it. The refusal stays (the app never guesses what
a malformed request meant), but it comes as the usual JSON error with a message that says
how to send the query.

Speed (benchmarks/search.py, 20 clients, 2 runs each; p50 latency through the API over raw
Elasticsearch's): gunicorn's own threaded worker with 8 threads 1.43-1.53; with 24 threads,
the C parser and the thread keeping its connection 1.33-1.37.

* gunicorn's C parser (``gunicorn_h1c``, the ``gunicorn[fast]`` extra) reads request lines and
  headers. It names less in its errors ("Invalid HTTP request" for a URL with a space), so a
  request it refuses is parsed again by gunicorn's Python parser, whose precise error is what
  ``handle_error`` answers (``PreciseErrorsRequest``).
* gunicorn's worker hands every kept-alive connection back to its poller thread after each
  answer, and the next request comes back through the poller to a pool thread: ~20 % of the
  API's CPU per search. Here the thread waits a little for that client's next request
  (``LINGER_SECONDS``) while no other connection is waiting for a thread, and only then gives
  the connection back.
"""

from __future__ import annotations

import re
import select
import time

import orjson
from gunicorn import util
from gunicorn.http import errors as http_errors
from gunicorn.http.message import Request
from gunicorn.http.parser import RequestParser
from gunicorn.workers.gthread import ThreadWorker

from api.errors import envelope

# Request-target characters RFC 3986 allows unencoded are printable ASCII; gunicorn checks
# the same (a latin-1 decoded line, so a UTF-8 "ü" shows as two characters above 0x7e).
_NOT_URL_CHARS = re.compile(r"[^\x21-\x7e]")
ENCODING_HINT = ("Characters outside printable ASCII (such as 'ü' or a space) must be "
                 "percent-encoded in a URL: 'ü' is '%C3%BC', a space '%20'. With curl, "
                 "send the query as: curl -G URL --data-urlencode 'q=Bürgermeister'.")

# gunicorn's refusals: exception class -> (status, reason phrase, code, message). Any other
# ParseException is a 400 "bad_request" with gunicorn's own reason.
REFUSALS = {
    http_errors.LimitRequestLine: (414, "URI Too Long", "uri_too_long",
                                   "The request line is too long."),
    http_errors.LimitRequestHeaders: (431, "Request Header Fields Too Large",
                                      "request_headers_too_large",
                                      "The request headers are too many or too large."),
    http_errors.ExpectationFailed: (417, "Expectation Failed", "expectation_failed",
                                    "The Expect header is not supported: send the body "
                                    "without it."),
    http_errors.UnsupportedTransferCoding: (501, "Not Implemented",
                                            "unsupported_transfer_coding",
                                            "The Transfer-Encoding is not supported: send "
                                            "'chunked' or a Content-Length."),
    http_errors.ForbiddenProxyRequest: (403, "Forbidden", "forbidden",
                                        "The request is forbidden."),
}


def refusal(exc: Exception) -> tuple[int, str, str, str] | None:
    """(status, reason, code, message) for a request gunicorn could not parse; None for
    anything else (gunicorn's own handling: a server-side error is logged and is a 500)."""
    if not isinstance(exc, http_errors.ParseException) or isinstance(
            exc, (http_errors.InvalidResponseHeader, http_errors.InvalidResponseHeaderName,
                  http_errors.ConfigurationProblem)):
        return None
    if type(exc) in REFUSALS:
        return REFUSALS[type(exc)]
    if isinstance(exc, (http_errors.InvalidRequestLine, http_errors.InvalidHTTPVersion)):
        if _unencoded_url(exc):
            return 400, "Bad Request", "invalid_url", f"The request URL is not valid. {ENCODING_HINT}"
        return 400, "Bad Request", "bad_request", f"The request line is not valid HTTP: {exc}."
    return 400, "Bad Request", "bad_request", f"The request could not be parsed: {exc}."


def _unencoded_url(exc: Exception) -> bool:
    """Whether the request line broke on a character that the URL should have encoded: one
    outside printable ASCII in the target, or a space (which splits the line early, so what
    follows it is taken as the HTTP version)."""
    if isinstance(exc, http_errors.InvalidHTTPVersion):   # a str, or a tuple such as (9, 1)
        return isinstance(exc.version, str) and " " in exc.version
    parts = str(exc.req).split(" ")
    return len(parts) >= 3 and bool(_NOT_URL_CHARS.search(" ".join(parts[1:-1])))


def error_bytes(status: int, reason: str, code: str, message: str) -> bytes:
    """A whole HTTP/1.1 response with the error envelope; the connection is then closed."""
    body = orjson.dumps(envelope(status, message, code=code)) + b"\n"
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"X-Content-Type-Options: nosniff\r\n\r\n")
    return head.encode("latin-1") + body


class PreciseErrorsRequest(Request):
    """A request parsed by gunicorn's C parser when it is installed; one the C parser refuses
    is parsed again by the Python parser, so the refusal names what is wrong (the
    ``invalid_url`` hint needs the request line the C parser's error leaves out)."""

    def _parse_fast(self, unreader, buf):
        try:
            return super()._parse_fast(unreader, buf)
        except http_errors.ParseException:
            return self._parse_python(unreader, buf)   # buf: every byte read so far


# How long a thread keeps a kept-alive connection after answering on it, waiting for that
# client's next request, before it gives the connection back to gunicorn's poller; it looks
# every LINGER_SLICE_MS whether another connection waits for a thread, and gives it back then.
LINGER_SECONDS = 0.05
LINGER_SLICE_MS = 5


class JsonErrorsThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker; its refusals come as the API's JSON errors, and a
    thread serves a client's next request on the same connection when it comes soon."""

    def init_process(self):
        RequestParser.mesg_class = PreciseErrorsRequest   # this worker process only
        super().init_process()

    def handle(self, conn):
        result = super().handle(conn)
        while result is True and self.alive and self._next_request_soon(conn):
            result = super().handle(conn)
        return result

    def _next_request_soon(self, conn) -> bool:
        """Whether the client's next request arrives within ``LINGER_SECONDS`` while no other
        connection waits for a thread (False: the connection goes back to the poller)."""
        if conn.parser.unreader.buf.getvalue():       # already read with the last body
            return True
        # ThreadPoolExecutor's queue of connections waiting for a thread (a private attribute;
        # tests/unit/test_gunicorn_worker.py checks it is there and used)
        queued = self.tpool._work_queue
        if not queued.empty():
            return False
        deadline = time.monotonic() + LINGER_SECONDS
        waiting = select.poll()                        # poll: no limit on descriptor numbers
        waiting.register(conn.sock, select.POLLIN)
        while not waiting.poll(LINGER_SLICE_MS):       # data, or the client closed: handle() sees
            if not queued.empty() or time.monotonic() >= deadline:
                return False
        return True

    def handle_error(self, req, client, addr, exc):
        answer = refusal(exc)
        if answer is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, error_bytes(*answer))
        except Exception:  # noqa: BLE001 - the client may be gone already, as in gunicorn
            self.log.debug("Failed to send error message.")
