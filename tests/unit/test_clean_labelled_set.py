"""The labelled set is big enough and the cleaner keeps its dev-split quality."""

import csv
import sys
from collections import Counter
from pathlib import Path

from indexer.clean import Label

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "fixtures" / "clutter_lines.tsv"
sys.path.insert(0, str(ROOT / "benchmarks"))

import cleaner_eval  # noqa: E402


def _rows():
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                   delimiter="\t", quoting=csv.QUOTE_NONE))


def test_at_least_100_lines_per_class_and_both_splits():
    rows = _rows()
    per_class = Counter(row["label"] for row in rows)
    assert set(per_class) == {str(label) for label in Label}
    assert min(per_class.values()) >= 100
    assert {row["split"] for row in rows} == {"dev", "test"}
    for split in ("dev", "test"):
        assert min(Counter(row["label"] for row in rows if row["split"] == split).values()) >= 50


def test_dev_split_quality_does_not_regress():
    results, confusion = cleaner_eval.evaluate(cleaner_eval.read_docs(DATA, "dev"))
    article = str(Label.ARTICLE)
    kept = confusion[(article, article)]
    n_article = sum(n for (gold, _), n in confusion.items() if gold == article)
    clutter_left = sum(n for (gold, guess), n in confusion.items() if gold != article and guess == article)
    n_clutter = sum(n for (gold, _), n in confusion.items() if gold != article)
    assert kept / n_article >= 0.97
    assert 1 - clutter_left / n_clutter >= 0.98
