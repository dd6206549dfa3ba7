"""The requests gunicorn refuses itself get the API's error envelope (api/gunicorn_worker.py)."""

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import gunicorn_h1c
import pytest
from gunicorn.config import Config
from gunicorn.http import errors as http_errors
from gunicorn.http.parser import RequestParser

from api import gunicorn_conf, gunicorn_worker
from api.gunicorn_worker import JsonErrorsThreadWorker, PreciseErrorsRequest, error_bytes, refusal


def test_the_api_runs_the_json_errors_worker():
    assert gunicorn_conf.worker_class == "api.gunicorn_worker.JsonErrorsThreadWorker"
    assert JsonErrorsThreadWorker.handle_error is not JsonErrorsThreadWorker.__base__.handle_error


@pytest.mark.parametrize("exc", [
    # raw UTF-8 "ö" as gunicorn decodes the line (latin-1)
    http_errors.InvalidRequestLine("GET /v1/search?q=pj\u00c3\u00b6ngjang HTTP/1.1"),
    http_errors.InvalidRequestLine("GET /v1/search?q=a\tb HTTP/1.1"),
    # "GET /v1/search?q=Kim Jong HTTP/1.1": the space ends the target early
    http_errors.InvalidHTTPVersion("Jong HTTP/1.1"),
])
def test_an_unencoded_url_is_400_saying_how_to_encode_it(exc):
    status, reason, code, message = refusal(exc)
    assert (status, reason, code) == (400, "Bad Request", "invalid_url")
    assert "percent-encoded" in message and "--data-urlencode" in message


def test_other_bad_request_lines_are_400_with_gunicorns_reason():
    status, _, code, message = refusal(http_errors.InvalidRequestLine("GET"))
    assert (status, code) == (400, "bad_request")
    assert "'GET'" in message
    status, _, code, _ = refusal(http_errors.InvalidHTTPVersion("HTTP/9.9"))
    assert (status, code) == (400, "bad_request")
    # the Python parser names an unknown version as a tuple: "(9, 1)" is not a split URL
    status, _, code, _ = refusal(http_errors.InvalidHTTPVersion((9, 1)))
    assert (status, code) == (400, "bad_request")


@pytest.mark.parametrize("exc, status, code", [
    (http_errors.InvalidHeaderName("Ho st"), 400, "bad_request"),
    (http_errors.InvalidRequestMethod("get"), 400, "bad_request"),
    (http_errors.LimitRequestHeaders("too many"), 431, "request_headers_too_large"),
    (http_errors.ExpectationFailed("200-ok"), 417, "expectation_failed"),
    (http_errors.UnsupportedTransferCoding("gzip"), 501, "unsupported_transfer_coding"),
])
def test_each_refusal_has_its_status_and_code(exc, status, code):
    assert refusal(exc)[0::2] == (status, code)


@pytest.mark.parametrize("exc", [
    ValueError("a bug"),
    http_errors.InvalidResponseHeader("X-Bad", "value\n"),
    http_errors.ConfigurationProblem("forwarded-allow-ips"),
])
def test_errors_that_are_not_the_clients_stay_gunicorns(exc):
    assert refusal(exc) is None


def test_the_response_is_a_closed_json_error():
    raw = error_bytes(431, "Request Header Fields Too Large", "request_headers_too_large",
                      "The request headers are too many or too large.")
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 431 Request Header Fields Too Large"
    assert {"Connection: close", "Content-Type: application/json",
            f"Content-Length: {len(body)}", "X-Content-Type-Options: nosniff"} <= set(lines[1:])
    assert json.loads(body) == {"error": {
        "status": 431, "code": "request_headers_too_large",
        "message": "The request headers are too many or too large.", "details": {}}}


# --- the C parser, with the Python parser's errors ------------------------------------------

def _parse(raw: bytes):
    parser = RequestParser(Config(), iter([raw]), ("127.0.0.1", 5000))
    parser.mesg_class = PreciseErrorsRequest
    return next(parser)


def test_requests_are_parsed_by_the_c_parser():
    assert gunicorn_h1c.__name__ == "gunicorn_h1c"    # a pinned dependency (pyproject.toml)
    request = _parse(b"GET /v1/search?q=Kim&size=2 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert request._use_fast
    assert (request.method, request.path, request.query) == ("GET", "/v1/search", "q=Kim&size=2")
    assert ("HOST", "x") in request.headers


@pytest.mark.parametrize("raw, error, code", [
    ("GET /v1/search?q=Pjöngjang HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
     http_errors.InvalidRequestLine, "invalid_url"),
    (b"GET /v1/search?q=Kim Jong HTTP/1.1\r\nHost: x\r\n\r\n",
     http_errors.InvalidHTTPVersion, "invalid_url"),
    (b"GET /v1/health HTTP/1.1\r\nHo st: x\r\n\r\n", http_errors.InvalidHeaderName,
     "bad_request"),
    (b"GET /v1/health HTTP/9.1\r\nHost: x\r\n\r\n", http_errors.InvalidHTTPVersion,
     "bad_request"),
])
def test_a_request_the_c_parser_refuses_gets_the_python_parsers_error(raw, error, code):
    # The C parser's own error for the space is "Invalid HTTP request": no hint possible.
    with pytest.raises(error) as caught:
        _parse(raw)
    assert refusal(caught.value)[2] == code


# --- a thread keeps its connection for the client's next request -----------------------------

def _worker(pool) -> JsonErrorsThreadWorker:
    worker = JsonErrorsThreadWorker.__new__(JsonErrorsThreadWorker)
    worker.tpool, worker.alive = pool, True
    return worker


def _conn(sock, buffered=b""):
    return SimpleNamespace(sock=sock, parser=SimpleNamespace(
        unreader=SimpleNamespace(buf=SimpleNamespace(getvalue=lambda: buffered))))


def test_the_thread_serves_a_next_request_that_arrives_soon():
    server, client = socket.socketpair()
    with server, client, ThreadPoolExecutor(1) as pool:
        worker = _worker(pool)
        client.sendall(b"GET / HTTP/1.1\r\n")
        assert worker._next_request_soon(_conn(server))
        assert worker._next_request_soon(_conn(server, buffered=b"GET"))


def test_the_connection_goes_back_to_the_poller_when_the_client_is_quiet():
    server, client = socket.socketpair()
    with server, client, ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        assert not _worker(pool)._next_request_soon(_conn(server))
        assert time.monotonic() - started >= gunicorn_worker.LINGER_SECONDS


def test_the_thread_does_not_wait_while_another_connection_waits_for_a_thread(monkeypatch):
    def no_waiting(*args):
        raise AssertionError("waited for the client while a connection waits for a thread")

    monkeypatch.setattr(gunicorn_worker.select, "poll", no_waiting)
    server, client = socket.socketpair()
    with server, client, ThreadPoolExecutor(1) as pool:
        release = threading.Event()
        busy = pool.submit(release.wait)
        waiting = pool.submit(lambda: None)            # queued behind the busy thread
        try:
            assert not _worker(pool)._next_request_soon(_conn(server))
        finally:
            release.set()
        busy.result(), waiting.result()
