import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.schemas import ArticleSchema
from indexer import admin, identity, pipeline
from indexer.parse import ParseError, read_file

NOW = dt.datetime(2023, 8, 30, 17, 0, tzinfo=dt.UTC)


def mapping_properties() -> set[str]:
    _, path = admin.latest_mapping()
    return set(json.loads(Path(path).read_text())["mappings"]["properties"])


def test_document_fields_match_the_newest_mapping():
    assert set(pipeline.DOCUMENT_FIELDS) == mapping_properties()


def test_article_response_schema_matches_the_newest_mapping():
    assert set(ArticleSchema().fields) == mapping_properties()


def test_every_sample_becomes_a_valid_document(sample_paths):
    for path in sample_paths:
        [item] = read_file(path)
        doc = pipeline.process(item.article, now=NOW)
        assert doc["id"] == identity.article_id(external_id=path.stem)
        assert doc["external_id"] == path.stem
        assert doc["language"] == "de"
        assert doc["raw"]["text"] == item.article["text"]
        assert doc["word_count"] > 200
        assert doc["ingested_at"] == "2023-08-30T17:00:00+00:00"
        pipeline.validate(doc)


def test_process_is_deterministic_apart_from_ingested_at(sample_paths):
    [item] = read_file(sample_paths[0])
    first = pipeline.process(dict(item.article), now=NOW)
    assert pipeline.process(dict(item.article), now=NOW) == first


def test_title_is_explicit_or_found_in_the_text():
    text = "Kim will Putin treffen\n\nNordkoreas Machthaber will nach Russland reisen, sagte ein Beamter am Montag."
    assert pipeline.process({"text": text})["title"] == "Kim will Putin treffen"
    assert pipeline.process({"text": text, "title": "Gegeben"})["title"] == "Gegeben"


def test_language_is_given_or_detected():
    assert pipeline.process({"text": "Hallo Welt", "language": "en"})["language"] == "en"
    german = "Die Bundesregierung hat am Mittwoch in Berlin neue Sanktionen gegen Russland beschlossen."
    assert pipeline.process({"text": german})["language"] == "de"
    english = "The government announced new sanctions against Russia on Wednesday in London."
    assert pipeline.process({"text": english})["language"] == "en"


def test_clutter_lines_do_not_reach_the_body_but_their_agency_does(sample_paths):
    [item] = read_file(next(p for p in sample_paths if p.stem.startswith("004")))
    doc = pipeline.process(item.article, now=NOW)
    assert "Quelle: dpa, AFP" not in doc["body"]
    assert "Putin gibt sich siegessicher" not in doc["body"]
    assert doc["agencies"] == ["dpa", "AFP"]


def test_entities_become_canonical_persons_with_facet_labels(sample_paths):
    [item] = read_file(next(p for p in sample_paths if p.stem.startswith("003")))
    doc = pipeline.process(item.article, now=NOW)
    assert {"id": "per-kim-jong-un", "name": "Kim Jong Un"} in doc["persons"]
    assert "per-kim-jong-un|Kim Jong Un" in doc["facet_persons"]
    assert all(not key.startswith("_") for key in doc)


def test_empty_fields_are_dropped():
    doc = pipeline.process({"text": "Text", "metadata": {}})
    assert "metadata" not in doc and "url" not in doc and "external_id" not in doc


def test_text_id_comes_from_the_cleaned_text():
    assert pipeline.process({"text": "Kim   trifft  Putin"})["id"] == \
        pipeline.process({"text": "Kim trifft Putin\n"})["id"]


def test_api_id_matches_the_worker_id():
    for raw in ({"text": " a  b "}, {"text": "x", "url": "https://e.org/a?utm_x=1"},
                {"text": "x", "external_id": "e"}, {"html": "<p>Absatz</p>"}):
        assert pipeline.article_id_for(dict(raw)) == pipeline.process(dict(raw))["id"]


def test_id_given_by_the_api_is_kept():
    assert pipeline.process({"text": "t", "id": "abc"})["id"] == "abc"


def test_a_step_that_breaks_the_contract_is_caught(monkeypatch):
    monkeypatch.setattr(pipeline, "ENRICH_STEPS", [lambda doc: {**doc, "sentiment": 1}])
    with pytest.raises(pipeline.DocumentError, match="sentiment"):
        pipeline.process({"text": "t"})


def test_steps_are_pluggable(monkeypatch):
    def shout(doc):
        doc["body"] = doc["body"].upper()
        return doc
    monkeypatch.setattr(pipeline, "CLEAN_STEPS", [shout])
    assert pipeline.process({"text": "leise"})["body"] == "LEISE"


def test_cleaning_everything_away_is_a_parse_error(monkeypatch):
    monkeypatch.setattr(pipeline, "CLEAN_STEPS", [lambda doc: {**doc, "body": ""}])
    with pytest.raises(ParseError, match="^text: no article text left"):
        pipeline.process({"text": "Nur Werbung"})


@pytest.mark.parametrize("doc, message", [
    ({"id": "a", "body": "b", "language": "de"}, "required document fields missing"),
    ({"id": "a", "body": "b", "language": "de", "content_hash": "h", "word_count": True,
      "ingested_at": "t", "raw": {}}, "word_count: expected int"),
    ({"id": "a", "body": "b", "language": "de", "content_hash": "h", "word_count": 1,
      "ingested_at": "t", "raw": {}, "agencies": "dpa"}, "agencies: expected list"),
])
def test_validate_names_the_problem(doc, message):
    with pytest.raises(pipeline.DocumentError, match=message):
        pipeline.validate(doc)


@given(st.text(min_size=1), st.one_of(st.none(), st.text()))
def test_process_gives_a_valid_document_or_a_parse_error(text, title):
    raw = {"text": text} if title is None else {"text": text, "title": title}
    try:
        doc = pipeline.process(raw, now=NOW)
    except ParseError as exc:
        assert str(exc).startswith("text:")
    else:
        pipeline.validate(doc)
        assert doc["body"] == doc["body"].strip()
