"""The Python client (newsarchive_client) against the real stack: articles sent in bulk and
waited for, a search followed through its cursor, exports streamed and saved, and the API's
errors as the client's exceptions (a misspelt parameter, a missing article, no key, a rate
limit)."""

from __future__ import annotations

import csv
import time
import uuid

import pytest

from indexer import api_keys
from newsarchive_client import BadRequest, Client, NotFound, RateLimited, Unauthorized

OUTLETS = ("ZDF", "CNN", "Der Spiegel", "ntv", "SRF", "taz", "ORF")


def articles(token: str) -> list[dict]:
    # Every other article has a date alone: local midnight, found by the date filters.
    return [{"external_id": f"{token}-{n}", "outlet": OUTLETS[n],
             "published_at": f"2023-09-0{n + 1}" + ("T10:00:00+02:00" if n % 2 else ""),
             "text": f"Kim Jong Un und Wladimir Putin trafen sich in Wladiwostok. Meldung {n} "
                     f"zu {token}.\n\nDie Gespräche über Munition dauerten an."}
            for n in range(len(OUTLETS))]


def searchable(api: Client, token: str, count: int) -> dict:
    deadline = time.monotonic() + 30
    while (page := api.search(token))["total"] < count:
        assert time.monotonic() < deadline, "articles not searchable"
        time.sleep(0.3)
    return page


@pytest.fixture
def client(stack, api_key) -> Client:
    return Client(stack, api_key)


def test_sent_articles_are_found_paged_and_exported_completely(client, token, tmp_path):
    jobs = client.submit_many(articles(token), batch_size=4)
    assert len(jobs) == 2
    done = [client.wait(job, timeout=120) for job in jobs]
    assert [job["state"] for job in done] == ["completed", "completed"]
    assert sum(job["counts"]["indexed"] for job in done) == len(OUTLETS)
    first = searchable(client, token, len(OUTLETS))

    paged = [result["id"] for result in client.search_all(token, size=2, sort="oldest")]
    assert len(paged) == len(set(paged)) == first["total"] == len(OUTLETS)
    outlets = client.search(token, facets=["outlets"], outlet=["ZDF", "CNN"], size=1)
    assert outlets["total"] == 2
    assert {b["value"] for b in outlets["facets"]["outlets"]} == set(OUTLETS)   # multi-select

    stream = client.export(token)
    rows = list(stream)
    assert stream.total == len(rows) == len(OUTLETS)
    assert {row["id"] for row in rows} == set(paged)
    assert all(token in row["body"] for row in rows)
    saved = tmp_path / "export.csv"
    assert client.save_export(saved, token, published_from="2023-09-03") == len(OUTLETS) - 2
    with open(saved, encoding="utf-8", newline="") as handle:
        assert {row["outlet"] for row in csv.DictReader(handle)} == set(OUTLETS[2:])

    article = client.article(paged[0])
    assert article["id"] == paged[0] and token in article["body"]
    assert article["published_at"] == "2023-09-01T00:00:00+02:00"      # sort=oldest: n = 0
    client.delete_article(paged[0])
    with pytest.raises(NotFound) as missing:
        client.article(paged[0])
    assert missing.value.code == "not_found" and missing.value.request_id


def test_all_entities_pages_through_every_entity_a_to_z(client, token):
    client.wait(client.submit(articles(token)[0])["job_id"], timeout=120)
    searchable(client, token, 1)                     # Kim and Putin at least
    deadline = time.monotonic() + 30                 # the entities index refreshes too
    while len(listed := [e["id"] for e in client.all_entities(type="person", size=1)]) < 2:
        assert time.monotonic() < deadline, listed
        time.sleep(0.3)
    assert len(listed) == len(set(listed))
    assert {e["id"] for e in client.all_entities(type="person")} == set(listed)


def test_a_misspelt_parameter_is_a_bad_request_naming_the_one_meant(client):
    with pytest.raises(BadRequest) as caught:
        client.search("Kim", persn="Wladimir Putin")
    assert caught.value.status == 400
    assert caught.value.details["fields"]["persn"] == ["Unknown field; did you mean 'person'?"]


def test_writing_without_a_key_is_unauthorized(stack, monkeypatch):
    monkeypatch.delenv("NEWSARCHIVE_API_KEY", raising=False)
    with pytest.raises(Unauthorized) as caught:
        Client(stack).submit("Ein kurzer Text über Hamburg.")
    assert caught.value.status == 401


def test_a_rate_limit_longer_than_max_wait_is_raised_with_its_retry_after(
        stack, redis_conn, settings):
    token, record = api_keys.create(redis_conn, settings.redis_prefix,
                                    f"client {uuid.uuid4().hex[:6]}", "read", rate_limit="2/60s")
    try:
        limited = Client(stack, token, max_wait=0.5)
        for _ in range(2):
            limited.search("Kim", size=1)
        started = time.monotonic()
        with pytest.raises(RateLimited) as caught:
            limited.search("Kim", size=1)
        assert time.monotonic() - started < 5                  # not waited out
        assert 1 <= caught.value.retry_after <= 60
        assert "2 requests per 60 s" in caught.value.message
    finally:
        api_keys.revoke(redis_conn, settings.redis_prefix, record.id)
