"""Named entity extraction: lexicon feature, rule layer and the public function."""

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, Span

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


def fake_tagger(calls=None):
    """Labels every capitalised token that is not a German function word as a person, and
    records the sentences it was sent: the rule layer and the offsets are what is tested."""
    def tag(sentences):
        if calls is not None:
            calls.append(sentences)
        return [["I-PER" if w[:1].isupper() and w.lower() not in {"der", "die", "das"} else "O"
                 for w in sentence] for sentence in sentences]
    return tag


def test_extract_entities_offsets_sentences_and_whitespace():
    text = "Der Besuch von Kim Jong Un.\n\nDanach  reiste Putin ab."
    calls = []
    found = extract_entities(text, tagger=fake_tagger(calls))
    assert calls == [[["Der", "Besuch", "von", "Kim", "Jong", "Un", "."],
                      ["Danach", "reiste", "Putin", "ab", "."]]]  # no whitespace tokens sent
    assert [(e["text"], e["type"]) for e in found] == [
        ("Besuch", "PER"), ("Kim Jong Un", "PER"), ("Danach", "PER"), ("Putin", "PER")]
    assert all(text[e["start"]:e["end"]] == e["text"] for e in found)


def test_extract_entities_empty_text_sends_nothing():
    calls = []
    assert extract_entities("", tagger=fake_tagger(calls)) == []
    assert extract_entities("   \n", tagger=fake_tagger(calls)) == []
    assert calls == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_extract_entities_never_crashes(text):
    for e in extract_entities(text, tagger=fake_tagger()):
        assert text[e["start"]:e["end"]] == e["text"]


def test_person_names_run_on_over_unknown_capitalised_words():
    doc = doc_with(["Kim", "Jong", "Un", "und", "Hulk", "Der", "Präsident", "und", "Heidi",
                    "Klums", "Modelsuche", "."],
                   [(0, 2, "PER"), (4, 5, "PER"), (8, 10, "PER")])
    assert [sp.text for sp in doc_entities(doc)] == ["Kim Jong Un", "Hulk", "Heidi Klums"]


def test_first_names_ending_in_s_are_no_genitives():
    doc = doc_with(["Finanzminister", "Hans", "Eichel", "las", "Kims", "Plan", "."],
                   [(0, 3, "PER"), (4, 6, "PER")])
    assert [sp.text for sp in doc_entities(doc)] == ["Hans Eichel", "Kims"]
    # "Hollande" looks like a compound of "Lande"; "François" is no genitive of a name
    doc = doc_with(["Präsident", "François", "Hollande", "und", "Papens", "Vizekanzlei", "von",
                    "Franz", "von", "Papen"], [(0, 3, "PER"), (4, 6, "LOC"), (7, 10, "PER")])
    assert [sp.text for sp in doc_entities(doc)] == ["François Hollande", "Papens",
                                                      "Franz von Papen"]


def test_final_marks_of_names_are_kept():
    doc = doc_with(["Yahoo", "!", "und", "Susanne", "R.", ",", "Putin", ","],
                   [(0, 2, "ORG"), (3, 6, "PER"), (6, 8, "PER")])
    assert [sp.text for sp in doc_entities(doc)] == ["Yahoo !", "Susanne R.", "Putin"]


def test_results_times_and_urls_are_cut_from_names():
    doc = doc_with(["3:0.", "Soriano", ",", "Lukas", "Klapfer", "1:56,6", ",", "Gauland",
                    "pic.twitter.com/vRR4ubIRiQ", "Gauland", "im", "1.", "FC", "Nürnberg"],
                   [(0, 2, "PER"), (3, 6, "PER"), (7, 10, "PER"), (11, 14, "ORG")])
    assert [sp.text for sp in doc_entities(doc)] == [   # the second "Gauland": found again
        "Soriano", "Lukas Klapfer", "Gauland", "Gauland", "1. FC Nürnberg"]
    only = doc_with(["2:0", "bis", "www.example.com"], [(0, 1, "ORG"), (2, 3, "ORG")])
    assert doc_entities(only) == []


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


def test_a_span_of_place_names_only_is_split_into_places():
    # Sample 002: "Wenn Pjöngjang Moskau Waffen liefert": the model tags one ORG.
    doc = doc_with(["Wenn", "Pjöngjang", "Moskau", "Waffen", "liefert", "."], [(1, 3, "ORG")])
    assert [(sp.text, sp.label_) for sp in doc_entities(doc)] == [("Pjöngjang", "LOC"),
                                                                   ("Moskau", "LOC")]
    # A common noun among the words ("Oder"), a word the lexicon does not know, or a hyphen:
    # one name.
    for words in (["Frankfurt", "Oder"], ["Flughafen", "Berlin"], ["Berlin-Brandenburg", "Nord"]):
        doc = doc_with(words, [(0, 2, "LOC")])
        assert [sp.text for sp in doc_entities(doc)] == [" ".join(words)]


def test_names_with_capitalised_particles_are_whole():
    # The model tags "Alexander Van" and stops at "der"; a bare "Van der Bellen" it misses.
    words = ["Alexander", "Van", "der", "Bellen", "siegte", ".", "Van", "der", "Bellen", "und",
             "Van", "Gaal", ".", "Ein", "Van", "der", "Firma", "."]
    doc = doc_with(words, [(0, 2, "PER"), (10, 12, "PER")])
    assert [(sp.text, sp.label_) for sp in doc_entities(doc)] == [
        ("Alexander Van der Bellen", "PER"), ("Van der Bellen", "PER"), ("Van Gaal", "PER")]
    # A particle is no name of its own elsewhere in the document.
    doc = doc_with(["Alexander", "Van", "der", "Bellen", "fuhr", "einen", "Van", "."],
                   [(0, 2, "PER")])
    assert [sp.text for sp in doc_entities(doc)] == ["Alexander Van der Bellen"]
