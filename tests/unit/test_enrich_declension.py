"""Organisation and place names in the nominative (indexer/enrich/declension.py), with the
real ``german-nouns`` lexicon."""

import pytest

from indexer.enrich.canonical import canonicalize
from indexer.enrich.declension import adjective_stem, is_place_adjective, nominative


@pytest.mark.parametrize("name, expected", [
    # adjective + head in every case -> the strong nominative, by the head's gender
    ("Nationalen Sicherheitsrats", "Nationaler Sicherheitsrat"),
    ("Nationale Sicherheitsrat", "Nationaler Sicherheitsrat"),
    ("Weißen Hauses", "Weißes Haus"),
    ("Weißen Haus", "Weißes Haus"),
    ("Weiße Haus", "Weißes Haus"),
    ("Europäischen Union", "Europäische Union"),
    ("Europäischen Parlaments", "Europäisches Parlament"),
    ("Vereinigten Staaten", "Vereinigte Staaten"),                       # plural
    ("Vereinigten Arabischen Emiraten", "Vereinigte Arabische Emirate"),  # dative plural
    # a dative plural that is also a verb made a noun ("das Spielen"): after an -en
    # adjective the plural (4 articles of 10kGNAD were "Olympisches Spielen")
    ("Olympischen Spielen", "Olympische Spiele"),
    ("Städtischen Werken", "Städtische Werke"),
    ("Olympische Spiele", "Olympische Spiele"),
    ("Spielen", "Spielen"),
    ("Deutschen Leben", "Deutsches Leben"),   # "Leben" has the plural "Leben": no dative
    ("Zweiten Deutschen Fernsehens", "Zweites Deutsches Fernsehen"),
    # a genitive singular that is also the plural ("die Komitees"): a name is one body ...
    ("Internationalen Olympischen Komitees", "Internationales Olympisches Komitee"),
    # ... but a weak noun's -en is every case, and its plural is the party's name
    ("Freien Demokraten", "Freie Demokraten"),
    ("Internationalen Währungsfonds", "Internationaler Währungsfonds"),
    ("Deutschen Presse-Agentur", "Deutsche Presse-Agentur"),              # by the last part
    ("Frankfurter Allgemeinen Zeitung", "Frankfurter Allgemeine Zeitung"),
    # a place adjective whose place loses a vowel ("Zürich" -> "Zürcher") or ends in -en
    ("Neuen Zürcher Zeitung", "Neue Zürcher Zeitung"),
    ("Neuen Dresdner Nachrichten", "Neue Dresdner Nachrichten"),
    ("Bremer Stadtmusikanten", "Bremer Stadtmusikanten"),
    # only a place adjective before the head: the head alone is declined
    ("Berliner Verkehrsbetrieben", "Berliner Verkehrsbetriebe"),
    ("Schweizer Bundesrats", "Schweizer Bundesrat"),
    ("Kölner Stadt-Anzeigers", "Kölner Stadt-Anzeiger"),
    ("Wiener Linien", "Wiener Linien"),
    # the head first, a German phrase after it: the head alone is declined
    ("Bundesamts für Verfassungsschutz", "Bundesamt für Verfassungsschutz"),
    ("Museums für Völkerkunde", "Museum für Völkerkunde"),
    ("Hauses der Geschichte", "Haus der Geschichte"),
    ("Doctors for Refugees", "Doctors for Refugees"),   # no German phrase: kept
    ("Axel Springer Verlages", "Axel Springer Verlages"),
    # adjectives without their noun ("der Frankfurter Allgemeinen", the Zeitung left out)
    ("Frankfurter Allgemeinen", "Frankfurter Allgemeine"),
    ("Süddeutschen", "Süddeutsche"),
    ("McLaren", "McLaren"),                    # a name in -en, not an adjective
    ("YouTube", "YouTube"),                    # a compound's tail keeps its capital
    # heads of two genders in the lexicon take the one of names ("das Bund" is a bundle)
    ("Deutschen Fußball-Bundes", "Deutscher Fußball-Bund"),
    ("Deutsche Fußball-Bund", "Deutscher Fußball-Bund"),
    ("Deutschen Fußballbundes", "Deutscher Fußballbund"),
    ("Österreichischen Post", "Österreichische Post"),
    # superlatives (two entities of 10kGNAD: "Oberste Gerichtshof", "Obersten Gerichtshofs")
    ("Obersten Gerichtshofs", "Oberster Gerichtshof"),
    ("Oberste Gerichtshof", "Oberster Gerichtshof"),
    ("Höchsten Gerichts", "Höchstes Gericht"),
    # what follows the head is left alone: a genitive attribute, a phrase, an abbreviation
    ("Kommunistischen Partei Chinas", "Kommunistische Partei Chinas"),
    ("Nationalen Sicherheitsrates der USA", "Nationaler Sicherheitsrat der USA"),
    ("Vereinigten Staaten von Amerika", "Vereinigte Staaten von Amerika"),
    ("Deutschen Bank AG", "Deutsche Bank AG"),
    # one word: its own head
    ("Moskaus", "Moskau"), ("Pjöngjangs", "Pjöngjang"), ("Kremls", "Kreml"), ("Chinas", "China"),
    ("Bundesverfassungsgerichts", "Bundesverfassungsgericht"),
    # one word declined like an adjective: its strong nominative plural (the parties)
    ("Grünen", "Grüne"), ("Grüner", "Grüne"), ("Linken", "Linke"), ("Liberalen", "Liberale"),
    ("GRÜNEN", "Grüne"), ("LINKE", "Linke"),
    ("Grüne", "Grüne"), ("Bayern", "Bayern"), ("Sachsen", "Sachsen"),   # other nouns' forms
    # unchanged: base forms that end in s, names that are not declined, unsure heads
    ("Reuters", "Reuters"),                         # no genitive of the surname "Reuter"
    ("Wales", "Wales"), ("Paris", "Paris"), ("Texas", "Texas"), ("Davos", "Davos"),
    ("Staaten", "Staaten"), ("USA", "USA"), ("Die Grünen", "Die Grünen"),
    ("Hamburger SV", "Hamburger SV"), ("Kölner Dom", "Kölner Dom"),
    ("New York Times", "New York Times"),
    ("Sozialdemokratische Partei Deutschlands", "Sozialdemokratische Partei Deutschlands"),
])
def test_nominative(name, expected):
    assert " ".join(nominative(name.split())) == expected


def test_adjectives_are_told_from_place_words():
    assert adjective_stem("Nationalen") == "National"
    assert adjective_stem("Vereinigten") == "Vereinigt"
    assert adjective_stem("Hamburger") is None      # from a place: not declined
    assert is_place_adjective("Münchner") and is_place_adjective("Basler")
    assert is_place_adjective("Zürcher") and not is_place_adjective("Lehrer")
    assert adjective_stem("nationalen") is None     # names are capitalised


def test_every_case_of_an_organisation_is_one_entity_across_articles():
    forms = ["des Nationalen Sicherheitsrats", "dem Nationalen Sicherheitsrat",
             "der Nationale Sicherheitsrat", "Nationaler Sicherheitsrat"]
    entities = [canonicalize([{"start": 0, "end": len(f), "text": f, "type": "ORG"}])[0]
                for f in forms]
    assert {(e["id"], e["name"]) for e in entities} == \
        {("org-nationaler-sicherheitsrat", "Nationaler Sicherheitsrat")}
    assert entities[0]["mentions"] == [{"start": 4, "end": 30, "text": "Nationalen Sicherheitsrats"}]


def test_the_party_is_one_entity_whatever_its_case():
    """10kGNAD and Wikinews: "Grünen" named 75 articles and "Grüne" 32, as two entities."""
    forms = ["die Grünen", "der Grünen", "Grüne"]
    entities = [canonicalize([{"start": 0, "end": len(f), "text": f, "type": "ORG"}])[0]
                for f in forms]
    assert {(e["id"], e["name"]) for e in entities} == {("org-gruene", "Grüne")}


def test_person_names_are_not_declined_here():
    mention = {"start": 0, "end": 14, "text": "Heiligen Stuhl", "type": "PER"}
    assert canonicalize([mention])[0]["name"] == "Heiligen Stuhl"
