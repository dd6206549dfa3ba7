"""POST /v1/articles and /bulk: validation, what is queued; GET caching headers.
The queue is stubbed (what is tested here is the API's side of it)."""

import json

import flask_compress
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import articles as articles_view
from api import ingest
from api.schemas import EXAMPLE_ARTICLE_IN, EXAMPLE_ID
from indexer import pipeline


@pytest.fixture
def queued(monkeypatch):
    """Record what would be queued instead of sending it to Redis."""
    calls = []

    def submit(articles, *, source):
        calls.append({"articles": articles, "source": source})
        return f"job-{len(calls)}"

    monkeypatch.setattr(ingest, "submit", submit)
    return calls


NDJSON = "application/x-ndjson"


def fields_of(response):
    assert response.status_code == 400, response.get_json()
    return response.get_json()["error"]["details"]["fields"]


def test_json_article_is_accepted_with_job_and_id(client, queued):
    response = client.post("/v1/articles", json=EXAMPLE_ARTICLE_IN)
    assert response.status_code == 202
    assert response.get_json() == {"job_id": "job-1", "article_id": EXAMPLE_ID}
    [raw] = queued[0]["articles"]
    assert queued[0]["source"] == "api"
    assert raw["id"] == EXAMPLE_ID
    assert raw["published_at"] == "2023-08-30T18:36:00+02:00"
    json.dumps(raw)  # the worker gets plain JSON


def test_a_date_alone_is_local_midnight(client, queued):
    for day, stored in (("2024-02-29", "2024-02-29T00:00:00+01:00"),
                        ("2023-08-30", "2023-08-30T00:00:00+02:00")):
        response = client.post("/v1/articles", json={"text": "Kim trifft Putin.",
                                                     "published_at": day})
        assert response.status_code == 202, response.get_json()
        assert queued[-1]["articles"][0]["published_at"] == stored


def test_text_only_article_gets_the_id_of_its_cleaned_text(client, queued, fake_ner):
    response = client.post("/v1/articles", json={"text": "  Kim trifft   Putin.  "})
    expected = pipeline.process({"text": "Kim trifft Putin."})["id"]
    assert response.get_json()["article_id"] == expected


def test_raw_text_plain_body(client, queued):
    response = client.post("/v1/articles", data="Titel\n\nText über Rüstung.".encode(),
                           content_type="text/plain; charset=utf-8")
    assert response.status_code == 202
    assert queued[0]["articles"][0]["text"] == "Titel\n\nText über Rüstung."


def test_raw_text_html_body_in_latin1(client, queued):
    response = client.post("/v1/articles", data="<p>Rüstung</p>".encode("latin-1"),
                           content_type="text/html; charset=iso-8859-1")
    assert response.status_code == 202
    assert queued[0]["articles"][0]["html"] == "<p>Rüstung</p>"


def test_invalid_utf8_body_is_400(client, queued):
    response = client.post("/v1/articles", data=b"\xff\xfe", content_type="text/plain")
    assert fields_of(response) == {"body": ["Not valid utf-8."]}


@pytest.mark.parametrize("body, field, words", [
    ({}, "text", "Missing data"),
    ({"title": "x"}, "text", "Missing data"),
    ({"text": ""}, "text", "Must not be empty"),
    ({"text": " \n\t"}, "text", "Must not be empty"),
    ({"html": ""}, "html", "Must not be empty"),
    ({"text": 42}, "text", "Not a valid string"),
    ({"text": "a", "html": "<p>b</p>"}, "html", "either text or html"),
    ({"text": "a", "title": ["x"]}, "title", "Not a valid string"),
    ({"text": "a", "published_at": "2023-02-30"}, "published_at", "Not a valid ISO 8601"),
    ({"text": "a", "published_at": "2023-08-30T18:36:00"}, "published_at", "Needs a time zone"),
    ({"text": "a", "published_at": "am Mittwoch"}, "published_at", "Not a valid ISO 8601"),
    ({"text": "a", "published_at": 1693413360}, "published_at", "Not a valid ISO 8601"),
    ({"text": "a", "published_at": "9999-12-01T10:00:00+00:00"}, "published_at",
     "more than 7 days in the future"),
    ({"text": "a", "published_at": "2099-01-01"}, "published_at", "more than 7 days"),
    ({"text": "a", "url": "kein link"}, "url", "Not a valid URL"),
    ({"text": "a", "url": "ftp://example.org/a"}, "url", "Not a valid URL"),
    ({"text": "a", "language": "Deutsch"}, "language", "ISO 639"),
    ({"text": "a", "metadata": "x"}, "metadata", "Not a valid mapping"),
    ({"text": "a", "external_id": " "}, "external_id", "Must not be empty"),
    ({"text": "a", "autor": "x"}, "autor", "Unknown field"),
    (["text"], "body", "Must be a JSON object"),
    ("Text", "body", "Must be a JSON object"),
])
def test_bad_json_articles_are_400_naming_the_field(client, queued, body, field, words):
    fields = fields_of(client.post("/v1/articles", json=body))
    assert field in fields
    assert any(words in message for message in fields[field])
    assert not queued


def test_malformed_json_is_400_with_position(client):
    response = client.post("/v1/articles", data='{"text": "a",}', content_type="application/json")
    error = response.get_json()["error"]
    assert (response.status_code, error["code"]) == (400, "invalid_json")
    assert "line 1, column 14" in error["message"]
    assert error["details"]["fields"] == {"body": [error["message"]]}


def test_empty_json_body_names_the_missing_text(client):
    response = client.post("/v1/articles", data="", content_type="application/json")
    assert "text" in fields_of(response)


def test_article_with_nothing_left_after_cleaning_is_400(client, queued, monkeypatch):
    monkeypatch.setattr(pipeline, "CLEAN_STEPS", [lambda doc: {**doc, "body": ""}])
    fields = fields_of(client.post("/v1/articles", json={"text": "Anzeige"}))
    assert fields == {"text": ["no article text left after cleaning"]}


def ndjson(*lines):
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)


def test_bulk_is_one_job(client, queued):
    body = ndjson({"text": "eins", "external_id": "1"}, "", {"html": "<p>zwei</p>"},
                  {"text": "drei", "published_at": "2023-09-10T10:00:00Z"})
    response = client.post("/v1/articles/bulk", data=body, content_type="application/x-ndjson")
    assert response.status_code == 202
    assert response.get_json() == {"job_id": "job-1", "accepted": 3}
    assert [a.get("text") or a.get("html") for a in queued[0]["articles"]] == \
        ["eins", "<p>zwei</p>", "drei"]
    assert queued[0]["articles"][2]["published_at"] == "2023-09-10T10:00:00+00:00"
    assert queued[0]["source"] == "api:bulk"


def test_bulk_names_every_bad_line_and_queues_nothing(client, queued):
    body = ndjson({"text": "gut"}, "{kaputt", {"text": ""}, [1], {"text": "a", "published_at": "x"})
    fields = fields_of(client.post("/v1/articles/bulk", data=body, content_type=NDJSON))
    assert set(fields) == {"line 2", "line 3.text", "line 4.body", "line 5.published_at"}
    assert not queued


def test_bulk_without_articles_is_400(client, queued):
    assert fields_of(client.post("/v1/articles/bulk", data="\n\n", content_type=NDJSON))


def test_bulk_needs_ndjson(client):
    assert client.post("/v1/articles/bulk", json={"text": "a"}).status_code == 415


def test_bulk_limits(app, client, queued, unit_settings):
    import dataclasses
    app.extensions["newsarchive"]["settings"] = dataclasses.replace(
        unit_settings, max_bulk_articles=2, max_body_bytes=100, max_bulk_bytes=1000)
    many = ndjson(*[{"text": str(i)} for i in range(3)])
    response = client.post("/v1/articles/bulk", data=many, content_type=NDJSON)
    error = response.get_json()["error"]
    assert (response.status_code, error["code"]) == (413, "too_many_articles")
    long_line = ndjson({"text": "x" * 200})
    response = client.post("/v1/articles/bulk", data=long_line, content_type="application/x-ndjson")
    assert response.status_code == 413 and "Line 1" in response.get_json()["error"]["message"]
    huge = ndjson(*[{"text": "x" * 50}] * 30)
    response = client.post("/v1/articles/bulk", data=huge, content_type="application/x-ndjson")
    assert response.status_code == 413
    assert not queued


def test_bulk_may_exceed_the_single_article_limit(app, client, queued, unit_settings):
    import dataclasses
    app.extensions["newsarchive"]["settings"] = dataclasses.replace(unit_settings,
                                                                    max_body_bytes=100)
    app.config["MAX_CONTENT_LENGTH"] = 100
    body = ndjson(*[{"text": "x" * 50}] * 5)
    assert client.post("/v1/articles/bulk", data=body,
                       content_type="application/x-ndjson").status_code == 202


def test_article_read_has_etag_cache_control_and_304(client, monkeypatch):
    stored = {"id": EXAMPLE_ID, "body": "Text", "language": "de", "title": "T"}
    monkeypatch.setattr(articles_view.store, "get_article", lambda es, alias, aid: dict(stored))
    first = client.get(f"/v1/articles/{EXAMPLE_ID}")
    assert first.status_code == 200
    record = first.get_json()
    assert {key: record[key] for key in stored} == stored
    assert record["url"] is None and record["persons"] == [] and record["metadata"] == {}
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    again = client.get(f"/v1/articles/{EXAMPLE_ID}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    stored["title"] = "Neu"
    changed = client.get(f"/v1/articles/{EXAMPLE_ID}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_compressed_etag_gets_its_304_without_compressing_again(client, monkeypatch):
    stored = {"id": EXAMPLE_ID, "body": "Kim trifft Putin. " * 100, "language": "de"}
    monkeypatch.setattr(articles_view.store, "get_article", lambda es, alias, aid: dict(stored))
    url = f"/v1/articles/{EXAMPLE_ID}"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    etag = first.headers["ETag"]
    assert etag.endswith(':gzip"')
    compressed = []
    monkeypatch.setattr(flask_compress.flask_compress, "_compress_data",
                        lambda app, data, algorithm: compressed.append(algorithm) or b"")
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert (again.status_code, again.headers["ETag"], again.data) == (304, etag, b"")
    assert compressed == []
    # a client that no longer takes gzip gets the plain body, whose ETag is another
    plain = client.get(url, headers={"Accept-Encoding": "identity", "If-None-Match": etag})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert plain.headers["ETag"] == etag.replace(":gzip", "")


def test_unknown_article_is_404_envelope(client, monkeypatch):
    monkeypatch.setattr(articles_view.store, "get_article", lambda es, alias, aid: None)
    response = client.get("/v1/articles/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert "Cache-Control" not in response.headers


def test_cors_only_for_configured_origins(unit_settings):
    import dataclasses

    from api import create_app
    app = create_app({"NEWSARCHIVE_SETTINGS": dataclasses.replace(
        unit_settings, cors_origins=("https://app.example.org",))})
    client = app.test_client()
    allowed = client.get("/v1/nothing", headers={"Origin": "https://app.example.org"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.org"
    other = client.get("/v1/nothing", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)
ARTICLE_KEYS = ["text", "html", "title", "url", "outlet", "published_at", "language",
                "external_id", "metadata"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(JSON_VALUES, st.dictionaries(st.sampled_from(ARTICLE_KEYS), JSON_VALUES)))
def test_any_json_body_is_accepted_or_a_400_naming_fields(client, queued, body):
    response = client.post("/v1/articles", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (202, 400), response.get_json()
    if response.status_code == 400:
        assert response.get_json()["error"]["details"]["fields"]
