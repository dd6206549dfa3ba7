"""Precision and recall of the clutter cleaner on the labelled lines.

    python benchmarks/cleaner_eval.py                  # held-out half (split=test)
    python benchmarks/cleaner_eval.py --split dev --errors

Reads tests/fixtures/clutter_lines.tsv (columns label, line, split, doc; lines of
one doc in order form one page), labels every page with the cleaner as one
document, and prints per class precision / recall / F1 and, for the decision that
matters most, removal (any clutter class vs article): precision = share of removed
lines that were clutter, recall = share of clutter lines removed, plus the share
of article lines kept.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.clean.labels import Label  # noqa: E402
from indexer.clean.normalize import normalize_line  # noqa: E402
from indexer.clean.text_cleaner import label_lines  # noqa: E402

DEFAULT_DATA = ROOT / "tests" / "fixtures" / "clutter_lines.tsv"


def read_docs(path: Path, split: str) -> dict[str, list[tuple[str, str]]]:
    docs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")),
                              delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in rows:
            if split in ("all", row["split"]):
                docs[row["doc"]].append((row["label"], normalize_line(row["line"])))
    return docs


def evaluate(docs: dict[str, list[tuple[str, str]]]) -> tuple[list[tuple[str, str, str, str]], Counter]:
    """(doc, gold, predicted, line) for every line, and the confusion counts."""
    results = []
    for doc, rows in docs.items():
        predicted, _ = label_lines([line for _, line in rows])
        for (gold, line), guess in zip(rows, predicted):
            results.append((doc, gold, str(guess), line))
    return results, Counter((gold, guess) for _, gold, guess, _ in results)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(results, confusion: Counter, split: str) -> str:
    lines = [f"cleaner on {len({r[0] for r in results})} pages, {len(results)} lines, split={split}",
             "", f"{'class':22s}{'gold':>6s}{'pred':>6s}{'P':>8s}{'R':>8s}{'F1':>8s}"]
    for label in Label:
        name = str(label)
        tp = confusion[(name, name)]
        gold = sum(n for (g, _), n in confusion.items() if g == name)
        pred = sum(n for (_, p), n in confusion.items() if p == name)
        p, r, f = prf(tp, pred - tp, gold - tp)
        lines.append(f"{name:22s}{gold:6d}{pred:6d}{p:8.3f}{r:8.3f}{f:8.3f}")
    article = str(Label.ARTICLE)
    tp = sum(n for (g, p), n in confusion.items() if g != article and p != article)
    fp = sum(n for (g, p), n in confusion.items() if g == article and p != article)
    fn = sum(n for (g, p), n in confusion.items() if g != article and p == article)
    kept = sum(n for (g, p), n in confusion.items() if g == article and p == article)
    n_article = sum(n for (g, _), n in confusion.items() if g == article)
    p, r, f = prf(tp, fp, fn)
    lines += ["", f"removal (clutter vs article): P={p:.3f} R={r:.3f} F1={f:.3f}",
              f"article lines kept: {kept}/{n_article} = {kept / max(n_article, 1):.3f}",
              f"clutter lines left in bodies: {fn}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument("--errors", action="store_true", help="print every wrongly labelled line")
    args = parser.parse_args(argv)
    results, confusion = evaluate(read_docs(args.data, args.split))
    print(report(results, confusion, args.split))
    if args.errors:
        print("\nerrors (doc, gold -> predicted, line):")
        for doc, gold, guess, line in results:
            if gold != guess:
                print(f"{doc}\t{gold} -> {guess}\t{line[:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
