"""The German analyzers of the newest articles mapping, on the real node with our plugin: each
analyzer's exact token output is pinned for every row of analyzer_cases.CASES."""
import json
import uuid

import pytest

from indexer import admin
from tests.integration.analyzer_cases import ANALYZERS, CASES

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def analysis_index(es):
    _, path = admin.latest_mapping()
    body = json.loads(path.read_text())
    name = f"test-analyzers-{uuid.uuid4().hex[:8]}"
    es.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
    yield name
    es.indices.delete(index=name)


def tokens(es, index, analyzer, text):
    return " ".join(t["token"] for t in es.indices.analyze(index=index, analyzer=analyzer, text=text)["tokens"])


def test_at_least_forty_words_and_phrases_are_pinned():
    assert len(CASES) >= 40


@pytest.mark.parametrize(("text", "index_tokens", "search_tokens", "exact_tokens"), CASES,
                         ids=[case[0] for case in CASES])
def test_analyzer_output(es, analysis_index, text, index_tokens, search_tokens, exact_tokens):
    got = {name: tokens(es, analysis_index, name, text) for name in ANALYZERS}
    assert got == {"de_index": index_tokens, "de_search": search_tokens, "de_exact": exact_tokens}


@pytest.mark.parametrize(("a", "b"), [("Waffenverkäufe", "Waffenverkaeufe"), ("Straße", "Strasse"),
                                      ("Größe", "Groesse"), ("Kim Jong-un", "Kim Jong Un"),
                                      ("Rüstungsgespräche", "Ruestungsgespraeche")])
def test_spelling_variants_index_alike(es, analysis_index, a, b):
    assert tokens(es, analysis_index, "de_index", a) == tokens(es, analysis_index, "de_index", b)


def test_a_compound_part_finds_the_compound(es, analysis_index):
    compound = tokens(es, analysis_index, "de_index", "Waffenlieferungen").split()
    assert tokens(es, analysis_index, "de_search", "Lieferung") in compound
