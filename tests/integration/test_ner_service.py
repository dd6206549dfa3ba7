"""The NER service of the stack (ner-service/, started by scripts/ner.sh): what it answers, and
the entities the product extracts with it."""

from __future__ import annotations

import requests

from indexer.enrich import ner_service
from indexer.enrich.entities import extract_entities

TEXT = ("Nordkoreas Machthaber Kim Jong Un will sich mit Russlands Präsident Wladimir Putin "
        "in Wladiwostok treffen, sagte die Sprecherin des Weißen Hauses, Adrienne Watson. "
        "Das berichtet die New York Times.")


def test_health_and_labels(settings):
    assert ner_service.health(settings.ner_url)
    labels = ner_service.tag([["Wladimir", "Putin", "reist", "nach", "Wladiwostok", "."],
                              ["Das", "berichtet", "die", "New", "York", "Times", "."]],
                             url=settings.ner_url, timeout=30)
    assert [ner_service.entity_runs(s) for s in labels] == [[(0, 2, "PER"), (4, 5, "LOC")],
                                                            [(3, 6, "ORG")]]


def test_wire_errors(settings):
    url = settings.ner_url
    assert requests.get(f"{url}/tag", timeout=5).status_code == 405
    assert requests.post(f"{url}/tag", data=b"", timeout=5).text == ""
    too_big = requests.post(f"{url}/tag", data=b"x\n" * (3 << 20), timeout=30)
    assert too_big.status_code == 413


def test_extract_entities_offsets_and_types():
    found = extract_entities(TEXT)
    assert all(TEXT[e["start"]:e["end"]] == e["text"] for e in found)
    by_type = {t: {e["text"] for e in found if e["type"] == t} for t in ("PER", "LOC", "ORG")}
    assert {"Kim Jong Un", "Wladimir Putin", "Adrienne Watson"} <= by_type["PER"]
    assert "Wladiwostok" in by_type["LOC"]
    assert "New York Times" in by_type["ORG"]
