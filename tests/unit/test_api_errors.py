"""One error envelope everywhere, with the right status for each kind of failure."""

import elastic_transport
import pytest
from elasticsearch import ApiError, BadRequestError, NotFoundError

from api import errors


def assert_envelope(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def test_unknown_route_is_404(client):
    assert_envelope(client.get("/v1/nothing-here"), 404, "not_found")


def test_wrong_method_is_405_with_allow(client):
    response = client.put("/v1/articles")
    assert_envelope(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_body_over_the_limit_is_413(client, unit_settings):
    response = client.post("/v1/articles", data="x" * (unit_settings.max_body_bytes + 1),
                           content_type="text/plain")
    error = assert_envelope(response, 413, "payload_too_large")
    assert str(unit_settings.max_body_bytes) in error["message"]


def test_unsupported_media_type_is_415(client):
    response = client.post("/v1/articles", data="<a/>", content_type="application/xml")
    error = assert_envelope(response, 415, "unsupported_media_type")
    assert "application/xml" in error["message"]


def test_elasticsearch_unreachable_is_503_with_retry_after(client):
    response = client.get("/v1/articles/2945faa13ab0e33ec4e9")
    assert_envelope(response, 503, "search_unavailable")
    assert int(response.headers["Retry-After"]) > 0


def test_redis_unreachable_is_503_with_retry_after(client):
    response = client.get("/v1/jobs/6f1c1a3c2b0e4d7a9a8f0c6c5d4b3a21")
    assert_envelope(response, 503, "queue_unavailable")
    assert response.headers["Retry-After"]


def test_queueing_with_redis_down_is_503_not_500(client):
    response = client.post("/v1/articles", json={"text": "Kim trifft Putin.", "external_id": "e"})
    assert_envelope(response, 503, "queue_unavailable")


def _api_error(cls, status, body):
    meta = elastic_transport.ApiResponseMeta(status=status, http_version="1.1", headers={},
                                             duration=0.0, node=None)
    return cls(message=body["error"]["type"], meta=meta, body=body)


def test_elasticsearch_rejecting_a_request_is_400(app):
    error = _api_error(BadRequestError, 400, {"error": {
        "type": "search_phase_execution_exception",
        "root_cause": [{"type": "query_shard_exception", "reason": "Failed to parse query [\"]"}]}})
    with app.test_request_context():
        body = assert_envelope(errors.handle_es_api_error(error), 400, "invalid_query")
    assert "Failed to parse query" in body["message"]


def test_missing_index_is_503(app):
    error = _api_error(NotFoundError, 404, {"error": {"type": "index_not_found_exception",
                                                      "reason": "no such index"}})
    with app.test_request_context():
        assert_envelope(errors.handle_es_api_error(error), 503, "index_missing")


@pytest.mark.parametrize("status", [429, 503])
def test_busy_elasticsearch_is_503(app, status):
    error = _api_error(ApiError, status, {"error": {"type": "es_rejected_execution_exception",
                                                    "reason": "queue full"}})
    with app.test_request_context():
        assert_envelope(errors.handle_es_api_error(error), 503, "search_unavailable")


def test_unexpected_exception_is_a_500_envelope_without_internals(unit_settings):
    from api import create_app
    app = create_app({"NEWSARCHIVE_SETTINGS": unit_settings, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    error = assert_envelope(app.test_client().get("/boom"), 500, "internal_error")
    assert "secret" not in error["message"]


def test_flatten_messages_names_nested_fields():
    location, fields = errors.flatten_messages(
        {"json": {"metadata": {"a": ["bad"]}, "_schema": ["Invalid input type."]}})
    assert location == "body"
    assert fields == {"metadata.a": ["bad"], "body": ["Must be a JSON object."]}
