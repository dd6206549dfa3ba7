"""Named entity extraction: lexicon feature, rule layer and the public function."""

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, Span

from indexer.enrich import entities
from indexer.enrich.entities import doc_entities, extract_entities, lexicon_class

BLANK = spacy.blank("de")


def doc_with(words, ents):
    doc = Doc(BLANK.vocab, words=words)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


def test_lexicon_classes():
    assert lexicon_class("Haus") == "N"
    assert lexicon_class("Rüstungsgespräche") == "Nc"  # compound ending in a common noun
    assert "V" in lexicon_class("Sergej")
    assert "F" in lexicon_class("Schulz")
    assert "T" in lexicon_class("Russland")
    assert lexicon_class("Pjöngjang") in ("T", "X")
    assert lexicon_class("Sullivan") == "X"
    assert lexicon_class("und") == ""


def test_rules_cut_roles_and_find_names_again():
    words = ["Präsident", "Wladimir", "Putin", "traf", "Herrn", "Sullivan", ".", "Putins",
             "Plan", "und", "Putin", "."]
    doc = doc_with(words, [(0, 3, "PER")])
    spans = [(sp.text, sp.label_) for sp in doc_entities(doc)]
    assert spans == [("Wladimir Putin", "PER"), ("Sullivan", "PER"), ("Putins", "PER"),
                     ("Putin", "PER")]
    assert [sp.text for sp in doc_entities(doc, rules=False)] == ["Präsident Wladimir Putin"]


def test_role_rule_skips_common_nouns_and_places():
    doc = doc_with(["Der", "Präsident", "Russland", "und", "Minister", "Haus", "."], [])
    assert doc_entities(doc) == []


def test_extract_entities_offsets_and_types():
    text = ("Nordkoreas Machthaber Kim Jong Un will sich mit Russlands Präsident Wladimir Putin "
            "in Wladiwostok treffen, sagte die Sprecherin des Weißen Hauses, Adrienne Watson.")
    found = extract_entities(text)
    assert all(text[e["start"]:e["end"]] == e["text"] for e in found)
    assert all(e["type"] in ("PER", "ORG", "LOC") for e in found)
    persons = {e["text"] for e in found if e["type"] == "PER"}
    assert {"Kim Jong Un", "Wladimir Putin", "Adrienne Watson"} <= persons
    assert "Wladiwostok" in {e["text"] for e in found if e["type"] == "LOC"}


def test_extract_entities_empty_and_model_cached():
    assert extract_entities("") == []
    assert extract_entities("   \n") == []
    assert entities.load_model() is entities.load_model()


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=200))
def test_extract_entities_never_crashes(text):
    for e in extract_entities(text):
        assert text[e["start"]:e["end"]] == e["text"]


def test_person_names_run_on_over_particles_and_surnames():
    doc = doc_with(["Botschafter", "Franz", "von", "Papen", "und", "Corrado", "Passera", "."],
                   [(1, 3, "PER"), (5, 6, "PER")])
    assert [sp.text for sp in doc_entities(doc)] == ["Franz von Papen", "Corrado Passera"]


def test_agencies_genitive_nouns_and_english_names():
    doc = doc_with(["Laut", "Reuters", "sagte", "er", ",", "Kims", "Plan", "sei", "gut", "[",
                    "Democratic", "People", "’s", "Republic", "of", "Korea", "]", "."],
                   [(1, 2, "PER"), (5, 7, "PER"), (10, 12, "PER"), (15, 16, "LOC")])
    assert [(sp.text, sp.label_) for sp in doc_entities(doc)] == [
        ("Reuters", "ORG"), ("Kims", "PER"), ("Korea", "LOC")]


def test_person_words_win_over_other_types_in_the_document():
    doc = doc_with(["Kim", "Jong", "Un", "traf", "Putin", ".", "Kim", "und", "Putin", "reden"],
                   [(0, 3, "PER"), (4, 5, "PER"), (6, 7, "LOC")])
    assert [(sp.text, sp.label_) for sp in doc_entities(doc)] == [
        ("Kim Jong Un", "PER"), ("Putin", "PER"), ("Kim", "PER"), ("Putin", "PER")]
