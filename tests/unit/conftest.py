"""Unit tests run without services. Tests that run the whole pipeline use ``fake_ner`` in place of
the NER service: it labels a fixed list of name words, so the steps around the tagger (offsets,
canonical entities, facet labels) are tested without it. The service itself and the entities it
finds in the samples: tests/integration/test_ner_service.py, test_entities_samples.py."""

from __future__ import annotations

import pytest

from indexer.enrich import ner_service

FAKE_NAMES = {
    "Kim": "PERSON", "Jong": "PERSON", "Un": "PERSON", "Wladimir": "PERSON", "Putin": "PERSON",
    "Sergej": "PERSON", "Schoigu": "PERSON", "Russland": "LOCATION", "Nordkorea": "LOCATION",
    "Wladiwostok": "LOCATION", "Kreml": "ORGANIZATION",
}


def fake_tag(sentences, **_):
    return [[FAKE_NAMES.get(word, "O") for word in sentence] for sentence in sentences]


@pytest.fixture()
def fake_ner(monkeypatch):
    monkeypatch.setattr(ner_service, "tag", fake_tag)
    return fake_tag


@pytest.fixture()
def export_without_lookups(monkeypatch):
    """``api.export.resolve`` without Elasticsearch: no compound parts, no entity aliases."""
    from api import export

    def resolve(args):
        args.update(compound_parts={}, entity_matches={})
        return args
    monkeypatch.setattr(export, "resolve", resolve)
