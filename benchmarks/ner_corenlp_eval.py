"""Score Stanford CoreNLP's German NER CRF with the exact-span scorer of ner_eval.py.

    python benchmarks/ner_corenlp_eval.py --data ../shared/data/ner/germeval2014_dev.tsv.gz
                                          [--fold 4/5] [--xmx 1g] [--version 4.5.10]
                                          [--models-version 3.9.2]

Evaluation only: CoreNLP and its models are GPL-3.0 and are not part of the product. The jars
come from Maven Central (``mvn dependency:get -Dartifact=edu.stanford.nlp:stanford-corenlp:VERSION``
and ``...:VERSION:jar:models-german``) and are read from the local Maven repository; the German
models jar of 4.5.x holds ``german.distsim`` (CoNLL-2003 German train + unnamed extra data), the
one of 3.9.2 ``german.conll.germeval2014.hgc_175m_600`` (CoNLL-2003 German train + GermEval 2014
train, per the training flags stored in the model; it runs on the 4.5.10 code). The gold
tokens are fed pre-tokenised (two-column file, ``map word=0,answer=1``) to one JVM running
``CRFClassifier -testFile``; its IO labels (PERSON, LOCATION, ORGANIZATION, MISC) become spans
(a run of one label is one span; MISC is dropped), scored against the same gold spans as
ner_eval.py. The speed is the classifier's own words/second (model loading excluded).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ner_eval import (  # noqa: E402
    CORE_TYPES,
    Sentence,
    format_table,
    read_sentences,
    score,
    select_fold,
    spans_from_tags,
)

_LABELS = {"PERSON": "PER", "PER": "PER", "LOCATION": "LOC", "LOC": "LOC",
           "ORGANIZATION": "ORG", "ORG": "ORG"}
_SPEED = re.compile(r"tagged (\d+) words in (\d+) documents at ([\d.]+) words per second")


M2 = Path.home() / ".m2" / "repository" / "edu" / "stanford" / "nlp" / "stanford-corenlp"


def jars(version: str, models_version: str | None = None) -> tuple[Path, Path]:
    """Main jar of CoreNLP ``version`` and the German models jar of ``models_version``."""
    models_version = models_version or version
    found = (M2 / version / f"stanford-corenlp-{version}.jar",
             M2 / models_version / f"stanford-corenlp-{models_version}-models-german.jar")
    missing = [str(j) for j in found if not j.exists()]
    if missing:
        raise FileNotFoundError(f"missing {missing}; fetch them with mvn dependency:get")
    return found


def ner_model(models_jar: Path) -> str:
    """Resource path of the (single) NER CRF inside a German models jar."""
    with zipfile.ZipFile(models_jar) as z:
        names = [n for n in z.namelist() if "/models/ner/" in n and n.endswith(".crf.ser.gz")]
    if len(names) != 1:
        raise ValueError(f"expected one NER model in {models_jar}, found {names}")
    return names[0]


def write_columns(sentences: list[Sentence], path: Path) -> None:
    """Two-column ``token<TAB>gold`` file, one blank line after each sentence."""
    with open(path, "w", encoding="utf-8") as fh:
        for s in sentences:
            for word, tag in zip(s.words, s.tags, strict=True):
                token = "".join("_" if c.isspace() else c for c in word) or "_"
                fh.write(f"{token}\t{tag}\n")
            fh.write("\n")


def label_spans(labels: list[str]) -> set[tuple[int, int, str]]:
    """Spans from CoreNLP's IO (or BIO) labels, mapped to PER/LOC/ORG; others dropped."""
    tags, previous = [], None
    for label in labels:
        prefix, _, name = label.rpartition("-")
        typ = _LABELS.get(name)
        if typ is None:
            tags.append("O")
        elif prefix == "B" or typ != previous:
            tags.append(f"B-{typ}")
        else:
            tags.append(f"I-{typ}")
        previous = typ
    return spans_from_tags(tags)


def parse_output(text: str, sentences: list[Sentence]) -> list[set]:
    """Predicted spans per sentence from ``word gold answer`` lines (blank line between)."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip("\n")) if b.strip()]
    if len(blocks) != len(sentences):
        raise ValueError(f"{len(blocks)} output sentences for {len(sentences)} input sentences")
    out = []
    for block, sentence in zip(blocks, sentences, strict=True):
        labels = [line.split("\t")[-1] for line in block.split("\n")]
        if len(labels) != len(sentence.words):
            raise ValueError(f"token count differs in {sentence.words[:8]}")
        out.append(label_spans(labels))
    return out


def run_crf(sentences: list[Sentence], cp: str, model: str,
            xmx: str = "1g") -> tuple[list[set], dict]:
    """Tag ``sentences`` in one JVM; predicted spans and timing (load, words/s, wall)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.tsv"
        write_columns(sentences, path)
        cmd = ["java", f"-Xmx{xmx}", "-cp", cp, "edu.stanford.nlp.ie.crf.CRFClassifier",
               "-loadClassifier", model, "-testFile", str(path), "-map", "word=0,answer=1",
               "-inputEncoding", "utf-8", "-outputEncoding", "utf-8"]
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    load = re.search(r"done \[([\d.]+) sec\]", proc.stderr)
    speed = _SPEED.search(proc.stderr)
    timing = {"wall_s": wall, "load_s": float(load.group(1)) if load else None,
              "words_per_s": float(speed.group(3)) if speed else None}
    return parse_output(proc.stdout, sentences), timing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="gold file (GermEval/CoNLL/HIPE TSV, .gz ok)")
    parser.add_argument("--fold", help="K/N: score only sentences with index %% N == K")
    parser.add_argument("--version", default="4.5.10", help="CoreNLP version in ~/.m2")
    parser.add_argument("--models-version", help="version of the models-german jar (default: same)")
    parser.add_argument("--xmx", default="1g", help="JVM heap limit")
    args = parser.parse_args(argv)

    main_jar, models_jar = jars(args.version, args.models_version)
    model = ner_model(models_jar)
    sentences = select_fold(read_sentences(args.data), args.fold)
    gold = [spans_from_tags(s.tags) for s in sentences]
    predicted, timing = run_crf(sentences, f"{main_jar}:{models_jar}", model, args.xmx)
    result = score(gold, predicted)
    print(f"data: {args.data}  fold: {args.fold or 'all'}  model: {models_jar.name} {model}")
    print(f"sentences: {len(sentences)}  tokens: {sum(len(s.words) for s in sentences)}  "
          f"speed: {timing['words_per_s'] or 0:,.0f} tokens/s (load {timing['load_s']} s, "
          f"wall {timing['wall_s']:.1f} s, -Xmx{args.xmx})")
    print(format_table({k: v for k, v in result.items() if k in (*CORE_TYPES, "micro-core")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
