"""``GET /v1/export`` against the real stack: every match, both formats, filters,
and (in process, small pages) a walk over many PIT pages that closes its PIT."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

from api import export

COUNT = 30
OUTLETS = ("CNN", "ntv", "Tagesschau")


@pytest.fixture
def exported(api, token):
    """``COUNT`` articles with ``token``, indexed and searchable; -> external ids."""
    lines = [json.dumps({"external_id": f"export-{token}-{i}", "title": f"Exportmeldung {i}",
                         "outlet": OUTLETS[i % 3],
                         "published_at": f"2023-09-{1 + i % 28:02d}T10:00:00+02:00",
                         "text": f"Artikel {i} für den Export, Stichwort {token}. "
                                 f"Kim Jong Un reist nach Moskau."}) for i in range(COUNT)]
    response = api.post("/v1/articles/bulk", data="\n".join(lines).encode("utf-8"),
                        headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 202, response.text
    job = api.wait_for_job(response.json()["job_id"])
    assert job["counts"]["indexed"] == COUNT, job
    deadline = time.monotonic() + 30   # the index refreshes on its own schedule
    while api.get("/v1/search", params={"q": token}).json()["total"] < COUNT:
        assert time.monotonic() < deadline, "articles not searchable"
        time.sleep(0.3)
    return {f"export-{token}-{i}" for i in range(COUNT)}


def test_ndjson_export_has_every_match_once(api, token, exported):
    response = api.get("/v1/export", params={"q": token})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/x-ndjson")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert sorted(r["external_id"] for r in rows) == sorted(exported)
    assert len({r["id"] for r in rows}) == COUNT
    assert all(token in r["body"] and r["title"].startswith("Exportmeldung") for r in rows)
    published = [r["published_at"] for r in rows]
    assert published == sorted(published, reverse=True)


def test_csv_export_parses_and_a_filter_narrows_it(api, token, exported):
    response = api.get("/v1/export", params={"q": token, "format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["external_id"] for r in rows) == sorted(exported)
    assert "body" not in rows[0]

    narrowed = api.get("/v1/export", params={"q": token, "format": "csv", "outlet": "cnn"})
    rows = list(csv.DictReader(io.StringIO(narrowed.text)))
    assert len(rows) == COUNT // 3 and {r["outlet"] for r in rows} == {"CNN"}
    dated = api.get("/v1/export", params={"q": token, "published_from": "2023-09-20"})
    assert len(dated.text.splitlines()) == sum(1 + i % 28 >= 20 for i in range(COUNT))

    chosen = api.get("/v1/export", params={"q": token, "format": "csv",
                                           "fields": "external_id,body"})
    rows = list(csv.DictReader(io.StringIO(chosen.text, newline="")))
    assert list(rows[0]) == ["external_id", "body"] and len(rows) == COUNT
    assert all(token in r["body"] for r in rows)


def test_excel_export_opens_with_umlauts_and_columns(api, token, exported):
    response = api.get("/v1/export", params={"q": token, "format": "excel",
                                             "fields": "external_id,title,places"})
    assert response.status_code == 200, response.text
    assert response.content.startswith("\ufeffexternal_id;title;places\r\n".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""),
                               delimiter=";"))
    assert len(rows) == int(response.headers["X-Total-Count"]) == COUNT
    assert sorted(r["external_id"] for r in rows) == sorted(exported)
    assert {r["places"] for r in rows} == {"Moskau"}


def test_bad_query_is_a_400_envelope(api):
    response = api.get("/v1/export", params={"q": '"offen'})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_query"


def open_contexts(es) -> int:
    stats = es.nodes.stats(metric="indices", index_metric="search")["nodes"]
    return sum(node["indices"]["search"]["open_contexts"] for node in stats.values())


def test_small_pages_walk_every_match_and_close_the_pit(es, settings, token, exported):
    before = open_contexts(es)
    walk = export.PitWalk(es, settings.articles_alias, {"q": token}, page_size=7).start()
    pages = list(walk.hits_pages())
    assert [len(p) for p in pages] == [7, 7, 7, 7, 2]
    rows = [export.to_row(hit) for page in pages for hit in page]
    assert sorted(r["external_id"] for r in rows) == sorted(exported)
    assert open_contexts(es) == before


def test_a_reader_that_stops_early_closes_the_pit(es, settings, token, exported):
    before = open_contexts(es)
    walk = export.PitWalk(es, settings.articles_alias, {"q": token}, page_size=7).start()
    chunks = walk.chunks("csv")
    next(chunks), next(chunks)
    assert open_contexts(es) > before
    chunks.close()
    assert open_contexts(es) == before


def test_entity_answers_are_kept_for_the_archive_state_as_in_search(settings, monkeypatch):
    """Export reads the archive's last change with its rate limit, as /v1/search does, so
    the entity answers it asks are kept until the archive changes (not 5 s as unread)."""
    import dataclasses

    from api import archive_cache, create_app, search
    client = create_app({"NEWSARCHIVE_SETTINGS": dataclasses.replace(settings),
                         "TESTING": True}).test_client()
    for path in ("/v1/export", "/v1/search"):
        answers = archive_cache.ArchiveCache()
        monkeypatch.setattr(search, "ENTITY_ANSWERS", answers)
        response = client.get(path, query_string={"person": "Kim Jong Un"})
        assert response.status_code == 200, response.text
        response.close()
        assert [key for version, key in answers._entries if version != "unread"] == [
            (settings.entities_alias, "person", "Kim Jong Un")], path


def test_running_exports_are_bounded_per_client(stack, redis_conn, settings):
    """At most NEWSARCHIVE_MAX_EXPORTS_PER_CLIENT (2 on the stack) exports of one client
    stream at once: with two running (leases held here, as two slow exports would hold
    them) a third is a 429; a finished export gives its slot back."""
    import requests

    from api import export_slots
    from indexer import api_keys
    token, record = api_keys.create(redis_conn, settings.redis_prefix, "export slots", "read")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{stack}/v1/export?format=ndjson&q=Kim"
    client = f"key:{record.id}"
    held = [export_slots.acquire(redis_conn, settings.redis_prefix, client, 2, 1000)
            for _ in range(2)]
    try:
        third = requests.get(url, headers=headers, timeout=60)
        assert third.status_code == 429, third.text
        error = third.json()["error"]
        assert error["code"] == "too_many_exports" and "2 exports" in error["message"]
        assert third.headers["Retry-After"] == "10"
        assert requests.get(url, timeout=60).status_code == 200   # another client
        held.pop().release()
        again = requests.get(url, headers=headers, timeout=60)
        assert again.status_code == 200 and again.content
        running = redis_conn.zcard(f"{settings.redis_prefix}:exports:{client}")
        assert running == 1, "the finished export gave its slot back"
    finally:
        for lease in held:
            lease.release()
        api_keys.revoke(redis_conn, settings.redis_prefix, record.id)


def _raw(api, path: str, params: dict, encoding: str):
    """The response to ``path`` asked with ``Accept-Encoding: encoding``, and its body as
    sent (not decoded)."""
    response = api.get(path, params=params, headers={"Accept-Encoding": encoding}, stream=True)
    return response, response.raw.read(decode_content=False)


def test_pages_and_exports_come_compressed_to_a_client_that_asks(api, token, exported):
    import gzip
    import zlib

    params = {"q": token, "size": COUNT, "sort": "newest"}
    plain, plain_body = _raw(api, "/v1/search", params, "identity")
    packed, packed_body = _raw(api, "/v1/search", params, "gzip")
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert json.loads(gzip.decompress(packed_body)) == json.loads(plain_body)
    assert len(packed_body) < len(plain_body) / 3

    # an export streams deflate; a client that takes only gzip gets it plain
    params = {"q": token, "format": "ndjson"}
    plain, plain_body = _raw(api, "/v1/export", params, "identity")
    packed, packed_body = _raw(api, "/v1/export", params, "gzip, deflate")
    gzip_only, gzip_only_body = _raw(api, "/v1/export", params, "gzip")
    assert packed.headers["Content-Encoding"] == "deflate"
    assert "Content-Encoding" not in gzip_only.headers and gzip_only_body == plain_body
    assert zlib.decompress(packed_body) == plain_body
    assert len(plain_body.splitlines()) == COUNT

    # errors stay plain JSON
    error, error_body = _raw(api, "/v1/search", {"q": token, "persn": "x" * 600}, "gzip")
    assert error.status_code == 400 and "Content-Encoding" not in error.headers
    assert json.loads(error_body)["error"]["code"]
