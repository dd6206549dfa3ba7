"""The persons of the five sample articles come out right: one canonical entity per real person.

The cleaner removes site clutter before enrichment, so the bodies here are the samples minus the
obvious clutter lines (the teaser list at the end of 004, photo credits, comment counters, ads)."""

import re
from pathlib import Path

import pytest

from indexer.enrich.canonical import canonicalize
from indexer.enrich.entities import extract_entities

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

EXPECTED_PERSONS = {
    "000_1d70c6a37406fa0c": {"Jake Sullivan", "Kim Jong Un", "Sergej Schoigu", "Adrienne Watson",
                             "Wladimir Putin", "Dmitri Peskow"},
    "001_8cb086cdd1b0a5e1": {"Kim Jong Un", "Wladimir Putin", "Sergej Schoigu", "Adrienne Watson",
                             "John Kirby"},
    "002_13fc5d182ca531a0": {"Jake Sullivan", "Sergej Schoigu", "Adrienne Watson", "Kim Jong Un",
                             "Wladimir Putin", "John Kirby"},
    "003_35686e7d763b10ba": {"John Kirby", "Sergej Schoigu", "Wladimir Putin", "Kim Jong Un"},
    "004_aaeedc389320243a": {"Kim Jong Un", "Wladimir Putin", "Adrienne Watson", "John Kirby",
                             "Sergej Schoigu"},
}
_CLUTTER = re.compile(
    r"^(©|Quelle:|\[Anzeige|Quellenlink|Kommentar \(|Erhalten Sie|Schreibe einen|ttn-|"
    r"redaktion@|veröffentlicht:|aktualisiert:)"
)
_TEASERS_START = "Aktuelle Nachrichten zur Ukraine"


def sample_body(name: str) -> str:
    text = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    text = text.split(_TEASERS_START)[0]
    lines = [re.sub(r"\s*Foto: .*$", "", line) for line in text.splitlines()]
    return "\n".join(line for line in lines if not _CLUTTER.match(line.strip()))


@pytest.mark.parametrize("name", sorted(EXPECTED_PERSONS))
def test_sample_persons(name):
    text = sample_body(name)
    entities = canonicalize(extract_entities(text))
    persons = {e["name"] for e in entities if e["type"] == "PER"}
    assert persons == EXPECTED_PERSONS[name]
    for entity in entities:
        for m in entity["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_person_ids_agree_across_samples():
    ids: dict[str, set[str]] = {}
    for name in EXPECTED_PERSONS:
        for e in canonicalize(extract_entities(sample_body(name))):
            if e["type"] == "PER":
                ids.setdefault(e["name"], set()).add(e["id"])
    assert all(len(v) == 1 for v in ids.values()), ids
    assert ids["Kim Jong Un"] == {"per-kim-jong-un"}


def test_bare_kim_and_putin_join_the_full_names():
    text = sample_body("001_8cb086cdd1b0a5e1")
    entities = canonicalize(extract_entities(text))
    kim = next(e for e in entities if e["name"] == "Kim Jong Un")
    texts = [m["text"] for m in kim["mentions"]]
    assert "Kim" in texts and "Kims" in texts and "Kim Jong Un" in texts
    putin = next(e for e in entities if e["name"] == "Wladimir Putin")
    assert len(putin["mentions"]) >= 5
