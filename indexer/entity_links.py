"""Names the archive knows under another form: "Angela Merkels" is Angela Merkel, "EZB" the
Europäische Zentralbank, a bare "Merkel" in an article of its own Angela Merkel.

``canonical.canonicalize`` sees one article. It cuts a genitive -s only when the base form is in
the same article, and joins an acronym to its organisation only where the article spells it out
("Europäische Zentralbank (EZB)"). An article that names someone only in the genitive ("Angela
Merkels Politik") or an organisation only by its acronym ("die EZB") therefore made an entity of
its own, with a facet bucket and an autocompletion entry of its own. Before a batch is stored,
the worker asks the batch itself and the entities index (``resolve``):

* **Genitives**: is the base form of a multi-word name ending in s a known entity? Only names
  of two or more words: among single words, the base form is too often another entity ("Jesus"
  and "Jesu", "Williams" and "William", "Reuters" and "Reuter", "Times" and "Time" were all
  entities of 10kGNAD and Wikinews: 1,878 articles, 10,554 entities). Their 21 multi-word names
  whose base form was an entity were all genitives ("Horst Köhlers", "Chaos Computer Clubs",
  "Van der Bellens"; see ``tests/unit/test_entity_links.py``).
* **Acronyms**: is an organisation or place named only by an acronym ("EZB") an alias of exactly
  one entity of the same type whose name it abbreviates (``canonical.abbreviates``)? An acronym
  becomes such an alias only where an article spelled it out. Of two or more entities with
  the same acronym, one that articles name far more often takes it ("DFB": the Deutscher
  Fußball-Bund of 9 articles, not a Wikinews article's "Deutschen Fußball Verbands (DFB)");
  otherwise the acronym is left alone ("IWF": Internationaler Währungsfonds, Internet Watch
  Foundation, while both are rare).
  Acronyms are found by a search, so one spelled out in the last second, before the entities
  index refreshed, is not known yet; base forms of genitives are read in real time.

* **Surnames**: is a person named by one word only ("Merkel", "Präsident Putin") the surname
  of the one person the archive knows by it? Such a person has the word as an alias (an article
  named them in full, then by it alone: ``canonical`` joins those within one article), is named
  in at least 3 articles, 5 times as many as any other person with that alias and 3 times as
  many as the bare word alone, and the word is neither a common noun nor a given name in the
  noun lexicon ("Fischer", "Kohl", "Friedrich") nor the first word of more than one known
  person ("Gordon"). An article that also names another person with that last name keeps its
  bare name. On 10kGNAD test and 998 Wikinews articles (2,035 with the samples) this joined
  24 bare names of 22 articles to Angela Merkel, Wladimir Putin, Barack Obama, Recep Tayyip
  Erdoğan and 11 others, all correctly; without the lexicon and the bare-word rule it also made
  fishermen, a footballer of line-ups and a chain of shops into Heinz Fischer, Harald Mahrer
  and Norbert Hofer.
* **Types**: is a person's name that of a place or organisation that articles name far more
  often, or the other way round? The tagger makes a person of the place in a dateline ("Rio de
  Janeiro – Das olympische Segel-Revier ...", 4 articles of 10kGNAD, against 11 that name the
  place) and an organisation of "François Hollande" once (against 10). The name joins the
  entity of the other type when that is named in at least ``MIN_TYPE_ARTICLES`` articles and
  ``TYPE_LEAD`` times as many as the name's own. Organisations and places are not weighed
  against each other: a club and its town share a name ("St. Pölten") and are both real.
* **Spellings**: is an organisation or place written with other spaces and hyphens ("Deutscher
  Fußballbund", "Deutscher Fußball-Bund"; "Papua-Neuguinea", "Papua Neu-Guinea"; "ZDFneo", "ZDF
  Neo") a known entity? The id's key makes hyphens spaces, so "Kim Jong-un" and "Kim Jong Un"
  share an id, but a closed compound has an id of its own. All forms of one ``compact_key`` join
  the one that the most articles name already (``entity_store.article_counts``), so an entity the
  archive knows keeps its id and its articles: a later article that writes it otherwise
  ("Deutschetelekom", in one article of 10kGNAD) joins it and does not split it. Forms that
  as many articles name (a batch's new forms: none) join the one with the fewest words (hyphens
  and spaces both part words), then the smaller id: German writes compounds closed, and of the
  13 such pairs of the 10kGNAD and Wikinews articles (10,389 entities), the closed form is the
  usual one for the places (Hongkong, Osteuropa, Papua-Neuguinea, Sanremo) and for most
  organisations (ZDFneo, SpaceX, Deutscher Fußballbund) (``tests/unit/test_entity_links.py``).
  Found by a search of ``name.compact`` (entities-v2), so an index of an older mapping finds
  none until ``newsarchive rebuild-entities`` migrates it. Persons are left out: their forms
  are merged by ``canonical`` with rules of their own.

If so, the name joins that entity and becomes one of its aliases (in the article's
``entities``; the entity's record lists no genitive of another form: ``entity_records``).
Order matters once: an article indexed before the archive knew the other form keeps its own
entity until it is re-enriched (``newsarchive reenrich``), which then finds it (and joins the
spelling most articles name).

After the batch's entities are stored, each article names an entity as the entities index does
(``use_stored_names``): its facet bucket and its name filter are the entity's, not the form the
article wrote ("Heinz Christian Strache" in one article, "Heinz-Christian Strache" in 16 were
two buckets of one id; "GRÜNEN" and "Grünen" too). The article's ``entities`` keep its own
forms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from elasticsearch import Elasticsearch

from indexer import entity_store
from indexer.enrich.canonical import (
    abbreviates,
    acronym_name,
    entity_id,
    entity_key,
    fold,
    genitive_stem,
    id_type,
)
from indexer.enrich.german_nouns import noun_lexicon
from indexer.enrich.known_entities import known_entity, known_medium
from indexer.pipeline import set_entity_fields

MAX_OWNERS = 1000   # entity documents read for the acronyms, surnames and spellings of a batch
COMPACT_TYPES = ("ORG", "LOC")
MIN_COMPACT = 4     # shorter keys ("A4", "A 4") are too often different things
MIN_SURNAME = 3     # a bare surname is at least this long ("Wu" is left alone)
MIN_SURNAME_ARTICLES = 3   # a bare surname joins a person named in this many articles
SURNAME_LEAD = 5    # ... and in this many times as many as any other bearer of the surname
BARE_LEAD = 3       # ... and as the surname alone
MIN_ACRONYM_ARTICLES = 3   # an acronym of several holders joins the one in this many articles
ACRONYM_LEAD = 3    # ... and in this many times as many as any other holder
MIN_TYPE_ARTICLES = 3      # a name joins its namesake of another type named in this many
TYPE_LEAD = 2              # ... and in this many times as many articles as the name itself
RIVAL_TYPES = {"PER": ("LOC", "ORG"), "LOC": ("PER",), "ORG": ("PER",)}


def genitive_base(entity: dict) -> str | None:
    """The id the name would have without a genitive -s ("Angela Merkels" -> the id of
    "Angela Merkel"), or None: one word, no final s, or the same id."""
    stem = genitive_stem(entity["name"])
    if stem is None:
        return None
    base = entity_id(entity["type"], stem)
    return base if base != entity["id"] else None


def acronym_key(entity: dict) -> tuple[str, str] | None:
    """(type, acronym) for an organisation or place named by an acronym only ("EZB"). Not for
    a name that the lists of well-known names show (``known_entities``): canonical gave it,
    and an entity the archive made before the list knew it ("Frankfurter Allgemeine Zeitung"
    with the alias "FAZ") must not take it over again ("FAZ", as the outlet facet says)."""
    if not acronym_name(entity["type"], entity["name"]):
        return None
    folded, key = fold(entity["name"]), (entity["type"], entity["name"])
    if known_entity(folded) == key or (key[0] == "ORG" and known_medium(folded) == key[1]):
        return None
    return key


def compact_key(entity: dict) -> tuple[str, str] | None:
    """(type, folded name without spaces and hyphens) of an organisation or place
    ("Deutscher Fußball-Bund" -> ("ORG", "deutscherfussballbund")), or None."""
    if entity["type"] not in COMPACT_TYPES:
        return None
    key = entity_key(entity["type"], entity["name"]).replace(" ", "")
    return (entity["type"], key) if len(key) >= MIN_COMPACT else None


def surname_key(entity: dict, lexicon: Mapping[str, str] | None = None
                ) -> tuple[str, str] | None:
    """("PER", word) for a person named by one capitalised word only ("Merkel"), or None. Not
    for a word that the German noun lexicon (``german_nouns.noun_lexicon``) knows as a common noun
    or a given name: the tagger makes persons of "Fischer" (fishermen) and "Hofer" (a chain of
    shops) and German writes "Friedrich" alone for other people than Hans-Peter Friedrich."""
    name = entity["name"]
    if entity["type"] != "PER" or len(name.split()) != 1 or len(name) < MIN_SURNAME \
            or not name[0].isupper() or name.isupper():
        return None
    classes = (noun_lexicon() if lexicon is None else lexicon).get(name, "")
    return None if "N" in classes or "V" in classes else ("PER", name)


def last_name(name: str) -> str | None:
    """The last word of a name of two or more words ("Hans-Peter Friedrich" -> "Friedrich")."""
    words = name.split()
    return words[-1] if len(words) > 1 else None


def resolve(es: Elasticsearch, alias: str, articles_alias: str, docs: Sequence[dict]) -> int:
    """Join the genitive, acronym, bare surname, mistyped and differently spelled names of
    ``docs`` to the entities the batch or the entities index (``alias``) knows under the other
    form; returns how many names were joined. Spellings, namesakes of another type and the
    bearers of a surname are counted in the articles index (``articles_alias``)."""
    entities = [e for doc in docs for e in doc.get("entities") or ()]
    bases = {base for e in entities if (base := genitive_base(e))}
    acronyms = {key for e in entities if (key := acronym_key(e))}
    surnames = {key for e in entities if (key := surname_key(e))}
    known = {e["id"]: e["name"] for e in entities}
    rivals = {e["id"]: rival_ids(e) for e in entities}
    missing = sorted((bases | {i for found in rivals.values() for i in found}) - known.keys())
    if missing:
        known.update(entity_store.stored_names(es, alias, missing))
    stored = entity_store.other_forms(
        es, alias, aliases=sorted({form for _, form in acronyms | surnames}),
        compact=sorted({key[1] for e in entities if (key := compact_key(e))}),
        exclude=sorted(known), size=MAX_OWNERS)
    candidates = [*entities, *stored]
    rival = [i for found in spelling_forms(candidates).values() if len(found) > 1 for i in found]
    bearers = surname_bearers(surnames, candidates)
    holders = acronym_holders(acronyms, candidates)
    namesakes = {own: found for own, ids in rivals.items()
                 if (found := [i for i in ids if i in known])}
    counted = {*rival, *(entity_id(*key) for key in bearers),
               *(i for found in bearers.values() for i in found),
               *(i for found in holders.values() for i in found),
               *namesakes, *(i for found in namesakes.values() for i in found)}
    counts = entity_store.article_counts(es, articles_alias, sorted(counted))
    spellings = spelling_owners(candidates, counts)
    owners = acronym_owners(holders, spellings, counts)
    lead = leading_bearers(bearers, counts)
    if lead:
        given = entity_store.first_word_counts(es, alias, "PER", sorted(w for _, w in lead))
        owners.update(surname_owners(lead, given))
    return link(docs, known, owners, spellings, leading_namesakes(namesakes, known, counts))


Owners = Mapping[tuple[str, str], tuple[str, str]]


def spelling_forms(entities: Sequence[dict]) -> dict[tuple[str, str], dict[str, str]]:
    """(type, compact key) -> {id: name} of the forms ``entities`` write it in."""
    forms: dict[tuple[str, str], dict[str, str]] = {}
    for e in entities:
        if key := compact_key(e):
            forms.setdefault(key, {})[e["id"]] = e["name"]
    return forms


def spelling_owners(entities: Sequence[dict], counts: Mapping[str, int] | None = None) -> dict:
    """(type, compact key) -> (id, name) of the entity that every form of the key joins, for
    the keys that ``entities`` name with more than one id: the one in most articles
    (``counts``: id -> articles; none when missing), then the name with the fewest words, then
    the smallest id."""
    counts = counts or {}
    return {key: min(found.items(), key=lambda item: (-counts.get(item[0], 0),
                                                      len(fold(item[1]).split()), item[0]))
            for key, found in spelling_forms(entities).items() if len(found) > 1}


def spelled_as(owner: tuple[str, str], entity_type: str, spellings: Owners) -> tuple[str, str]:
    """The entity ``owner`` (id, name) joins by its spelling, or ``owner`` itself."""
    return spellings.get(compact_key({"type": entity_type, "name": owner[1]}), owner)


def acronym_holders(acronyms: set[tuple[str, str]],
                    entities: Sequence[dict]) -> dict[tuple[str, str], dict[str, str]]:
    """(type, acronym) -> {id: name} of the entities of that type that have the acronym as an
    alias and whose name it abbreviates (an article spelled it out)."""
    holders: dict[tuple[str, str], dict[str, str]] = {}
    for e in entities:
        for form in e.get("aliases") or ():
            key = (e["type"], form)
            if key in acronyms and abbreviates(form, e["name"]):
                holders.setdefault(key, {})[e["id"]] = e["name"]
    return holders


def acronym_owners(holders: Mapping[tuple[str, str], Mapping[str, str]],
                   spellings: Owners | None = None, counts: Mapping[str, int] | None = None
                   ) -> dict:
    """(type, acronym) -> (id, name) of the entity that takes the acronym, among its holders
    (``acronym_holders``: of that type, with the acronym as an alias and a name it
    abbreviates): the only one, or the one that ``counts`` (id ->
    articles) finds in at least ``MIN_ACRONYM_ARTICLES`` articles and ``ACRONYM_LEAD`` times
    as many as any other ("DFB": the Deutscher Fußball-Bund of 9 articles, not the one
    Wikinews article's "Deutschen Fußball Verbands (DFB)"). Acronyms without an owner are left
    out. Spellings of one entity (``spelling_owners``) count as that entity."""
    counts = counts or {}
    owners: dict[tuple[str, str], tuple[str, str]] = {}
    for key, found in holders.items():
        named = dict(spelled_as(item, key[0], spellings or {}) for item in found.items())
        ranked, top, runner_up = _by_articles(named, counts)
        if len(ranked) == 1 or top >= max(MIN_ACRONYM_ARTICLES, ACRONYM_LEAD * runner_up):
            owners[key] = ranked[0]
    return owners


def _by_articles(found: Mapping[str, str], counts: Mapping[str, int]
                 ) -> tuple[list[tuple[str, str]], int, int]:
    """The (id, name) items of ``found``, the most articles first (then the smaller id), with
    the articles of the first and of the second (0 when there is none)."""
    ranked = sorted(found.items(), key=lambda item: (-counts.get(item[0], 0), item[0]))
    top = counts.get(ranked[0][0], 0)
    return ranked, top, counts.get(ranked[1][0], 0) if len(ranked) > 1 else 0


def surname_bearers(surnames: set[tuple[str, str]],
                    entities: Sequence[dict]) -> dict[tuple[str, str], dict[str, str]]:
    """("PER", word) -> {id: name} of the persons whose name ends in the word and who have it
    as an alias: an article named them in full and then by it alone ("Angela Merkel ...
    Merkel")."""
    bearers: dict[tuple[str, str], dict[str, str]] = {}
    for e in entities:
        key = ("PER", last_name(e["name"]))
        if e["type"] == "PER" and key in surnames and key[1] in (e.get("aliases") or ()):
            bearers.setdefault(key, {})[e["id"]] = e["name"]
    return bearers


def leading_bearers(bearers: Mapping[tuple[str, str], Mapping[str, str]],
                    counts: Mapping[str, int]) -> Owners:
    """("PER", word) -> (id, name) of the bearer in at least ``MIN_SURNAME_ARTICLES`` articles
    and in ``SURNAME_LEAD`` times as many as any other (``counts``: id -> articles): "Merkel"
    is Angela Merkel (38 articles) beside a "This Angela Merkel" (1), "Gabriel" neither Sigmar
    (5) nor Siegmar Gabriel (2). The bare word's own entity counts as another bearer, less
    strongly (``BARE_LEAD``): a name that many articles use alone is often someone else, such
    as the footballer "Mahrer" of line-ups beside the politician Harald Mahrer."""
    lead = {}
    for key, found in bearers.items():
        ranked, top, runner_up = _by_articles(found, counts)
        bare = counts.get(entity_id(*key), 0)
        if top >= max(MIN_SURNAME_ARTICLES, SURNAME_LEAD * runner_up, BARE_LEAD * bare):
            lead[key] = ranked[0]
    return lead


def surname_owners(lead: Owners, first_words: Mapping[str, int]) -> Owners:
    """The surnames of ``lead`` that start the names of at most one known person
    (``first_words``: word -> persons whose name starts with it): "Karl", "Simon" or "Gordon"
    alone are given names of many ("Karl Moik", "Karl Blecha"), so they stay themselves. One
    is allowed for the tagger's joined names ("Niessl Doskozil")."""
    return {key: owner for key, owner in lead.items() if first_words.get(key[1], 0) <= 1}


def rival_ids(entity: dict) -> list[str]:
    """The ids the entity's name would have as another type that can be mistaken for it
    (``RIVAL_TYPES``): "per-rio-de-janeiro" -> "loc-rio-de-janeiro", "org-rio-de-janeiro"."""
    return [entity_id(other, entity["name"]) for other in RIVAL_TYPES.get(entity["type"], ())]


def leading_namesakes(namesakes: Mapping[str, Sequence[str]], known: Mapping[str, str],
                      counts: Mapping[str, int]) -> dict[str, tuple[str, str]]:
    """id -> (id, name) of the namesake of another type it joins (``namesakes``: id -> the
    known ids of its name as another type; ``known``: id -> name; ``counts``: id ->
    articles): the one named most, when in at least ``MIN_TYPE_ARTICLES`` articles and
    ``TYPE_LEAD`` times as many as the id itself."""
    lead = {}
    for own, found in namesakes.items():
        ranked, top, _ = _by_articles({i: known[i] for i in found}, counts)
        if top >= max(MIN_TYPE_ARTICLES, TYPE_LEAD * counts.get(own, 0)):
            lead[own] = ranked[0]
    return lead


def link(docs: Sequence[dict], known: Mapping[str, str], owners: Owners | None = None,
         spellings: Owners | None = None,
         namesakes: Mapping[str, tuple[str, str]] | None = None) -> int:
    """Point each genitive name whose base id is in ``known`` (id -> name), each acronym or
    bare surname in ``owners`` ((type, form) -> (id, name)), each name whose compact key is
    in ``spellings`` ((type, key) -> (id, name)) and each id in ``namesakes`` (id -> (id,
    name) of another type) at that entity, in the documents' ``entities`` and their entity
    fields; returns how many were joined. A bare surname stays where the article names
    another person with that last name: ``canonical`` left it alone there because it could
    be either ("Bernd-Robert Schulz" and "Martin Schulz"). Pure."""
    owners, spellings, namesakes = owners or {}, spellings or {}, namesakes or {}
    linked = 0
    for doc in docs:
        entities = doc.get("entities") or []
        taken = {("PER", last) for e in entities
                 if e["type"] == "PER" and (last := last_name(e["name"]))}
        moved = {e["id"]: target for e in entities
                 if (target := _target(e, known, owners, spellings, namesakes, taken))}
        if not moved:
            continue
        linked += len(moved)
        names = dict(moved.values())
        groups: dict[str, list[dict]] = {}
        for e in entities:
            new_id = moved[e["id"]][0] if e["id"] in moved else e["id"]
            groups.setdefault(new_id, []).append(e)
        set_entity_fields(doc, sorted((_joined(new_id, members, names)
                                       for new_id, members in groups.items()),
                                      key=lambda e: e["mentions"][0]["start"]))
    return linked


def use_stored_names(docs: Sequence[dict], names: Mapping[str, str]) -> int:
    """Name each entity in the documents' per-type fields (``persons``, ``facet_persons``, ...)
    as ``names`` (id -> the name stored in the entities index) does. ``entities`` keeps the
    article's own forms: ``newsarchive rebuild-entities`` makes the records from them anew,
    without a label that no article gives any more. Returns how many were renamed. Pure."""
    renamed = 0
    for doc in docs:
        entities = doc.get("entities") or []
        changed = sum(names.get(e["id"], e["name"]) != e["name"] for e in entities)
        if changed:
            renamed += changed
            set_entity_fields(doc, entities, names)
    return renamed


def _target(entity: dict, known: Mapping[str, str], owners: Owners, spellings: Owners,
            namesakes: Mapping[str, tuple[str, str]],
            taken: set[tuple[str, str]]) -> tuple[str, str] | None:
    """Where the entity goes: its genitive base, acronym owner, surname owner (a surname
    not in ``taken``) or namesake of another type if known, else itself; then the entity
    that form's spelling joins. None: it stays."""
    base = genitive_base(entity)
    surname = surname_key(entity)
    if base is not None and base in known:
        target = (base, known[base])
    elif surname is not None and surname not in taken and surname in owners:
        target = owners[surname]
    else:
        target = (owners.get(acronym_key(entity)) or namesakes.get(entity["id"])
                  or (entity["id"], entity["name"]))
    target = spelled_as(target, id_type(target[0]), spellings)
    return target if target[0] != entity["id"] else None


def _joined(entity_id_: str, members: list[dict], names: Mapping[str, str]) -> dict:
    """One entity from an article's entities that are one: the article's own name for it when
    it has one, else the known name; every other form an alias."""
    own = [m for m in members if m["id"] == entity_id_]
    name = own[0]["name"] if own else names[entity_id_]
    forms = {form for m in members for form in (m["name"], *m.get("aliases", ()))}
    return {"id": entity_id_, "type": id_type(entity_id_), "name": name,
            "aliases": sorted(forms - {name}),
            "mentions": sorted((x for m in members for x in m["mentions"]),
                               key=lambda x: (x["start"], x["end"]))}
