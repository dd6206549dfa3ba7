"""Canonical entities: the mentions of one article merged into people, organisations and places.

``canonicalize(mentions)`` takes the output of ``entities.extract_entities`` for one article and
returns one record per real-world entity::

    {"id": "per-kim-jong-un", "type": "PER", "name": "Kim Jong Un",
     "aliases": ["Kim", "Kim Jong-un"], "mentions": [{"start", "end", "text"}, ...]}

Rules, in order:

1. Names are cleaned: quotes, "#" and "@" ("#Merkel") and leading articles go (not the "Den"
   of a name the noun lexicon knows: "Den Haag", "Des Moines"); role words and
   titles are not part of a name ("Präsident Wladimir Putin", "US-Sicherheitsberater Jake
   Sullivan", "Herrn Sullivan", "Dr.").
   So are the words that say what kind of group an organisation is ("Terrormiliz Islamischer
   Staat", "Jihadistengruppe Islamischer Staat": Islamischer Staat; ``is_group_word``).
   Mention offsets are moved past what was cut.
2. A genitive -s (or apostrophe) is cut only when the base form is itself known in the article
   ("Putins" -> "Putin" when "Putin" or "Wladimir Putin" occurs; "Schulz" is never touched unless
   a "Schul" occurs). Apostrophe genitives ("Schulz'") are always cut.
3. Names are compared in a folded form: lower case, ä/ö/ü/ß -> ae/oe/ue/ss, other accents
   removed, hyphens and spaces alike ("Kim Jong-un" == "Kim Jong Un", "Müller" == "Mueller").
4. Persons: a shorter full name whose words are contained in a longer one with the same surname
   joins it ("Wladimir Putin" -> "Wladimir Wladimirowitsch Putin"); near-identical spellings
   (rapidfuzz ratio >= 92) join; a bare single name joins the one full name in the article that
   ends with it ("Putin", "Sullivan") or, failing that, starts with it ("Kim" -> "Kim Jong Un").
   A bare name that matches no full name in the article, or more than one, stays its own entity:
   whether a lone "Kim" elsewhere is the same person cannot be decided from one article.
5. A name tagged with different types in one article gets the type most of its mentions have.
6. Organisation and place names are put in the nominative (``declension.nominative``): "des
   Nationalen Sicherheitsrats", "im Weißen Haus" and "Moskaus" in any article are "Nationaler
   Sicherheitsrat", "Weißes Haus" and "Moskau", one entity each.
7. An organisation or place followed by its acronym in brackets is one entity with it: every
   "EZB" of an article that writes "Europäische Zentralbank (EZB)" (``abbreviates``).
8. A well-known place or organisation (known_entities.py: countries, international
   organisations, the federal parties) is one entity under one name in every article, of its
   list's type: "Vereinigte Staaten" is "USA", "DVRK" is "Nordkorea" even when tagged an
   organisation, "UNO" is "Vereinte Nationen". Its other forms stay as aliases. A person
   named like a well-known company, platform or medium ("Netflix", "Wired", "Apples") is that
   organisation, unless a person of the article has the name as surname ("Nikola Tesla").
   A country's sports code in brackets after an athlete ("Eric Frenzel (GER)") is that
   country, a place, whatever the tagger called it (``known_entities.sport_country``).
9. An organisation's legal form is not part of its name: "Siemens AG", "Google Inc." and
   "Wiener Linien GmbH & Co KG" are "Siemens", "Google" and "Wiener Linien" (with the long
   form as an alias); a legal form alone ("GmbH") is no organisation.
10. A person named by one word only, which the noun lexicon knows as a common noun and as no
   name, is dropped ("Cannabis", "Pfefferspray", "Hacker", "Neujahr": the tagger's persons of
   the make-run archive had 81 such words, about 60 of them no person), unless a role word
   stands before it ("DFB-Präsident Zwanziger") or it is listed with another person ("Alaba
   und Leitgeb", line-ups). A full name in the article ("Max Hacker") makes it a surname.

Ids are stable across articles: ``<type>-<slug of the folded key>``, where the key of a person is
the folded full name without initials and patronymics ("John F. Kennedy" -> "john kennedy",
"Wladimir Wladimirowitsch Putin" -> "wladimir putin"); so "Kim Jong-un" in one article and
"Kim Jong Un" in another are ``per-kim-jong-un``. The display name is the longest full form,
preferring spaced over hyphenated spellings; a person's "Jong-un" is written "Jong Un", so an
article that only has "Kim Jong-un" shows "Kim Jong Un" too. (A name can still differ between
articles, e.g. with and without a patronymic: the entities index should keep one label per id.)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from indexer.enrich.declension import nominative
from indexer.enrich.german_nouns import noun_lemmas, noun_lexicon
from indexer.enrich.known_entities import (
    known_company,
    known_entity,
    known_medium,
    sport_country,
)

# ---------------------------------------------------------------- role words and titles

TITLES = {
    "herr", "herrn", "frau", "dr.", "prof.", "dr", "prof", "sir", "lord", "lady", "papst",
    "könig", "königin", "kaiser", "kaiserin", "prinz", "prinzessin", "fürst", "graf", "gräfin",
    "pfarrer", "bischof", "kardinal", "scheich", "mr.", "mrs.", "ms.", "med.", "dipl.-ing.",
}
_ROLE_STEMS = (
    "präsident", "minister", "kanzler", "sprecher", "chef", "berater", "führer", "machthaber",
    "direktor", "sekretär", "botschafter", "vorsitzende", "trainer", "abgeordnete",
    "bürgermeister", "gouverneur", "senator", "diktator", "premierminister", "kommandeur",
    "regisseur", "sänger", "schauspieler", "kollege", "anwalt", "richter", "leiter", "gründer",
    "obmann", "ökonom", "kommissar", "experte", "youtuber", "-star", "popstar", "superstar",
    "schützer", "veteran", "landesrat", "landesrät", "stadtrat", "stadträt",
)
_ROLE_ENDINGS = tuple(s + e for s in _ROLE_STEMS for e in ("", "in", "s", "n", "en", "r", "innen"))
_ARTICLES = {"der", "die", "das", "des", "dem", "den", "the", "this"}
_QUOTES = "\"'„“”‚‘’«»›‹()[]"

# Words before an organisation's name that say what kind of group it is. In 10kGNAD and
# Wikinews the tagger took them into the name: "Islamischer Staat" was six organisations
# ("Terrormiliz ...", "Jihadistenmiliz ...", "Extremistenmiliz ...", "Miliz ..."). Only
# these: "Arbeiterpartei Kurdistans", "Verkehrsclub Deutschland" or "Organisation
# Erdöl exportierender Länder" are names as they stand.
_GROUP_WORD = re.compile(
    r"(?:(?:terror|dschihadisten|jihadisten|islamisten|extremisten|rebellen|separatisten)-?"
    r"(?:miliz|gruppe|organisation|netzwerk)|miliz|gruppe)(?:en)?")


def is_group_word(word: str) -> bool:
    """'Terrormiliz', 'Jihadistengruppe', 'Miliz': a word before an organisation's name."""
    return bool(_GROUP_WORD.fullmatch(word.lower()))


def is_role_word(word: str) -> bool:
    """'Präsident', 'Machthaber', 'US-Sicherheitsberater', 'Kreml-Chef', 'Herrn', 'Dr.'"""
    lower = word.lower()
    return word[:1].isupper() and (lower in TITLES or lower.endswith(_ROLE_ENDINGS))


# ---------------------------------------------------------------- folding and keys

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PATRONYMIC = re.compile(r"(?:owitsch|ewitsch|jewitsch|ovich|evich|owna|ewna|ovna|evna)$")


def fold(name: str) -> str:
    """Comparison form: lower case, umlauts spelled out, accents removed, '-' and '.' as spaces."""
    text = name.lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[-‐–_./’']+", " ", text)
    return " ".join(text.split())


def entity_key(entity_type: str, name: str) -> str:
    """The folded key an id is made from (persons: initials and patronymics dropped)."""
    words = fold(name).split()
    if entity_type == "PER" and len(words) > 2:
        middle = [w for w in words[1:-1] if len(w) > 1 and not _PATRONYMIC.search(w)]
        words = [words[0], *middle, words[-1]]
    return " ".join(words)


def entity_id(entity_type: str, name: str) -> str:
    """Stable id, e.g. ``entity_id("PER", "Kim Jong-un") == "per-kim-jong-un"``."""
    slug = re.sub(r"[^\w]+", "-", entity_key(entity_type, name)).strip("-")
    return f"{id_prefix(entity_type)}-{slug}"


def genitive_stem(name: str) -> str | None:
    """The name without what could be a genitive -s: a name of two or more words whose last
    word ends in s, is at least 4 letters and does not end in ss ("Angela Merkels" -> "Angela
    Merkel"; "Johann Strauss", "Hans Os", "Merkels" -> None). Single words are left out: their
    base form is too often another name ("Jesus" and "Jesu", "Reuters" and "Reuter")."""
    words = name.split()
    if len(words) < 2 or not words[-1].endswith("s") or len(words[-1]) < 4 \
            or words[-1].endswith("ss"):
        return None
    return name[:-1]


def id_prefix(entity_type: str) -> str:
    """What the ids of ``entity_type`` start with, before the "-": "per" for "PER"."""
    return entity_type.lower()


def id_type(entity_id_: str) -> str:
    """The type an id names: "PER" for "per-angela-merkel" (``id_prefix`` undone)."""
    return entity_id_.split("-", 1)[0].upper()


# ---------------------------------------------------------------- cleaning mentions


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    type: str
    words: list[str]  # the cleaned name, word by word
    # the name shown: a well-known entity's (known_entities.py), or without the legal form
    known: str | None = None

    @property
    def name(self) -> str:
        return " ".join(self.words)


def clean_mention(mention: dict) -> _Mention | None:
    """Cut quotes, punctuation, hashtag and handle marks, articles, leading role words and an
    organisation's group words; move the offsets with the cut."""
    text, start = mention["text"], mention["start"]
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    stripped = []
    for offset, tok in tokens:
        # "#Merkel", "@Merkel": Merkel; "Facebook!" at a sentence's end: Facebook
        core = tok.strip(_QUOTES + ",;:!?").lstrip("#@")
        if core:
            lead = tok.index(core[0])
            stripped.append((offset + lead, core.rstrip(".") if core.endswith(".") and
                             len(core) > 3 else core))
    while stripped and (is_role_word(stripped[0][1]) or _leading_article(stripped)
                        or (mention["type"] == "ORG" and len(stripped) > 1
                            and is_group_word(stripped[0][1]) and stripped[1][1][:1].isupper())):
        stripped.pop(0)
    if not stripped or not any(c.isalpha() for _, w in stripped for c in w):
        return None
    first, last = stripped[0], stripped[-1]
    new_start = start + first[0]
    new_end = start + last[0] + len(last[1])
    return _Mention(new_start, new_end, mention["text"][first[0] : last[0] + len(last[1])],
                    mention["type"], [w for _, w in stripped])


def _leading_article(words: list[tuple[int, str]]) -> bool:
    """Whether the first of a mention's ``(offset, word)`` is an article to cut: not where
    it begins a name the noun lexicon knows ("Den Haag", "Des Moines")."""
    first = words[0][1]
    return first.lower() in _ARTICLES and (
        len(words) == 1 or f"{first} {words[1][1]}" not in noun_lemmas())


def _strip_genitives(mentions: list[_Mention]) -> None:
    known: dict[str, set[str]] = {}
    for m in mentions:
        known.setdefault(m.type, set()).update(fold(w) for w in m.words)
        known[m.type].add(fold(m.name))
    for m in mentions:
        last = m.words[-1]
        if last.endswith(("'", "’")):
            m.words[-1] = last[:-1]
        elif last.endswith(("'s", "’s")):
            m.words[-1] = last[:-2]
        elif last.endswith("s") and len(last) > 3:
            base = last[:-1]
            names = known.get(m.type, set())
            if fold(base) in names or fold(" ".join([*m.words[:-1], base])) in names:
                m.words[-1] = base


# Legal forms at the end of a company's name, folded. "& Co." goes only before "KG" or "OHG":
# alone it is also "and friends" ("Schäuble & Co.").
LEGAL_FORMS = {"ag", "gmbh", "mbh", "ggmbh", "inc", "corp", "ltd", "plc", "llc", "se", "kg",
               "kgaa", "ohg", "e v", "ev", "s a", "n v", "aktiengesellschaft"}
_PARTNERSHIPS = {"kg", "kgaa", "ohg"}


def without_legal_form(words: list[str]) -> list[str]:
    """An organisation's name without the legal form at its end: ["Wiener", "Linien",
    "GmbH", "&", "Co", "KG"] -> ["Wiener", "Linien"]; [] for a legal form alone."""
    out = list(words)
    while out:
        last = fold(out[-1])
        if last in LEGAL_FORMS:
            out.pop()
            if last in _PARTNERSHIPS:
                while out and fold(out[-1]) in ("co", "&"):
                    out.pop()
        elif len(out) > 1 and fold(" ".join(out[-2:])) in LEGAL_FORMS:   # "e. V.", "S. A."
            del out[-2:]
        else:
            break
    return out


# ---------------------------------------------------------------- grouping


@dataclass
class _Group:
    type: str
    mentions: list[_Mention] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return fold(self.display_name()).split()

    def edge_words(self, index: int) -> set[str]:
        """First (0) or last (-1) words of this group's multi-word names."""
        return {fold(m.name).split()[index] for m in self.mentions if len(fold(m.name).split()) > 1}

    def display_name(self) -> str:
        known = next((m.known for m in self.mentions if m.known), None)
        if known:
            return known
        counts = Counter(m.name for m in self.mentions)

        def rank(name: str):
            hyphen_lower = bool(re.search(r"-[a-zäöü]", name))
            return (-len(fold(name).split()), hyphen_lower, -counts[name], -len(name), name)

        best = min(counts, key=rank)
        if self.type == "PER":  # "Kim Jong-un" -> "Kim Jong Un", the same in every article
            best = re.sub(r"-([a-zäöü])", lambda m: " " + m.group(1).upper(), best)
        return best


def _vote_types(mentions: list[_Mention]) -> None:
    votes: dict[str, Counter] = {}
    for m in mentions:
        words = fold(m.name).split()
        votes.setdefault(fold(m.name), Counter())[m.type] += 1
        if m.type == "PER" and len(words) > 1:  # "Selenskyj" counts for "Wolodymyr Selenskyj"
            votes.setdefault(words[-1], Counter())[m.type] += 1
    for m in mentions:
        ranked = votes[fold(m.name)].most_common()
        if len(ranked) > 1 and ranked[0][1] > ranked[1][1]:
            m.type = ranked[0][0]


def _merge_persons(groups: list[_Group]) -> list[_Group]:
    full = sorted((g for g in groups if len(g.words) > 1), key=lambda g: -len(g.words))
    bare = [g for g in groups if len(g.words) == 1]
    merged: list[_Group] = []
    for g in full:
        target = next((t for t in merged if _contains(t.words, g.words) or
                       fuzz.ratio(" ".join(t.words), " ".join(g.words)) >= 92), None)
        if target:
            target.mentions += g.mentions
        else:
            merged.append(g)
    for g in bare:
        word = g.words[0]
        by_last = [t for t in merged if any(_same_word(w, word) for w in t.edge_words(-1))]
        by_first = [t for t in merged if any(_same_word(w, word) for w in t.edge_words(0))]
        target = by_last[0] if len(by_last) == 1 else (
            by_first[0] if not by_last and len(by_first) == 1 else None)
        if target:
            target.mentions += g.mentions
        else:
            merged.append(g)
    return merged


def _contains(longer: list[str], shorter: list[str]) -> bool:
    if len(shorter) > len(longer) or longer[-1] != shorter[-1]:
        return False
    it = iter(longer)
    return all(w in it for w in shorter)


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 90)


_ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,7}$")
ACRONYM_TYPES = ("ORG", "LOC")


def is_acronym(word: str) -> bool:
    """"EZB", "ÖVP", "EuGH": up to eight letters, at least two of them capitals ("Nato" is
    written as a word)."""
    return bool(_ACRONYM.match(word)) and sum(c.isupper() for c in word) >= 2


def acronym_name(entity_type: str, name: str) -> bool:
    """Whether an entity of this type and name is named by an acronym ("EZB" as an
    organisation; a person's initials are no acronym here)."""
    return entity_type in ACRONYM_TYPES and is_acronym(name)


def abbreviates(acronym: str, name: str) -> bool:
    """Whether ``acronym`` can stand for ``name``: at least two capitals, the same first letter,
    and its letters in order among the name's ("EZB": "Europäische Zentralbank", "ÖVP":
    "Österreichische Volkspartei", "DLR": "Deutsches Zentrum für Luft- und Raumfahrt")."""
    if not is_acronym(acronym):
        return False
    short, long = fold(acronym).replace(" ", ""), fold(name).replace(" ", "")
    if len(long) <= len(short) or short[0] != long[0]:
        return False
    letters = iter(long[1:])
    return all(c in letters for c in short[1:])


def _join_acronyms(groups: list[_Group], text: str | None) -> list[_Group]:
    """An organisation or place written with its acronym in brackets is one entity with it:
    "Europäische Zentralbank (EZB)" makes every "EZB" of the article the Europäische
    Zentralbank (and "EZB" one of its aliases, found by name search)."""
    if not text:
        return groups
    out = list(groups)
    for short in groups:
        acronym = short.display_name()
        if not acronym_name(short.type, acronym):
            continue
        bracketed = {m.start - 2 for m in short.mentions
                     if text[max(0, m.start - 2):m.start] == " (" and text[m.end:m.end + 1] == ")"}
        full = next((g for g in out if g is not short and g.type == short.type
                     and any(m.end in bracketed for m in g.mentions)
                     and abbreviates(acronym, g.display_name())), None)
        if full is not None:
            full.mentions += short.mentions
            out.remove(short)
    return out


_LIST_GLUE = re.compile(r"^\s*(?:[,/&–-]|und|oder|sowie)?\s*$")


def _common_noun_persons(groups: list[_Group], text: str | None) -> list[_Group]:
    """The persons named by one word only that the noun lexicon knows as a common noun and as
    no name ("Cannabis", "Hacker", "Neujahr", "Pfefferspray"), with no role word or title
    before any of their mentions in ``text`` ("DFB-Präsident Zwanziger" stays) and none in a
    list with another person: "Alaba und Leitgeb", line-ups ("Schobesberger, Nutz, Alar")."""
    if text is None:
        return []
    lexicon = noun_lexicon()
    nouns = [g for g in groups if g.type == "PER" and " " not in (name := g.display_name())
             and lexicon.get(name) == "N"]
    others = [g for g in groups if g.type == "PER" and not any(g is n for n in nouns)]
    persons = [(m.start, m.end) for g in others for m in g.mentions]

    def named_as_a_person(m: _Mention) -> bool:
        before = re.search(r"(\S+)\s+$", text[max(0, m.start - 60):m.start])
        return bool(before and is_role_word(before.group(1))) or any(
            _LIST_GLUE.match(text[end:m.start]) if end <= m.start else
            start >= m.end and _LIST_GLUE.match(text[m.end:start]) for start, end in persons)

    return [g for g in nouns if not any(named_as_a_person(m) for m in g.mentions)]


def _sport_code_country(m: _Mention, text: str | None) -> str | None:
    """The country of a mention that is a sports result's country code in brackets:
    "(GER)" in "Eric Frenzel (GER) 26:45,8 Min." is Deutschland."""
    if text is None or m.start < 1 or text[m.start - 1] != "(" or text[m.end:m.end + 1] != ")":
        return None
    return sport_country(m.text)


def canonicalize(mentions: list[dict], text: str | None = None) -> list[dict]:
    """Merge the entity mentions of one article into canonical entities (see module doc).
    ``text``: the article's text the offsets point into (for acronyms in brackets)."""
    cleaned = [m for m in (clean_mention(x) for x in mentions) if m is not None]
    _strip_genitives(cleaned)
    _vote_types(cleaned)
    surnames = {fold(m.words[-1]) for m in cleaned if m.type == "PER" and len(m.words) > 1}
    kept = []
    for m in cleaned:
        if country := _sport_code_country(m, text):
            m.type, m.known = "LOC", country
        elif m.type == "PER" and fold(m.name) not in surnames and (
                company := known_company(fold(m.name))):
            m.type, m.known = "ORG", company
        elif m.type in ("ORG", "LOC"):
            m.words = nominative(m.words)
            base = without_legal_form(m.words) if m.type == "ORG" else m.words
            if not base:
                continue                      # a legal form alone ("GmbH") is no organisation
            folded = fold(" ".join(base))
            if known := known_entity(folded):
                m.type, m.known = known
            elif m.type == "ORG" and (medium := known_medium(folded)):
                m.known = medium
            elif base != m.words:
                m.known = " ".join(base)
        kept.append(m)
    cleaned = kept
    by_key: dict[tuple[str, str], _Group] = {}
    for m in cleaned:
        by_key.setdefault((m.type, fold(m.known or m.name)), _Group(m.type)).mentions.append(m)
    groups: list[_Group] = []
    for entity_type in sorted({t for t, _ in by_key}):
        typed = [g for (t, _), g in by_key.items() if t == entity_type]
        groups += _merge_persons(typed) if entity_type == "PER" else typed
    groups = _join_acronyms(groups, text)

    dropped = {id(g) for g in _common_noun_persons(groups, text)}
    result = []
    for g in groups:
        if id(g) in dropped:
            continue
        name = g.display_name()
        mentions_out = sorted(
            ({"start": m.start, "end": m.end, "text": m.text} for m in g.mentions),
            key=lambda x: (x["start"], x["end"]),
        )
        result.append({
            "id": entity_id(g.type, name),
            "type": g.type,
            "name": name,
            "aliases": sorted({m.name for m in g.mentions} - {name}),
            "mentions": mentions_out,
        })
    return sorted(result, key=lambda e: e["mentions"][0]["start"])
