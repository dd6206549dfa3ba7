"""The five sample articles through the real path make run uses (CLI -> API -> Celery -> ES):
each is found by words of its body, no clutter line is indexed, and the person facet has one
bucket per real person with the right article count."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.identity import article_id

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_IDS = {path.stem: article_id(external_id=path.stem) for path in (ROOT / "samples").glob("*.txt")}

# Words of each sample's body (compounds, inflections and transliterations included) that the
# German analysis must find, and clutter lines that must not be in any indexed body.
FOUND_BY = {
    "000_1d70c6a37406fa0c": ["Rüstungsgespräch", "Waffenausstellung", "Peskow"],
    "001_8cb086cdd1b0a5e1": ["Waffenverkaeufe", "Panzerzug", "Wladiwostok"],
    "002_13fc5d182ca531a0": ["Vernichtung", "Raketen", "Schurkenregime", "Massenvernichtungswaffenprogramm"],
    "003_35686e7d763b10ba": ["Militärparade", "Koreakrieg", "Schriftwechsel"],
    "004_aaeedc389320243a": ["Lieferungen", "Panzerabwehrwaffe", "Lebensmittelhilfe"],
}
CLUTTER = ["Anzeige_2", "Quellenlink", "Kommentar (0)", "Erhalten Sie kostenlose Updates",
           "ttn-de-58", "Schreibe einen Kommentar", "Foto: Susan Walsh", "Putin gibt sich siegessicher",
           "redaktion@radiocentral.ch", "Nachrichten | heute"]
PERSONS = {"Kim Jong Un": 5, "Wladimir Putin": 5, "Sergej Schoigu": 5, "Adrienne Watson": 4,
           "John Kirby": 4, "Jake Sullivan": 2, "Dmitri Peskow": 1}


@pytest.fixture(scope="module")
def loaded(stack, settings, es, api_key):
    env = {**os.environ, "NEWSARCHIVE_ES_URL": settings.es_url, "NEWSARCHIVE_REDIS_URL": settings.redis_url,
           "NEWSARCHIVE_INDEX_PREFIX": settings.index_prefix, "NEWSARCHIVE_API_KEY": api_key}
    result = subprocess.run([sys.executable, "-m", "indexer.cli", "import", "--api", stack, "--wait",
                             str(ROOT / "samples")], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    es.indices.refresh(index=settings.articles_alias)
    return settings.articles_alias


def only_samples(query: dict) -> dict:
    return {"bool": {"must": [query], "filter": [{"ids": {"values": list(SAMPLE_IDS.values())}}]}}


@pytest.mark.parametrize(("stem", "word"), [(stem, w) for stem, words in FOUND_BY.items() for w in words])
def test_each_sample_is_found_by_words_of_its_body(es, loaded, stem, word):
    hits = es.search(index=loaded, query=only_samples({"match": {"body_de": word}}), size=5)["hits"]["hits"]
    assert SAMPLE_IDS[stem] in [hit["_id"] for hit in hits]


@pytest.mark.parametrize("line", CLUTTER)
def test_no_clutter_line_is_indexed(es, loaded, line):
    found = es.search(index=loaded, query=only_samples({"match_phrase": {"body.exact": line}}), size=5)
    assert found["hits"]["total"]["value"] == 0
    for source in (hit["_source"] for hit in es.search(index=loaded, query=only_samples({"match_all": {}}),
                                                           size=5)["hits"]["hits"]):
        assert line not in source["body"]


def test_person_facet_has_one_bucket_per_real_person(es, loaded):
    result = es.search(index=loaded, query=only_samples({"match_all": {}}), size=0,
                       aggs={"persons": {"terms": {"field": "facet_persons", "size": 50}}})
    buckets = {b["key"].split("|", 1)[1]: b["doc_count"] for b in result["aggregations"]["persons"]["buckets"]}
    assert buckets == PERSONS
