"""Exact-span NER evaluation for German gold data in GermEval, CoNLL or HIPE TSV format.

    python benchmarks/ner_eval.py --data ../shared/data/ner/germeval2014_dev.tsv.gz
                                  [--fold 4/5] [--deriv-part drop|merge|keep] [--no-rules]

Formats (auto-detected, plain or .gz):
  * GermEval 2014: ``idx<TAB>token<TAB>outer<TAB>nested``, blank line between sentences, ``#`` lines
    skipped. Only the outer level is scored.
  * HIPE 2020/2022: header line ``TOKEN NE-COARSE-LIT ...``, ``# ...`` comment lines; the
    NE-COARSE-LIT column is scored; sentences end at ``EndOfSentence`` (MISC column) or a new document;
    ``NoSpaceAfter`` is honoured. HIPE person spans include titles and functions ("General
    Reding"); they are cut to the name tokens (NE-FINE-COMP ``comp.name``) unless
    ``--hipe-full-spans`` is given.
  * CoNLL: ``token ... TAG`` (whitespace separated, the last column is the tag); blank lines end
    sentences; files without blank lines (europeana) are cut after ``. ! ?`` outside entities.

Tags are BIO (IOB1 is repaired: an ``I-X`` that does not continue an ``X`` starts a new span).
Types are normalised: PER/pers/person -> PER, LOC/loc/location -> LOC, ORG/org -> ORG, OTH/MISC -> OTH;
anything else (HIPE time/prod, HumanProd, malformed tags) becomes O.
GermEval ``*deriv``/``*part`` tags (``deutsche`` = LOCderiv, ``EU-Staaten`` = ORGpart) are by default
dropped to O, because the product extracts names only; ``--deriv-part merge`` maps them onto the base
type and ``--deriv-part keep`` scores them as types of their own (LOCderiv, ORGpart, ...).

The tagger is the product's: the NER service (``ner-service/``, reached at ``NEWSARCHIVE_NER_URL``,
default http://127.0.0.1:9400; ``scripts/ner.sh start`` runs it) plus the rule layer of
``indexer/enrich/entities.py``; the gold tokens are sent as they are.

Scores: precision, recall and F1 per type, a micro average over PER/LOC/ORG ("core", i.e. OTH
dropped) and a micro average over every type present (OTH kept: the model never predicts OTH, so
each gold OTH span counts as a miss).
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

CORE_TYPES = ("PER", "LOC", "ORG")
_TYPE_MAP = {
    "PER": "PER", "PERS": "PER", "PERSON": "PER",
    "LOC": "LOC", "LOCATION": "LOC",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "OTH": "OTH", "MISC": "OTH",
}
_SENTENCE_END = {".", "!", "?"}


@dataclass
class Sentence:
    """One gold sentence: tokens, whether a space follows each token, and BIO tags."""

    words: list[str]
    tags: list[str]
    spaces: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.spaces:
            self.spaces = [True] * len(self.words)


# ---------------------------------------------------------------- tag normalisation


def normalise_tag(tag: str, deriv_part: str = "drop") -> str:
    """Map a raw BIO tag onto ``B-TYPE``/``I-TYPE``/``O`` with canonical types."""
    tag = tag.strip()
    if len(tag) < 3 or tag[1] != "-" or tag[0].upper() not in "BIE":
        return "O"
    prefix, label = tag[0].upper(), tag[2:]
    prefix = "I" if prefix == "E" else prefix
    suffix = ""
    for marker in ("deriv", "part"):
        if label.lower().endswith(marker) and len(label) > len(marker):
            label, suffix = label[: -len(marker)], marker
            break
    base = _TYPE_MAP.get(label.upper())
    if base is None:
        return "O"
    if suffix:
        if deriv_part == "drop":
            return "O"
        if deriv_part == "keep":
            base += suffix
    return f"{prefix}-{base}"


def spans_from_tags(tags: list[str]) -> set[tuple[int, int, str]]:
    """Exact spans ``(start, end_exclusive, type)`` from BIO tags (IOB1 tolerated)."""
    spans: set[tuple[int, int, str]] = set()
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        continues = prefix == "I" and label == typ
        if start is not None and not continues:
            spans.add((start, i, label))
            start, label = None, None
        if prefix in ("B", "I") and not continues:
            start, label = i, typ
    return spans


# ---------------------------------------------------------------- readers


def open_text(path: str | Path) -> io.TextIOBase:
    path = Path(path)
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def detect_format(lines: list[str]) -> str:
    """'hipe', 'germeval' or 'conll' from the first lines of a file."""
    for line in lines:
        if not line.strip():
            continue
        if line.startswith("TOKEN\t") and "NE-COARSE-LIT" in line:
            return "hipe"
        if line.startswith("#"):
            if "hipe" in line.lower():
                return "hipe"
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 3 and cols[0].isdigit():
            return "germeval"
        return "conll"
    return "conll"


def read_germeval(lines, deriv_part="drop") -> list[Sentence]:
    sentences, words, tags = [], [], []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if words:
                sentences.append(Sentence(words, tags))
            words, tags = [], []
            continue
        cols = line.split("\t")
        if line.startswith("#") and not cols[0].isdigit():
            continue
        words.append(cols[1])
        tags.append(normalise_tag(cols[2], deriv_part))
    if words:
        sentences.append(Sentence(words, tags))
    return sentences


def read_hipe(lines, deriv_part="drop", names_only: bool = True) -> list[Sentence]:
    """HIPE TSV. HIPE person spans include titles and functions ("General Reding", "Lord
    Holland"); with ``names_only`` (default) they are cut to their ``comp.name`` tokens (column
    NE-FINE-COMP), the convention of GermEval and of this product ("roles are not names")."""
    sentences: list[Sentence] = []
    words, tags, spaces, comps = [], [], [], []
    column, comp_column = 1, None

    def flush():
        nonlocal words, tags, spaces, comps
        if words:
            if names_only and comp_column is not None:
                tags = _names_only(tags, comps)
            sentences.append(Sentence(words, tags, spaces))
        words, tags, spaces, comps = [], [], [], []

    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("TOKEN\t"):
            header = line.split("\t")
            column = header.index("NE-COARSE-LIT")
            comp_column = header.index("NE-FINE-COMP") if "NE-FINE-COMP" in header else None
            continue
        if line.startswith("#"):
            if "document_id" in line:
                flush()
            continue
        if not line.strip():
            flush()
            continue
        cols = line.split("\t")
        misc = cols[-1] if len(cols) > column + 1 else ""
        words.append(cols[0])
        tags.append(normalise_tag(cols[column], deriv_part))
        comps.append(cols[comp_column] if comp_column is not None and len(cols) > comp_column
                     else "O")
        spaces.append("NoSpaceAfter" not in misc)
        if "EndOfSentence" in misc:
            flush()
    flush()
    return sentences


def _names_only(tags: list[str], comps: list[str]) -> list[str]:
    out = list(tags)
    for start, end, label in spans_from_tags(tags):
        if label != "PER":
            continue
        names = [i for i in range(start, end) if comps[i].endswith("comp.name")]
        if names:
            new_start, new_end = names[0], names[-1] + 1
        else:
            new_start, new_end = start, end
            while new_start < end and comps[new_start].endswith(("comp.title", "comp.function")):
                new_start += 1
        for i in range(start, end):
            out[i] = "O"
        for i in range(new_start, new_end):
            out[i] = ("B-" if i == new_start else "I-") + label
    return out


def read_conll(lines, deriv_part="drop", max_len: int = 60) -> list[Sentence]:
    sentences, words, tags = [], [], []
    for line in lines:
        cols = line.split()
        if not cols or cols[0] == "-DOCSTART-":
            if words:
                sentences.append(Sentence(words, tags))
            words, tags = [], []
            continue
        words.append(cols[0])
        tags.append(normalise_tag(cols[-1], deriv_part) if len(cols) > 1 else "O")
    if words:
        sentences.append(Sentence(words, tags))
    return [piece for s in sentences for piece in cut_long(s, max_len)]


def cut_long(sentence: Sentence, max_len: int = 60) -> list[Sentence]:
    """Cut a run-on token sequence after sentence-final punctuation, or anywhere once it is
    three times ``max_len`` long; never inside a span."""
    if len(sentence.words) <= max_len:
        return [sentence]
    pieces, start = [], 0
    n = len(sentence.words)
    for i, word in enumerate(sentence.words):
        next_tag = sentence.tags[i + 1] if i + 1 < n else "O"
        length = i + 1 - start
        if next_tag.startswith("I-"):
            continue
        if (length >= 5 and word in _SENTENCE_END) or length >= 3 * max_len:
            pieces.append(Sentence(sentence.words[start : i + 1], sentence.tags[start : i + 1],
                                   sentence.spaces[start : i + 1]))
            start = i + 1
    if start < n:
        pieces.append(Sentence(sentence.words[start:], sentence.tags[start:], sentence.spaces[start:]))
    return pieces


def read_sentences(path: str | Path, deriv_part: str = "drop",
                   hipe_names_only: bool = True) -> list[Sentence]:
    """Read any supported gold file (format auto-detected)."""
    with open_text(path) as fh:
        lines = fh.readlines()
    fmt = detect_format(lines[:50])
    if fmt == "hipe":
        return read_hipe(lines, deriv_part, hipe_names_only)
    reader = {"germeval": read_germeval, "conll": read_conll}[fmt]
    return reader(lines, deriv_part)


def select_fold(sentences: list[Sentence], fold: str | None) -> list[Sentence]:
    """``fold='K/N'`` keeps sentences with index % N == K (the held-out part of a split)."""
    if not fold:
        return sentences
    k, n = (int(x) for x in fold.split("/"))
    return [s for i, s in enumerate(sentences) if i % n == k]


# ---------------------------------------------------------------- scoring


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: list[set], predicted: list[set]) -> dict[str, Counts]:
    """Per-type counts for exact ``(start, end, type)`` spans, sentence by sentence.

    Extra keys: ``micro-core`` (PER/LOC/ORG) and ``micro-all`` (every type seen).
    """
    counts: dict[str, Counts] = {}
    for g, p in zip(gold, predicted, strict=True):
        for span in g | p:
            c = counts.setdefault(span[2], Counts())
            if span in g and span in p:
                c.tp += 1
            elif span in p:
                c.fp += 1
            else:
                c.fn += 1
    result = dict(sorted(counts.items()))
    for key, types in (("micro-core", CORE_TYPES), ("micro-all", tuple(counts))):
        total = Counts()
        for t in types:
            c = counts.get(t, Counts())
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        result[key] = total
    return result


def format_table(result: dict[str, Counts]) -> str:
    rows = [f"{'type':<12}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}"]
    for name, c in result.items():
        rows.append(
            f"{name:<12}{c.precision:>8.4f}{c.recall:>8.4f}{c.f1:>8.4f}"
            f"{c.tp + c.fn:>8}{c.tp + c.fp:>8}"
        )
    return "\n".join(rows)


# ---------------------------------------------------------------- prediction


def predict(sentences: list[Sentence], rules: bool = True, chunk: int = 500) -> list[set]:
    """Run the product's entity tagger on pre-tokenised sentences; token-index spans.

    Each sentence is one document (the rule layer's "same name everywhere" stays inside it), as
    ``extract_entities`` sees an article: ``tag_docs`` with the NER service's labels, then
    ``doc_entities``. The labels of ``chunk`` sentences are fetched in one call."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from spacy.tokens import Doc

    from indexer.enrich import entities

    vocab = entities.tokenizer().vocab
    out = []
    for i in range(0, len(sentences), chunk):
        docs = [Doc(vocab, words=s.words, spaces=s.spaces,
                    sent_starts=[True] + [False] * (len(s.words) - 1))
                for s in sentences[i : i + chunk]]
        for doc in entities.tag_docs(docs):
            spans = entities.doc_entities(doc) if rules else list(doc.ents)
            out.append({(sp.start, sp.end, sp.label_) for sp in spans})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="gold file (GermEval/CoNLL/HIPE TSV, .gz ok)")
    parser.add_argument("--fold", help="K/N: score only sentences with index %% N == K")
    parser.add_argument("--deriv-part", choices=("drop", "merge", "keep"), default="drop")
    parser.add_argument("--no-rules", action="store_true", help="raw model output, no rule layer")
    parser.add_argument("--hipe-full-spans", action="store_true",
                        help="HIPE: keep titles/functions inside person spans")
    args = parser.parse_args(argv)

    sentences = select_fold(
        read_sentences(args.data, args.deriv_part, not args.hipe_full_spans), args.fold)
    gold = [spans_from_tags(s.tags) for s in sentences]
    started = time.perf_counter()
    predicted = predict(sentences, rules=not args.no_rules)
    elapsed = time.perf_counter() - started
    tokens = sum(len(s.words) for s in sentences)
    print(f"data: {args.data}  fold: {args.fold or 'all'}  deriv/part: {args.deriv_part}  "
          f"rules: {not args.no_rules}")
    print(f"sentences: {len(sentences)}  tokens: {tokens}  "
          f"speed: {tokens / elapsed:,.0f} tokens/s")
    print(format_table(score(gold, predicted)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
