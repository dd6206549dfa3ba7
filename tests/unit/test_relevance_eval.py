"""The pure parts of the relevance evaluation (tests/relevance/): nDCG, the baseline query, the
corpus selection rule and the judgments file. No services, no shared data."""
import json
import math

import pytest

from api.query_syntax import parse
from tests.relevance import metrics
from tests.relevance.baseline import baseline_definition, baseline_document, baseline_query
from tests.relevance.corpus import gnad_selection, sample_articles, select, selection_key, wikinews_selection
from tests.relevance.evaluate import GRADES, index_names, load_queries


def test_dcg_uses_the_grade_and_a_log2_discount():
    assert metrics.dcg([2, 1, 0, 1]) == pytest.approx(2 + 1 / math.log2(3) + 1 / math.log2(5))


def test_ndcg_is_one_for_the_ideal_order_and_counts_unjudged_as_zero():
    grades = {"a": 2, "b": 1, "c": 0}
    assert metrics.ndcg(["a", "b", "x"], grades) == pytest.approx(1.0)
    assert metrics.ndcg(["x", "a", "b"], grades) == pytest.approx(
        (2 / math.log2(3) + 1 / 2) / (2 + 1 / math.log2(3)))
    assert metrics.ndcg([], grades) == 0.0


def test_ndcg_cuts_ranking_and_ideal_at_k():
    grades = {f"d{i}": 1 for i in range(12)}
    assert metrics.ndcg([f"d{i}" for i in range(12)], grades, k=10) == pytest.approx(1.0)
    assert metrics.ndcg(["x"] * 10 + ["d0"], grades, k=10) == 0.0


def test_ndcg_needs_a_relevant_document():
    with pytest.raises(ValueError):
        metrics.ndcg(["a"], {"a": 0})


MM = {"fields": ["title", "body"]}


@pytest.mark.parametrize(("q", "expected"), [
    ("Kim Putin", {"multi_match": {"query": "Kim Putin", **MM, "operator": "and"}}),
    ('"Kim Jong Un"', {"multi_match": {"query": "Kim Jong Un", **MM, "type": "phrase"}}),
    ("Elektroauto*", {"multi_match": {"query": "Elektroauto", **MM, "type": "phrase_prefix"}}),
    ("Feuer OR Brand", {"multi_match": {"query": "Feuer Brand", **MM, "operator": "or"}}),
    ("Nordkorea -Russland", {"bool": {
        "must": [{"multi_match": {"query": "Nordkorea", **MM, "operator": "and"}}],
        "must_not": [{"multi_match": {"query": "Russland", **MM, "operator": "and"}}]}}),
    ('"Kim Jong Un" Putin Treffen', {"bool": {"must": [
        {"multi_match": {"query": "Putin Treffen", **MM, "operator": "and"}},
        {"multi_match": {"query": "Kim Jong Un", **MM, "type": "phrase"}}]}}),
    ('"Kim Jong Un" OR Putin', {"bool": {"should": [
        {"multi_match": {"query": "Kim Jong Un", **MM, "type": "phrase"}},
        {"multi_match": {"query": "Putin", **MM, "operator": "and"}}], "minimum_should_match": 1}}),
    ("", {"match_all": {}}),
])
def test_baseline_query_is_a_plain_multi_match(q, expected):
    assert baseline_query(q) == expected


def test_baseline_index_is_title_and_body_with_the_german_analyzer():
    properties = baseline_definition()["mappings"]["properties"]
    assert properties == {"title": {"type": "text", "analyzer": "german"},
                          "body": {"type": "text", "analyzer": "german"}}
    assert baseline_document({"id": "x", "title": "T", "body": "B", "title_de": "T"}) == {
        "title": "T", "body": "B"}


def test_selection_takes_the_smallest_hashes_whatever_the_input_order():
    articles = [{"id": f"gnad:{n}"} for n in range(50)]
    chosen = select(articles, 10)
    assert chosen == select(list(reversed(articles)), 10)
    assert [a["id"] for a in chosen] == sorted((a["id"] for a in articles), key=selection_key)[:10]


def test_gnad_rows_get_their_row_number_as_id():
    csv_text = "Sport;'Text eins'\nWeb;'Text zwei'\n"
    assert {a["id"]: a["text"] for a in gnad_selection(csv_text, count=5)} == {
        "gnad:0": "Text eins", "gnad:1": "Text zwei"}


def test_wikinews_never_takes_the_test_split():
    lines = [json.dumps({"split": split, "documentName": f"{n} - Titel {n} (2005-08-20)",
                         "originalText": f"Text {n}"})
             for n, split in ((1, "train"), (2, "dev"), (3, "test"))]
    chosen = {a["id"]: a for a in wikinews_selection(lines, count=10)}
    assert set(chosen) == {"wikinews:1", "wikinews:2"}
    assert chosen["wikinews:1"]["title"] == "Titel 1"


def test_samples_keep_their_stem(tmp_path):
    (tmp_path / "007_abc.txt").write_text("Ein Text.", encoding="utf-8")
    assert sample_articles(tmp_path) == [{"id": "sample:007_abc", "external_id": "007_abc",
                                          "text": "Ein Text."}]


def test_index_names_stay_under_a_test_prefix():
    assert index_names("test-relevance") == index_names()
    with pytest.raises(ValueError):
        index_names("newsarchive")


def test_judgments_file_has_thirty_varied_queries_with_relevant_documents():
    queries = load_queries()
    assert len(queries) >= 30
    assert len({q.id for q in queries}) == len(queries)
    assert len({q.kind for q in queries}) >= 8
    for item in queries:
        parse(item.q)  # every query is valid API syntax
        assert item.need
        assert set(item.grades.values()) <= set(GRADES)
        assert any(grade > 0 for grade in item.grades.values()), item.id
        assert all(doc_id.split(":")[0] in {"sample", "gnad", "wikinews"} for doc_id in item.grades)
