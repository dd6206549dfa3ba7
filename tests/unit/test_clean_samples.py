"""The five real sample articles: every clutter line goes, every article line stays.

The expected bodies in tests/fixtures/clean/ were written by hand from samples/:
clutter lines (comment counters, ad markers, source links, "Quelle:" lines,
subscription prompts, photo credits, navigation, datelines, time stamps, the
headline block and the trailing teaser list of sample 004) deleted, everything
else kept, one paragraph per line.
"""

from pathlib import Path

import pytest

from indexer.clean import Label, clean_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
EXPECTED = ROOT / "tests" / "fixtures" / "clean"


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_body_is_the_hand_cleaned_article(sample):
    expected = _paragraphs((EXPECTED / sample.name).read_text(encoding="utf-8"))
    body = _paragraphs(clean_text(sample.read_text(encoding="utf-8")).body)
    missing = [line for line in expected if line not in body]
    clutter = [line for line in body if line not in expected]
    assert not missing, f"article lines lost: {missing}"
    assert not clutter, f"clutter left in the body: {clutter}"
    assert body == expected


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_cleaning_the_body_again_changes_nothing(sample):
    body = clean_text(sample.read_text(encoding="utf-8")).body
    assert clean_text(body).body == body


TITLES = {
    "000_1d70c6a37406fa0c": None,
    "001_8cb086cdd1b0a5e1": "Nordkoreas Kim plant, Putin zu besuchen, um über Waffenverkäufe zu sprechen, sagen die USA",
    "002_13fc5d182ca531a0": None,
    "003_35686e7d763b10ba": "USA: Russland und Nordkorea verhandeln über Rüstungsgeschäfte",
    "004_aaeedc389320243a": "Gespräche über Waffenlieferungen:USA: Kim will Putin in Russland treffen",
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_headline_found_at_the_top(sample):
    assert clean_text(sample.read_text(encoding="utf-8")).title == TITLES[sample.stem]


REMOVED = {
    "000_1d70c6a37406fa0c": [("[Anzeige_2]", Label.AD_MARKER), ("Quellenlink", Label.SOURCE_LINK),
                             ("Kommentar (0)", Label.COMMENT_COUNTER)],
    "001_8cb086cdd1b0a5e1": [("Erhalten Sie kostenlose Updates zum Krieg in der Ukraine", Label.SUBSCRIPTION_PROMPT),
                             ("Schreibe einen Kommentar", Label.COMMENT_COUNTER), ("ttn-de-58", Label.META)],
    "002_13fc5d182ca531a0": [("CNN", Label.META), ("—", Label.META)],
    "003_35686e7d763b10ba": [("Quelle: sda", Label.SOURCE), ("© Keystone/AP/Susan Walsh", Label.PHOTO_CREDIT),
                             ("veröffentlicht: 30. August 2023 18:36", Label.META),
                             ("redaktion@radiocentral.ch", Label.META), ("News", Label.NAVIGATION)],
    "004_aaeedc389320243a": [("Quelle: dpa, AFP", Label.SOURCE),
                             ("Quelle: Korean Central News Agency/Korea News Service via AP (Archiv)", Label.PHOTO_CREDIT),
                             ("Nach Ukraine-Invasion :Wie sich der Russland-Handel verändert hat", Label.TEASER),
                             ("1:44 min", Label.TEASER), ("mit Video", Label.TEASER)],
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_removed_lines_keep_their_class_for_enrichment(sample):
    removed = clean_text(sample.read_text(encoding="utf-8")).removed
    for line, label in REMOVED[sample.stem]:
        assert (line, str(label)) in removed


def test_agency_lines_are_sources_and_picture_agencies_are_credits():
    cleaned = clean_text((ROOT / "samples" / "004_aaeedc389320243a.txt").read_text(encoding="utf-8"))
    assert cleaned.texts(Label.SOURCE) == ["Quelle: dpa, AFP"]
    assert "ARCHIV" not in cleaned.body and "Susan Walsh" not in clean_text(
        (ROOT / "samples" / "003_35686e7d763b10ba.txt").read_text(encoding="utf-8")).body
