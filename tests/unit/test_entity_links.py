"""Genitive, acronym and differently spelled names joined to the entity the archive knows
(pure part)."""

import pytest

from indexer.enrich.canonical import entity_id
from indexer.entity_links import acronym_key, acronym_owners, compact_key, genitive_base, link, spelling_owners
from indexer.pipeline import set_entity_fields


def entity(name, etype="PER", start=0, aliases=()):
    return {"id": entity_id(etype, name), "type": etype, "name": name, "aliases": list(aliases),
            "mentions": [{"start": start, "end": start + len(name), "text": name}]}


def doc_with(*entities):
    doc = {"id": "a1"}
    set_entity_fields(doc, list(entities))
    return doc


# Multi-word names of 10kGNAD and Wikinews whose base form was an entity of its own: each of
# them was a genitive.
@pytest.mark.parametrize("name, etype, base", [
    ("Angela Merkels", "PER", "per-angela-merkel"),
    ("Frank Stronachs", "PER", "per-frank-stronach"),
    ("Andrew Lloyd Webbers", "PER", "per-andrew-lloyd-webber"),
    ("Barack Obamas", "PER", "per-barack-obama"),
    ("Chaos Computer Clubs", "ORG", "org-chaos-computer-club"),
    ("LG Displays", "ORG", "org-lg-display"),
])
def test_genitive_base_of_multi_word_names(name, etype, base):
    assert genitive_base(entity(name, etype)) == base


# Single words whose base form was an entity too, and were no genitive of it; names ending
# in "ss", and names without a final s.
@pytest.mark.parametrize("name, etype", [
    ("Jesus", "PER"), ("Williams", "PER"), ("Reuters", "ORG"), ("Times", "ORG"),
    ("Merkels", "PER"), ("Johann Strauss", "PER"), ("Kim Jong Un", "PER"), ("Hans Os", "PER"),
])
def test_no_genitive_base(name, etype):
    assert genitive_base(entity(name, etype)) is None


def test_a_known_base_form_takes_the_genitive_name():
    doc = doc_with(entity("Angela Merkels", start=0), entity("Berlin", "LOC", start=30))
    assert link([doc], {"per-angela-merkel": "Angela Merkel"}) == 1
    merkel, berlin = doc["entities"]
    assert (merkel["id"], merkel["name"], merkel["aliases"]) == (
        "per-angela-merkel", "Angela Merkel", ["Angela Merkels"])
    assert merkel["mentions"] == [{"start": 0, "end": 14, "text": "Angela Merkels"}]
    assert berlin["id"] == "loc-berlin"
    assert doc["persons"] == [{"id": "per-angela-merkel", "name": "Angela Merkel"}]
    assert doc["facet_persons"] == ["per-angela-merkel|Angela Merkel"]
    assert doc["places"] == [{"id": "loc-berlin", "name": "Berlin"}]


def test_an_unknown_base_form_changes_nothing():
    doc = doc_with(entity("Angela Merkels"))
    before = {key: value for key, value in doc.items()}
    assert link([doc], {"per-olaf-scholz": "Olaf Scholz"}) == 0
    assert doc == before


def test_the_base_form_in_the_same_article_keeps_its_name_and_gets_the_mentions():
    doc = doc_with(entity("Angela Merkels", start=0),
                   entity("Angela Merkel", start=40, aliases=["Merkel"]))
    assert link([doc], {"per-angela-merkel": "Angela Merkel"}) == 1
    [merkel] = doc["entities"]
    assert merkel["name"] == "Angela Merkel"
    assert merkel["aliases"] == ["Angela Merkels", "Merkel"]
    assert [m["start"] for m in merkel["mentions"]] == [0, 40]
    assert doc["facet_persons"] == ["per-angela-merkel|Angela Merkel"]


EZB = entity("Europäische Zentralbank", "ORG", aliases=["EZB"])


def test_acronym_keys():
    assert acronym_key(entity("EZB", "ORG")) == ("ORG", "EZB")
    assert acronym_key(entity("EuGH", "ORG")) == ("ORG", "EuGH")
    assert acronym_key(entity("Europäische Zentralbank", "ORG")) is None
    assert acronym_key(entity("Bayer", "ORG")) is None        # one capital: a word
    assert acronym_key(entity("KIM", "PER")) is None          # persons have no acronyms here


def test_an_acronym_belongs_to_the_one_entity_it_abbreviates():
    islamic_state = entity("Islamischer Staat", "ORG", aliases=["IS"])
    school = entity("Internationale Schule", "ORG", aliases=["IS"])
    party = entity("Sozialdemokratische Partei Deutschlands", "LOC", aliases=["SPD"])  # a place
    wrong = entity("Zentralbank", "ORG", aliases=["EZB"])      # "EZB" does not abbreviate it
    wanted = {("ORG", "EZB"), ("ORG", "IS"), ("ORG", "SPD")}
    assert acronym_owners(wanted, [EZB, islamic_state, school, party, wrong]) == {
        ("ORG", "EZB"): ("org-europaeische-zentralbank", "Europäische Zentralbank")}


def test_a_known_acronym_joins_its_organisation():
    doc = doc_with(entity("EZB", "ORG", start=4), entity("Frankfurt", "LOC", start=20))
    owners = acronym_owners({("ORG", "EZB")}, [EZB])
    assert link([doc], {}, owners) == 1
    bank, city = doc["entities"]
    assert (bank["id"], bank["name"], bank["aliases"]) == (
        "org-europaeische-zentralbank", "Europäische Zentralbank", ["EZB"])
    assert doc["facet_organizations"] == ["org-europaeische-zentralbank|Europäische Zentralbank"]
    assert city["id"] == "loc-frankfurt"


# Organisation and place names of 10kGNAD and Wikinews (1,883 articles, 10,389 entities) that
# share a compact key with another entity's name: each pair is one entity.
@pytest.mark.parametrize("etype, one, other", [
    ("ORG", "Deutscher Fußball-Bund", "Deutscher Fußballbund"),
    ("ORG", "Deutsche Presse-Agentur", "Deutsche Presseagentur"),
    ("ORG", "Austria Presse Agentur", "Austria Presseagentur"),
    ("ORG", "Internationale Atomenergie-Organisation", "Internationale Atomenergieorganisation"),
    ("ORG", "ZDF Neo", "ZDFneo"),
    ("ORG", "NDR Info", "NDRinfo"),
    ("ORG", "Space X", "SpaceX"),
    ("ORG", "Deutsche Telekom", "Deutschetelekom"),
    ("ORG", "ver.di", "Verdi"),
    ("LOC", "Papua Neu-Guinea", "Papua-Neuguinea"),
    ("LOC", "San Remo", "Sanremo"),
    ("LOC", "Hong-Kong", "Hongkong"),
    ("LOC", "Ost-Europa", "Osteuropa"),
    ("LOC", "Wörthersee-Stadion", "Wörtherseestadion"),
])
def test_spellings_of_one_name_share_a_compact_key_and_the_one_with_more_words_owns_it(
        etype, one, other):
    first, second = entity(one, etype), entity(other, etype)
    assert compact_key(first) == compact_key(second) is not None
    assert first["id"] != second["id"]
    expected = {compact_key(first): (first["id"], one)}
    assert spelling_owners({compact_key(first)}, [first, second]) == expected
    assert spelling_owners({compact_key(first)}, [second, first]) == expected   # order-free


def test_no_compact_key_for_persons_and_short_names():
    assert compact_key(entity("Mohammed ElBaradei")) is None      # persons: canonical's rules
    assert compact_key(entity("EZB", "ORG")) is None
    assert compact_key(entity("A 4", "LOC")) is None              # "A4": too short to tell
    assert compact_key(entity("Ulm", "LOC")) is None
    assert compact_key(entity("Bonn", "LOC")) == ("LOC", "bonn")


def test_same_key_of_another_type_is_no_spelling_and_one_form_alone_has_no_owner():
    org, place = entity("Hong Kong", "ORG"), entity("Hongkong", "LOC")
    assert spelling_owners({compact_key(org), compact_key(place)}, [org, place]) == {}


def test_equal_words_fall_back_to_the_smaller_id():
    a, b = entity("Papua Neu-Guinea", "LOC"), entity("Papua-Neu Guinea", "LOC")
    assert a["id"] == b["id"]          # hyphens and spaces already share the id
    closed, spaced = entity("Neuguinea Nord", "LOC"), entity("Neu-Guinea-Nord", "LOC")
    owner = spelling_owners({compact_key(closed)}, [closed, spaced])
    assert owner == {compact_key(closed): (spaced["id"], "Neu-Guinea-Nord")}


def test_a_known_spelling_takes_the_closed_compound_and_its_mentions():
    doc = doc_with(entity("Deutscher Fußballbund", "ORG", start=4),
                   entity("Deutscher Fußball-Bund", "ORG", start=40))
    known = entity("Deutscher Fußball-Bund", "ORG")
    spellings = spelling_owners({compact_key(known)}, [*doc["entities"], known])
    assert link([doc], {}, {}, spellings) == 1
    [dfb] = doc["entities"]
    assert (dfb["id"], dfb["name"], dfb["aliases"]) == (
        "org-deutscher-fussball-bund", "Deutscher Fußball-Bund", ["Deutscher Fußballbund"])
    assert [m["start"] for m in dfb["mentions"]] == [4, 40]
    assert doc["facet_organizations"] == ["org-deutscher-fussball-bund|Deutscher Fußball-Bund"]
