"""enrich(): all enrichment fields for the five real samples and for given metadata."""

from pathlib import Path

import pytest

from indexer.enrich import enrich

SAMPLES = {p.stem[:3]: p.read_text(encoding="utf-8")
           for p in sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))}
FIELDS = {"title", "outlet", "agencies", "published_at", "dates_mentioned", "mentioned_dates",
          "language", "syndication_key"}

EXPECTED = {
    "000": (None, None, []),
    "001": ("Nordkoreas Kim plant, Putin zu besuchen, um über Waffenverkäufe zu sprechen, sagen die USA", None, []),
    "002": (None, "CNN", []),
    "003": ("USA: Russland und Nordkorea verhandeln über Rüstungsgeschäfte", "radiocentral.ch", ["sda"]),
    "004": ("Gespräche über Waffenlieferungen: USA: Kim will Putin in Russland treffen", "ZDF", ["dpa", "AFP"]),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_samples(name):
    result = enrich({"body": SAMPLES[name]})
    assert set(result) == FIELDS
    assert (result["title"], result["outlet"], result["agencies"]) == EXPECTED[name]
    assert result["language"] == "de"


def test_sample_003_dates():
    result = enrich({"body": SAMPLES["003"]})
    assert result["published_at"] == "2023-08-30T18:36:00+02:00"
    assert result["mentioned_dates"] == ["2023-08-30"]
    assert [(m["text"], m["date"], m["end"]) for m in result["dates_mentioned"]] == [
        ("am Mittwoch", "2023-08-30", None), ("Ende Juli", "2023-07-21", "2023-07-31")]


def test_sample_004_dates_resolve_once_the_publication_date_is_given():
    assert enrich({"body": SAMPLES["004"]})["mentioned_dates"] == []
    result = enrich({"body": SAMPLES["004"], "published_at": "2023-09-05T10:12:00+02:00"})
    days = result["mentioned_dates"]
    assert {"2023-09-04", "2023-08-30", "2023-09-10", "2023-09-13"} <= set(days)   # Montag, Mittwoch, forum
    forum = next(m for m in result["dates_mentioned"] if "13. September" in m["text"])
    assert (forum["date"], forum["end"]) == ("2023-09-10", "2023-09-13")
    assert "Wirtschaftsforums" in forum["sentence"]


def test_removed_lines_feed_agencies_and_dates_but_clutter_classes_do_not():
    body = "\n".join(SAMPLES["003"].splitlines()[9:12])     # the article paragraphs only
    removed = [("Quelle: sda", "source_link"), ("veröffentlicht: 30. August 2023 18:36", "dateline"),
               ("Foto: Susan Walsh/AP/dpa", "photo_credit"), ("12.03.2024 | Teaser: Anderes Thema", "teaser"),
               ("redaktion@radiocentral.ch", "contact")]
    result = enrich({"body": body}, removed)
    assert result["agencies"] == ["sda"]
    assert result["published_at"] == "2023-08-30T18:36:00+02:00"
    assert result["outlet"] == "radiocentral.ch"


def test_given_fields_win():
    result = enrich({"body": SAMPLES["002"], "title": "Kim und Putin", "outlet": "CNN Deutschland",
                     "url": "https://www.spiegel.de/x", "language": "de-DE",
                     "metadata": {"datePublished": "2023-09-05T21:00:00Z"}})
    assert (result["title"], result["outlet"], result["language"]) == ("Kim und Putin", "CNN Deutschland", "de")
    assert result["published_at"] == "2023-09-05T21:00:00+00:00"
    assert "2023-09-05" in result["mentioned_dates"]        # "am Dienstag"


def test_empty_body_does_not_crash():
    result = enrich({"body": ""})
    assert result["language"] == "und" and result["agencies"] == [] and result["title"] is None
