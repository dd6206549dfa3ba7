"""Organisation and place names in the nominative: ``nominative(words)``.

German declines names with the sentence around them. One article writes "des Nationalen
Sicherheitsrats", another "dem Nationalen Sicherheitsrat", a third "der Nationale
Sicherheitsrat"; "im Weißen Haus", "des Weißen Hauses"; "Moskaus" for "Moskau". Without a
rule each form is an entity of its own, with its own facet bucket. ``nominative`` gives all of
them the one form a reference work would use as the title, the nominative without an article
(the "strong" declension): "Nationaler Sicherheitsrat", "Weißes Haus", "Europäische Union",
"Vereinigte Staaten", "Moskau". Applied to organisation and place names only; person names are
not declined like this (their genitive is ``canonical._strip_genitives``'s).

How, for the words of one name:

1. Leading adjectives are found by their ending (-e, -en, -em, -er, -es) after a stem that is
   an adjective: it ends in an adjective suffix ("-isch", "-lich", "-al", ...) or is one of
   the common short ones ("neu", "weiß", "vereinigt", ...). A word the lexicon knows as a
   place or a name is never an adjective ("Hamburger", "Kölner").
2. The word after them is the head. In the genitive singular it becomes its base form
   ("Sicherheitsrats" -> "Sicherheitsrat", "Hauses" -> "Haus"), never when the word is itself
   a base form ("Wales", "Paris"). A head that is a dative plural and also a verb made a
   noun ("Spielen": "den Olympischen Spielen", "das Spielen") is the plural after adjectives
   in -en ("Olympische Spiele"); one that is a genitive singular in -s and also the plural
   ("Komitees") is the singular there ("Internationales Olympisches Komitee"). Words after
   the head stay as they are: they are usually a genitive attribute ("Kommunistische Partei
   Chinas", "Nationaler Sicherheitsrat der USA").
   With only place words before it ("den Berliner Verkehrsbetrieben"), or first in a name
   that goes on with a German phrase ("des Bundesamts für Migration"), the head alone is
   declined. Where the head should be, a last adjective in -en with its noun left out ("der
   Frankfurter Allgemeinen", "den Süddeutschen") takes -e, as a feminine or a plural would.
3. The adjectives take the head's strong nominative ending: masculine -er, feminine -e,
   neuter -es, plural -e. Without a known gender for the head nothing changes.
4. A name of one word is its own head: "Moskaus" -> "Moskau", "Kremls" -> "Kreml". A word
   that is a form of a noun declined like an adjective takes its strong nominative plural:
   "Grünen" -> "Grüne", "Linken" -> "Linke" (the parties: in 10kGNAD and Wikinews "Grünen"
   named 75 articles and "Grüne" 32, as two entities).

Gender, case and number come from the ``german-nouns`` package (Wiktionary nouns with all
their forms), which the entity rules already read; places carry no forms there, so a place's
genitive is its name plus "s". Person names are not read as genitives: "Reuters" stays.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from indexer.enrich.german_nouns import noun_table

ADJECTIVE_ENDINGS = ("en", "em", "er", "es", "e")   # longest first
ADJECTIVE_SUFFIXES = ("isch", "deutsch", "lich", "ig", "al", "ell", "iv", "är", "ar", "ös", "bar",
                      "sam", "haft", "los", "ent", "ant", "end")
BASE_ADJECTIVES = frozenset({
    "neu", "alt", "groß", "klein", "weiß", "schwarz", "rot", "grün", "blau", "gelb", "braun",
    "frei", "hoh", "heilig", "deutsch", "vereinigt", "vereint", "allgemein", "nah", "fern",
    "mittler", "ober", "unter", "nieder", "nord", "süd", "west", "ost", "gemeinsam", "erst",
    "zweit", "dritt", "evangelisch", "katholisch", "geheim", "still", "arabisch", "persisch",
    "oberst", "höchst",     # superlatives in names: "Oberster Gerichtshof", "Höchstes Gericht"
})
STRONG_NOMINATIVE = {"m": "er", "f": "e", "n": "es", "pl": "e"}
# Heads the lexicon lists with two genders (for a second, rarer meaning: "das Bund" is a
# bundle), with the one they have in the name of an organisation or place ("Deutscher
# Fußball-Bund", "Österreichische Post", "Schweizer Radio").
NAME_HEAD_GENDERS = {"Bund": "m", "Tag": "m", "Post": "f", "Radio": "n", "Militär": "n",
                     "Spital": "n"}
_NAME_CLASSES = ("Toponym", "Vorname", "Nachname", "Eigenname")
# Words that open a German phrase after a name's head: "des Bundesamts für Migration",
# "des Hauses der Geschichte" (the head is the first word, and it is declined alone).
PHRASE_OPENERS = frozenset({
    "für", "der", "des", "von", "vom", "zur", "zum", "im", "am", "in", "an", "auf", "bei",
    "gegen", "über", "mit", "aus", "ohne", "unter", "nach"})


@dataclass(frozen=True)
class Lexicon:
    declined: dict[str, str]        # a genitive, dative or accusative form -> its nominative
    # every nominative, singular and plural (and every lemma) -> "m", "f", "n", "pl", or ""
    # when unknown or ambiguous (one table for both: ~20 MB less than two)
    genders: dict[str, str]
    names: frozenset[str]           # lemmas that are places or names
    places: frozenset[str]          # lemmas that are places
    adjectival: dict[str, str]      # a form of a noun declined like an adjective -> its
    #                                 strong nominative plural
    adjectival_plurals: frozenset[str]   # those plurals ("Grüne", "Linke")
    # a dative plural that is also a nominative of its own, a verb made a noun ("Spielen":
    # "das Spielen", and "den Spielen" of "Spiel") -> the plural ("Spiele")
    plural_datives: dict[str, str]
    # a genitive singular that is also the noun's nominative plural ("Komitees": "des
    # Komitees", "die Komitees") -> the singular ("Komitee")
    singular_genitives: dict[str, str]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The ``german-nouns`` tables this module needs (read once per process: ~1.5 s, ~27 MB)."""
    # form -> value; "" where rows disagree (no set per form: ~300,000 sets would stay as
    # fragmented memory after the read)
    declined: dict[str, str] = {}
    place_genitives: dict[str, str] = {}
    singular_genders: dict[str, str] = {}
    plurals: set[str] = set()
    singulars_all: set[str] = set()
    nominatives: set[str] = set()
    names: set[str] = set()
    people: set[str] = set()
    places: set[str] = set()
    adjectival: dict[str, str] = {}
    plain_singulars: set[str] = set()   # of nouns not declined like adjectives
    oblique_plurals: dict[str, str] = {}
    uncountable: set[str] = set()        # neuter nouns without a plural: "das Spielen"
    singular_genitives: dict[str, str] = {}
    with noun_table() as (columns, rows):
        at = {name: i for i, name in enumerate(columns)}

        def cases(prefixes: tuple[str, ...], number: str) -> list[int]:
            return [i for i, c in enumerate(columns) if c.split(" ")[0] in prefixes
                    and c.split(" ")[1].startswith(number)]

        nominative = {n: cases(("nominativ",), n) for n in ("singular", "plural")}
        oblique = {n: cases(("genitiv", "dativ", "akkusativ"), n) for n in ("singular", "plural")}
        genitive = cases(("genitiv",), "singular")
        for row in rows:
            lemma = row[at["lemma"]]
            if not lemma[:1].isupper() or " " in lemma:
                continue
            classes = set(row[at["pos"]].split(","))
            forms = {n: [row[c] for c in cols if row[c]] for n, cols in nominative.items()}
            singulars = {lemma, *forms["singular"]}
            singulars_all.update(singulars)
            nominatives.update(singulars, forms["plural"])
            if classes & set(_NAME_CLASSES):
                names.add(lemma)
            if classes & {"Vorname", "Nachname"}:
                people.add(lemma)
            if "Toponym" in classes:   # a place's genitive is its name plus "s": "Moskaus"
                places.add(lemma)
                if not lemma.endswith(("s", "x", "z", "ß")):
                    place_genitives[lemma + "s"] = lemma
            base = {"singular": lemma, "plural": forms["plural"][0] if forms["plural"] else None}
            for number, cols in oblique.items():
                for form in (row[c] for c in cols if row[c]):
                    if base[number]:
                        _agree(declined, form, base[number])
                        if number == "plural" and form not in singulars:
                            _agree(oblique_plurals, form, base[number])
            if "adjektivische Deklination" in classes:
                # "der Grüne", "die Grüne" (lemmas "Grüner", "Grüne"): "Grüne" for both
                group = row[at["nominativ plural stark"]] or lemma
                for form in {row[c] for cols in (*nominative.values(), *oblique.values())
                             for c in cols if row[c]} | {lemma}:
                    _agree(adjectival, form, group)
            else:
                plain_singulars.update(singulars)
                genus = row[at["genus"]]
                if genus == "n" and not forms["plural"]:
                    uncountable.update(singulars)
                if genus in ("m", "f", "n"):
                    for form in singulars:
                        _agree(singular_genders, form, genus)
                    plurals.update(forms["plural"])
                for form in {row[c] for c in genitive} & set(forms["plural"]) - singulars:
                    _agree(singular_genitives, form, lemma)
    # A form that is a singular takes its gender ("Staat" is also listed as an old plural);
    # a form of two genders takes none.
    genders = dict.fromkeys(nominatives, "")
    genders.update(dict.fromkeys(plurals - set(singular_genders), "pl"))
    genders.update(singular_genders)
    # A form is read as declined when it is no nominative itself ("Staaten", "Wales") and
    # its base is no person's name: organisations are named after people, and "Reuters" is
    # no genitive of "Reuter". A place's genitive wins over a common noun's plural ("Chinas").
    forms = {form: base for form, base in declined.items()
             if base and form not in nominatives and base not in people}
    forms.update({form: place for form, place in place_genitives.items()
                  if form not in singulars_all})
    # A form of a noun declined like an adjective, unless it is also a name or another noun's
    # singular ("Bayern", "Sachsen").
    adjectival = {form: plural for form, plural in adjectival.items()
                  if plural and plural != form and form not in names
                  and form not in plain_singulars}
    plural_datives = {form: plural for form, plural in oblique_plurals.items()
                      if plural and plural != form and form.endswith("en")
                      and form in uncountable and genders.get(form) == "n" and form not in forms}
    # Only genitives in -s: a weak noun's "-en" is also every other case, and its plural is
    # the name ("der Freien Demokraten" are the party, not one "Freier Demokrat").
    singular_genitives = {form: lemma for form, lemma in singular_genitives.items()
                          if lemma and form.endswith("s") and genders.get(lemma) in ("m", "n")}
    return Lexicon(
        declined=forms,
        genders=genders, names=frozenset(names), places=frozenset(places),
        adjectival=adjectival, adjectival_plurals=frozenset(adjectival.values()),
        plural_datives=plural_datives, singular_genitives=singular_genitives)


def _agree(table: dict[str, str], key: str, value: str) -> None:
    """``table[key] = value``, or "" when ``key`` already has another value."""
    table[key] = value if table.get(key, value) == value else ""


def adjective_stem(word: str, lex: Lexicon | None = None) -> str | None:
    """The stem of a capitalised declined adjective ("Nationalen" -> "National"), else None.
    A word made from a place ("Hamburger", "Kölner") is none: it is not declined."""
    lex = lex or lexicon()
    if not word[:1].isupper() or word in lex.places:
        return None
    for ending in ADJECTIVE_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 2 and stem not in lex.places:
            lower = stem.lower()
            if lower in BASE_ADJECTIVES or lower.endswith(ADJECTIVE_SUFFIXES):
                return stem
    return None


def is_place_adjective(word: str, lex: Lexicon | None = None) -> bool:
    """"Frankfurter", "Kölner": a place name plus "er", the same in every case; also where the
    place loses a syllable's vowel ("Bremer", "Dresdner", "Münchner", "Basler", "Zürcher")."""
    lex = lex or lexicon()
    if not word.endswith("er") or not word[:1].isupper():
        return False
    stem = word[:-2]
    candidates = {stem, stem + "en", stem[:-1] + "en", stem[:-1] + "el", stem[:-2] + "ich"}
    return not candidates.isdisjoint(lex.places)


def nominative(words: list[str]) -> list[str]:
    """The words of an organisation or place name in the nominative (see the module doc)."""
    if not words:
        return words
    lex = lexicon()
    if len(words) == 1:   # "Grünen", also set in capitals ("GRÜNEN", "LINKE")
        word = words[0].capitalize() if words[0].isupper() else words[0]
        if word in lex.adjectival:
            return [lex.adjectival[word]]
        if word != words[0] and word in lex.adjectival_plurals:
            return [word]
    stems: list[str | None] = []     # per word before the head: a stem, or None (kept as is)
    for word in words[:-1]:
        stem = adjective_stem(word, lex)
        if stem is None and not is_place_adjective(word, lex):
            break
        stems.append(stem)
    head_at = len(stems)
    head = words[head_at]
    if not head[:1].isupper() or head_at == 0 and len(words) > 1 and \
            words[1] not in PHRASE_OPENERS:
        return list(words)   # "Axel Springer Verlages", "Doctors for Refugees"
    for word in words[head_at + 1:]:
        if not word[:1].isupper():
            break            # "... der Vereinigten Staaten": a phrase of its own
        if not _attribute(word, lex):
            return list(words)   # "Neuen Zürcher Zeitung": the head is not where it seemed
    after_en = any(stems) and all(stem is None or word.endswith("en")
                                  for word, stem in zip(words, stems))
    if head in lex.plural_datives and after_en:
        # "den Olympischen Spielen": an -en adjective before it makes it the plural; the
        # neuter singular ("dem Olympischen Spielen", the playing) is no name
        base, gender = lex.plural_datives[head], "pl"
    elif head in lex.singular_genitives and after_en:
        # "des Internationalen Olympischen Komitees": a name is one body, so the genitive
        # singular, not "die ... Komitees" (several of them)
        base = lex.singular_genitives[head]
        gender = lex.genders[base]
    elif (stem := _elliptic_stem(words, head_at, lex)) is not None:
        # no noun after the adjectives: "der Frankfurter Allgemeinen" (Zeitung), "den
        # Süddeutschen"; -e is the strong nominative of a feminine and of a plural
        base, gender = stem + STRONG_NOMINATIVE["f"], "f"
    else:
        base, gender = _head(head, lex)
    if not any(stems):
        # no adjective to decline: "des Bundesamts für Migration", "den Berliner
        # Verkehrsbetrieben" (a place's "-er" is the same in every case)
        return list(words[:head_at]) + [base] + list(words[head_at + 1:])
    if gender is None:
        return list(words)
    ending = STRONG_NOMINATIVE[gender]
    declined = [word if stem is None else stem + ending for word, stem in zip(words, stems)]
    return declined + [base] + list(words[head_at + 1:])


def _elliptic_stem(words: list[str], head_at: int, lex: Lexicon) -> str | None:
    """The stem of the last word when it stands where a head should be and is an adjective
    in -en and no noun ("Allgemeinen" -> "Allgemein"), else None."""
    head = words[head_at]
    if head_at < len(words) - 1 or not head.endswith("en") or head in lex.genders \
            or head in lex.declined or head in lex.names:
        return None
    stem = adjective_stem(head, lex)
    # only the surest adjectives: a name in -en may look like one ("McLaren")
    sure = stem is not None and (stem.lower() in BASE_ADJECTIVES
                                 or stem.lower().endswith(("isch", "deutsch", "lich")))
    return stem if sure else None


def _head(word: str, lex: Lexicon) -> tuple[str, str | None]:
    """(base form, gender) of a head noun. A compound the lexicon lacks is read by its last
    part, as German does: "Fußball-Bundes" -> ("Fußball-Bund", "m"),
    "Weltsicherheitsrates" -> ("Weltsicherheitsrat", "m")."""
    if word in lex.genders or word in lex.declined:
        base = lex.declined.get(word, word)
        return base, _gender(base, lex)
    if "-" in word:
        front, _, last = word.rpartition("-")
        if last[:1].isupper():
            base, gender = _head(last, lex)
            return f"{front}-{base}", gender
        return word, None
    for cut in range(3, len(word) - 3):   # the longest known common noun at the end
        tail = word[cut].upper() + word[cut + 1:]
        if tail in lex.names:
            continue
        if tail in lex.genders or tail in lex.declined:
            base = lex.declined.get(tail, tail)   # the tail's first letter keeps its case
            return word[:cut + 1] + base[1:], _gender(base, lex)   # ("YouTube")
    return word, None


def _gender(base: str, lex: Lexicon) -> str | None:
    """The gender of a head's base form: the lexicon's, else the one it has in names."""
    return lex.genders.get(base) or NAME_HEAD_GENDERS.get(base)


def _attribute(word: str, lex: Lexicon) -> bool:
    """Whether a capitalised ``word`` can follow a name's head: a name or its genitive
    ("Chinas"), an abbreviation ("USA", "AG")."""
    if word.isupper():
        return True
    return (word in lex.names or lex.declined.get(word) in lex.names
            or (word.endswith("s") and word[:-1] in lex.names))
