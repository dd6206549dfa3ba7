"""The table of the ``german-nouns`` package: Wiktionary's German nouns with all their case and
number forms. The entity rules (``entities.noun_lexicon``, ``noun_lemmas``) and the declension
of names (``declension.lexicon``) each build their own index from it."""

from __future__ import annotations

import contextlib
import csv
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
