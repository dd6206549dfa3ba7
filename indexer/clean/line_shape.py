"""Shallow text statistics of one line: is it prose, or a headline-like short line?

The features are those of the classic boilerplate detectors (jusText: length and
stop-word density; boilerpipe: word counts): article sentences are long enough,
end in sentence punctuation and are dense in function words ("der", "und",
"mit", ...), while headlines, teasers and page furniture are short, end without
a full stop and carry few function words. The stop-word list is jusText's German
list (shipped with the ``justext`` package that trafilatura depends on). The
thresholds were tuned on the dev half of tests/fixtures/clutter_lines.tsv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import justext

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_BREAK = re.compile(r"[a-zäöüß]{2}[.!?][\"“”»«)]?\s+[\"„“»«(]?[A-ZÄÖÜ]")
_CLOSERS = "\"'“”„»«›‹)]’‘*"

# Tuned on the dev split (benchmarks/cleaner_eval.py --split dev).
MIN_WORDS_SENTENCE = 4       # "Das ist gut." is prose, "Kim trifft Putin" is not
MIN_DENSITY_SENTENCE = 0.08  # a sentence without any function word is a headline
MIN_WORDS_COLON = 8         # "Krisenmanager rät VW zu mehr Emotionen:" is a headline
MIN_WORDS_BROKEN = 10        # a full sentence and the start of the next one (cut text)
MIN_WORDS_QUESTION = 12      # short questions are headlines ("Treffen in Wladiwostok?")
MIN_WORDS_DENSE = 16
MIN_DENSITY_DENSE = 0.3
MIN_WORDS_LONG = 25          # this long without final punctuation: a truncated paragraph
MIN_DENSITY_LONG = 0.12
MIN_CHARS_LONG = 200
MAX_WORDS_HEADLINE = 25
MAX_CHARS_HEADLINE = 200


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(word.strip(".,\"") for word in justext.get_stoplist("German"))


@dataclass(frozen=True)
class Shape:
    chars: int
    words: int
    density: float   # share of words that are stop words
    terminal: str    # last character before closing quotes and brackets
    sentence_break: bool  # a sentence ends inside the line and another begins


def shape_of(line: str) -> Shape:
    words = _WORD.findall(line[:5000]) if len(line) > 5000 else _WORD.findall(line)
    stop = stopwords()
    hits = sum(1 for word in words if word.casefold() in stop)
    stripped = line.rstrip(_CLOSERS + " ")
    terminal = stripped[-1] if stripped else ""
    if stripped.endswith("...") or terminal == "…":
        terminal = "…"
    return Shape(
        chars=len(line),
        words=len(words) if len(line) <= 5000 else max(len(words), len(line) // 7),
        density=hits / len(words) if words else 0.0,
        terminal=terminal,
        sentence_break=bool(_SENTENCE_BREAK.search(line[:2000])),
    )


def is_prose(shape: Shape) -> bool:
    """A line that reads as article text: the anchor of the context rules."""
    if shape.chars >= MIN_CHARS_LONG:
        return True
    if shape.terminal in ".!;" and shape.words >= MIN_WORDS_SENTENCE:
        return shape.density >= MIN_DENSITY_SENTENCE
    if shape.terminal == ":" and shape.words >= MIN_WORDS_COLON:
        return shape.density >= MIN_DENSITY_SENTENCE
    if shape.sentence_break and shape.words >= MIN_WORDS_BROKEN:
        return shape.density >= MIN_DENSITY_SENTENCE
    if shape.terminal == "?" and shape.words >= MIN_WORDS_QUESTION:
        return True
    if shape.terminal == "…" and shape.words >= 8:
        return shape.density >= MIN_DENSITY_SENTENCE
    if shape.words >= MIN_WORDS_DENSE and shape.density >= MIN_DENSITY_DENSE:
        return True  # a hard-wrapped sentence: too many function words for a headline
    return shape.words >= MIN_WORDS_LONG and shape.density >= MIN_DENSITY_LONG


def is_headline_like(shape: Shape) -> bool:
    """Short, not prose, some words: a headline, kicker, teaser or sub-heading."""
    return (not is_prose(shape) and 1 <= shape.words <= MAX_WORDS_HEADLINE
            and shape.chars <= MAX_CHARS_HEADLINE)
