"""Relevance on the real node: our mapping, pipeline and query builder against a plain ``german``
analyzer baseline, nDCG@10 over the judged German queries of tests/relevance/judgments.yaml and
the corpus of tests/relevance/corpus.py (read from ../shared/data at run time; a missing data
folder is a failure, never a skip). Both indices are built once (one bulk, one refresh) under a
``test-relevance-<random>`` prefix and deleted afterwards. Run ``python -m tests.relevance.evaluate
--es URL`` for the full table."""
import math
import uuid

import pytest

from tests.relevance import evaluate as ev
from tests.relevance.corpus import CorpusMissing, load_corpus

pytestmark = pytest.mark.integration

# Measured 0.829 (ours) and 0.769 (baseline) on 42 queries; the floor leaves room for small
# changes of analysis resources, not for a regression of the query builder.
OURS_FLOOR = 0.80
# Queries allowed to score 0 for our system, with the reason (none at present).
DOCUMENTED_ZEROS: dict[str, str] = {}


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    try:
        return load_corpus()
    except CorpusMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def queries() -> list[ev.Query]:
    return ev.load_queries()


@pytest.fixture(scope="module")
def rows(es, corpus, queries) -> list[ev.Row]:
    indices = ev.index_names(f"test-relevance-{uuid.uuid4().hex[:8]}")
    try:
        ev.build_indices(es, indices, corpus)
        yield ev.evaluate(es, indices, queries)
    finally:
        ev.delete_indices(es, indices)


def test_corpus_has_the_samples_and_a_thousand_real_articles(corpus):
    sources = [raw["id"].split(":")[0] for raw in corpus]
    assert sources.count("sample") == 5
    assert len(corpus) - 5 >= 1000
    assert len(set(raw["id"] for raw in corpus)) == len(corpus)


def test_every_judged_document_is_in_the_corpus(corpus, queries):
    ids = {raw["id"] for raw in corpus}
    assert len(queries) >= 30
    assert {doc_id for item in queries for doc_id in item.grades} <= ids


def test_ours_is_at_least_as_good_as_the_baseline(rows):
    summary = ev.summary(rows)
    print("\n" + ev.render_table(rows))
    assert summary["ours"] >= summary["baseline"], ev.render_table(rows)
    assert summary["ours"] >= OURS_FLOOR, ev.render_table(rows)


def test_no_query_fails_completely(rows):
    zeros = [row.query.id for row in rows
             if not math.isnan(row.ours_ndcg) and row.ours_ndcg == 0 and row.query.id not in DOCUMENTED_ZEROS]
    assert zeros == [], ev.render_table(rows)


def test_compounds_beat_the_baseline(rows):
    """Decompounding is what the baseline lacks: over the compound queries ours must be ahead."""
    compound = [row for row in rows if "compound" in row.query.kind]
    assert len(compound) >= 5
    summary = ev.summary(compound)
    assert summary["ours"] > summary["baseline"], ev.render_table(compound)
