"""Bad input through the real server (gunicorn): a clear 4xx naming the field, never 5xx."""

import json
import socket
import urllib.parse

import pytest


def error_of(response, status):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["status"] == status
    return error


@pytest.mark.parametrize("body, field", [
    ({"title": "ohne Text"}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
    ({"text": 3}, "text"),
    ({"text": "a", "published_at": "30.08.2023"}, "published_at"),
    ({"text": "a", "published_at": "2023-08-30T18:36:00"}, "published_at"),
    ({"text": "a", "metadata": ["x"]}, "metadata"),
    ({"text": "a", "unknown": 1}, "unknown"),
])
def test_bad_article_is_400_naming_the_field(api, body, field):
    error = error_of(api.post("/v1/articles", json=body), 400)
    assert error["code"] == "validation_error"
    assert field in error["details"]["fields"]
    assert field in error["message"]


def test_malformed_json_is_400(api):
    error = error_of(api.post("/v1/articles", data=b'{"text": ',
                              headers={"Content-Type": "application/json"}), 400)
    assert error["code"] == "invalid_json"
    assert error["details"]["fields"]["body"]


def test_body_over_the_limit_is_413(api, settings):
    body = b"x" * (settings.max_body_bytes + 1024)
    response = api.post("/v1/articles", data=body, headers={"Content-Type": "text/plain"})
    error = error_of(response, 413)
    assert error["code"] == "payload_too_large"


def test_bulk_with_bad_lines_is_400_naming_them(api):
    body = b'{"text": "gut"}\n{"text": ""}\n{kaputt\n'
    error = error_of(api.post("/v1/articles/bulk", data=body,
                              headers={"Content-Type": "application/x-ndjson"}), 400)
    assert set(error["details"]["fields"]) == {"line 2.text", "line 3"}


def test_unsupported_media_type_is_415(api):
    response = api.post("/v1/articles", data=b"<a/>", headers={"Content-Type": "application/xml"})
    error_of(response, 415)


def test_unknown_article_is_404_envelope(api):
    error = error_of(api.get("/v1/articles/0000000000000000dead"), 404)
    assert error["code"] == "not_found" and "0000000000000000dead" in error["message"]


def test_unknown_job_is_404(api):
    error_of(api.get("/v1/jobs/00000000000000000000000000000000"), 404)
    error_of(api.post("/v1/jobs/00000000000000000000000000000000/retry"), 404)


def test_absurd_article_id_is_4xx_not_5xx(api):
    response = api.get("/v1/articles/" + "x" * 600)
    assert 400 <= response.status_code < 500, response.text


def test_wrong_method_is_405(api):
    error_of(api.patch("/v1/articles"), 405)


def raw_http(api_url: str, request: bytes) -> tuple[str, dict, bytes]:
    """Send ``request`` as bytes (no client library that would fix it up): status line,
    headers, body of the answer."""
    url = urllib.parse.urlsplit(api_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):   # gunicorn closes the connection after a refusal
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    return status, {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}, body


@pytest.mark.parametrize("target", [
    "/v1/search?q=Pjöngjang".encode(),        # curl sends an unencoded umlaut as UTF-8 bytes
    b"/v1/search?q=Kim Jong",                  # an unencoded space
])
def test_an_unencoded_url_is_a_json_400_saying_how_to_encode_it(stack, target):
    status, headers, body = raw_http(stack, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == "HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert (error["status"], error["code"]) == (400, "invalid_url")
    assert "percent-encoded" in error["message"]


def test_a_malformed_header_is_a_json_400(stack):
    status, headers, body = raw_http(stack, b"GET /v1/search?q=Kim HTTP/1.1\r\nHo st: x\r\n\r\n")
    assert status == "HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "bad_request"


def test_the_encoded_query_is_answered(api):
    response = api.get("/v1/search", params={"q": "Pjöngjang"})   # requests encodes it
    assert response.status_code == 200, response.text
