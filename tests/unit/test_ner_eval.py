"""Readers and the exact-span scorer of benchmarks/ner_eval.py on tiny inline files."""

import gzip
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.ner_eval import (
    Sentence,
    cut_long,
    detect_format,
    normalise_tag,
    read_sentences,
    score,
    select_fold,
    spans_from_tags,
)

GERMEVAL = """\
# http://de.wikipedia.org/wiki/Example [2009-10-17]
1\tAngela\tB-PER\tO
2\tMerkel\tI-PER\tO
3\tbesucht\tO\tO
4\tdie\tO\tO
5\tdeutsche\tB-LOCderiv\tO
6\tEU-Kommission\tB-ORG\tB-LOCpart
7\tin\tO\tO
8\tBrüssel\tB-LOC\tO
9\t.\tO\tO

1\tDer\tO\tO
2\tFilm\tO\tO
3\tTitanic\tB-OTH\tO
"""

CONLL = """\
Wien B-LOC
und O
Kaiser O
Franz B-PER
Joseph I-PER
. O
Die O
Presse I-ORG
"""

HIPE = """\
TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNE-FINE-LIT\tNE-FINE-METO\tNE-FINE-COMP\tNE-NESTED\tNEL-LIT\tNEL-METO\tMISC
# hipe2022:document_id = NZZ-1798-12-12-a-p0003
# hipe2022:date = 1798-12-12
Herr\tO\tO\tO\tO\tO\tO\t_\t_\t_
Escher\tB-pers\tO\tB-pers.ind\tO\tO\tO\tQ1\t_\tNoSpaceAfter
,\tO\tO\tO\tO\tO\tO\t_\t_\t_
aus\tO\tO\tO\tO\tO\tO\t_\t_\t_
Zürich\tB-loc\tO\tB-loc.adm.town\tO\tO\tO\tQ72\t_\tNoSpaceAfter
.\tO\tO\tO\tO\tO\tO\t_\t_\tEndOfSentence
Am\tO\tO\tO\tO\tO\tO\t_\t_\t_
Montag\tB-time\tO\tB-time\tO\tO\tO\t_\t_\t_
# hipe2022:document_id = NZZ-1798-12-12-a-p0004
Bern\tB-loc\tO\tB-loc\tO\tO\tO\t_\t_\t_
General\tB-pers\tO\tB-pers.ind\tO\tB-comp.title\tO\tQ2\t_\t_
Reding\tI-pers\tO\tI-pers.ind\tO\tB-comp.name\tO\tQ2\t_\t_
"""


def _write(tmp_path, name, text, gz=False):
    path = tmp_path / name
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B-PER", "B-PER"), ("I-pers", "I-PER"), ("B-loc", "B-LOC"), ("B-MISC", "B-OTH"),
        ("B-LOCderiv", "O"), ("I-ORGpart", "O"), ("B-time", "O"), ("B-HumanProd", "O"),
        ("O", "O"), ("garbage", "O"), ("B-BER", "O"),
    ],
)
def test_normalise_tag_default_drops_deriv_and_part(raw, expected):
    assert normalise_tag(raw) == expected


def test_normalise_tag_deriv_part_options():
    assert normalise_tag("B-LOCderiv", "merge") == "B-LOC"
    assert normalise_tag("B-LOCderiv", "keep") == "B-LOCderiv"
    assert normalise_tag("I-ORGpart", "keep") == "I-ORGpart"


def test_spans_from_bio_and_repaired_iob1():
    assert spans_from_tags(["B-PER", "I-PER", "O", "B-LOC"]) == {(0, 2, "PER"), (3, 4, "LOC")}
    # IOB1: I- after O or after another type starts a span; B- after B- splits
    assert spans_from_tags(["I-ORG", "I-ORG", "I-PER"]) == {(0, 2, "ORG"), (2, 3, "PER")}
    assert spans_from_tags(["B-PER", "B-PER"]) == {(0, 1, "PER"), (1, 2, "PER")}
    assert spans_from_tags([]) == set()


def test_detect_format():
    assert detect_format(GERMEVAL.splitlines(True)) == "germeval"
    assert detect_format(CONLL.splitlines(True)) == "conll"
    assert detect_format(HIPE.splitlines(True)) == "hipe"


def test_read_germeval_gz_outer_level(tmp_path):
    sentences = read_sentences(_write(tmp_path, "g.tsv.gz", GERMEVAL, gz=True))
    assert [len(s.words) for s in sentences] == [9, 3]
    assert spans_from_tags(sentences[0].tags) == {(0, 2, "PER"), (5, 6, "ORG"), (7, 8, "LOC")}
    assert spans_from_tags(sentences[1].tags) == {(2, 3, "OTH")}
    merged = read_sentences(_write(tmp_path, "g.tsv", GERMEVAL), deriv_part="merge")
    assert (4, 5, "LOC") in spans_from_tags(merged[0].tags)


def test_read_conll_without_blank_lines_is_cut_and_iob1_kept(tmp_path):
    sentences = read_sentences(_write(tmp_path, "c.bio", CONLL))
    assert len(sentences) == 1
    assert spans_from_tags(sentences[0].tags) == {(0, 1, "LOC"), (3, 5, "PER"), (7, 8, "ORG")}
    pieces = cut_long(sentences[0], max_len=4)
    assert [p.words[-1] for p in pieces] == [".", "Presse"]


def test_cut_long_never_cuts_inside_a_span():
    words = ["A", "b", "c", "d", "St", ".", "Louis", "x", "."]
    tags = ["O", "O", "O", "O", "B-LOC", "I-LOC", "I-LOC", "O", "O"]
    pieces = cut_long(Sentence(words, tags), max_len=3)
    assert all(not p.tags[0].startswith("I-") for p in pieces)
    assert sum(len(p.words) for p in pieces) == len(words)


def test_read_hipe_sentences_documents_and_spaces(tmp_path):
    sentences = read_sentences(_write(tmp_path, "h.tsv", HIPE))
    assert [s.words for s in sentences] == [
        ["Herr", "Escher", ",", "aus", "Zürich", "."], ["Am", "Montag"],
        ["Bern", "General", "Reding"]]
    assert spans_from_tags(sentences[0].tags) == {(1, 2, "PER"), (4, 5, "LOC")}
    assert sentences[1].tags == ["O", "O"]  # time is not scored
    assert sentences[0].spaces[:2] == [True, False]
    # titles and functions are cut from HIPE person spans unless asked to keep them
    assert spans_from_tags(sentences[2].tags) == {(0, 1, "LOC"), (2, 3, "PER")}
    full = read_sentences(tmp_path / "h.tsv", hipe_names_only=False)
    assert spans_from_tags(full[2].tags) == {(0, 1, "LOC"), (1, 3, "PER")}


def test_select_fold():
    sents = [Sentence([str(i)], ["O"]) for i in range(10)]
    assert [s.words[0] for s in select_fold(sents, "4/5")] == ["4", "9"]
    assert select_fold(sents, None) == sents


def test_score_exact_spans_per_type_and_micro():
    gold = [{(0, 2, "PER"), (3, 4, "LOC"), (5, 6, "OTH")}, {(0, 1, "ORG")}]
    pred = [{(0, 2, "PER"), (3, 5, "LOC")}, {(0, 1, "ORG"), (2, 3, "PER")}]
    result = score(gold, pred)
    assert (result["PER"].tp, result["PER"].fp, result["PER"].fn) == (1, 1, 0)
    assert (result["LOC"].tp, result["LOC"].fp, result["LOC"].fn) == (0, 1, 1)
    assert result["ORG"].f1 == 1.0
    core = result["micro-core"]
    assert (core.tp, core.fp, core.fn) == (2, 2, 1)
    assert core.precision == 0.5 and core.recall == pytest.approx(2 / 3)
    assert result["micro-all"].fn == 2  # the OTH span counts as a miss
    assert result["OTH"].f1 == 0.0
