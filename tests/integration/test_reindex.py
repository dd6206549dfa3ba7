"""Zero-downtime reindex (indexer/reindex.py) on the real stack: the articles go into
the next index version while the worker writes, the API deletes and clients search;
after the atomic swap every write made during the copy is there and searches never
failed."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
import requests

from indexer import admin, api_keys, reindex


def _article(token: str, name: str, title: str) -> dict:
    return {"external_id": f"reindex-{token}-{name}", "language": "de", "title": title,
            "text": f"Eine Meldung {name} über den Hafen von Hamburg. Stichwort {token}."}


@pytest.fixture
def next_mappings(tmp_path, es, settings):
    """A mappings folder with the current files plus the next articles version (the same
    definition with one more field), as a real mapping change would bring."""
    current = admin.alias_target(es, settings.articles_alias)
    for path in settings.mappings_dir.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    _, latest = admin.latest_mapping(settings.mappings_dir)
    definition = json.loads(latest.read_text(encoding="utf-8"))
    version = current.version + 1
    definition["mappings"]["_meta"]["version"] = version
    definition["mappings"]["properties"]["reindex_probe"] = {"type": "keyword"}
    (tmp_path / f"articles-v{version}.json").write_text(json.dumps(definition), encoding="utf-8")
    return tmp_path, current


def test_reindex_loses_no_write_made_during_the_copy(api, es, settings, stack, token,
                                                     next_mappings):
    mappings_dir, before = next_mappings
    first = [_article(token, f"a{i}", f"Alte Meldung {i}") for i in range(40)]
    api.wait_for_job(api.send_bulk(first), timeout=120)
    deadline = time.monotonic() + 30
    while api.get("/v1/search", params={"q": token}).json()["total"] < 40:
        assert time.monotonic() < deadline, "articles not searchable"
        time.sleep(0.3)
    by_external = {r["external_id"]: r["id"] for r in api.get("/v1/search", params={
        "q": token, "size": 100}).json()["results"]}
    assert len(by_external) == 40

    # Readers: search the whole time; every answer must be a 200 with all old articles.
    failures, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            response = api.get("/v1/search", params={"q": token, "size": 1})
            if response.status_code != 200 or response.json()["total"] < 30:
                failures.append((response.status_code, response.text[:200]))
            time.sleep(0.05)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    # Writers, started once the copy has begun: new articles, updates, deletes.
    new = [_article(token, f"n{i}", f"Neue Meldung {i}") for i in range(60)]
    updated = [_article(token, f"a{i}", f"Geänderte Meldung {i}") for i in range(0, 10)]
    deleted = [f"reindex-{token}-a{i}" for i in range(30, 40)]
    jobs, started = [], threading.Event()

    def write_during_copy(_copied):
        if started.is_set():
            return
        started.set()
        jobs.append(api.send_bulk(new))
        jobs.append(api.send_bulk(updated))
        for external_id in deleted:
            assert api.delete(f"/v1/articles/{by_external[external_id]}").status_code == 204

    def wait_for_writers():  # the swap happens only after every write of the copy window
        for job_id in jobs:
            job = api.wait_for_job(job_id, timeout=120)
            assert job["counts"]["failed"] == 0, job

    try:
        report = reindex.reindex(es, settings.index_prefix, mappings_dir=mappings_dir,
                                 page_size=10, progress=write_during_copy,
                                 before_swap=wait_for_writers)
    finally:
        stop.set()
        reader.join(timeout=10)

    assert started.is_set() and not failures, failures[:3]
    after = admin.alias_target(es, settings.articles_alias)
    assert after.index == report.target != before.index and after.version == before.version + 1
    assert report.target_count == report.source_count
    assert reindex.migration_target(es, settings.articles_alias) is None

    es.indices.refresh(index=report.target)
    hits = es.search(index=settings.articles_alias, query={"match": {"body": token}}, size=200,
                     _source=["external_id", "title"])["hits"]["hits"]
    found = {h["_source"]["external_id"]: h["_source"]["title"] for h in hits}
    expected = {a["external_id"] for a in first + new} - set(deleted)
    assert set(found) == expected
    for a in updated:
        assert found[a["external_id"]] == a["title"]
    for external_id in deleted:
        assert api.get(f"/v1/articles/{by_external[external_id]}").status_code == 404
    # The old index is kept (a way back) and no longer behind the alias.
    assert es.indices.exists(index=before.index)


def test_a_writer_that_looks_after_the_swap_repeats_its_write_in_the_new_index(
        api, es, settings, stack, token, next_mappings):
    """The window the migration alias cannot cover: a write lands in the old index after
    the copy read its snapshot, and its writer looks for the migration alias only after the
    swap removed it. The writer sees that the alias serves another index now and repeats the
    write (and a delete) there."""
    mappings_dir, _ = next_mappings
    api.wait_for_job(api.send_bulk([_article(token, f"w{i}", f"Meldung {i}") for i in range(2)]),
                     timeout=120)
    es.indices.refresh(index=settings.articles_alias)
    kept, gone = (hit["_source"] for hit in es.search(
        index=settings.articles_alias, query={"match": {"body": token}}, size=2,
        sort=[{"external_id": "asc"}])["hits"]["hits"])
    late = {**kept, "id": kept["id"] + "-late", "external_id": f"reindex-{token}-late",
            "title": "Spät geschrieben"}
    writes = {}

    def write_in_the_old_index():   # after the copy, before the swap; the look comes later
        written = es.index(index=settings.articles_alias, id=late["id"], document=late)
        deleted = es.delete(index=settings.articles_alias, id=gone["id"])
        writes["index"] = (written["_index"], written["_version"])
        writes["delete"] = (deleted["_index"], deleted["_version"])

    report = reindex.reindex(es, settings.index_prefix, mappings_dir=mappings_dir,
                             before_swap=write_in_the_old_index)
    assert writes["index"][0] == report.source
    assert reindex.repeat_targets(es, settings.articles_alias, report.source) == [report.target]
    assert reindex.repeat_targets(es, settings.articles_alias, report.target) == []
    assert not es.exists(index=report.target, id=late["id"])   # the copy could not see it

    reindex.mirror_index(es, settings.articles_alias, {late["id"]: late},
                         {late["id"]: writes["index"]})
    reindex.mirror_delete(es, settings.articles_alias, gone["id"], *writes["delete"])

    assert es.get(index=settings.articles_alias, id=late["id"])["_source"]["title"] == \
        "Spät geschrieben"
    assert not es.exists(index=settings.articles_alias, id=gone["id"])
    assert es.exists(index=settings.articles_alias, id=kept["id"])


def test_reindex_refuses_without_a_newer_mapping_file(es, settings, articles_index):
    with pytest.raises(reindex.ReindexError, match="add articles-v"):
        reindex.reindex(es, settings.index_prefix, mappings_dir=settings.mappings_dir)


# --- the same through the API (POST /v1/admin/reindex, run by the worker) ------------------

def test_the_admin_endpoint_needs_an_admin_key_and_a_newer_mapping(api, stack, redis_conn,
                                                                   settings):
    write_key, record = api_keys.create(redis_conn, settings.redis_prefix, "reindex test", "write")
    try:
        response = requests.post(f"{stack}/v1/admin/reindex", timeout=30,
                                 headers={"Authorization": f"Bearer {write_key}"})
        assert response.status_code == 403, response.text
    finally:
        api_keys.revoke(redis_conn, settings.redis_prefix, record.id)
    assert requests.post(f"{stack}/v1/admin/reindex", timeout=30).status_code == 401
    error = api.post("/v1/admin/reindex").json()["error"]
    assert error["code"] == "nothing_to_reindex" and "add articles-v" in error["message"]
    assert api.get("/v1/admin/reindex/" + "0" * 32).status_code == 404


def test_a_reindex_started_through_the_api_runs_on_the_worker(api, es, settings, token):
    repo_mappings = Path(__file__).resolve().parents[2] / "mappings"
    if settings.mappings_dir.resolve() == repo_mappings.resolve():
        pytest.fail("the stack reads the repository's mapping files; make test points "
                    "NEWSARCHIVE_MAPPINGS_DIR at a copy this test may add a version to")
    before = admin.alias_target(es, settings.articles_alias)
    _, latest = admin.latest_mapping(settings.mappings_dir)
    definition = json.loads(latest.read_text(encoding="utf-8"))
    definition["mappings"]["_meta"]["version"] = before.version + 1
    path = settings.mappings_dir / f"articles-v{before.version + 1}.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    try:
        api.wait_for_job(api.send_bulk([_article(token, "api", "Über die API")]), timeout=120)
        response = api.post("/v1/admin/reindex")
        assert response.status_code == 202, response.text
        run = response.json()
        assert run["state"] in ("queued", "running")
        again = api.post("/v1/admin/reindex")
        assert again.status_code == 409
        deadline = time.monotonic() + 120
        while run["state"] in ("queued", "running"):
            assert time.monotonic() < deadline, run
            time.sleep(0.5)
            run = api.get(f"/v1/admin/reindex/{run['id']}").json()
        assert run["state"] == "completed", run
        assert run["report"]["target"] == admin.alias_target(es, settings.articles_alias).index
        assert run["report"]["target_count"] == run["report"]["source_count"] >= 1
    finally:
        path.unlink()
