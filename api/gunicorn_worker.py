"""gunicorn's threaded worker, answering the requests gunicorn refuses itself with the
API's error envelope (``JsonErrorsThreadWorker``, set in api/gunicorn_conf.py).

gunicorn reads the request line and the headers before the app sees a request, and answers
what it cannot take with a small HTML page: a client would get HTML from a JSON API. The
common case is a German query typed into curl, ``curl 'http://.../v1/search?q=Bürgermeister'``:
curl sends the "ü" as raw UTF-8 bytes, which RFC 9112 does not allow in a request line
(it must be ``%C3%BC``), so gunicorn refuses it. The refusal stays (the app never guesses what
a malformed request meant), but it comes as the usual JSON error with a message that says
how to send the query.
"""

from __future__ import annotations

import re

import orjson
from gunicorn import util
from gunicorn.http import errors as http_errors
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
    if isinstance(exc, http_errors.InvalidHTTPVersion):
        return " " in str(exc.version)
    parts = str(exc.req).split(" ")
    return len(parts) >= 3 and bool(_NOT_URL_CHARS.search(" ".join(parts[1:-1])))


def error_bytes(status: int, reason: str, code: str, message: str) -> bytes:
    """A whole HTTP/1.1 response with the error envelope; the connection is then closed."""
    body = orjson.dumps(envelope(status, message, code=code)) + b"\n"
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"X-Content-Type-Options: nosniff\r\n\r\n")
    return head.encode("latin-1") + body


class JsonErrorsThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker; its refusals come as the API's JSON errors."""

    def handle_error(self, req, client, addr, exc):
        answer = refusal(exc)
        if answer is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, error_bytes(*answer))
        except Exception:  # noqa: BLE001 - the client may be gone already, as in gunicorn
            self.log.debug("Failed to send error message.")
