"""benchmarks/corpus.py: determinism and document shape on a tiny fake base set (no NER model,
no services)."""

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks import corpus  # noqa: E402
from indexer import pipeline  # noqa: E402

NAMES = {"Angela Merkel": "PER", "Merkel": "PER", "Olaf Scholz": "PER", "Siemens": "ORG",
         "Deutsche Bahn": "ORG", "Berlin": "LOC", "Wien": "LOC", "Hamburg": "LOC"}
_NAME = re.compile("|".join(sorted(map(re.escape, NAMES), key=len, reverse=True)))


def fake_ner(text: str, **_) -> list[dict]:
    return [{"text": m.group(0), "type": NAMES[m.group(0)], "start": m.start(), "end": m.end()}
            for m in _NAME.finditer(text)]


ARTICLE = ("Angela Merkel besuchte am Montag Berlin. Dort sprach sie mit Olaf Scholz über die "
           "Deutsche Bahn. Merkel lobte die Pünktlichkeit der Züge.\n\n"
           "Siemens kündigte in Wien neue Züge an. Die Auslieferung soll im März 2024 beginnen. "
           "Der Konzern rechnet mit hohen Umsätzen.\n\n"
           "In Hamburg protestierten Fahrgäste gegen die Preise. Die Polizei meldete keine "
           "Zwischenfälle. Die Demonstration endete am Abend.\n\n"
           "Olaf Scholz kündigte eine Prüfung an. Ein Ergebnis soll es im Sommer geben.")
RAWS = [
    {"text": ARTICLE, "title": "Merkel in Berlin", "external_id": "bench:wikinews:1",
     "metadata": {"bench_source": "wikinews", "date": "2015-03-02"}},
    {"text": ARTICLE.replace("\n\n", " "), "external_id": "bench:10kgnad:00001",
     "metadata": {"bench_source": "10kgnad", "category": "Inland"}},
    {"text": "Siemens baut in Hamburg ein Werk. Die Deutsche Bahn bestellt Züge. Berlin jubelt. "
             "Wien schaut zu. Die Arbeiten beginnen im Juni.", "title": "Neues Werk",
     "external_id": "bench:smartdata:7", "url": "https://www.welt.de/wirtschaft/werk.html",
     "published_at": "2016-05-04T10:00:00Z", "metadata": {"bench_source": "smartdata-news"}},
    {"text": "A7 Hamburg Richtung Hannover 5 km Stau", "external_id": "bench:smartdata:9",
     "metadata": {"bench_source": "smartdata-rss"}},
    *corpus.frontpage_articles([
        json.dumps({"url": "https://www.zeit.de/a", "outlet": "zeit.de", "section": "index",
                    "first_seen": "2025-12-29T14:12:05", "title": "Scholz trifft Merkel in Berlin",
                    "teaser": "Olaf Scholz und Angela Merkel sprachen über die Bahn."}),
        json.dumps({"url": "https://www.faz.net/b", "outlet": "faz.net", "section": "politik",
                    "first_seen": "2026-01-02T08:00:00", "title": "Siemens liefert Züge nach Wien",
                    "teaser": None}),
    ]),
]


@pytest.fixture(scope="module")
def bases():
    return [corpus.process_base(raw, extract=fake_ner) for raw in RAWS]


def test_frontpage_articles_take_headline_teaser_outlet_and_utc_time():
    first, second = RAWS[-2:]
    assert first["title"] == "Scholz trifft Merkel in Berlin"
    assert first["text"].startswith("Olaf Scholz")
    assert first["outlet"] == "zeit.de" and first["published_at"] == "2025-12-29T14:12:05+00:00"
    assert first["external_id"] == "bench:frontpage:00000"
    assert second["text"] == second["title"]   # no teaser: the headline is the text


def test_text_units_are_paragraphs_or_sentence_groups_without_surrounding_space():
    body = "  Erster Absatz.\nZweiter Absatz. \n\nDritter."
    assert [body[s:e] for s, e in corpus.text_units(body)] == [
        "Erster Absatz.", "Zweiter Absatz.", "Dritter."]
    one = "Eins ist hier. Zwei ist da. Drei kommt. Vier geht. Fünf bleibt."
    assert [one[s:e] for s, e in corpus.text_units(one)] == [
        "Eins ist hier. Zwei ist da. Drei kommt.", "Vier geht. Fünf bleibt."]


def test_process_base_runs_the_pipeline_and_keeps_the_raw_mentions(bases):
    wikinews, gnad, news, rss = bases[:4]
    assert wikinews["source"] == "wikinews" and wikinews["title"] == "Merkel in Berlin"
    assert wikinews["published_at"].startswith("2015-03-02")   # from the metadata date
    assert len(wikinews["units"]) == 4 and len(gnad["units"]) >= 3
    assert gnad["group"] == "Inland" and news["outlet"] and rss["source"] == "smartdata-rss"
    for base in bases:
        for m in base["mentions"]:
            assert base["body"][m["start"]:m["end"]] == m["text"]


def test_compose_moves_mentions_with_their_text(bases):
    wikinews, gnad = bases[:2]
    body, mentions = corpus.compose([(wikinews, 1, 3), (gnad, 0, 1)])
    assert body.split("\n\n")[0].startswith("Siemens")
    assert {m["text"] for m in mentions} >= {"Siemens", "Wien", "Hamburg", "Angela Merkel"}
    for m in mentions:
        assert body[m["start"]:m["end"]] == m["text"]


def test_documents_are_deterministic_for_a_seed(bases):
    first = list(corpus.iter_documents(bases, 40, seed=7))
    again = list(corpus.iter_documents(bases, 40, seed=7))
    other = list(corpus.iter_documents(bases, 40, seed=8))
    assert first == again
    assert [d["id"] for d in first] != [d["id"] for d in other]
    assert [d["body"] for d in first] != [d["body"] for d in other]
    pools = corpus.Pools.of(bases)
    assert corpus.make_document(pools, 17, seed=7) == first[17]   # i depends on i only


def test_documents_have_the_shape_the_pipeline_stores(bases):
    docs = list(corpus.iter_documents(bases, 120, seed=3))
    assert len({d["id"] for d in docs}) == len(docs)
    assert {d["metadata"]["bench_kind"] for d in docs} == set(corpus.KINDS)
    mapping = json.loads((corpus.ROOT / "mappings" / "articles-v1.json").read_text())
    properties = set(mapping["mappings"]["properties"])
    for doc in docs:
        pipeline.validate(doc)
        assert set(doc) <= properties
        assert doc["external_id"].startswith("bench:3:")
        assert doc["raw"]["text"] == doc["body"]
        assert doc["language"] == "de" and doc["body_de"] == doc["body"]
        assert doc.get("title_de") == doc.get("title")
        assert doc["ingested_at"] == corpus.INGESTED_AT.isoformat()
        if "published_at" in doc:
            assert corpus.FIRST_YEAR <= int(doc["published_at"][:4]) <= 2026
        for field in ("persons", "organizations", "places"):
            assert doc.get(f"facet_{field}", []) == [
                f"{e['id']}|{e['name']}" for e in doc.get(field, [])]
        for entity in doc.get("entities", []):
            for m in entity["mentions"]:
                assert doc["body"][m["start"]:m["end"]] == m["text"]
        names = {e["name"] for e in doc.get("persons", [])}
        if "Angela Merkel" in doc["body"]:
            assert "Angela Merkel" in names
        if not re.search(r"Merkel", doc["body"]):
            assert "Angela Merkel" not in names
    # "am Montag" is resolved against each document's own published date
    dated = [d for d in docs if "am Montag" in d["body"] and "published_at" in d]
    assert dated and all(d.get("mentioned_dates") for d in dated)


def test_entity_fields_match_the_pipeline_entities_step(monkeypatch):
    monkeypatch.setattr("indexer.enrich.entities.extract_entities", fake_ner)
    doc = pipeline.entities_step({"body": ARTICLE})
    fields = corpus.entity_fields(doc["entities"])
    assert fields == {key: doc[key] for key in fields}


def test_only_benchmark_prefixes_are_accepted():
    corpus.check_prefix("test-bench")
    corpus.check_prefix("bench-newsarchive")
    with pytest.raises(SystemExit):
        corpus.check_prefix("newsarchive")


class FakeES:
    """count() and get() over a dict of stored documents."""

    def __init__(self, docs):
        self.docs = {doc["id"]: json.loads(json.dumps(doc)) for doc in docs}

    def count(self, index):
        return {"count": len(self.docs)}

    def get(self, index, id):
        if id not in self.docs:
            from elasticsearch import NotFoundError
            raise NotFoundError("not found", meta=None, body={})
        return {"_source": self.docs[id]}


def test_holds_corpus_compares_count_and_whole_documents(bases):
    docs = list(corpus.iter_documents(bases, 30, seed=5))
    assert corpus.holds_corpus(FakeES(docs), "a", bases, 30, 5)
    assert not corpus.holds_corpus(FakeES(docs[:29]), "a", bases, 30, 5)
    assert not corpus.holds_corpus(FakeES(docs), "a", bases, 30, 6)
    changed = [dict(doc) for doc in docs]
    changed[15]["persons"] = []          # same text, other entities (e.g. a new NER model)
    assert not corpus.holds_corpus(FakeES(changed), "a", bases, 30, 5)
