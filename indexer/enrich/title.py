"""The article's title: the explicit one, else a headline found at the top of the text.

A line is headline-like when it has 3-25 words and at most 200 characters, does not end with a
full stop (question and exclamation marks are fine), and is not a date stamp, byline, credit,
breadcrumb, address or one of the removed clutter lines. Only the lines before the first body
paragraph (a line of 25+ words, or a sentence of 12+ words ending with a full stop) are looked
at, so photo captions and intermediate headings inside the article never become the title.
A short kicker line ("Krieg in Nahost") directly followed by a longer headline yields the
headline. No headline -> None (the lead sentence is not a title).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.enrich.german_calendar import is_timestamp_line

MIN_WORDS, MAX_WORDS, MAX_CHARS = 3, 25, 200
BODY_PARAGRAPH_WORDS = 25
BODY_SENTENCE_WORDS = 12
MAX_HEAD_LINES = 10
KICKER_MAX_WORDS = 3

_NOT_A_HEADLINE = re.compile(
    r"^\W*(?:Von|Text von|Ein (?:Bericht|Kommentar) von)\s+[A-ZÄÖÜ]"          # byline
    r"|^\W*(?:Text|Quellen?|Fotos?|Bild|Video|Audio|Grafik|Anzeige|Werbung|Kommentare?|Lesezeit|Stand"
    r"|Aktualisiert|Veröffentlicht|Erstellt|Autor(?:in)?|Teilen)\s*[:|]"          # labels
    r"|©|https?://|www\.|\S@\S|\[\w+\]|^\W*(?:Artikel teilen|Zum Artikel|Mehr zum Thema)\b",
    re.IGNORECASE)
_BREADCRUMB = re.compile(r"(?:\s[>›»|/]\s.*){2,}")
_GLUED_COLON = re.compile(r"(?<=[a-zäöüß]):(?=[A-ZÄÖÜ])")


def find_title(
    body: str = "",
    given: str | None = None,
    removed_lines: Iterable[tuple[str, str]] | None = None,
) -> str | None:
    """The given title (whitespace tidied), else the first headline-like line, else None."""
    if given and given.strip():
        return tidy_title(given)
    removed = {" ".join(text.split()) for text, _cls in (removed_lines or ())}
    lines = [" ".join(line.split()) for line in (body or "").splitlines()]
    lines = [line for line in lines if line][:MAX_HEAD_LINES]
    candidates: list[str] = []
    for line in lines:
        if _starts_body(line):
            break
        if line not in removed and _headline_like(line):
            candidates.append(line)
    if not candidates:
        return None
    first = candidates[0]
    if len(candidates) > 1 and len(first.split()) <= KICKER_MAX_WORDS and ":" not in first:
        first = candidates[1]
    return tidy_title(first)


def tidy_title(title: str) -> str:
    """Collapse whitespace and put a space after a colon glued to the next word
    ("Waffenlieferungen:USA" -> "Waffenlieferungen: USA")."""
    return _GLUED_COLON.sub(": ", " ".join(title.split()))


def _starts_body(line: str) -> bool:
    words = len(line.split())
    return words >= BODY_PARAGRAPH_WORDS or (words >= BODY_SENTENCE_WORDS and line.endswith("."))


def _headline_like(line: str) -> bool:
    words = len(line.split())
    if not (MIN_WORDS <= words <= MAX_WORDS) or len(line) > MAX_CHARS:
        return False
    if line.endswith((".", ",", ";")) and not line.endswith("..."):
        return False
    if _NOT_A_HEADLINE.search(line) or _BREADCRUMB.search(line) or is_timestamp_line(line):
        return False
    return any(ch.isalpha() for ch in line)
