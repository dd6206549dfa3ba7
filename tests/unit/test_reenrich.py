"""Re-enrichment: a stored document back to the raw article it was made from."""

import datetime as dt
from pathlib import Path

import pytest

from indexer import pipeline, reenrich
from indexer.parse import read_file

pytestmark = pytest.mark.usefixtures("fake_ner")

NOW = dt.datetime(2023, 8, 30, 17, 0, tzinfo=dt.UTC)
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def hit_of(doc: dict, seq_no: int = 7, primary_term: int = 1) -> dict:
    """What the scan reads of a stored document."""
    return {"_id": doc["id"], "_seq_no": seq_no, "_primary_term": primary_term,
            "_source": {key: doc[key] for key in reenrich.SOURCE_FIELDS if key in doc}}


def test_an_unchanged_pipeline_makes_the_same_document_again():
    for path in sorted(SAMPLES.glob("*.txt")):
        [item] = read_file(path)
        stored = pipeline.process(item.article, now=NOW)
        again = pipeline.process(reenrich.raw_article(hit_of(stored)), now=NOW)
        assert again == stored, path.name


def test_given_fields_stay_given_and_derived_fields_are_derived_again():
    stored = pipeline.process({"text": "Kim Jong Un traf Wladimir Putin in Wladiwostok.\n\n"
                                       "Quelle: dpa", "outlet": "Tagesschau",
                               "url": "https://example.org/a", "metadata": {"k": 1}}, now=NOW)
    raw = reenrich.raw_article(hit_of(stored, seq_no=12, primary_term=3))
    assert raw == {"text": stored["raw"]["text"], "outlet": "Tagesschau",
                   "url": "https://example.org/a", "metadata": {"k": 1}, "id": stored["id"],
                   "stored_version": [12, 3]}
    assert "language" not in raw and "published_at" not in raw   # derived: derived again


def test_a_document_from_before_raw_kept_the_given_fields_keeps_its_stored_values():
    # No "language" key in raw: any of outlet, date and language may have been given.
    hit = {"_id": "a1", "_seq_no": 1, "_primary_term": 1, "_source": {
        "raw": {"html": "<p>Text</p>", "title": "Titel"}, "outlet": "Spiegel",
        "published_at": "2023-08-30T18:36:00+02:00", "language": "de", "external_id": "x1"}}
    assert reenrich.raw_article(hit) == {
        "html": "<p>Text</p>", "title": "Titel", "outlet": "Spiegel",
        "published_at": "2023-08-30T18:36:00+02:00", "language": "de", "external_id": "x1",
        "id": "a1", "stored_version": [1, 1]}


def test_expected_versions_only_for_reenriched_articles():
    raws = [{"text": "neu"}, {"id": "a1", "text": "alt", "stored_version": [5, 2]}]
    assert reenrich.expected_versions(raws) == {"a1": (5, 2)}
