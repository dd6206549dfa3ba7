"""The table of the ``german-nouns`` package: Wiktionary's German nouns with all their case and
number forms, and two indexes of it: ``noun_lexicon`` (the entity rules, and the surnames of
``entity_links``) and ``noun_lemmas``. The declension of names (``declension.lexicon``) builds
its own."""

from __future__ import annotations

import contextlib
import csv
import functools
import importlib.resources
from collections.abc import Iterator


@contextlib.contextmanager
def noun_table() -> Iterator[tuple[list[str], Iterator[list[str]]]]:
    """``(column names, rows)`` of ``nouns.csv``; a row is a list of strings in column order
    ("lemma", "pos", "genus", ..., "nominativ singular", ...; "" where empty)."""
    path = importlib.resources.files("german_nouns").joinpath("nouns.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        yield next(rows), rows


_PROPER_CLASSES = {"Vorname": "V", "Nachname": "F", "Toponym": "T", "Straßenname": "T",
                   "Eigenname": "E"}


@functools.lru_cache(maxsize=1)
def noun_lexicon() -> dict[str, str]:
    """Word form -> class letters (N common noun, V first name, F surname, T place, E other name).

    Read from the ``german-nouns`` package (Wiktionary nouns with all case/number forms)."""
    classes: dict[str, set[str]] = {}
    with noun_table() as (_, rows):
        for row in rows:
            lemma = row[0]
            if not lemma[:1].isupper():
                continue
            tags = {_PROPER_CLASSES[p] for p in row[1].split(",") if p in _PROPER_CLASSES}
            cls = tags or {"N"}
            forms = {lemma, *(f for f in row[7:] if f)}
            if tags and not lemma.endswith(("s", "x", "z", "ß")):
                forms.add(lemma + "s")
            for form in forms:
                if " " not in form:
                    classes.setdefault(form, set()).update(cls)
    return {form: "".join(sorted(cls)) for form, cls in classes.items()}


@functools.lru_cache(maxsize=1)
def noun_lemmas() -> frozenset[str]:
    """The base forms (nominative singular) of the ``german-nouns`` lexicon: "Hans" is one, the
    genitive "Kims" is not."""
    with noun_table() as (_, rows):
        return frozenset(row[0] for row in rows if row and row[0][:1].isupper())
