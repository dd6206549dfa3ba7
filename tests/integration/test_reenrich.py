"""Re-enrichment (indexer/reenrich.py) on the real stack: ``newsarchive reenrich`` sends
stored articles through the worker's current pipeline again, keeps their ids and given
fields, and never overwrites a write or undoes a delete made while it runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from indexer import jobs, reenrich, tasks

NEWSARCHIVE = Path(sys.executable).with_name("newsarchive")
TEXT = ("Kim Jong Un traf Wladimir Putin am Mittwoch in Wladiwostok. Der Kreml sprach von "
        "Gesprächen über Rüstung. Stichwort {token}.")


def _ingest(api, article: dict) -> str:
    response = api.post("/v1/articles", json=article)
    assert response.status_code == 202, response.text
    api.wait_for_job(response.json()["job_id"])
    return response.json()["article_id"]


def _stored(es, settings, article_id: str) -> dict | None:
    found = es.options(ignore_status=404).get(index=settings.articles_alias, id=article_id)
    return found["_source"] if found.get("found") else None


def test_reenrich_brings_an_old_article_up_to_the_current_pipeline(api, es, settings, token):
    article_id = _ingest(api, {"external_id": f"reenrich-{token}", "outlet": "Altes Blatt",
                               "text": TEXT.format(token=token)})
    current = _stored(es, settings, article_id)
    assert {p["name"] for p in current["persons"]} >= {"Kim Jong Un", "Wladimir Putin"}
    # The same article as an older pipeline stored it: no entities found yet, and a raw
    # that kept only the text (so outlet, date and language count as given).
    old = {**current, "persons": [], "facet_persons": [], "organizations": [],
           "facet_organizations": [], "places": [], "facet_places": [], "entities": [],
           "raw": {"text": current["raw"]["text"]}}
    es.index(index=settings.articles_alias, id=article_id, document=old, refresh=True)

    result = subprocess.run([str(NEWSARCHIVE), "reenrich", "--id", article_id, "--wait",
                             "--timeout", "120"], env=os.environ.copy(), capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "queued 1 articles for re-enrichment" in result.stdout

    again = _stored(es, settings, article_id)
    assert {p["name"] for p in again["persons"]} >= {"Kim Jong Un", "Wladimir Putin"}
    assert again["facet_persons"] == current["facet_persons"]
    assert (again["outlet"], again["language"], again["external_id"]) == \
        ("Altes Blatt", current["language"], f"reenrich-{token}")
    hits = api.get("/v1/search", params={"q": token}).json()
    assert [r["id"] for r in hits["results"]] == [article_id]   # the same id, no copy


def test_a_write_or_delete_during_reenrichment_wins(api, es, redis_conn, settings, token):
    kept_id = _ingest(api, {"external_id": f"reenrich-{token}-kept",
                            "text": TEXT.format(token=token)})
    gone_id = _ingest(api, {"external_id": f"reenrich-{token}-gone",
                            "text": TEXT.format(token=token)})
    # As the scan reads them (a real-time get: the job's writes need not be refreshed yet).
    read = {hit["_id"]: reenrich.raw_article(hit) for hit in es.mget(
        index=settings.articles_alias, ids=[kept_id, gone_id],
        source=reenrich.SOURCE_FIELDS)["docs"]}
    assert set(read) == {kept_id, gone_id}
    # Meanwhile: the first article is sent again with a new text, the second is deleted.
    newer = f"Neue Fassung: Putin empfängt Kim. Stichwort {token}."
    _ingest(api, {"external_id": f"reenrich-{token}-kept", "text": newer})
    assert api.delete(f"/v1/articles/{gone_id}").status_code == 204

    job_id = jobs.create_job(redis_conn, settings.redis_prefix, 2, source=reenrich.JOB_SOURCE,
                             ttl=600)
    outcome = tasks.run_batch(es, redis_conn, settings, job_id,
                              [read[kept_id], read[gone_id]], [0, 1])
    assert outcome == {"indexed": 2, "failed": 0}   # both done: nothing stale is left
    assert _stored(es, settings, kept_id)["body"] == newer
    assert _stored(es, settings, gone_id) is None
