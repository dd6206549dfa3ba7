"""The requests gunicorn refuses itself get the API's error envelope (api/gunicorn_worker.py)."""

import json

import pytest
from gunicorn.http import errors as http_errors

from api import gunicorn_conf
from api.gunicorn_worker import JsonErrorsThreadWorker, error_bytes, refusal


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
