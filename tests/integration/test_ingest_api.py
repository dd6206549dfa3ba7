"""The real ingest path: API -> Redis -> Celery worker -> Elasticsearch."""

import json

from indexer.identity import article_id


def search_body(es, alias, word):
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, query={"match": {"body": word}}, size=20)["hits"]["hits"]
    return [hit["_source"] for hit in hits]


def post_and_wait(api, body, **kwargs):
    response = api.post("/v1/articles", json=body, **kwargs) if body is not None else \
        api.post("/v1/articles", **kwargs)
    assert response.status_code == 202, response.text
    accepted = response.json()
    job = api.wait_for_job(accepted["job_id"])
    assert job["state"] == "completed", job
    return accepted, job


def test_posted_article_is_indexed_searchable_and_fetchable(api, es, settings, token):
    external_id = f"it-{token}"
    accepted, job = post_and_wait(api, {
        "external_id": external_id, "title": "Kim trifft Putin",
        "text": f"Kim Jong Un will Putin in Wladiwostok treffen. Stichwort {token}.",
        "published_at": "2023-09-04T10:00:00+02:00", "metadata": {"quelle": "test"}})
    assert accepted["article_id"] == article_id(external_id=external_id)
    assert job["counts"] == {"accepted": 1, "indexed": 1, "failed": 0, "pending": 0, "retried": 0}

    [found] = search_body(es, settings.articles_alias, token)
    assert found["id"] == accepted["article_id"]

    response = api.get(f"/v1/articles/{accepted['article_id']}")
    assert response.status_code == 200
    record = response.json()
    assert record["external_id"] == external_id
    assert record["title"] == "Kim trifft Putin"
    assert record["published_at"] == "2023-09-04T10:00:00+02:00"
    assert record["metadata"] == {"quelle": "test"}
    assert record["raw"]["text"].endswith(f"{token}.")
    assert response.headers["ETag"] and response.headers["Cache-Control"].startswith("public")
    assert api.get(f"/v1/articles/{record['id']}",
                   headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    # the compressed form has an ETag of its own; each is revalidated as such
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["ETag"].endswith(':gzip"')
    plain = api.get(f"/v1/articles/{record['id']}", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.json() == record
    assert plain.headers["ETag"] == response.headers["ETag"].replace(":gzip", "")
    assert api.get(f"/v1/articles/{record['id']}", headers={
        "Accept-Encoding": "identity", "If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_resending_the_same_external_id_overwrites(api, es, settings, token):
    body = {"external_id": f"dup-{token}", "text": f"Erste Fassung {token}."}
    first, _ = post_and_wait(api, body)
    second, _ = post_and_wait(api, {**body, "text": f"Zweite Fassung {token}."})
    assert first["article_id"] == second["article_id"]
    [only] = search_body(es, settings.articles_alias, token)
    assert only["body"] == f"Zweite Fassung {token}."


def test_same_text_without_ids_is_one_article(api, es, settings, token):
    first, _ = post_and_wait(api, {"text": f"Gleicher Text {token}."})
    second, _ = post_and_wait(api, {"text": f"  Gleicher   Text {token}.\n"})
    assert first["article_id"] == second["article_id"]
    assert len(search_body(es, settings.articles_alias, token)) == 1


def test_article_read_has_every_field_null_or_empty_when_unknown(api, token):
    """A front end reads the same keys for every article, as in search results: what is
    not known is null (or an empty list), never a missing key."""
    accepted, _ = post_and_wait(api, {"text": f"es regnet nicht, sagt niemand ({token})."})
    record = api.get(f"/v1/articles/{accepted['article_id']}").json()
    assert {key: record[key] for key in ("external_id", "url", "title", "outlet",
                                         "published_at")} == dict.fromkeys(
        ("external_id", "url", "title", "outlet", "published_at"))
    for key in ("agencies", "mentioned_dates", "dates_mentioned", "persons", "organizations",
                "places", "facet_persons", "facet_organizations", "facet_places", "entities"):
        assert record[key] == [], key
    assert record["metadata"] == {}
    for key in ("syndication_key", "content_hash", "word_count", "ingested_at", "raw"):
        assert record[key] is not None, key


def test_raw_text_and_html_bodies(api, es, settings, token):
    lead = "Die Bundesregierung hat am Montag in Berlin neue Hilfen für die Ukraine beschlossen."
    post_and_wait(api, None, data=f"Neue Hilfen für die Ukraine\n\n{lead} Text {token}.".encode(),
                  headers={"Content-Type": "text/plain; charset=utf-8"})
    post_and_wait(api, None, data=f"<html><head><title>HTML-Titel</title></head><body>"
                                  f"<p>{lead} Absatz {token}x.</p></body></html>",
                  headers={"Content-Type": "text/html"})
    [plain] = search_body(es, settings.articles_alias, token)
    assert plain["title"] == "Neue Hilfen für die Ukraine"
    assert plain["body"] == f"{lead} Text {token}."
    [html] = search_body(es, settings.articles_alias, token + "x")
    assert html["title"] == "HTML-Titel" and html["body"] == f"{lead} Absatz {token}x."


def test_bulk_ndjson_is_one_job(api, es, settings, token):
    lines = [json.dumps({"external_id": f"bulk-{token}-{i}", "text": f"Artikel {i} {token}"})
             for i in range(25)]
    response = api.post("/v1/articles/bulk", data="\n".join(lines).encode("utf-8"),
                        headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == 25
    job = api.wait_for_job(response.json()["job_id"])
    assert job["state"] == "completed"
    assert job["counts"]["indexed"] == 25
    found = search_body(es, settings.articles_alias, token)
    assert len(found) == 20  # search size; all 25 are there:
    es.indices.refresh(index=settings.articles_alias)
    assert es.count(index=settings.articles_alias, query={"match": {"body": token}})["count"] == 25


def test_samples_through_the_api_are_searchable_by_body_words(api, es, settings, sample_paths):
    lines = [json.dumps({"external_id": p.stem, "text": p.read_text(encoding="utf-8")})
             for p in sample_paths]
    response = api.post("/v1/articles/bulk", data="\n".join(lines).encode("utf-8"),
                        headers={"Content-Type": "application/x-ndjson"})
    job = api.wait_for_job(response.json()["job_id"])
    assert job["counts"]["indexed"] == len(sample_paths) == 5
    word_by_sample = {"000_1d70c6a37406fa0c": "Sullivan", "001_8cb086cdd1b0a5e1": "Gegenoffensive",
                      "002_13fc5d182ca531a0": "Massenvernichtungswaffenprogramm",
                      "003_35686e7d763b10ba": "Kirby", "004_aaeedc389320243a": "Pazifikküste"}
    for external_id, word in word_by_sample.items():
        found = {doc["external_id"] for doc in search_body(es, settings.articles_alias, word)}
        assert external_id in found, (word, found)


def test_delete(api, token):
    accepted, _ = post_and_wait(api, {"external_id": f"del-{token}", "text": f"Weg {token}"})
    path = f"/v1/articles/{accepted['article_id']}"
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert api.delete(path).status_code == 404
