import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer import admin, entity_records
from indexer.enrich.canonical import canonicalize, entity_key, genitive_stem
from indexer.entity_records import best_label, merge, normalized, record_for, records_from_articles

KIM_A = {"id": "per-kim-jong-un", "type": "PER", "name": "Kim Jong Un",
         "aliases": ["Kim", "Kim Jong-un"], "mentions": []}
KIM_B = {"id": "per-kim-jong-un", "type": "PER", "name": "Kim Jong Un", "aliases": [], "mentions": []}


def test_record_of_one_article_entity():
    assert record_for(KIM_A) == {
        "id": "per-kim-jong-un", "type": "PER", "name": "Kim Jong Un", "labels": ["Kim Jong Un"],
        "aliases": ["Kim", "Kim Jong-un"]}


def test_a_record_has_no_article_dates_or_counts():
    # Both come from the articles index when asked (entity_store.article_stats): a stored
    # date range would outlive a deleted article.
    assert set(record_for(KIM_B)) == {"id", "type", "name", "labels"}


def test_two_articles_spelling_kim_differently_become_one_record_with_both_spellings():
    mentions_a = [{"start": 0, "end": 11, "text": "Kim Jong-un", "type": "PER"}]
    mentions_b = [{"start": 0, "end": 11, "text": "Kim Jong Un", "type": "PER"},
                  {"start": 20, "end": 23, "text": "Kim", "type": "PER"}]
    docs = [{"entities": canonicalize(mentions_a)}, {"entities": canonicalize(mentions_b)}]
    records = records_from_articles(docs)
    assert list(records) == ["per-kim-jong-un"]
    kim = records["per-kim-jong-un"]
    assert kim["name"] == "Kim Jong Un"
    assert kim["aliases"] == ["Kim", "Kim Jong-un"]


def test_articles_without_entities_give_no_records():
    assert records_from_articles([{"body": "x"}, {"entities": []}]) == {}


@pytest.mark.parametrize("labels, best", [
    (["Wladimir Wladimirowitsch Putin", "Wladimir Putin"], "Wladimir Putin"),
    (["Kim Jong-un", "Kim Jong Un"], "Kim Jong Un"),
    (["Thomas Mueller", "Thomas Müller"], "Thomas Müller"),
    (["Olaf Scholz"], "Olaf Scholz"),
    (["MERKEL", "Merkel"], "Merkel"),
])
def test_best_label(labels, best):
    assert best_label(labels, "PER") == best
    assert best_label(reversed(labels), "PER") == best


# Pairs of one organisation in 10kGNAD and Wikinews, where the capitals came first by the
# alphabet: a word in capitals of five letters or more is set in capitals, not an acronym.
@pytest.mark.parametrize("labels, best", [
    (["GRÜNEN", "Grünen"], "Grünen"),
    (["SPIEGEL ONLINE", "Spiegel Online"], "Spiegel Online"),
    (["WIENER LINIEN GmbH & Co KG", "Wiener Linien GmbH & Co KG"], "Wiener Linien GmbH & Co KG"),
    (["HOCHTIEF", "Hochtief"], "Hochtief"),
    (["NASA", "Nasa"], "NASA"),      # acronyms: the alphabet, as before
    (["WHO", "Who"], "WHO"),
])
def test_best_label_of_organisations_is_not_set_in_capitals(labels, best):
    assert best_label(labels, "ORG") == best
    assert best_label(reversed(labels), "ORG") == best


def test_the_best_label_wins_and_the_other_becomes_an_alias():
    a = record_for({"id": "per-wladimir-putin", "type": "PER", "name": "Wladimir Wladimirowitsch Putin",
                    "aliases": ["Putin"]})
    b = record_for({"id": "per-wladimir-putin", "type": "PER", "name": "Wladimir Putin", "aliases": []})
    merged = merge(a, b)
    assert merged["name"] == "Wladimir Putin"
    assert merged["aliases"] == ["Putin", "Wladimir Wladimirowitsch Putin"]
    assert merged["labels"] == ["Wladimir Putin", "Wladimir Wladimirowitsch Putin"]


def test_a_genitive_of_another_form_is_no_alias():
    record = record_for({"id": "per-angela-merkel", "type": "PER", "name": "Angela Merkel",
                         "aliases": ["Angela Merkels", "Merkel", "Merkels"]})
    assert record["aliases"] == ["Merkel", "Merkels"]       # one word: maybe another name
    strache = {"id": "per-heinz-christian-strache", "type": "PER"}
    merged = merge(record_for({**strache, "name": "Heinz Christian Strache"}),
                   record_for({**strache, "name": "Heinz-Christian Strache",
                               "aliases": ["Heinz-Christian Straches", "Strache"]}))
    assert merged["aliases"] == ["Heinz-Christian Strache", "Strache"]
    # Until the record knows the base form, the genitive is the only way it was written.
    kim = record_for({"id": "per-kim-jong-un", "type": "PER", "name": "Kim",
                      "aliases": ["Kim Jong-uns"]})
    assert kim["aliases"] == ["Kim Jong-uns"]
    assert merge(kim, record_for(KIM_B))["aliases"] == ["Kim"]


def test_merging_different_ids_is_refused():
    with pytest.raises(ValueError, match="cannot merge"):
        merge(record_for(KIM_A), record_for({**KIM_A, "id": "per-kim"}))


def test_normalized_sorts_lists_and_drops_unknown_fields():
    assert normalized({"id": "x", "type": "ORG", "name": "EU", "labels": ["EU"],
                       "aliases": ["b", "a"], "other": 1}) == \
        {"id": "x", "type": "ORG", "name": "EU", "labels": ["EU"], "aliases": ["a", "b"]}


def test_record_fields_are_the_entities_mapping():
    _, path = admin.latest_mapping(kind="entities")
    mapping = json.loads(path.read_text())["mappings"]
    assert set(entity_records.FIELDS) == set(mapping["properties"])
    assert mapping["dynamic"] == "strict"


# --- the merge is order-free: what makes concurrent, retried writes safe -------------------------

_FORMS = st.sampled_from(["Kim Jong Un", "Kim Jong-un", "Kim", "Kim Jong Un", "KIM JONG UN",
                          "Kim Jong Ün", "Kim Jong", "Kim-Jong Un", "Kim Jong Uns",
                          "Kim Jong-uns", "Kims"])
_RECORDS = st.builds(
    lambda name, aliases: record_for(
        {"id": "per-kim-jong-un", "type": "PER", "name": name, "aliases": aliases}),
    _FORMS, st.lists(_FORMS, max_size=3))


@given(_RECORDS, _RECORDS)
def test_merge_is_commutative(a, b):
    assert merge(a, b) == merge(b, a)


@given(_RECORDS, _RECORDS, _RECORDS)
def test_merge_is_associative(a, b, c):
    assert merge(merge(a, b), c) == merge(a, merge(b, c))


@given(_RECORDS, _RECORDS)
def test_merge_is_idempotent(a, b):
    ab = merge(a, b)
    assert merge(ab, a) == ab and merge(ab, ab) == ab
    assert merge(a, a) == normalized(a)


@given(_RECORDS, _RECORDS)
def test_merge_keeps_every_form_but_genitives_and_the_name_is_never_an_alias(a, b):
    merged = merge(a, b)
    forms = {a["name"], b["name"], *a.get("aliases", []), *b.get("aliases", [])}
    keys = {entity_key("PER", form) for form in forms}
    genitives = {form for form in forms
                 if (stem := genitive_stem(form)) and entity_key("PER", stem) in keys}
    assert {merged["name"], *merged.get("aliases", [])} == forms - genitives | {merged["name"]}
    assert merged["name"] not in merged.get("aliases", [])
