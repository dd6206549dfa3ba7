"""Syndication key: equal for edited copies of one agency text, different for different stories."""

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.enrich.syndication import core_paragraphs, jaccard, syndication_key

SAMPLES = {p.stem[:3]: p.read_text(encoding="utf-8")
           for p in sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))}

# a dpa-style story (the Kirby report of 30 August 2023), paragraph per line
STORY = "\n".join([
    (
        "Russland und Nordkorea verhandeln inmitten des Ukraine-Kriegs nach Angaben der US-Regierung über "
        "Rüstungsgeschäfte. Das gehe aus Informationen der Geheimdienste hervor, sagte der "
        "Kommunikationsdirektor des Nationalen Sicherheitsrats, John Kirby, am Mittwoch in Washington."
    ),
    (
        "Der russische Verteidigungsminister Sergej Schoigu sei demnach kürzlich nach Nordkorea gereist, um "
        "Pjöngjang davon zu überzeugen, Artilleriemunition an Russland zu verkaufen. Seit diesem Besuch "
        "hätten Putin und Kim einen Schriftwechsel geführt."
    ),
    (
        "Mit den anvisierten Rüstungsgeschäften würde Russland von Nordkorea bedeutende Mengen und mehrere "
        "Typen von Munition bekommen, die das russische Militär in der Ukraine einsetzen will, sagte Kirby."
    ),
    (
        "Schoigu war nach Angaben des russischen Verteidigungsministeriums Ende Juli nach Nordkorea gereist "
        "und hatte dort an einer nächtlichen Militärparade teilgenommen. Offizieller Anlass der Reise war der"
        " 70. Jahrestag des Endes des Koreakriegs."
    ),
    (
        "Die US-Regierung veröffentlicht mit Blick auf den russischen Angriffskrieg in der Ukraine immer "
        "wieder gezielt Geheimdienstinformationen. Die US-Regierung fordere Nordkorea auf, die Verhandlungen "
        "mit Russland einzustellen, sagte Kirby."
    ),
])

EDITS = {
    "new headline and dateline": lambda t: "USA: Russland und Nordkorea verhandeln\nWashington (dpa) - " + t,
    "boilerplate line added": lambda t: t + "\nErhalten Sie kostenlose Updates zum Krieg in der Ukraine.",
    "source and stamp lines": lambda t: t + "\nQuelle: sda\nveröffentlicht: 30. August 2023 18:36",
    "punctuation and quotes": lambda t: t.replace("bedeutende Mengen", "«bedeutende Mengen»"),
    "umlaut spelling": lambda t: t.replace("über", "ueber"),
    "last paragraph cut": lambda t: t.rsplit("\n", 1)[0],
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_edited_copies_share_the_key(edit):
    assert syndication_key(EDITS[edit](STORY)) == syndication_key(STORY)


def test_an_edited_sentence_keeps_high_similarity():
    changed = STORY.replace("an einer nächtlichen Militärparade teilgenommen", "eine große Militärparade besucht")
    assert 0.8 < jaccard(STORY, changed) < 1.0


def test_the_five_samples_are_five_different_stories():
    keys = {name: syndication_key(text) for name, text in SAMPLES.items()}
    assert len(set(keys.values())) == 5
    for a, b in itertools.combinations(SAMPLES, 2):
        # 003 and 004 share two paragraphs of the same agency report (0.12); the rest < 0.03
        assert jaccard(SAMPLES[a], SAMPLES[b]) < (0.2 if {a, b} == {"003", "004"} else 0.03)


def test_shared_boilerplate_does_not_merge_different_stories():
    line = "Erhalten Sie kostenlose Updates zum Krieg in der Ukraine und zu allen anderen Themen."
    keys = {syndication_key(text + "\n" + line) for text in SAMPLES.values()}
    assert len(keys) == 5


def test_core_is_the_longest_paragraphs():
    core = core_paragraphs("Kurz\n" + "ein langer absatz " * 10 + "\nnoch kürzer hier")
    assert len(core) == 1 and len(core[0]) == 30


def test_key_is_stable_and_prefixed():
    assert syndication_key(STORY) == syndication_key(STORY)
    assert syndication_key(STORY).startswith("mh1-") and len(syndication_key(STORY)) == 20


@given(st.text(max_size=300))
def test_never_crashes(text):
    assert syndication_key(text).startswith("mh1-")
