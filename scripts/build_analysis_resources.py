#!/usr/bin/env python3
"""Build the German analysis resources for Elasticsearch's ``hyphenation_decompounder``.

Usage: ``python scripts/build_analysis_resources.py OUTDIR``

Writes, from packages installed in the venv (never from a shared data folder):

* ``OUTDIR/de_hyphenation.xml``: FOP XML v1.2 hyphenation patterns (the format Lucene's
  ``PatternParser`` reads), converted from LibreOffice's libhyphen ``hyph_de_DE.dic`` as shipped
  inside the ``pyphen`` package (LGPL-2.0-or-later, patterns derived from dehyphn.tex, LPPL).
* ``OUTDIR/de_compound_parts.txt``: compound parts, one lower-case word a line, built from the
  Wiktionary nouns of the ``german-nouns`` package (CC BY-SA 4.0) plus a short hand-written list,
  filtered with the German word frequencies of the ``wordfreq`` package (data CC BY-SA 4.0):
  rare nouns are left out, and frequent words that are no nouns are listed whole so the filter
  leaves them alone (Lucene never splits a token that is in its dictionary).
* ``OUTDIR/de_synonyms.txt``: a copy of ``mappings/analysis/de_synonyms.txt`` (Solr format).

Why only the second level of the libhyphen file: libhyphen files may hold two pattern sets split by
``NEXTLEVEL``; in ``hyph_de_DE.dic`` the first is ~69,000 whole-word compound patterns, the second
the ~8,700 TeX syllable patterns. Lucene hyphenates with one set, and its ``TernaryTree`` addresses
nodes and key storage with 16-bit ``char`` indices, so the first set would silently overflow it.
``ternary_tree_footprint`` checks that what we write stays inside that limit.

The module also holds a faithful Python port of what Lucene 9.8+ does with these files
(``Hyphenator``, ``subwords``/``decompound``), used to build the word list (a transparent compound
noun is left out so that the filter splits it) and to test it.
"""
from __future__ import annotations

import argparse
import csv
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

REPO_ROOT = Path(__file__).resolve().parent.parent
SYNONYMS_SOURCE = REPO_ROOT / "mappings" / "analysis" / "de_synonyms.txt"

HYPHENATION_FILE = "de_hyphenation.xml"
COMPOUND_PARTS_FILE = "de_compound_parts.txt"
SYNONYMS_FILE = "de_synonyms.txt"

# Letters the classes always cover, beside those the patterns use: German and the common
# Latin-1 letters of loan words and names (a word with a letter outside every class is not
# hyphenated by Lucene, hence never decompounded).
BASE_LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßàáâãåæçèéêëìíîïñòóôõøùúûýÿœ"
_KEYWORD_LINE = re.compile(r"^(LEFTHYPHENMIN|RIGHTHYPHENMIN|COMPOUNDLEFTHYPHENMIN|"
                           r"COMPOUNDRIGHTHYPHENMIN|NOHYPHEN|NEXTLEVEL)\b\s*(.*)$")
_TREE_LIMIT = 0xFFFF  # Lucene's TernaryTree uses char (16 bit) node and key indices


# --------------------------------------------------------------------------------------------
# libhyphen .dic -> FOP XML
# --------------------------------------------------------------------------------------------

@dataclass
class LibhyphenPatterns:
    """The content of a libhyphen ``.dic`` file, split into its levels."""

    charset: str
    left_hyphen_min: int = 2
    right_hyphen_min: int = 2
    compound_left_hyphen_min: int | None = None
    compound_right_hyphen_min: int | None = None
    compound_level: list[str] = field(default_factory=list)  # before NEXTLEVEL (if any)
    patterns: list[str] = field(default_factory=list)  # the (last) level Lucene can use
    skipped: list[str] = field(default_factory=list)  # non-standard or unusable lines

    @property
    def has_levels(self) -> bool:
        return bool(self.compound_level)


def python_codec(charset: str) -> str:
    """Map a libhyphen charset header (``ISO8859-1``, ``UTF-8``, ``microsoft-cp1251``) to a
    Python codec."""
    name = charset.strip().lower()
    name = name.removeprefix("microsoft-")
    if name in {"utf-8", "utf8"}:
        return "utf-8"
    if name.startswith("iso8859-") or name.startswith("iso-8859-"):
        return "iso8859-" + name.rsplit("-", 1)[1]
    return name


def convert_pattern(line: str) -> str | None:
    """One libhyphen pattern line -> a FOP pattern, or None if the line is no usable pattern.

    FOP and libhyphen share Liang's notation (letters, interletter digits, ``.`` for a word edge).
    Non-standard libhyphen patterns (``c1k/k=k,1,2``: replacement hyphenation) have no FOP
    equivalent and are skipped, as is anything with a character that is neither letter, digit
    nor ``.`` (e.g. the ``1-1`` of NOHYPHEN blocks), and a pattern without digits (it can
    raise no interletter value, so it does nothing).
    """
    text = line.strip()
    if not text or text[0] in "#%" or "/" in text:
        return None
    text = text.lower()
    if not any(ch.isalpha() for ch in text):
        return None
    if not all(ch.isalpha() or ch.isdigit() or ch == "." for ch in text):
        return None
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        return None
    if not any("1" <= ch <= "9" for ch in text):
        return None
    return text


def parse_libhyphen(raw: bytes) -> LibhyphenPatterns:
    """Read a libhyphen ``.dic`` file: charset line, options, one or two pattern levels."""
    first, _, rest = raw.partition(b"\n")
    charset = first.decode("ascii").strip()
    text = rest.decode(python_codec(charset))
    result = LibhyphenPatterns(charset=charset)
    current: list[str] = result.patterns
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in "#%":
            continue
        keyword = _KEYWORD_LINE.match(stripped)
        if keyword:
            name, value = keyword.groups()
            if name == "NEXTLEVEL":
                # everything read so far is the compound level; what follows is the syllable level
                result.compound_level = current
                result.patterns = current = []
            elif name == "LEFTHYPHENMIN":
                result.left_hyphen_min = int(value)
            elif name == "RIGHTHYPHENMIN":
                result.right_hyphen_min = int(value)
            elif name == "COMPOUNDLEFTHYPHENMIN":
                result.compound_left_hyphen_min = int(value)
            elif name == "COMPOUNDRIGHTHYPHENMIN":
                result.compound_right_hyphen_min = int(value)
            continue  # NOHYPHEN: its hyphen-like entries are not patterns Lucene can use
        if not any("1" <= ch <= "9" for ch in stripped):
            continue  # no value above zero: a no-op (or a NOHYPHEN-style entry)
        pattern = convert_pattern(stripped)
        if pattern is None:
            result.skipped.append(stripped)
        else:
            current.append(pattern)
    result.patterns = list(dict.fromkeys(result.patterns))  # drop duplicates, keep order
    return result


def pattern_letters(pattern: str) -> str:
    """The letters of a pattern, without its interletter digits (``.a1b2c`` -> ``.abc``)."""
    return "".join(ch for ch in pattern if not ch.isdigit())


def pattern_values(pattern: str) -> list[int]:
    """Interletter values of a pattern, one more than its letters (as Lucene's
    ``getInterletterValues``)."""
    values: list[int] = []
    pending = 0
    for ch in pattern:
        if ch.isdigit():
            pending = int(ch)
        else:
            values.append(pending)
            pending = 0
    values.append(pending)
    return values


def letter_classes(patterns: Iterable[str], base: str = BASE_LETTERS) -> list[str]:
    """FOP ``<classes>`` entries: the lower-case letter first (the normalised form), then its
    capital."""
    letters = dict.fromkeys(base)
    for pattern in patterns:
        for ch in pattern:
            if ch.isalpha():
                letters.setdefault(ch)
    classes = []
    for ch in sorted(letters):
        upper = "ẞ" if ch == "ß" else ch.upper()
        classes.append(ch + upper if len(upper) == 1 and upper != ch else ch)
    return classes


def fop_xml(patterns: Sequence[str], classes: Sequence[str], left_min: int, right_min: int,
            source_note: str) -> str:
    """Serialise patterns as a FOP v1.2 hyphenation file (UTF-8, no DOCTYPE needed)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!--",
        escape(source_note).replace("--", "- -"),
        "-->",
        "<hyphenation-info>",
        '<hyphen-char value="-"/>',
        f'<hyphen-min before="{left_min}" after="{right_min}"/>',
        "<classes>",
        *classes,
        "</classes>",
        "<patterns>",
    ]
    row: list[str] = []
    for pattern in patterns:
        row.append(escape(pattern))
        if len(row) == 10:
            lines.append(" ".join(row))
            row = []
    if row:
        lines.append(" ".join(row))
    lines += ["</patterns>", "</hyphenation-info>", ""]
    return "\n".join(lines)


def ternary_tree_footprint(keys: Iterable[str]) -> tuple[int, int]:
    """Nodes and key-array chars Lucene's TernaryTree needs to load ``keys`` in this order.

    A port of ``TernaryTree.insert`` (FOP/Lucene), which stores node and key offsets in Java
    ``char``s: past 65,535 of either it corrupts itself without an error. Returns the peak node
    count and key-array size for insertion in file order.
    """
    lo: list[int] = [0]
    hi: list[int] = [0]
    eq: list[int] = [0]
    sc: list[int] = [0]
    kv: list[int] = [0]  # CharVector; Lucene starts at 0 too (alloc on an empty vector)
    kv.clear()

    def new_node() -> int:
        for arr in (lo, hi, eq, sc):
            arr.append(0)
        return len(sc) - 1

    def insert(p: int, key: list[int], start: int) -> int:
        length = len(key) - 1 - start  # key ends with a 0 terminator
        if p == 0:
            p = new_node()
            if length > 0:
                sc[p] = 0xFFFF
                lo[p] = len(kv)
                kv.extend(key[start:])
            return p
        if sc[p] == 0xFFFF:
            pp = new_node()
            lo[pp], eq[pp] = lo[p], eq[p]
            lo[p] = 0
            if length > 0:
                sc[p] = kv[lo[pp]]
                eq[p] = pp
                lo[pp] += 1
                if kv[lo[pp]] == 0:
                    lo[pp] = sc[pp] = hi[pp] = 0
                else:
                    sc[pp] = 0xFFFF
            else:
                sc[pp] = 0xFFFF
                hi[p] = pp
                sc[p] = 0
                return p
        s = key[start]
        if s < sc[p]:
            lo[p] = insert(lo[p], key, start)
        elif s == sc[p]:
            if s != 0:
                eq[p] = insert(eq[p], key, start + 1)
        else:
            hi[p] = insert(hi[p], key, start)
        return p

    root = 0
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for key in keys:
            root = insert(root, [ord(ch) for ch in key] + [0], 0)
    finally:
        sys.setrecursionlimit(limit)
    return len(sc), len(kv)


def _balanced_order(keys: Sequence[str]) -> Iterator[str]:
    """The order in which ``TernaryTree.balance`` re-inserts sorted keys (median first)."""
    stack = [(0, len(keys))]
    while stack:
        offset, n = stack.pop()
        if n < 1:
            continue
        m = n >> 1
        yield keys[offset + m]
        stack.append((offset + m + 1, n - m - 1))  # popped after the lower half, as in Lucene
        stack.append((offset, m))


def lucene_load_footprint(patterns: Sequence[str]) -> dict[str, int]:
    """Peak sizes of Lucene's 16-bit-indexed structures when it loads ``patterns``.

    ``nodes``/``keys``: the pattern tree in file order and after ``balance()``; ``values``: the
    packed interletter values (``vspace``). Each must stay below 65,535.
    """
    letters = [pattern_letters(p) for p in patterns]
    nodes_file, keys_file = ternary_tree_footprint(letters)
    unique_sorted = sorted(set(letters))
    nodes_bal, keys_bal = ternary_tree_footprint(_balanced_order(unique_sorted))
    vspace = 1
    seen: set[str] = set()
    for pattern in patterns:
        ivalue = "".join(str(v) for v in pattern_values(pattern))
        if ivalue not in seen:
            seen.add(ivalue)
            n = len(ivalue)
            vspace += (n >> 1) + 2 if n & 1 else (n >> 1) + 1
    return {"nodes": max(nodes_file, nodes_bal), "keys": max(keys_file, keys_bal),
            "values": vspace}

# --------------------------------------------------------------------------------------------
# What Lucene does with the files: hyphenation and the decompounder
# --------------------------------------------------------------------------------------------

class Hyphenator:
    """Liang hyphenation as Lucene's ``HyphenationTree.hyphenate`` does it."""

    def __init__(self, patterns: Iterable[str], classes: Iterable[str]) -> None:
        self.trie: dict = {}  # letter -> child; the key "" holds a pattern's interletter values
        for pattern in patterns:
            node = self.trie
            for ch in pattern_letters(pattern):
                node = node.setdefault(ch, {})
            node[""] = pattern_values(pattern)
        self.classmap: dict[str, str] = {}
        for group in classes:
            for ch in group:
                self.classmap.setdefault(ch, group[0])
        self._cache: dict[str, list[int] | None] = {}

    def points(self, word: str) -> list[int] | None:
        """Hyphenation points with Lucene's synthetic 0 and len, or None (as Lucene does).

        Lucene's decompounder asks for points at least one letter from either end
        (``hyphenate(word, 1, 1)``) and ignores the file's ``hyphen-min``.
        """
        if word not in self._cache:
            self._cache[word] = self._points(word)
        return self._cache[word]

    def _points(self, word: str, remain: int = 1, push: int = 1) -> list[int] | None:
        letters: list[str] = []
        ignore_at_start = 0
        ended = False
        for ch in word:
            norm = self.classmap.get(ch)
            if norm is None:
                if not letters:
                    ignore_at_start += 1
                else:
                    ended = True
            elif ended:
                return None
            else:
                letters.append(norm)
        n = len(letters)
        if n < remain + push:
            return None
        marked = "." + "".join(letters) + "."
        il = [0] * (n + 3)
        for i in range(n + 1):
            node = self.trie
            for ch in marked[i:]:
                node = node.get(ch)
                if node is None:
                    break
                values = node.get("")
                if values:
                    for k, v in enumerate(values, start=i):
                        if v > il[k]:
                            il[k] = v
        found = [i + ignore_at_start for i in range(n)
                 if il[i + 1] % 2 == 1 and remain <= i <= n - push]
        return [0, *found, n] if found else None

    def hyphenate(self, word: str) -> str:
        """``word`` with ``-`` at its hyphenation points (for humans and tests)."""
        points = self.points(word) or [0, len(word)]
        return "-".join(word[a:b] for a, b in zip(points, points[1:]))


def subwords(word: str, hyphenator: Hyphenator, dictionary: set[str] | frozenset[str], *,
             min_word_size: int = 5, min_subword_size: int = 4, max_subword_size: int = 15,
             only_longest_match: bool = True, no_sub_matches: bool = False,
             no_overlapping_matches: bool = False) -> list[tuple[int, str]]:
    """(offset, subword) pairs Lucene's ``HyphenationCompoundWordTokenFilter`` adds (Lucene 9.8+).

    ``word`` is the token after ``lowercase``; the original token itself is not returned.
    """
    if len(word) < min_word_size:
        return []
    calc_sub_matches = not (only_longest_match or no_sub_matches or no_overlapping_matches)
    if not calc_sub_matches and (word in dictionary or (len(word) > 1 and word[:-1] in dictionary)):
        return []
    hyp = hyphenator.points(word)
    if hyp is None:
        return []
    max_size = min(max_subword_size, len(word) - 1)
    found: list[tuple[int, str]] = []
    consumed = -1
    i = 0
    while i < len(hyp):
        if no_overlapping_matches:
            i = max(i, consumed)
            if i >= len(hyp):
                break
        start = hyp[i]
        until = max(consumed, i) if no_sub_matches else i
        for j in range(len(hyp) - 1, until, -1):
            length = hyp[j] - start
            if length > max_size:
                continue
            if length < min_subword_size:
                break
            if word[start:start + length] in dictionary:
                found.append((start, word[start:start + length]))
            elif word[start:start + length - 1] in dictionary:
                found.append((start, word[start:start + length - 1]))
            else:
                continue
            consumed = j
            if not calc_sub_matches:
                break
        i += 1
    return found


def decompound(word: str, hyphenator: Hyphenator, dictionary: set[str] | frozenset[str],
               **options: int | bool) -> list[str]:
    """The subwords the decompounder adds for ``word``, in order (options as for ``subwords``)."""
    return [part for _, part in subwords(word, hyphenator, dictionary, **options)]


def covers(word: str, found: Sequence[tuple[int, str]], gap: int = 1) -> bool:
    """Whether subwords tile ``word`` end to end, allowing a linking letter between them."""
    pos = 0
    for start, part in sorted(found):
        if start < pos or start - pos > (gap if pos else 0):
            return False
        pos = start + len(part)
    return bool(found) and len(word) - pos <= gap


# --------------------------------------------------------------------------------------------
# Compound parts from german-nouns
# --------------------------------------------------------------------------------------------

# Wiktionary parts of speech that are not common nouns we want as compound parts.
EXCLUDED_POS = {"Vorname", "Nachname", "Eigenname", "Abkürzung", "Wortverbindung", "Buchstabe",
                "Symbol", "Affix", "Suffix", "Gebundenes Lexem", "Redewendung", "Straßenname",
                "Grußformel", "Geflügeltes Wort", "Deklinierte Form", "Zahlklassifikator"}
MIN_PART = 4
_WORD = re.compile(r"[a-zäöüßéèêàâçñóôû]+")

# Heads that do not make a word a transparent compound: "Mann|schaft" and "Gesell|schaft" stay
# whole in the dictionary (they are words of their own, not "Mann" + "Schaft").
SUFFIX_LIKE_HEADS = {"schaft", "schaften", "haft", "heit", "keit", "ling", "linge", "lingen",
                     "lein", "chen", "tums", "nisse", "nissen"}
# Nouns that are mostly prepositions/prefixes in compounds; as parts they give junk
# ("unter" in Unterstützung), so they are neither parts nor compound evidence.
BLOCKED = {"unter", "ober", "über", "hinter", "wider", "neben", "durch", "gegen", "nach",
           "ander", "ende", "ender", "enden", "erin", "erinnen", "ling", "linge", "ungen", "tion",
           "tionen", "heit", "keit", "schaft", "schaften", "schafts", "isten", "ismus", "ieren",
           "tung", "tungen", "rung", "rungen", "nung", "nungen", "lung", "lungen", "gung",
           "gungen", "sung", "sungen", "stäte", "stäten"}

# Frequent non-noun modifiers and verb stems of news compounds (Außen|ministerin,
# Liefer|kette, Spreng|kopf, Nuklear|antrieb), written by hand.
HAND_PARTS = """
außen innen nord süd west groß klein hoch tief voll frei halb doppel viel früh spät
erst zweit dritt letzt neu alt jung lang kurz weit nah fern schnell schwer leicht
national international nuklear atomar militärisch zivil sozial
global regional lokal europa europäisch kontinental welt bundes landes staats
liefer spreng schreib fahr sperr wohn lern lehr wähl stimm regier
verteidigungs sicherheits rüstungs wirtschafts friedens kriegs
miet kauf verkauf halt lauf sprech denk schlaf warn flieg fließ treib bind
abwehr angriffs einsatz ausbau aufbau abbau umbau rückzug
""".split()


@dataclass(frozen=True)
class NounEntry:
    lemma: str
    pos: frozenset[str]
    forms: frozenset[str]  # lower-case, letters only, the lemma included


def read_nouns(csv_path: Path) -> Iterator[NounEntry]:
    """Nouns of german-nouns' ``nouns.csv``: lemma, part-of-speech tags, all inflected forms."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        cases = ("nominativ", "genitiv", "dativ", "akkusativ")
        form_columns = [i for i, name in enumerate(header) if name.startswith(cases)]
        for row in reader:
            lemma = row[0]
            forms = {row[i].lower() for i in form_columns if i < len(row) and row[i]}
            forms.add(lemma.lower())
            yield NounEntry(lemma, frozenset(row[1].split(",")), frozenset(forms))


def is_common_noun(entry: NounEntry) -> bool:
    """A single-word common noun (or place name), not an abbreviation, person name or phrase."""
    if entry.pos & EXCLUDED_POS or "Substantiv" not in entry.pos:
        return False
    lemma = entry.lemma
    return bool(_WORD.fullmatch(lemma.lower())) and not lemma.isupper() and lemma[:1].isupper()


def linking_forms(lemma: str) -> set[str]:
    """Forms a noun takes as the first part of a compound, whether or not they are inflections:
    Staat|s, Frieden|s, Rakete|n, and the stem of ``-e`` nouns (Grenze -> Grenz|kontrolle)."""
    forms = {lemma + "s", lemma + "es", lemma + "n", lemma + "en"}
    if lemma.endswith("e") and len(lemma) > MIN_PART:
        forms.add(lemma[:-1])
    return forms


def usable_forms(entry: NounEntry) -> set[str]:
    """Inflected and linking forms fit to be dictionary entries (letters only, long enough)."""
    lemma = entry.lemma.lower()
    forms = set(entry.forms)
    if lemma.endswith("e") and len(lemma) > MIN_PART:
        forms.add(lemma[:-1])
    return {f for f in forms if len(f) >= MIN_PART and _WORD.fullmatch(f)} - BLOCKED


def min_zipf(word: str, place_name: bool = False) -> float:
    """How common (wordfreq Zipf scale) a noun must be to serve as a part: short words need
    more, because they also match by chance inside longer words (Pro|gramm, Ver|hand|lungen)."""
    if place_name:
        return 3.5
    if len(word) <= 4:
        return 3.3
    if len(word) == 5:
        return 3.1
    if len(word) <= 7:
        return 2.3
    return 1.8


def common_forms(entry: NounEntry, forms: set[str], zipf: Callable[[str], float]) -> set[str]:
    """The forms of a common enough noun that are attested (Zipf > 0) or regular linking forms;
    empty for a rare noun. Drops Wiktionary's archaic or erroneous variants (Staat: "Stäte")."""
    lemma = entry.lemma.lower()
    scores = {f: zipf(f) for f in forms | {lemma}}
    if max(scores.values()) < min_zipf(lemma, "Toponym" in entry.pos):
        return set()
    links = linking_forms(lemma)
    return {f for f in forms if f in links or scores[f] >= min_zipf(f) - 0.5}


def compound_split(word: str, hyphenator: Hyphenator, modifiers: set[str], heads: set[str],
                   zipf: Callable[[str], float]) -> tuple[str, str] | None:
    """``word`` as modifier + head at one of its hyphenation points, if it reads as a
    transparent compound: both parts are known nouns (the modifier may carry a linking "s" even
    where the noun has no such form: Rüstung|s|gespräch), the modifier is common, and the head
    is not far rarer than the whole word (else the "head" is chance: Gene|ration, Passa|gier).
    A head may be a compound itself (Atomwaffen|sperr|vertrag).
    """
    points = hyphenator.points(word)
    if not points:
        return None
    whole = zipf(word)
    for p in points[1:-1]:
        left, right = word[:p], word[p:]
        if len(left) < MIN_PART or len(right) < MIN_PART or right in SUFFIX_LIKE_HEADS:
            continue
        if right in heads:
            if zipf(right) < whole - 0.5:
                continue
        elif len(right) < 2 * MIN_PART or not compound_split(
                right, hyphenator, modifiers, heads, zipf):
            continue  # a head that is a compound itself: Atomwaffen|sperr|vertrag
        for modifier in (left, left[:-1]) if left.endswith("s") else (left,):
            if modifier in modifiers and zipf(modifier) >= 2.5:
                return left, right
    return None


def reads_as_compound(word: str, found: Sequence[tuple[int, str]],
                      zipf: Callable[[str], float]) -> bool:
    """Whether non-overlapping subwords make ``word`` a compound: they tile it, and its last
    part (the head) is not far rarer than the word (else the tiling is chance: aller|dings)."""
    return covers(word, found) and zipf(max(found)[1]) >= zipf(word) - 0.5


@dataclass
class PartsReport:
    nouns_read: int = 0
    nouns_used: int = 0
    compounds_dropped: int = 0
    rare_dropped: int = 0
    hand_parts: int = 0
    protected_words: int = 0
    words: int = 0


def build_compound_parts(entries: Iterable[NounEntry], hyphenator: Hyphenator,
                         zipf: Callable[[str], float], frequent_words: Iterable[str] = (),
                         hand_parts: Iterable[str] = HAND_PARTS) -> tuple[list[str], PartsReport]:
    """The decompounder's word list.

    * common simplex nouns with their inflected and linking forms (``zipf`` gives a word's
      frequency on the Zipf scale, ``wordfreq`` for German);
    * minus transparent compounds (Waffen|lieferung): Lucene never splits a token found in its
      dictionary, so keeping them would stop exactly the splits we want; place names stay whole;
    * plus ``hand_parts``;
    * plus those ``frequent_words`` that are no known nouns and that the filter would otherwise
      cut into pieces that do not read as a compound (soll|te, poli|tische, aller|dings): a
      whole token in the dictionary is never split, so listing them keeps ordinary words whole.
    """
    report = PartsReport()
    nouns: list[tuple[NounEntry, set[str]]] = []
    noun_forms: set[str] = set()
    for entry in entries:
        report.nouns_read += 1
        if is_common_noun(entry):
            noun_forms |= entry.forms
            forms = usable_forms(entry)
            if forms:
                nouns.append((entry, forms))
    hand = {w for w in hand_parts if len(w) >= MIN_PART}
    modifiers = set().union(*(forms for _, forms in nouns)) | hand
    heads = {entry.lemma.lower() for entry, _ in nouns if len(entry.lemma) >= MIN_PART} - BLOCKED
    words: set[str] = set(hand)
    for entry, forms in nouns:
        if "Toponym" not in entry.pos and compound_split(
                entry.lemma.lower(), hyphenator, modifiers, heads, zipf):
            report.compounds_dropped += 1
            continue
        kept = common_forms(entry, forms, zipf)
        if not kept:
            report.rare_dropped += 1
            continue
        report.nouns_used += 1
        words |= kept
    report.hand_parts = len(hand)
    protected = set()
    for word in frequent_words:
        if len(word) < 5 or word in words or word in noun_forms or not _WORD.fullmatch(word):
            continue
        if subwords(word, hyphenator, words) and not reads_as_compound(
                word, subwords(word, hyphenator, words, no_overlapping_matches=True), zipf):
            protected.add(word)
    words |= protected
    report.protected_words = len(protected)
    report.words = len(words)
    return sorted(words), report


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------

def libhyphen_path() -> Path:
    """``hyph_de_DE.dic`` inside the installed pyphen package."""
    import pyphen

    return Path(pyphen.__file__).resolve().parent / "dictionaries" / "hyph_de_DE.dic"


def nouns_csv_path() -> Path:
    """``nouns.csv`` inside the installed german-nouns package."""
    from german_nouns.config import CSV_FILE_PATH

    return Path(CSV_FILE_PATH)


def german_zipf() -> tuple[Callable[[str], float], list[str]]:
    """wordfreq's German Zipf frequency as a fast lookup, and the words with Zipf >= 2.5."""
    import math

    from wordfreq import get_frequency_dict

    table = get_frequency_dict("de", wordlist="large")

    def zipf(word: str) -> float:
        freq = table.get(word.casefold())  # wordfreq keys are case-folded (ß -> ss)
        return round(math.log10(freq) + 9, 2) if freq else 0.0

    frequent = [variant for word, freq in table.items() if freq >= 10 ** (2.5 - 9)
                for variant in sharp_s_spellings(word)]
    return zipf, frequent


def sharp_s_spellings(folded: str) -> list[str]:
    """Spellings a case-folded word may have had: wordfreq folds "ß" to "ss" (größte ->
    grösste), so each "ss" may be either; words with more than two "ss" are left as they are."""
    pieces = folded.split("ss")
    if len(pieces) == 1 or len(pieces) > 3:
        return [folded]
    spellings = [""]
    for piece in pieces[:-1]:
        spellings = [s + piece + joint for s in spellings for joint in ("ss", "ß")]
    return [s + pieces[-1] for s in spellings]


UMLAUT_SPELLINGS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
SHORT_PART = 8


def with_transliterations(words: Iterable[str]) -> list[str]:
    """The words plus their ae/oe/ue spellings (verkäufe -> verkaeufe), and the Swiss "ss"
    spelling of short parts with "ß" (außen -> aussen), sorted. The decompounder sees tokens
    before german_normalization folds them, so "Waffenverkaeufe" or "Aussenministerin" split
    only when the transliterated part is listed. Long "ß" entries are whole-word variants of
    frequent words (sharp_s_spellings); their "ss" form may be a compound the list left out
    on purpose so that it splits, so they get no "ss" spelling."""
    spellings = set()
    for word in words:
        variant = word.translate(UMLAUT_SPELLINGS)
        spellings.update((word, variant))
        if "ß" in word and len(word) <= SHORT_PART:
            spellings.update((word.replace("ß", "ss"), variant.replace("ß", "ss")))
    return sorted(spellings)


def load_hyphenator(patterns_source: Path | None = None) -> tuple[LibhyphenPatterns, Hyphenator]:
    """Parse the libhyphen patterns and build the matching Python hyphenator."""
    parsed = parse_libhyphen((patterns_source or libhyphen_path()).read_bytes())
    return parsed, Hyphenator(parsed.patterns, letter_classes(parsed.patterns))


def load_dictionary(path: Path) -> set[str]:
    """A word list file as Elasticsearch reads it: one entry a line, ``#`` lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


PATTERNS_NOTE = """German hyphenation patterns for Lucene's hyphenation_decompounder (FOP XML v1.2).
Generated by scripts/build_analysis_resources.py from hyph_de_DE.dic (version 2017-01-12) as
shipped in the pyphen package: LibreOffice/OpenOffice.org German hyphenation by Marco
Huggenberger, Daniel Naber and Karl Zeiler, based on the TeX patterns dehyphn.tex (LPPL).
Licence: GNU LGPL 2 or later. Only the second (syllable) pattern level is converted."""

PARTS_HEADER = """# German compound parts for Lucene's hyphenation_decompounder (one word a line).
# Generated by scripts/build_analysis_resources.py from the german-nouns package
# (Wiktionary nouns, CC BY-SA 4.0), filtered with wordfreq (CC BY-SA 4.0 data).
# Licence of this list: CC BY-SA 4.0.
"""


def build(outdir: Path) -> dict[str, int]:
    """Write the three resource files into ``outdir``; return counts for the summary."""
    outdir.mkdir(parents=True, exist_ok=True)
    parsed, hyphenator = load_hyphenator()
    footprint = lucene_load_footprint(parsed.patterns)
    if max(footprint.values()) >= _TREE_LIMIT:
        raise SystemExit(f"patterns too large for Lucene's TernaryTree: {footprint}")
    classes = letter_classes(parsed.patterns)
    xml = fop_xml(parsed.patterns, classes, parsed.left_hyphen_min, parsed.right_hyphen_min,
                  PATTERNS_NOTE)
    (outdir / HYPHENATION_FILE).write_text(xml, encoding="utf-8")

    zipf, frequent = german_zipf()
    words, report = build_compound_parts(read_nouns(nouns_csv_path()), hyphenator, zipf, frequent)
    words = with_transliterations(words)
    (outdir / COMPOUND_PARTS_FILE).write_text(PARTS_HEADER + "\n".join(words) + "\n",
                                             encoding="utf-8")
    shutil.copyfile(SYNONYMS_SOURCE, outdir / SYNONYMS_FILE)
    synonym_lines = [line for line in SYNONYMS_SOURCE.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#")]
    return {
        "patterns": len(parsed.patterns),
        "compound_level_patterns_left_out": len(parsed.compound_level),
        "nonstandard_lines_skipped": len(parsed.skipped),
        "classes": len(classes),
        "tree_nodes": footprint["nodes"],
        "nouns_read": report.nouns_read,
        "nouns_used": report.nouns_used,
        "compounds_dropped": report.compounds_dropped,
        "rare_nouns_dropped": report.rare_dropped,
        "protected_words": report.protected_words,
        "hand_parts": report.hand_parts,
        "compound_parts": len(words),
        "synonym_rules": len(synonym_lines),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="directory to (re)write the resource files in")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = build(args.outdir)
    for name, value in counts.items():
        print(f"{name:>34}: {value}")
    print(f"{'seconds':>34}: {time.perf_counter() - started:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
