"""Bad input through the real server (gunicorn): a clear 4xx naming the field, never 5xx."""

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
