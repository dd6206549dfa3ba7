"""Plain text with site clutter -> the article lines (``clean_text``).

How a line gets its class, in three steps:

1. **Rules** (``line_rules``): whole-line patterns for the clutter classes that
   can be told from the line alone: "Kommentar (0)", "[Anzeige_2]", "Quellenlink",
   "Quelle: dpa, AFP", "Erhalten Sie kostenlose Updates ...", "Foto: ...",
   "© ...", "Teilen", breadcrumbs, bylines, time stamps, "mit Video", "1:44 min".
2. **Statistics** (``line_shape``): each remaining line is measured (words,
   stop-word density, final punctuation). Lines that read as prose are
   *anchors*: the article runs from the first anchor to the last one.
3. **Context**, because some clutter is only clutter by where it stands:
   - *Header* (before the first anchor): the headline (first headline-like line
     of five words or more, else the one with most words; its repeats and near-repeats such
     as an ASCII-folded copy; a long sub-headline) becomes ``title``; every
     other unlabelled line there is a kicker, section label or author line
     (``navigation``). A short line followed by a lone dash ("CNN" / "—") is a
     dateline (``meta``).
   - *End markers*: a teaser heading ("Mehr zum Thema", "Aktuelle Nachrichten
     zur Ukraine"), a comment counter, a source or source-link line, or a
     subscription prompt in the middle of the text ends the article when what
     follows it is mostly headline-like lines (at least three, twice as many as
     prose lines), with at most two short prose lines (teaser descriptions) and
     less than half the prose that came before; the article then ends at the
     last anchor before the marker.
   - *Tail* (after the last anchor): a run of short lines that do not continue
     the article is a list of other stories (``teaser``); single words there are
     tags (``navigation``).
   - *Inline teasers*: a teaser heading inside the article takes the
     headline-like lines right after it with it.
   Lines between the first and last anchor that no rule claims are kept, so
   sub-headings, short quotes and captions without credit stay in the body.
   A text with no prose line at all gets the rules only.

The body is made of whole kept lines, one paragraph each; the body always starts
and ends with an anchor, which makes cleaning idempotent.
"""

from __future__ import annotations

import difflib
import re

from indexer.clean.labels import Label
from indexer.clean.line_rules import TEASER_HEADERS, classify_line
from indexer.clean.line_shape import Shape, is_headline_like, is_prose, shape_of
from indexer.clean.normalize import normalize_line, split_blocks
from indexer.clean.result import CleanedText, Line

MIN_TITLE_WORDS = 5
MIN_SUBHEADLINE_WORDS = 8
MAX_INLINE_TEASERS = 5
MIN_TEASER_RUN = 3
MAX_TEASER_DESCRIPTIONS = 2         # prose lines a teaser list may hold (descriptions, long headlines)
MAX_TEASER_DESCRIPTION_CHARS = 200
_END_MARKERS = frozenset({Label.TEASER, Label.COMMENT_COUNTER, Label.SOURCE_LINK, Label.SOURCE,
                          Label.SUBSCRIPTION_PROMPT})
_TERMINAL = frozenset(".!?:;…\"“”»«)]")
_DASH_ONLY = re.compile(r"[-–—]{1,3}")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def clean_text(text: str, title: str | None = None) -> CleanedText:
    """Clean one plain-text article. ``title``, when known (e.g. from HTML
    metadata), is used instead of looking for a headline and its repeats are
    removed. Never raises on any string."""
    lines = join_wrapped(split_blocks(text if isinstance(text, str) else ""))
    known_title = normalize_line(title) if title else None
    labels, found_title = label_lines(lines, known_title)
    kept = [line for line, label in zip(lines, labels) if label is Label.ARTICLE]
    return CleanedText(
        body="\n\n".join(kept),
        title=known_title or found_title,
        lines=tuple(Line(line, label) for line, label in zip(lines, labels)),
    )


def join_wrapped(blocks: list[list[str]]) -> list[str]:
    """The lines, with hard-wrapped article lines joined again.

    Inside one block (no blank line between), a line that ends without
    punctuation is continued by the next when that starts in lower case ("Die
    Klagen richten sich gegen" + "und Porsche ...") or with a hyphen ("In der
    VW" + "-Abgas-Affäre ..."). Clutter lines are never joined. Blocks are not
    joined to each other, and the body puts a blank line between its lines, so
    cleaning a body again joins nothing."""
    lines: list[str] = []
    for block in blocks:
        current = block[0]
        for line in block[1:]:
            glue = _wrap_glue(current, line)
            if glue is None:
                lines.append(current)
                current = line
            else:
                current = current + glue + line
        lines.append(current)
    return lines


def _wrap_glue(previous: str, line: str) -> str | None:
    if previous[-1] in _TERMINAL or len(previous) > 2000:
        return None
    if line[0].islower() and not (len(line) > 1 and line[1].isupper()):
        glue = " "
    elif line[0] == "-" and len(line) > 1 and line[1].isalpha() and previous[-1].isalnum():
        glue = ""
    else:
        return None
    if len(line.split()) < 3 or classify_line(previous) or classify_line(line):
        return None
    return glue


def label_lines(lines: list[str], known_title: str | None = None) -> tuple[list[Label], str | None]:
    """The class of every line and the headline found (if any)."""
    labels: list[Label | None] = [classify_line(line) for line in lines]
    shapes = [shape_of(line) for line in lines]
    anchors = [label is None and is_prose(shape) for label, shape in zip(labels, shapes)]
    _mark_datelines(lines, labels)
    title = None
    if any(anchors):
        first = anchors.index(True)
        last = len(anchors) - 1 - anchors[::-1].index(True)
        last = _cut_at_end_marker(lines, labels, shapes, anchors, first, last)
        title = _label_header(lines, labels, shapes, first, known_title)
        _label_tail(labels, shapes, last)
        _label_inline_teasers(lines, labels, shapes, anchors, first, last)
    return [label or Label.ARTICLE for label in labels], title


def _mark_datelines(lines: list[str], labels: list[Label | None]) -> None:
    """ "CNN" followed by a line holding only a dash is a dateline."""
    for i in range(len(lines) - 1):
        if (labels[i] is None and _DASH_ONLY.fullmatch(lines[i + 1])
                and len(lines[i]) <= 30 and len(lines[i].split()) <= 3):
            labels[i] = labels[i + 1] = Label.META


def _cut_at_end_marker(lines, labels, shapes, anchors, first: int, last: int) -> int:
    """The index of the last anchor of the article proper."""
    for i in range(first + 1, last):
        if labels[i] not in _END_MARKERS:
            continue
        if labels[i] is Label.TEASER and not TEASER_HEADERS.fullmatch(lines[i]):
            continue
        before = sum(shapes[j].chars for j in range(first, i) if anchors[j])
        after = [shapes[j].chars for j in range(i + 1, last + 1) if anchors[j]]
        if len(after) > MAX_TEASER_DESCRIPTIONS or max(after, default=0) >= MAX_TEASER_DESCRIPTION_CHARS \
                or 2 * sum(after) >= before:
            continue  # real paragraphs follow: the marker was inside the article
        n_anchors_after = len(after)
        n_short_after = sum(1 for j in range(i + 1, len(lines))
                            if labels[j] is Label.TEASER
                            or (labels[j] is None and not anchors[j] and is_headline_like(shapes[j])))
        if n_short_after >= max(MIN_TEASER_RUN, 2 * n_anchors_after):
            for j in range(i + 1, last + 1):
                if labels[j] is None:
                    labels[j] = Label.TEASER
            return max(j for j in range(first, i) if anchors[j])
    return last


def _label_header(lines, labels, shapes, first: int, known_title: str | None) -> str | None:
    candidates = [i for i in range(first) if labels[i] is None]
    headline_like = [i for i in candidates if is_headline_like(shapes[i])]
    title = known_title
    title_index = None
    if title is None and headline_like:
        long_enough = [i for i in headline_like if shapes[i].words >= MIN_TITLE_WORDS]
        title_index = long_enough[0] if long_enough else max(headline_like, key=lambda i: (shapes[i].words, -i))
        title = lines[title_index]
    for i in candidates:
        if i == title_index or (title and _same_headline(lines[i], title)):
            labels[i] = Label.TITLE
        elif i in headline_like and shapes[i].words >= MIN_SUBHEADLINE_WORDS and title_index is not None \
                and i > title_index:
            labels[i] = Label.TITLE  # sub-headline under the headline
        else:
            labels[i] = Label.NAVIGATION
    return title


def _label_tail(labels, shapes: list[Shape], last: int) -> None:
    for i in range(last + 1, len(labels)):
        if labels[i] is None:
            labels[i] = Label.TEASER if shapes[i].words >= 2 else Label.NAVIGATION


def _label_inline_teasers(lines, labels, shapes, anchors, first: int, last: int) -> None:
    for i in range(first + 1, last):
        if labels[i] is not Label.TEASER or not TEASER_HEADERS.fullmatch(lines[i]):
            continue
        for j in range(i + 1, min(last, i + 1 + MAX_INLINE_TEASERS)):
            if labels[j] is not None or anchors[j] or not is_headline_like(shapes[j]) \
                    or shapes[j].terminal in ".;":
                break
            labels[j] = Label.TEASER


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold().translate(_FOLD))


def _same_headline(line: str, title: str) -> bool:
    """A repeat of the headline: equal, contained, or nearly equal once case,
    umlauts (ä/ae) and punctuation are folded."""
    a, b = _fold(line), _fold(title)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 12 and short in long_:
        return True
    if len(short) >= 12 and long_.startswith(short[: max(12, int(len(short) * 0.8))]):
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85
