"""Rebuilding the entities index from the articles (indexer/entity_rebuild.py) on the real
stack: labels no article holds go, and entities the worker writes while the rebuild reads, or
just before its swap, are in the new index."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import admin, entity_rebuild, entity_records, entity_store, reindex

NEWSARCHIVE = Path(sys.executable).with_name("newsarchive")


def _surname(token: str, n: int) -> str:
    """A surname no other article has, that the NER model tags after "Bürgermeister Hinnerk"."""
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in f"{token[2:]}{n:x}")
    return letters.capitalize()


def _article(token: str, n: int) -> dict:
    return {"external_id": f"rebuild-{token}-{n}", "language": "de", "title": f"Meldung {n}",
            "text": f"Der Bürgermeister Hinnerk {_surname(token, n)} sagte am Montag in Hamburg, "
                    f"die Stadt werde helfen. Stichwort {token}."}



def _persons(es, settings, token: str) -> dict[str, str]:
    """external_id -> the id of the person its article names."""
    es.indices.refresh(index=settings.articles_alias)
    hits = es.search(index=settings.articles_alias, query={"match": {"body": token}}, size=50,
                     _source=["external_id", "persons"])["hits"]["hits"]
    return {hit["_source"]["external_id"]: hit["_source"]["persons"][0]["id"] for hit in hits}


def test_a_rebuild_drops_labels_no_article_holds_and_loses_no_write(api, es, settings, stack,
                                                                     token):
    alias = settings.entities_alias
    api.wait_for_job(api.send_bulk([_article(token, n) for n in range(2)]), timeout=120)
    persons = _persons(es, settings, token)
    first = persons[f"rebuild-{token}-0"]
    name = f"Hinnerk {_surname(token, 0)}"
    assert es.get(index=alias, id=first)["_source"]["name"] == name
    # What an older pipeline left: a label and an alias no stored article holds any more.
    entity_store.write_entities(es, alias, {first: {
        "id": first, "type": "PER", "name": f"Hinnerk #{_surname(token, 0)}",
        "labels": [f"Hinnerk #{_surname(token, 0)}"], "aliases": ["Bürgermeister Hinnerk"]}})
    assert "Bürgermeister Hinnerk" in es.get(index=alias, id=first)["_source"]["aliases"]

    jobs = []

    def write_while_reading(_read):   # after the rebuild opened its snapshot of the articles
        if not jobs:
            jobs.append(api.send_bulk([_article(token, n) for n in range(2, 5)]))

    def wait_for_writers():
        job = api.wait_for_job(jobs[0], timeout=120)
        assert job["counts"]["failed"] == 0, job

    before = admin.alias_target(es, alias)
    # An older way back, left by an earlier rebuild, and an index some alias still points to.
    older, aliased = f"{alias}-v1-{token}", f"{alias}-v1-{token}-aliased"
    es.indices.create(index=older)
    es.indices.create(index=aliased, aliases={f"{token}-keep": {}})
    report = entity_rebuild.rebuild(es, settings.index_prefix, mappings_dir=settings.mappings_dir,
                                    progress=write_while_reading, before_swap=wait_for_writers)

    assert jobs
    after = admin.alias_target(es, alias)
    assert after.index == report.target != before.index
    assert report.target.startswith(f"{settings.index_prefix}-entities-v{after.version}-")
    assert reindex.migration_target(es, alias) is None
    assert es.indices.exists(index=before.index)   # kept: a way back
    assert older in report.deleted_older and not es.indices.exists(index=older)   # one, not all
    assert aliased not in report.deleted_older and es.indices.exists(index=aliased)
    es.indices.delete(index=aliased)
    assert report.articles >= 2 and report.target_count > 0

    stored = es.get(index=alias, id=first)["_source"]
    assert stored["name"] == name and stored["labels"] == [name]
    assert "Bürgermeister Hinnerk" not in stored.get("aliases", [])
    # Every person of every article, also of those the worker stored during the rebuild.
    persons = _persons(es, settings, token)
    assert len(persons) == 5
    found = es.mget(index=alias, ids=sorted(set(persons.values())))["docs"]
    assert all(doc["found"] for doc in found), [d["_id"] for d in found if not d["found"]]


def test_a_worker_that_looks_after_the_swap_repeats_its_records(es, settings, articles_index,
                                                                token):
    alias = settings.entities_alias
    entity_id = f"per-{token}-late"
    records = {entity_id: entity_records.record_for(
        {"id": entity_id, "type": "PER", "name": f"Lena {token}", "aliases": ["Lena"]})}
    written = []

    def write_in_the_old_index():   # the records (and their articles) land before the swap
        written.append(entity_store.write_entities(es, alias, records))

    report = entity_rebuild.rebuild(es, settings.index_prefix, mappings_dir=settings.mappings_dir,
                                    before_swap=write_in_the_old_index)
    assert written[0].index == report.source and written[0].count == 1
    assert not es.exists(index=alias, id=entity_id)   # the rebuild read no article of it

    entity_store.mirror_records(es, alias, records, written[0].index)   # the late look
    assert es.get(index=alias, id=entity_id)["_source"]["aliases"] == ["Lena"]


def test_a_rebuild_needs_the_indices(es, settings, token):
    with pytest.raises(entity_rebuild.RebuildError, match="create-index"):
        entity_rebuild.rebuild(es, f"test-{token}", mappings_dir=settings.mappings_dir)



def test_reenrich_with_rebuild_entities_leaves_only_current_names(api, es, settings, token):
    """The command line: re-enrich one article, then rebuild the entities index from all."""
    api.wait_for_job(api.send_bulk([_article(token, 0)]), timeout=120)
    person = _persons(es, settings, token)[f"rebuild-{token}-0"]   # refreshes the articles
    article_id = es.search(index=settings.articles_alias, query={"match": {"body": token}},
                           _source=False)["hits"]["hits"][0]["_id"]
    stale = f"Hinnerk #{_surname(token, 0)}"
    entity_store.write_entities(es, settings.entities_alias, {person: {
        "id": person, "type": "PER", "name": stale, "labels": [stale]}})
    before = admin.alias_target(es, settings.entities_alias)

    result = subprocess.run([str(NEWSARCHIVE), "reenrich", "--id", article_id,
                             "--rebuild-entities", "--timeout", "120"], env=os.environ.copy(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    after = admin.alias_target(es, settings.entities_alias)
    assert "queued 1 articles for re-enrichment" in result.stdout
    assert f"{before.index} -> {after.index}" in result.stdout and "old index kept" in result.stdout
    # stderr is no terminal: the progress comes a line per page, not written over with "\r"
    assert "queued 1/1\n" in result.stderr and "\r" not in result.stderr
    assert re.search(r"^read \d+ articles$", result.stderr, re.M)
    assert es.get(index=settings.entities_alias, id=person)["_source"]["labels"] == [
        f"Hinnerk {_surname(token, 0)}"]

    result = subprocess.run([str(NEWSARCHIVE), "rebuild-entities", "--abort"],
                            env=os.environ.copy(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "no rebuild is running" in result.stdout, result.stderr
