"""Train the shipped German NER model (PER/ORG/LOC) into indexer/models/ner-de.

    nice -n 15 .venv/bin/python scripts/train_ner.py [--data-dir ../shared/data] [--minutes 22]

Training data (all licences allow a shipped, commercially usable model; nothing NC):
  * GermEval 2014 dev (CC BY 4.0): sentences with index % 5 == 4 are held out for reporting
    (``ner_eval.py --fold 4/5``), index % 10 == 3 is the checkpoint-selection set, the rest (70 %)
    is trained on, three times per epoch (it is the target domain). GermEval *deriv/*part and OTH
    become O.
  * SmartData v1 train + v3 dev (DFKI, CC BY 4.0): German news, RSS and tweets, 2015-2016;
    person -> PER, organization(-company) -> ORG, location(-city/-street/-stop) -> LOC; mentions
    starting in lower case ("deutschen", "beiden Richtungen") are dropped.
  * HIPE-2022 newseye dev/dev2 and sonar dev (CC BY 4.0), Europeana newspapers lft/onb/sbb
    (CC0 1.0): historical OCR newspapers, a smaller share (``--historical-share``).
Never used: germeval2014_test, any HIPE-*-test-de, smartdata v3 test, wikinews test; HIPE hipe2020
(CC BY-NC-SA) only with ``--include-nc`` for experiments, never for the shipped model.

The pipeline is noun_lexicon (rule feature, see indexer/enrich/entities.py) -> tok2vec (hash
embeddings of NORM, PREFIX, SUFFIX, SHAPE and the lexicon class, CNN encoder) -> ner.
``--rows``, ``--width`` and ``--depth`` set the size of the hash tables and of the encoder (the
tok2vec weights are about 4 bytes x width x (sum of rows + 10 x width x depth)). The packaged model
keeps only the entity labels in vocab/strings.json: the vocabulary strings seen in training are
not needed to run it (features are hashed), and the list would add 1.8 MB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from benchmarks.ner_eval import cut_long, read_sentences
from indexer.enrich import entities

SMARTDATA_TYPES = {
    "person": "PER",
    "organization": "ORG", "organization-company": "ORG",
    "location": "LOC", "location-city": "LOC", "location-street": "LOC", "location-stop": "LOC",
}
HISTORICAL = [
    "ner/HIPE-2022-v2.1-newseye-dev-de.tsv.gz", "ner/HIPE-2022-v2.1-newseye-dev2-de.tsv.gz",
    "ner/HIPE-2022-v2.1-sonar-dev-de.tsv.gz", "ner/europeana_enp_DE.lft.bio.gz",
    "ner/europeana_enp_DE.onb.bio.gz", "ner/europeana_enp_DE.sbb.bio.gz",
]
NC_ONLY = ["ner/HIPE-2022-v2.1-hipe2020-train-de.tsv.gz"]

CONFIG = """
[paths]
train = null
dev = null
vectors = null
init_tok2vec = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "de"
pipeline = ["noun_lexicon","tok2vec","ner"]
batch_size = 256
tokenizer = {"@tokenizers":"spacy.Tokenizer.v1"}

[components]

[components.noun_lexicon]
factory = "newsarchive_noun_lexicon"

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${components.tok2vec.model.encode.width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE","TAG"]
rows = [20000,2500,5000,2500,100]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 128
depth = 4
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"
incorrect_spans_key = null
moves = null
scorer = {"@scorers":"spacy.ner_scorer.v1"}
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}
upstream = "*"

[corpora]

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dropout = 0.2
accumulate_gradient = 1
patience = 1500
max_epochs = 0
max_steps = 20000
eval_frequency = 250
frozen_components = []
annotating_components = ["noun_lexicon"]
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[pretraining]

[initialize]
vectors = ${paths.vectors}
init_tok2vec = ${paths.init_tok2vec}
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


def token_docs(vocab, path: Path) -> list[Doc]:
    """Docs from a GermEval/CoNLL/HIPE file; OTH and deriv/part become O."""
    docs = []
    for sentence in read_sentences(path):
        for piece in cut_long(sentence):
            tags = [t if t[2:] in entities.ENTITY_TYPES else "O" for t in piece.tags]
            tags = [_repair(tags, i) for i in range(len(tags))]
            docs.append(Doc(vocab, words=piece.words, spaces=piece.spaces, ents=tags))
    return docs


def _repair(tags: list[str], i: int) -> str:
    """IOB1 -> BIO: an I- tag that does not continue its type starts a span."""
    tag = tags[i]
    if tag.startswith("I-") and (i == 0 or tags[i - 1][2:] != tag[2:]):
        return "B-" + tag[2:]
    return tag


def smartdata_docs(nlp, path: Path) -> list[Doc]:
    """Paragraph docs from a SmartData file (concatenated JSON objects)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        text_all = fh.read()
    decoder = json.JSONDecoder()
    docs, pos = [], 0
    while True:
        while pos < len(text_all) and text_all[pos].isspace():
            pos += 1
        if pos >= len(text_all):
            break
        record, pos = decoder.raw_decode(text_all, pos)
        text = record["text"]["string"]
        mentions = []
        for m in record["conceptMentions"]["array"]:
            label = SMARTDATA_TYPES.get(m["type"].lower().replace("_", "-"))
            start, end = m["span"]["start"], m["span"]["end"]
            surface = text[start:end]
            if label and surface[:1].isupper() or (label == "ORG" and " " not in surface):
                mentions.append((start, end, label))
        offset = 0
        for paragraph in text.split("\n"):
            p_start, p_end = offset, offset + len(paragraph)
            offset = p_end + 1
            if not paragraph.strip():
                continue
            doc = nlp.make_doc(paragraph)
            spans = []
            for start, end, label in mentions:
                if label and p_start <= start and end <= p_end:
                    # strict: "Syrien" inside "Syrien-Konflikts" is not a name (GermEval: part)
                    sp = doc.char_span(start - p_start, end - p_start, label=label)
                    if sp is not None and not _adjectival(sp):
                        spans.append(sp)
            doc.ents = filter_spans(spans)
            docs.append(doc)
    return docs


def _adjectival(span) -> bool:
    """'Hattersheimer Gemeinde', 'Berliner Senat': a place adjective (GermEval: LOCderiv, O)."""
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return (span.label_ == "LOC" and len(span) == 1 and span.text.endswith("er")
            and nxt is not None and nxt.text[:1].isupper())


def build_corpora(data_dir: Path, historical_share: float, include_nc: bool, seed: int = 0,
                  sources: tuple[str, ...] = ("germeval", "smartdata", "historical"),
                  germeval_copies: int = 3):
    nlp = spacy.blank("de")
    germeval = token_docs(nlp.vocab, data_dir / "ner/germeval2014_dev.tsv.gz")
    ge_train = [d for i, d in enumerate(germeval) if i % 5 != 4 and i % 10 != 3]
    ge_select = [d for i, d in enumerate(germeval) if i % 10 == 3]
    smart, historical = [], []
    if "smartdata" in sources:
        smart = smartdata_docs(nlp, data_dir / "news/smartdata_v1_20180119_train.json.gz")
        smart += smartdata_docs(nlp, data_dir / "news/smartdata_v3_20200302_dev.json.gz")
    if "historical" in sources:
        historical = [d for f in HISTORICAL for d in token_docs(nlp.vocab, data_dir / f)]
    rng = random.Random(seed)
    rng.shuffle(historical)
    historical = historical[: int(len(historical) * historical_share)]
    extra = [d for f in NC_ONLY for d in token_docs(nlp.vocab, data_dir / f)] if include_nc else []
    train = ge_train * germeval_copies + smart + historical + extra
    rng.shuffle(train)
    stats = {
        "germeval_train_sentences": len(ge_train), "germeval_select_sentences": len(ge_select),
        "smartdata_paragraphs": len(smart), "historical_segments": len(historical),
        "nc_segments": len(extra), "train_tokens": sum(len(d) for d in train),
    }
    return nlp, train, ge_select, stats


def package(best: Path, out: Path, stats: dict, scores: dict | None) -> None:
    """Copy the selected model to ``out`` with a meta.json describing data and licences."""
    nlp = spacy.load(best)
    nlp.meta.update({
        "name": "ner_de_newsarchive", "version": "1.0.0",
        "description": "German PER/ORG/LOC tagger for the news archive (tok2vec CNN + "
                       "transition NER, noun-lexicon feature). Trained by scripts/train_ner.py.",
        "license": "CC BY 4.0 (model trained on CC BY 4.0 and CC0 data)",
        "sources": [
            {"name": "GermEval 2014 NER (dev split, 70 %)", "license": "CC BY 4.0",
             "author": "Benikova, Biemann, Reznicek (NoSta-D)"},
            {"name": "DFKI SmartData corpus v1 train, v3 dev", "license": "CC BY 4.0",
             "author": "Schiersch et al., DFKI"},
            {"name": "HIPE-2022 newseye dev/dev2, sonar dev", "license": "CC BY 4.0",
             "author": "HIPE-eval / NewsEye / SoNAR"},
            {"name": "Europeana Newspapers NER corpora (lft, onb, sbb)", "license": "CC0 1.0",
             "author": "Europeana Newspapers project"},
        ],
        "training_stats": stats,
    })
    if scores:
        nlp.meta["performance"] = scores
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    prune_strings(out, list(entities.ENTITY_TYPES))


def prune_strings(model_dir: Path, keep: list[str]) -> None:
    """Replace the saved string store by ``keep``: the hashed features need no strings at run
    time, and strings met while tagging are added then (predictions are unchanged)."""
    (model_dir / "vocab" / "strings.json").write_text(json.dumps(keep), encoding="utf-8")


def size_overrides(rows: str | None, width: int | None, depth: int | None) -> list[str]:
    """``spacy train`` config overrides for the tok2vec table sizes and encoder shape."""
    overrides = []
    if rows:
        values = [int(r) for r in rows.split(",")]
        if len(values) != 5:
            raise SystemExit("--rows needs five numbers: NORM,PREFIX,SUFFIX,SHAPE,TAG")
        overrides += ["--components.tok2vec.model.embed.rows", json.dumps(values)]
    if width:
        overrides += ["--components.tok2vec.model.encode.width", str(width)]
    if depth:
        overrides += ["--components.tok2vec.model.encode.depth", str(depth)]
    return overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "ner-train")
    parser.add_argument("--out", type=Path, default=entities.MODEL_DIR)
    parser.add_argument("--minutes", type=float, default=20.0, help="wall-clock training limit")
    parser.add_argument("--max-steps", type=int, default=20000)
    parser.add_argument("--historical-share", type=float, default=0.5)
    parser.add_argument("--include-nc", action="store_true",
                        help="also train on CC BY-NC-SA HIPE hipe2020 (experiments only)")
    parser.add_argument("--sources", default="germeval,smartdata,historical",
                        help="comma-separated: germeval, smartdata, historical")
    parser.add_argument("--germeval-copies", type=int, default=3)
    parser.add_argument("--rows", help="hash-table rows NORM,PREFIX,SUFFIX,SHAPE,TAG "
                        "(default 20000,2500,5000,2500,100)")
    parser.add_argument("--width", type=int, help="tok2vec width (default 128)")
    parser.add_argument("--depth", type=int, help="tok2vec CNN depth (default 4)")
    parser.add_argument("--no-package", action="store_true")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    _, train, select, stats = build_corpora(
        args.data_dir, args.historical_share, args.include_nc,
        sources=tuple(args.sources.split(",")), germeval_copies=args.germeval_copies)
    print(json.dumps(stats))
    DocBin(docs=train).to_disk(args.work / "train.spacy")
    DocBin(docs=select).to_disk(args.work / "select.spacy")
    (args.work / "config.cfg").write_text(CONFIG)
    cmd = [
        sys.executable, "-m", "spacy", "train", str(args.work / "config.cfg"),
        "--output", str(args.work / "output"), "--code", str(Path(entities.__file__)),
        "--paths.train", str(args.work / "train.spacy"),
        "--paths.dev", str(args.work / "select.spacy"),
        "--training.max_steps", str(args.max_steps),
        *size_overrides(args.rows, args.width, args.depth),
    ]
    try:
        subprocess.run(cmd, check=True, timeout=args.minutes * 60)
    except subprocess.TimeoutExpired:
        print(f"stopped after {args.minutes} minutes; using the best checkpoint so far")
    best = args.work / "output" / "model-best"
    meta = json.loads((best / "meta.json").read_text())
    scores = {k: meta.get("performance", {}).get(k) for k in ("ents_p", "ents_r", "ents_f")}
    print("selection-set scores:", scores)
    if not args.no_package and not args.include_nc:
        package(best, args.out, stats, {f"select_{k}": v for k, v in scores.items()})
        size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
        print(f"model written to {args.out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
