import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.schemas import ArticleSchema
from indexer import admin, identity, pipeline
from indexer.parse import ParseError, read_file
from tests.unit.test_enrich_compose import EXPECTED

pytestmark = pytest.mark.usefixtures("fake_ner")

NOW = dt.datetime(2023, 8, 30, 17, 0, tzinfo=dt.UTC)


def mapping_properties() -> set[str]:
    _, path = admin.latest_mapping()
    return set(json.loads(Path(path).read_text())["mappings"]["properties"])


def test_document_fields_match_the_newest_mapping():
    assert set(pipeline.DOCUMENT_FIELDS) == mapping_properties()


def test_article_response_schema_matches_the_newest_mapping():
    # The German search copies are not part of the record the API returns.
    copies = set(pipeline.GERMAN_COPIES.values())
    assert set(ArticleSchema().fields) == mapping_properties() - copies


def test_text_fields_are_neutral_and_german_analysis_has_its_own_fields():
    _, path = admin.latest_mapping()
    properties = json.loads(Path(path).read_text())["mappings"]["properties"]
    for field, copy in pipeline.GERMAN_COPIES.items():
        assert properties[field]["analyzer"] == "neutral"
        assert "search_analyzer" not in properties[field]
        assert (properties[copy]["analyzer"], properties[copy]["search_analyzer"]) == \
            ("de_index", "de_search")


GERMAN = "Die Bundesregierung hat am Mittwoch in Berlin neue Sanktionen gegen Russland beschlossen."
ENGLISH = "The government announced new sanctions against Russia on Wednesday in London."
FRENCH = "Le gouvernement a annoncé mercredi à Paris de nouvelles sanctions contre la Russie."


def test_a_german_article_gets_german_copies_of_title_and_body():
    doc = pipeline.process({"text": GERMAN, "title": "Neue Sanktionen"})
    assert (doc["title_de"], doc["body_de"]) == (doc["title"], doc["body"])


@pytest.mark.parametrize("text", [ENGLISH, FRENCH])
def test_other_languages_are_never_copied_to_the_german_fields(text):
    doc = pipeline.process({"text": text, "title": "Sanctions"})
    assert doc["language"] in ("en", "fr")
    assert "title_de" not in doc and "body_de" not in doc
    assert doc["body"] == text


def test_undetermined_text_counts_as_german():
    doc = pipeline.process({"text": "Kim trifft Putin"})
    assert doc["language"] == "und"
    assert doc["body_de"] == doc["body"]


def test_german_copies_are_derived_never_taken_from_a_step(monkeypatch):
    monkeypatch.setattr(pipeline, "ENRICH_STEPS", [lambda doc: {**doc, "body_de": "anders"}])
    assert pipeline.process({"text": ENGLISH, "language": "en"}).get("body_de") is None
    assert pipeline.process({"text": GERMAN, "language": "de"})["body_de"] == GERMAN


def test_given_language_decides_the_analysis():
    assert "body_de" not in pipeline.process({"text": GERMAN, "language": "fr"})
    assert pipeline.german_copies({"language": "en", "title": "t", "body": "b"}) == {}
    assert pipeline.german_copies({"language": "de", "body": "b"}) == {"body_de": "b"}


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


# Through the whole pipeline (the cleaner first), the fields tests/unit/test_enrich_compose.py
# expects of enrichment alone: the "CNN" and "—" lines opening 002 are clutter the cleaner
# removes, and still the outlet's label.
PUBLISHED = {"003": "2023-08-30T18:36:00+02:00"}   # the other samples give no date


def test_samples_get_title_outlet_agencies_and_date(sample_paths):
    assert sorted(p.stem[:3] for p in sample_paths) == sorted(EXPECTED)
    for path in sample_paths:
        [item] = read_file(path)
        doc = pipeline.process(item.article, now=NOW)
        fields = (doc.get("title"), doc.get("outlet"), doc.get("agencies", []))
        assert fields == EXPECTED[path.stem[:3]], path.stem
        assert doc.get("published_at") == PUBLISHED.get(path.stem[:3]), path.stem


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


def test_a_batch_is_tagged_in_one_call_and_a_bad_article_fails_alone(monkeypatch):
    from indexer.enrich import ner_service
    from tests.unit.conftest import fake_tag
    calls = []
    monkeypatch.setattr(ner_service, "tag", lambda sentences, **kw: calls.append(sentences)
                        or fake_tag(sentences))
    raws = [{"text": "Kim Jong Un traf Putin."}, {"text": "   "},
            {"text": "Putin sprach in Wladiwostok. Danach reiste Kim ab."}]
    first, bad, last = pipeline.process_batch(raws, now=NOW)
    assert len(calls) == 1 and len(calls[0]) == 3           # three sentences, one call
    assert isinstance(bad, ParseError)
    assert first == pipeline.process(raws[0], now=NOW)       # the same as one by one
    assert [p["name"] for p in last["persons"]] == ["Putin", "Kim"]


def test_the_ner_service_being_down_fails_the_batch_not_the_articles(monkeypatch):
    from indexer.enrich import ner_service

    def down(sentences, **_):
        raise ner_service.NerUnavailable("down")
    monkeypatch.setattr(ner_service, "tag", down)
    with pytest.raises(ner_service.NerUnavailable):
        pipeline.process_batch([{"text": "Kim traf Putin."}, {"text": "Putin traf Kim."}])
