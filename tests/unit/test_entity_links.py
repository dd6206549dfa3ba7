"""Genitive, acronym and differently spelled names joined to the entity the archive knows
(pure part)."""

import pytest

from indexer.enrich.canonical import entity_id
from indexer.entity_links import (
    acronym_holders,
    acronym_key,
    acronym_owners,
    compact_key,
    genitive_base,
    last_name,
    leading_bearers,
    leading_namesakes,
    link,
    rival_ids,
    spelling_owners,
    surname_bearers,
    surname_key,
    surname_owners,
    use_stored_names,
)
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
    # Names of the lists of well-known names stay as the list names them.
    assert acronym_key(entity("FAZ", "ORG")) is None and acronym_key(entity("SPD", "ORG")) is None
    assert acronym_key(entity("FAZ", "LOC")) == ("LOC", "FAZ")   # the media list is for ORG


def test_an_acronym_belongs_to_the_one_entity_it_abbreviates():
    islamic_state = entity("Islamischer Staat", "ORG", aliases=["IS"])
    school = entity("Internationale Schule", "ORG", aliases=["IS"])
    party = entity("Sozialdemokratische Partei Deutschlands", "LOC", aliases=["SPD"])  # a place
    wrong = entity("Zentralbank", "ORG", aliases=["EZB"])      # "EZB" does not abbreviate it
    wanted = {("ORG", "EZB"), ("ORG", "IS"), ("ORG", "SPD")}
    holders = acronym_holders(wanted, [EZB, islamic_state, school, party, wrong])
    assert acronym_owners(holders) == {
        ("ORG", "EZB"): ("org-europaeische-zentralbank", "Europäische Zentralbank")}


def test_an_acronym_of_several_holders_joins_the_one_far_more_articles_name():
    bund = entity("Deutscher Fußball-Bund", "ORG", aliases=["DFB"])
    verband = entity("Deutschen Fußball Verbands", "ORG", aliases=["DFB"])
    wanted = {("ORG", "DFB")}
    holders = acronym_holders(wanted, [bund, verband])
    assert acronym_owners(holders) == {}            # nothing counted
    counts = {bund["id"]: 9, verband["id"]: 1}
    assert acronym_owners(holders, counts=counts) == {
        ("ORG", "DFB"): (bund["id"], bund["name"])}
    for close in ({bund["id"]: 9, verband["id"]: 4}, {bund["id"]: 2, verband["id"]: 0}):
        assert acronym_owners(holders, counts=close) == {}


def test_a_known_acronym_joins_its_organisation():
    doc = doc_with(entity("EZB", "ORG", start=4), entity("Frankfurt", "LOC", start=20))
    owners = acronym_owners(acronym_holders({("ORG", "EZB")}, [EZB]))
    assert link([doc], {}, owners) == 1
    bank, city = doc["entities"]
    assert (bank["id"], bank["name"], bank["aliases"]) == (
        "org-europaeische-zentralbank", "Europäische Zentralbank", ["EZB"])
    assert doc["facet_organizations"] == ["org-europaeische-zentralbank|Europäische Zentralbank"]
    assert city["id"] == "loc-frankfurt"


# Organisation and place names of 10kGNAD and Wikinews (1,883 articles, 10,389 entities) that
# share a compact key with another entity's name: each pair is one entity. Met in one batch (no
# article names either yet), it is named by the form with the fewest words (the first of each
# pair).
@pytest.mark.parametrize("etype, owner, other", [
    ("ORG", "Deutscher Fußballbund", "Deutscher Fußball-Bund"),
    ("ORG", "Deutsche Presseagentur", "Deutsche Presse-Agentur"),
    ("ORG", "Austria Presseagentur", "Austria Presse Agentur"),
    ("ORG", "Internationale Atomenergieorganisation", "Internationale Atomenergie-Organisation"),
    ("ORG", "ZDFneo", "ZDF Neo"),
    ("ORG", "NDRinfo", "NDR Info"),
    ("ORG", "SpaceX", "Space X"),
    ("ORG", "Deutschetelekom", "Deutsche Telekom"),
    ("ORG", "Verdi", "ver.di"),
    ("LOC", "Papua-Neuguinea", "Papua Neu-Guinea"),
    ("LOC", "Sanremo", "San Remo"),
    ("LOC", "Hongkong", "Hong-Kong"),
    ("LOC", "Osteuropa", "Ost-Europa"),
    ("LOC", "Wörtherseestadion", "Wörthersee-Stadion"),
])
def test_spellings_of_one_name_share_a_compact_key_and_the_one_with_fewest_words_owns_it(
        etype, owner, other):
    first, second = entity(owner, etype), entity(other, etype)
    assert compact_key(first) == compact_key(second) is not None
    assert first["id"] != second["id"]
    expected = {compact_key(first): (first["id"], owner)}
    assert spelling_owners([first, second]) == expected
    assert spelling_owners([second, first]) == expected   # order-free


def test_the_spelling_more_articles_name_keeps_its_id_whatever_its_words():
    """"Deutsche Telekom" is known from 30 articles: a later article's "Deutschetelekom" (one
    word fewer) joins it instead of taking its later articles away from it."""
    known, odd = entity("Deutsche Telekom", "ORG"), entity("Deutschetelekom", "ORG")
    key = compact_key(known)
    assert spelling_owners([odd, known], {known["id"]: 30}) == {key: (known["id"], known["name"])}
    assert spelling_owners([odd, known], {known["id"]: 30, odd["id"]: 31}) == {
        key: (odd["id"], odd["name"])}
    # As many articles: the fewest words, as in a batch that meets both forms first.
    assert spelling_owners([odd, known], {known["id"]: 3, odd["id"]: 3}) == {
        key: (odd["id"], odd["name"])}
    assert spelling_owners([odd, known], {}) == spelling_owners([odd, known])


def test_no_compact_key_for_persons_and_short_names():
    assert compact_key(entity("Mohammed ElBaradei")) is None      # persons: canonical's rules
    assert compact_key(entity("EZB", "ORG")) is None
    assert compact_key(entity("A 4", "LOC")) is None              # "A4": too short to tell
    assert compact_key(entity("Ulm", "LOC")) is None
    assert compact_key(entity("Bonn", "LOC")) == ("LOC", "bonn")


def test_same_key_of_another_type_is_no_spelling_and_one_form_alone_has_no_owner():
    org, place = entity("Hong Kong", "ORG"), entity("Hongkong", "LOC")
    assert spelling_owners([org, place]) == {}


def test_equal_words_fall_back_to_the_smaller_id():
    a, b = entity("Papua Neu-Guinea", "LOC"), entity("Papua-Neu Guinea", "LOC")
    assert a["id"] == b["id"]          # hyphens and spaces already share the id
    one, other = entity("Neuguinea-Nord", "LOC"), entity("Neu-Guineanord", "LOC")
    assert spelling_owners([one, other]) == {
        compact_key(one): ("loc-neu-guineanord", "Neu-Guineanord")}


def test_a_known_spelling_takes_the_hyphenated_compound_and_its_mentions():
    doc = doc_with(entity("Deutscher Fußball-Bund", "ORG", start=4),
                   entity("Deutscher Fußballbund", "ORG", start=40))
    known = entity("Deutscher Fußballbund", "ORG")
    spellings = spelling_owners([*doc["entities"], known])
    assert link([doc], {}, {}, spellings) == 1
    [dfb] = doc["entities"]
    assert (dfb["id"], dfb["name"], dfb["aliases"]) == (
        "org-deutscher-fussballbund", "Deutscher Fußballbund", ["Deutscher Fußball-Bund"])
    assert [m["start"] for m in dfb["mentions"]] == [4, 40]
    assert doc["facet_organizations"] == ["org-deutscher-fussballbund|Deutscher Fußballbund"]


def test_an_acronym_and_a_genitive_follow_their_owner_to_the_spelling_it_joins():
    """"IAEA" abbreviates the hyphenated "Internationale Atomenergie-Organisation", which
    joins the closed form: the acronym goes there too (seen on 10kGNAD, where it had stayed
    with the hyphenated form)."""
    hyphenated = entity("Internationale Atomenergie-Organisation", "ORG", start=0,
                        aliases=["IAEA"])
    doc = doc_with(hyphenated, entity("IAEA", "ORG", start=60))
    closed = entity("Internationale Atomenergieorganisation", "ORG")
    spellings = spelling_owners([*doc["entities"], closed])
    holders = acronym_holders({("ORG", "IAEA")}, [hyphenated, closed])
    owners = acronym_owners(holders, spellings)
    assert owners == {("ORG", "IAEA"): (closed["id"], closed["name"])}
    assert link([doc], {}, owners, spellings) == 2
    assert [(e["id"], e["aliases"]) for e in doc["entities"]] == [
        (closed["id"], ["IAEA", "Internationale Atomenergie-Organisation"])]
    # Both forms carrying the acronym are one owner, not two.
    closed["aliases"] = ["IAEA"]
    holders = acronym_holders({("ORG", "IAEA")}, [hyphenated, closed])
    assert len(holders[("ORG", "IAEA")]) == 2
    assert acronym_owners(holders, spellings) == owners
    # A genitive whose base form is a losing spelling goes to the winner as well.
    genitive = doc_with(entity("Hamburger Kanu-Vereins", "ORG"))
    base = entity("Hamburger Kanu-Verein", "ORG")
    winner = entity("Hamburger Kanuverein", "ORG")
    spellings = spelling_owners([base, winner])
    assert link([genitive], {base["id"]: base["name"]}, {}, spellings) == 1
    assert genitive["entities"][0]["id"] == winner["id"]


@pytest.mark.parametrize("name, etype, key", [
    ("Merkel", "PER", ("PER", "Merkel")),
    ("Erdoğan", "PER", ("PER", "Erdoğan")),
    ("Angela Merkel", "PER", None),      # a whole name
    ("Siemens", "ORG", None),            # not a person
    ("Wu", "PER", None),                 # too short
    ("KIM", "PER", None),                # capitals: no surname
    ("Fischer", "PER", None),            # also a common noun (fishermen)
    ("Kohl", "PER", None),               # also a common noun (cabbage)
    ("Friedrich", "PER", None),          # also a given name
    ("Karl", "PER", None),
])
def test_surname_keys_leave_out_common_nouns_and_given_names(name, etype, key):
    assert surname_key(entity(name, etype)) == key


def test_last_names():
    assert last_name("Hans-Peter Friedrich") == "Friedrich"
    assert last_name("Recep Tayyip Erdoğan") == "Erdoğan"
    assert last_name("Merkel") is None


MERKEL = entity("Angela Merkel", aliases=["Merkel", "Angela Merkels"])


def test_the_bearers_of_a_surname_have_it_as_their_last_name_and_as_an_alias():
    named_so = entity("Horst Merkel", aliases=["Horst"])           # never called "Merkel" alone
    first = entity("Merkel Schulze", aliases=["Merkel"])           # a first name "Merkel"
    other_type = entity("Angela Merkel", "ORG", aliases=["Merkel"])
    assert surname_bearers({("PER", "Merkel")}, [MERKEL, named_so, first, other_type]) == {
        ("PER", "Merkel"): {MERKEL["id"]: "Angela Merkel"}}
    assert surname_bearers({("PER", "Putin")}, [MERKEL]) == {}


def test_the_leading_bearer_is_in_enough_articles_and_far_more_than_any_other():
    """Counts of 10kGNAD and Wikinews: "Merkel" alone in 3 articles, Angela Merkel in 38,
    a tagger's "This Angela Merkel" in 1; Sigmar Gabriel 5, "Siegmar Gabriel" 2; Harald Mahrer 3
    and the footballer "Mahrer" of line-ups, alone, in 2."""
    this = entity("This Angela Merkel", aliases=["Merkel"])
    key = ("PER", "Merkel")
    bearers = {key: {MERKEL["id"]: MERKEL["name"], this["id"]: this["name"]}}
    counts = {MERKEL["id"]: 38, this["id"]: 1, "per-merkel": 3}
    assert leading_bearers(bearers, counts) == {key: (MERKEL["id"], "Angela Merkel")}
    assert leading_bearers(bearers, {**counts, MERKEL["id"]: 2, this["id"]: 0}) == {}  # few
    assert leading_bearers(bearers, {**counts, this["id"]: 8}) == {}          # a rival
    assert leading_bearers(bearers, {**counts, "per-merkel": 13}) == {}       # alone, often
    gabriel = {("PER", "Gabriel"): {"per-sigmar-gabriel": "Sigmar Gabriel",
                                    "per-siegmar-gabriel": "Siegmar Gabriel"}}
    assert leading_bearers(gabriel, {"per-sigmar-gabriel": 5, "per-siegmar-gabriel": 2}) == {}
    mahrer = {("PER", "Mahrer"): {"per-harald-mahrer": "Harald Mahrer"}}
    assert leading_bearers(mahrer, {"per-harald-mahrer": 3, "per-mahrer": 2}) == {}
    assert leading_bearers(mahrer, {"per-harald-mahrer": 6, "per-mahrer": 2}) == {
        ("PER", "Mahrer"): ("per-harald-mahrer", "Harald Mahrer")}


def test_a_surname_that_starts_the_names_of_several_persons_is_a_given_name():
    lead = {("PER", "Gordon"): ("per-michael-gordon", "Michael Gordon"),
            ("PER", "Niessl"): ("per-hans-niessl", "Hans Niessl")}
    # "Gordon Brown", "Gordon Freeman"; the tagger's "Niessl Doskozil" is one.
    assert surname_owners(lead, {"Gordon": 2, "Niessl": 1}) == {
        ("PER", "Niessl"): ("per-hans-niessl", "Hans Niessl")}


def test_a_bare_surname_joins_its_owner_unless_the_article_names_another_bearer():
    owners = {("PER", "Merkel"): (MERKEL["id"], MERKEL["name"])}
    alone = doc_with(entity("Merkel", start=30), entity("Paris", "LOC", start=50))
    assert link([alone], {}, owners) == 1
    assert alone["persons"] == [{"id": MERKEL["id"], "name": "Angela Merkel"}]
    assert alone["entities"][0]["aliases"] == ["Merkel"]
    # "Horst Merkel" in the same article: canonical left the bare name alone, so does link.
    both = doc_with(entity("Horst Merkel", start=0), entity("Merkel", start=30))
    assert link([both], {}, owners) == 0
    assert [p["id"] for p in both["persons"]] == ["per-horst-merkel", "per-merkel"]


def test_an_article_names_each_entity_as_the_entities_index_does():
    """One article wrote "Heinz Christian Strache", 16 others "Heinz-Christian Strache": one
    id, but two facet buckets and two names to filter by, until each article took the stored
    name in its per-type fields. Its ``entities`` keep what it wrote (the entities index is
    rebuilt from them)."""
    strache = entity("Heinz Christian Strache", start=10)
    gruene = entity("GRÜNEN", "ORG", start=40)
    doc = doc_with(strache, gruene, entity("Wien", "LOC", start=60))
    entities = [dict(e) for e in doc["entities"]]
    names = {strache["id"]: "Heinz-Christian Strache", gruene["id"]: "Grünen",
             "loc-wien": "Wien"}
    assert use_stored_names([doc], names) == 2
    assert doc["persons"] == [{"id": strache["id"], "name": "Heinz-Christian Strache"}]
    assert doc["facet_persons"] == [f"{strache['id']}|Heinz-Christian Strache"]
    assert doc["facet_organizations"] == [f"{gruene['id']}|Grünen"]
    assert doc["places"] == [{"id": "loc-wien", "name": "Wien"}]
    assert doc["entities"] == entities
    assert use_stored_names([doc], {}) == 0


def test_rival_ids_weigh_persons_against_places_and_organisations_only():
    assert rival_ids(entity("Rio de Janeiro")) == ["loc-rio-de-janeiro", "org-rio-de-janeiro"]
    assert rival_ids(entity("Rio de Janeiro", "LOC")) == ["per-rio-de-janeiro"]
    assert rival_ids(entity("St. Pölten", "ORG")) == ["per-st-poelten"]


@pytest.mark.parametrize("counts, joined", [
    # the make-run archive: a dateline's place tagged as a person in 4 articles, against 11
    ({"per-rio-de-janeiro": 4, "loc-rio-de-janeiro": 11, "org-rio-de-janeiro": 1},
     {"per-rio-de-janeiro": ("loc-rio-de-janeiro", "Rio de Janeiro")}),
    ({"per-rio-de-janeiro": 0, "loc-rio-de-janeiro": 3},
     {"per-rio-de-janeiro": ("loc-rio-de-janeiro", "Rio de Janeiro")}),
    ({"per-rio-de-janeiro": 0, "loc-rio-de-janeiro": 2}, {}),     # too few articles
    ({"per-rio-de-janeiro": 6, "loc-rio-de-janeiro": 11}, {}),    # no lead of 2x
    ({}, {}),
])
def test_a_name_joins_its_namesake_of_another_type_named_far_more(counts, joined):
    namesakes = {"per-rio-de-janeiro": ["loc-rio-de-janeiro", "org-rio-de-janeiro"]}
    known = {"loc-rio-de-janeiro": "Rio de Janeiro", "org-rio-de-janeiro": "Rio de Janeiro",
             "per-rio-de-janeiro": "Rio de Janeiro"}
    assert leading_namesakes(namesakes, known, counts) == joined


def test_a_mistyped_name_becomes_its_namesake_with_its_bare_forms():
    person = entity("Rio de Janeiro", start=0, aliases=["Rio"])
    doc = doc_with(person, entity("Brasilien", "LOC", start=40))
    assert link([doc], {}, namesakes={person["id"]: ("loc-rio-de-janeiro", "Rio de Janeiro")}) == 1
    rio, brasilien = doc["entities"]
    assert (rio["id"], rio["type"], rio["name"], rio["aliases"]) == (
        "loc-rio-de-janeiro", "LOC", "Rio de Janeiro", ["Rio"])
    assert doc["persons"] == [] and doc["facet_persons"] == []
    assert doc["places"] == [{"id": "loc-rio-de-janeiro", "name": "Rio de Janeiro"},
                             {"id": "loc-brasilien", "name": "Brasilien"}]
