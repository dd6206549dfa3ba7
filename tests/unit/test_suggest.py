"""Did you mean: which words of q a correction may replace, and the corrected q (pure)."""

from types import SimpleNamespace

import pytest

from api import archive_cache, suggest
from api.suggest import candidate_spans, corrected, suggest_body, suggest_text


def words(q):
    return [q[start:end] for start, end in candidate_spans(q)]


@pytest.mark.parametrize("q, expected", [
    ("Merkle Macron", ["Merkle", "Macron"]),
    ('"Kim Jong Unn" Gipfel', ["Kim", "Jong", "Unn", "Gipfel"]),
    ("title:Nordkroea OR Rüstungs*", ["Nordkroea"]),           # prefixes stay
    ("Kim -Moskau NOT Pekink -title:Putni", ["Kim"]),          # what is excluded stays
    ("+Merkle", ["Merkle"]),
    ("Kim Jong-un", ["Kim", "Jong", "un"]),
])
def test_candidate_words(q, expected):
    assert words(q) == expected


def entry(q, word, option=None):
    start = q.index(word)
    return {"text": word.lower(), "offset": start, "length": len(word),
            "options": [{"text": option, "score": 0.8, "freq": 12}] if option else []}


def answer(*entries):
    return {"suggest": {"words": list(entries)}}


def test_corrected_replaces_the_words_in_the_case_typed_and_keeps_the_syntax():
    q = 'title:"Angela Merkle" OR NORDKROEA -Pekink macorn'
    raw = answer(entry(q, "Angela"), entry(q, "Merkle", "merkel"),
                 entry(q, "NORDKROEA", "nordkorea"), entry(q, "Pekink", "peking"),
                 entry(q, "macorn", "macron"))
    assert corrected(q, candidate_spans(q), raw) == (
        'title:"Angela Merkel" OR NORDKOREA -Pekink macron')


def test_nothing_to_correct_is_none():
    assert corrected("Merkel", [(0, 6)], answer(entry("Merkel", "Merkel"))) is None
    assert corrected("Merkel", [(0, 6)], {}) is None


def test_the_suggester_sees_only_the_candidate_words_at_their_places():
    """"title:Kim" would be one token; an emoji two UTF-16 units (offsets one off after it)."""
    q = '🙂 title:Nordkroea -Pekink "Kim Jong-un"'
    text = suggest_text(q, candidate_spans(q))
    assert text == " " * 8 + "Nordkroea" + " " * 10 + "Kim Jong un "
    assert len(text) == len(q)


def test_an_offset_that_does_not_point_at_the_word_changes_nothing():
    """Elasticsearch counts offsets in UTF-16 units: a character beyond them shifts them."""
    q = "🙂 Merkle"
    raw = answer({"text": "merkle", "offset": 3, "length": 6,
                  "options": [{"text": "merkel", "score": 0.8, "freq": 12}]})
    assert corrected(q, candidate_spans(q), raw) is None


def test_a_correction_that_would_be_an_operator_is_left_out():
    q = "ORRR Kim"
    assert corrected(q, candidate_spans(q), answer(entry(q, "ORRR", "or"))) is None


def test_the_suggest_body_asks_only_for_words_no_article_contains():
    body = suggest_body("Merkle", [(0, 6)])
    term = body["suggest"]["words"]["term"]
    assert body["suggest"]["words"]["text"] == "Merkle"
    excluded = suggest_body("Kim -Merkle", candidate_spans("Kim -Merkle"))
    assert excluded["suggest"]["words"]["text"] == "Kim        "
    assert term["field"] == "body.exact" and term["suggest_mode"] == "missing"
    assert (term["max_edits"], term["prefix_length"], term["size"]) == (2, 1, 1)
    assert body["size"] == 0


class SuggestEs:
    def __init__(self):
        self.bodies = []

    def search(self, index, body):
        self.bodies.append(body)
        text = body["suggest"]["words"]["text"]
        return SimpleNamespace(body={"suggest": {"words": [
            {"text": "merkle", "offset": text.index("Merkle"), "length": 6,
             "options": [{"text": "merkel"}]}]}})


def test_a_correction_is_asked_once_until_the_archive_changes(monkeypatch):
    changed = [1.0]
    monkeypatch.setattr(archive_cache, "last_change", lambda: changed[0])
    monkeypatch.setattr(suggest, "CORRECTIONS", archive_cache.ArchiveCache())
    es = SuggestEs()
    assert suggest.suggestion(es, "a", "Merkle", lambda q: 4) == {"q": "Merkel", "total": 4}
    assert suggest.suggestion(es, "a", "Merkle", lambda q: 0) is None   # filters: none
    assert len(es.bodies) == 1
    changed[0] = 2.0
    assert suggest.correction(es, "a", "Merkle") == "Merkel" and len(es.bodies) == 2
    assert suggest.correction(es, "a", "Rüstungs*") is None and len(es.bodies) == 2
