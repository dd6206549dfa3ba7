"""Merging entity mentions of one article into canonical entities with stable ids."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.enrich.canonical import (
    abbreviates,
    canonicalize,
    clean_mention,
    entity_id,
    fold,
    is_group_word,
    is_role_word,
    without_legal_form,
)
from indexer.enrich.known_entities import known_company, known_entity, known_medium, sport_country


def mentions_in(text: str, *items: tuple[str, str]) -> list[dict]:
    """Mentions for (surface, type) pairs, found left to right in ``text``."""
    out, pos = [], 0
    for surface, typ in items:
        start = text.index(surface, pos)
        out.append({"text": surface, "type": typ, "start": start, "end": start + len(surface)})
        pos = start + 1
    return out


def by_name(entities):
    return {e["name"]: e for e in entities}


def test_kim_variants_bare_name_and_genitive_are_one_entity():
    text = ("Machthaber Kim Jong-un reist nach Russland. Kim Jong Un will Putin treffen. "
            "Später sagte Kim, Kims Zug sei bereit.")
    ents = canonicalize(mentions_in(
        text, ("Machthaber Kim Jong-un", "PER"), ("Russland", "LOC"), ("Kim Jong Un", "PER"),
        ("Putin", "PER"), ("Kim", "PER"), ("Kims", "PER")))
    kim = by_name(ents)["Kim Jong Un"]
    assert kim["id"] == "per-kim-jong-un"
    assert kim["aliases"] == ["Kim", "Kim Jong-un"]
    assert [m["text"] for m in kim["mentions"]] == ["Kim Jong-un", "Kim Jong Un", "Kim", "Kims"]
    first = kim["mentions"][0]
    assert text[first["start"]:first["end"]] == "Kim Jong-un"  # the role word is cut off
    assert by_name(ents)["Putin"]["id"] == "per-putin"  # no full name here: its own entity


def test_title_and_genitive_join_the_full_name():
    text = "Präsident Wladimir Putin sprach. Putins Sprecher Dmitri Peskow widersprach Putin."
    ents = canonicalize(mentions_in(
        text, ("Präsident Wladimir Putin", "PER"), ("Putins", "PER"),
        ("Dmitri Peskow", "PER"), ("Putin", "PER")))
    assert sorted(e["name"] for e in ents) == ["Dmitri Peskow", "Wladimir Putin"]
    putin = by_name(ents)["Wladimir Putin"]
    assert putin["id"] == "per-wladimir-putin"
    assert len(putin["mentions"]) == 3
    assert "Präsident" not in putin["name"] and "Präsident Wladimir Putin" not in putin["aliases"]


def test_ids_are_stable_across_articles():
    a = canonicalize(mentions_in("Kim Jong-un kam.", ("Kim Jong-un", "PER")))
    b = canonicalize(mentions_in("Kim Jong Un kam.", ("Kim Jong Un", "PER")))
    c = canonicalize(mentions_in("Wladimir Wladimirowitsch Putin und Wladimir Putin",
                                 ("Wladimir Wladimirowitsch Putin", "PER"),
                                 ("Wladimir Putin", "PER")))
    assert a[0]["id"] == b[0]["id"] == "per-kim-jong-un"
    assert len(c) == 1
    assert c[0]["id"] == entity_id("PER", "Wladimir Putin") == "per-wladimir-putin"
    assert c[0]["name"] == "Wladimir Wladimirowitsch Putin"


def test_genitive_is_not_cut_from_names_ending_in_s_sounds():
    text = "Martin Schulz sprach. Schulz lachte. Schulz' Partei und Hans Maus."
    ents = canonicalize(mentions_in(
        text, ("Martin Schulz", "PER"), ("Schulz", "PER"), ("Schulz'", "PER"), ("Hans Maus", "PER")))
    assert by_name(ents)["Martin Schulz"]["aliases"] == ["Schulz"]
    assert len(by_name(ents)["Martin Schulz"]["mentions"]) == 3
    assert "Hans Maus" in by_name(ents)  # not "Hans Mau"
    lone = canonicalize(mentions_in("Schulz sprach.", ("Schulz", "PER")))
    assert lone[0]["name"] == "Schulz"


def test_umlaut_and_hyphen_variants_and_locations():
    text = "Thomas Müller traf Thomas Mueller in Nordkorea; Nordkoreas Führung und Nord-Korea."
    ents = canonicalize(mentions_in(
        text, ("Thomas Müller", "PER"), ("Thomas Mueller", "PER"), ("Nordkorea", "LOC"),
        ("Nordkoreas", "LOC"), ("Nord-Korea", "LOC")))
    assert len([e for e in ents if e["type"] == "PER"]) == 1
    locs = [e for e in ents if e["type"] == "LOC"]
    assert [e["id"] for e in locs] == ["loc-nordkorea", "loc-nord-korea"]
    assert len(locs[0]["mentions"]) == 2


def test_ambiguous_bare_name_stays_alone():
    text = "Kim Jong Un und Kim Yo Jong kamen. Kim sprach."
    ents = canonicalize(mentions_in(
        text, ("Kim Jong Un", "PER"), ("Kim Yo Jong", "PER"), ("Kim", "PER")))
    assert sorted(e["name"] for e in ents) == ["Kim", "Kim Jong Un", "Kim Yo Jong"]


def test_type_vote_and_fuzzy_spelling():
    text = "Selenskyj sprach mit Wolodymyr Selenskyj. Selenskyj (ORG?) und Wolodymyr Selenskij."
    ents = canonicalize(mentions_in(
        text, ("Selenskyj", "PER"), ("Wolodymyr Selenskyj", "PER"), ("Selenskyj", "ORG"),
        ("Wolodymyr Selenskij", "PER")))
    assert len(ents) == 1 and len(ents[0]["mentions"]) == 4


@pytest.mark.parametrize("word", ["Präsident", "Machthaber", "US-Sicherheitsberater",
                                  "Kreml-Chef", "Außenministerin", "Bundeskanzler", "Dr.",
                                  "Herrn", "Sprecherin", "Klubobmann", "Bildungsökonom",
                                  "Steuerkommissar", "Youtube-Star", "Youtuber", "Popstar",
                                  "Konsumentenschützer", "Veteran", "Landesrätin", "Stadtrat"])
def test_role_words(word):
    assert is_role_word(word)


@pytest.mark.parametrize("word", ["Putin", "Kim", "Schulz", "präsident", "Berlin", "Starr",
                                  "Star", "Bauer", "Murat"])
def test_not_role_words(word):
    assert not is_role_word(word)


def test_clean_mention_cuts_quotes_articles_and_roles():
    m = clean_mention({"text": "„Außenministerin Annalena Baerbock“", "type": "PER",
                       "start": 10, "end": 45})
    assert m.name == "Annalena Baerbock" and m.start == 27
    assert clean_mention({"text": "Dr.", "type": "PER", "start": 0, "end": 3}) is None
    m = clean_mention({"text": "Angela #Merkel", "type": "PER", "start": 5, "end": 19})
    assert m.name == "Angela Merkel" and (m.start, m.end) == (5, 19)
    m = clean_mention({"text": "@Merkel", "type": "PER", "start": 0, "end": 7})
    assert m.name == "Merkel" and m.start == 1
    # One article of 10kGNAD: "Facebook!" was the longest label, so it named 32 articles.
    m = clean_mention({"text": "Facebook!", "type": "ORG", "start": 3, "end": 12})
    assert m.name == "Facebook" and (m.start, m.end) == (3, 11)


def test_fold():
    assert fold("Kim Jong-un") == fold("Kim Jong Un") == "kim jong un"
    assert fold("Müller-Lüdenscheidt") == "mueller luedenscheidt"
    assert fold("Ségolène Royal") == "segolene royal"


@given(st.lists(st.tuples(st.text(min_size=1, max_size=30),
                          st.sampled_from(["PER", "ORG", "LOC"])), max_size=8))
def test_canonicalize_never_crashes_and_keeps_offsets(items):
    text = " ".join(s for s, _ in items)
    mentions, pos = [], 0
    for surface, typ in items:
        mentions.append({"text": surface, "type": typ, "start": pos, "end": pos + len(surface)})
        pos += len(surface) + 1
    for entity in canonicalize(mentions):
        assert entity["id"].startswith(entity["type"].lower() + "-")
        for m in entity["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_an_acronym_in_brackets_is_the_organisation_it_follows():
    text = ("Das Bundesamt für Sicherheit in der Informationstechnik (BSI) warnt. Das BSI verweist "
            "auf Angriffe, die Union (CDU) widerspricht.")
    items = mentions_in(text, ("Bundesamt für Sicherheit in der Informationstechnik", "ORG"),
                        ("BSI", "ORG"), ("BSI", "ORG"), ("Union", "ORG"), ("CDU", "ORG"))
    entities = by_name(canonicalize(items, text))
    office = entities["Bundesamt für Sicherheit in der Informationstechnik"]
    assert office["aliases"] == ["BSI"] and len(office["mentions"]) == 3
    assert {"Union", "CDU"} <= entities.keys()        # "CDU" does not abbreviate "Union"
    assert "BSI" in by_name(canonicalize(items))      # without the text: nothing joined


def test_well_known_places_and_organisations_have_one_name_in_every_article():
    text = ("Die Vereinigten Staaten warnen die DVRK. Die USA und die UNO beraten, Nordkorea "
            "schweigt. Russland erklärte, die Vereinten Nationen hätten kein Recht dazu.")
    items = mentions_in(text, ("Vereinigten Staaten", "LOC"), ("DVRK", "ORG"), ("USA", "LOC"),
                        ("UNO", "ORG"), ("Nordkorea", "LOC"), ("Russland", "ORG"),
                        ("Vereinten Nationen", "ORG"))
    entities = by_name(canonicalize(items, text))
    assert entities.keys() == {"USA", "Nordkorea", "Vereinte Nationen", "Russland"}
    assert entities["USA"]["id"] == "loc-usa"
    assert entities["USA"]["aliases"] == ["Vereinigte Staaten"]
    assert (entities["Nordkorea"]["type"], entities["Nordkorea"]["aliases"]) == ("LOC", ["DVRK"])
    assert entities["Russland"]["type"] == "LOC"       # a country tagged as an organisation
    assert entities["Vereinte Nationen"]["aliases"] == ["UNO"]
    assert len(entities["Vereinte Nationen"]["mentions"]) == 2
    # the same ids in an article that has one form only
    alone = by_name(canonicalize(mentions_in("Die DVRK droht.", ("DVRK", "ORG"))))
    assert alone["Nordkorea"]["id"] == "loc-nordkorea"


def test_known_entities():
    assert known_entity(fold("Demokratische Volksrepublik Korea")) == ("LOC", "Nordkorea")
    assert known_entity(fold("Democratic People’s Republic of Korea")) == ("LOC", "Nordkorea")
    assert known_entity(fold("Weißrussland")) == ("LOC", "Belarus")
    assert known_entity(fold("Bündnis 90/Die Grünen")) == ("ORG", "Grüne")
    assert known_entity(fold("Frankreich")) == ("LOC", "Frankreich")    # CLDR's German names
    assert known_entity(fold("Germany")) == ("LOC", "Deutschland")      # and English ones
    assert known_entity(fold("Deutscher Bundestag")) == ("ORG", "Bundestag")
    assert known_entity(fold("VW")) == ("ORG", "Volkswagen")
    assert known_entity(fold("Deutsche Lufthansa")) == ("ORG", "Lufthansa")
    for ambiguous in ("Korea", "Kongo", "Amerika", "Georgia", "Washington", "Kreml"):
        assert known_entity(fold(ambiguous)) is None


def test_group_words_are_not_part_of_an_organisations_name():
    text = ("Die Terrormiliz Islamischer Staat droht. Die Jihadistenmiliz Islamischer Staat und "
            "die Islamistengruppe Ansar Dine kämpfen, die Arbeiterpartei Kurdistans auch.")
    items = mentions_in(text, ("Terrormiliz Islamischer Staat", "ORG"),
                        ("Jihadistenmiliz Islamischer Staat", "ORG"),
                        ("Islamistengruppe Ansar Dine", "ORG"),
                        ("Arbeiterpartei Kurdistans", "ORG"))
    entities = by_name(canonicalize(items, text))
    assert entities.keys() == {"Islamischer Staat", "Ansar Dine", "Arbeiterpartei Kurdistans"}
    state = entities["Islamischer Staat"]
    assert [text[m["start"]:m["end"]] for m in state["mentions"]] == ["Islamischer Staat"] * 2
    assert state["id"] == "org-islamischer-staat"
    # Only before a name, only for organisations, only these words.
    for kept, kind in (("Gruppe der Zwanzig", "ORG"), ("Miliz", "ORG"),
                       ("Organisation Erdöl exportierender Länder", "ORG"),
                       ("Terrormiliz Islamischer Staat", "LOC")):
        mention = clean_mention({"text": kept, "type": kind, "start": 0, "end": len(kept)})
        assert mention.name == kept
    assert is_group_word("Terror-Miliz") and is_group_word("Milizen")
    assert not is_group_word("Aktionsgruppe") and not is_group_word("Arbeiterpartei")


def test_a_medium_tagged_as_an_organisation_has_its_outlet_name():
    """10kGNAD writes "der STANDARD"; the outlet facet of derstandard.at says "Der Standard"."""
    text = ("Wie der STANDARD berichtet, zitiert SPIEGEL ONLINE den Spiegel. Die Neue Zürcher "
            "Zeitung und die Welt schweigen, in der Welt wird gestritten.")
    items = mentions_in(text, ("STANDARD", "ORG"), ("SPIEGEL ONLINE", "ORG"), ("Spiegel", "ORG"),
                        ("Neue Zürcher Zeitung", "ORG"), ("Welt", "ORG"), ("Welt", "LOC"))
    entities = by_name(canonicalize(items, text))
    assert entities.keys() == {"Der Standard", "Der Spiegel", "NZZ", "Welt"}
    assert entities["Der Standard"]["id"] == "org-der-standard"
    assert entities["Der Spiegel"]["aliases"] == ["SPIEGEL ONLINE", "Spiegel"]
    assert entities["NZZ"]["aliases"] == ["Neue Zürcher Zeitung"]
    # Only a name tagged as an organisation: "die Welt" as a place is no newspaper.
    assert {(e["type"], e["name"]) for e in canonicalize(items, text)
            if "Welt" in e["name"]} == {("ORG", "Welt"), ("LOC", "Welt")}
    assert known_medium(fold("derStandard.at")) == "Der Standard"
    assert known_medium(fold("New York Times")) == "The New York Times"   # article left out
    assert known_medium(fold("Bild-Zeitung")) == "Bild"
    assert known_medium(fold("Merkel")) is None


def test_a_brand_tagged_as_a_person_is_the_organisation():
    text = ("Netflix und Amazon streiten mit Wired. Apples Chef lobt Netflix. "
            "Erfinder Nikola Tesla starb 1943; Tesla lebte in New York.")
    items = mentions_in(text, ("Netflix", "PER"), ("Amazon", "LOC"), ("Wired", "PER"),
                        ("Apples", "PER"), ("Netflix", "PER"), ("Nikola Tesla", "PER"),
                        ("Tesla", "PER"), ("New York", "LOC"))
    entities = by_name(canonicalize(items, text))
    for name in ("Netflix", "Amazon", "Wired", "Apple"):
        assert entities[name]["type"] == "ORG" and entities[name]["id"] == f"org-{fold(name)}"
    assert len(entities["Netflix"]["mentions"]) == 2
    assert entities["Apple"]["aliases"] == ["Apples"]
    tesla = entities["Nikola Tesla"]                   # the article's person of that name
    assert tesla["type"] == "PER" and len(tesla["mentions"]) == 2
    assert "Tesla" not in entities
    assert known_company("netflix") == "Netflix" and known_company("apples") == "Apple"
    assert known_company("merkel") is None and known_company("tes") is None


def test_a_person_named_only_by_a_common_noun_is_no_person():
    text = ("Die Polizei setzte Tränengas und Pfefferspray ein. Hacker, Neujahr. "
            "DFB-Präsident Zwanziger lobte. Alaba und Leitgeb fehlen. Ersatz: Schobesberger, "
            "Nutz. Der Hacker Max Hacker wurde gefasst.")
    items = mentions_in(text, ("Pfefferspray", "PER"), ("Hacker", "PER"), ("Neujahr", "PER"),
                        ("Zwanziger", "PER"), ("Alaba", "PER"), ("Leitgeb", "PER"),
                        ("Schobesberger", "PER"), ("Nutz", "PER"))
    names = set(by_name(canonicalize(items, text)))
    # A role word before it, or a list with another person, keeps the surname a person.
    assert names == {"Zwanziger", "Alaba", "Leitgeb", "Schobesberger", "Nutz"}
    # A full name in the article makes the bare word its surname.
    pair = mentions_in(text, ("Hacker", "PER"), ("Max Hacker", "PER"))
    assert [len(e["mentions"]) for e in canonicalize(pair, text)] == [2]
    # Without the text (no offsets to read roles from) nothing is dropped.
    assert "Pfefferspray" in by_name(canonicalize(items[:1]))


@pytest.mark.parametrize("words, expected", [
    ("Siemens AG", "Siemens"), ("Google Inc.", "Google"), ("Microsoft Corp", "Microsoft"),
    ("Wiener Linien GmbH & Co KG", "Wiener Linien"), ("Müller & Co. KG", "Müller"),
    ("Deutscher Alpenverein e. V.", "Deutscher Alpenverein"), ("Nestlé S.A.", "Nestlé"),
    ("Volkswagen Aktiengesellschaft", "Volkswagen"), ("GmbH", ""),
    # kept: a legal form inside a word, a word that is also an acronym, a company's name
    ("VAV Versicherungs-AG", "VAV Versicherungs-AG"), ("SA", "SA"),
    ("Schäuble & Co.", "Schäuble & Co."), ("Walt Disney Co.", "Walt Disney Co."),
    ("Porsche Holding", "Porsche Holding"), ("Agentur", "Agentur"),
])
def test_without_legal_form(words, expected):
    assert " ".join(without_legal_form(words.split())) == expected


def test_an_organisation_is_one_entity_with_and_without_its_legal_form():
    text = ("Die Siemens AG baut ab. Siemens sagte, die Deutsche Bahn AG und die Volkswagen "
            "Aktiengesellschaft seien Kunden. Die GmbH schweigt.")
    items = mentions_in(text, ("Siemens AG", "ORG"), ("Siemens", "ORG"),
                        ("Deutsche Bahn AG", "ORG"), ("Volkswagen Aktiengesellschaft", "ORG"),
                        ("GmbH", "ORG"))
    entities = by_name(canonicalize(items, text))
    assert entities.keys() == {"Siemens", "Deutsche Bahn", "Volkswagen"}   # "GmbH" is none
    assert entities["Siemens"]["id"] == "org-siemens"
    assert entities["Siemens"]["aliases"] == ["Siemens AG"]
    assert len(entities["Siemens"]["mentions"]) == 2
    assert entities["Deutsche Bahn"]["id"] == "org-deutsche-bahn"
    assert entities["Volkswagen"]["aliases"] == ["Volkswagen Aktiengesellschaft"]


@pytest.mark.parametrize("acronym, name, expected", [
    ("EZB", "Europäische Zentralbank", True), ("ÖVP", "Österreichische Volkspartei", True),
    ("EuGH", "Europäischer Gerichtshof", True), ("AfD", "Alternative für Deutschland", True),
    ("USA", "Vereinigte Staaten", False), ("Nato", "Nordatlantikpakt", False),
    ("CDU", "Union", False), ("Ei", "Eier", False),
])
def test_abbreviates(acronym, name, expected):
    assert abbreviates(acronym, name) is expected


def test_a_sports_code_in_brackets_is_the_athletes_country():
    text = ("Nordische Kombination: 1. Eric Frenzel (GER) 26:45,8 Min. 2. Akito Watabe (JPN) "
            "+3,1 3. Bernhard Gruber (AUT). Frenzel ist der beste Kombinierer aus Deutschland. "
            "Die GER-Staffel und GER folgen.")
    items = mentions_in(text, ("Eric Frenzel", "PER"), ("GER", "ORG"), ("Akito Watabe", "PER"),
                        ("JPN", "ORG"), ("Bernhard Gruber", "PER"), ("AUT", "LOC"),
                        ("Deutschland", "LOC"), ("GER", "ORG"))
    entities = by_name(canonicalize(items, text))
    assert {(e["type"], e["name"]) for e in entities.values()} == {
        ("PER", "Eric Frenzel"), ("PER", "Akito Watabe"), ("PER", "Bernhard Gruber"),
        ("LOC", "Deutschland"), ("LOC", "Japan"), ("LOC", "Österreich"), ("ORG", "GER")}
    assert len(entities["Deutschland"]["mentions"]) == 2 and entities["Deutschland"]["id"] == \
        "loc-deutschland"
    # a code outside brackets, or any code without the text, is left as the tagger had it
    assert [m["text"] for m in entities["GER"]["mentions"]] == ["GER"]
    assert ("ORG", "JPN") in {(e["type"], e["name"]) for e in canonicalize(items)}


def test_sports_codes_name_countries_as_the_country_list_does():
    assert sport_country("GER") == "Deutschland" == known_entity("deutschland")[1]
    assert sport_country("SUI") == "Schweiz" and sport_country("NED") == "Niederlande"
    assert sport_country("USA") == "USA" and sport_country("GBR") == "Großbritannien"
    assert sport_country("DEU") is None and sport_country("ger") is None


def test_an_article_that_begins_a_known_name_is_kept():
    text = ("Das Tribunal in Den Haag tagt. Die Behörden in Des Moines schweigen. "
            "Der Bundestag und den Grünen reicht das nicht.")
    ents = by_name(canonicalize(mentions_in(
        text, ("Den Haag", "LOC"), ("Des Moines", "LOC"), ("Der Bundestag", "ORG"),
        ("den Grünen", "ORG"))))
    assert ents.keys() == {"Den Haag", "Des Moines", "Bundestag", "Grüne"}
    assert ents["Den Haag"]["id"] == "loc-den-haag"
    assert ents["Den Haag"]["mentions"] == [{"start": 16, "end": 24, "text": "Den Haag"}]
