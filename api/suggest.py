""""Did you mean": a corrected ``q`` for a search that found nothing.

A search whose ``q`` has a word that no article contains ("Merkle", "Nordkroea") finds
nothing. Elasticsearch's term suggester (``suggest_mode: missing``) proposes, for each such
word, the word of the articles' text (``body.exact``: lower case, not stemmed) that is
closest to it: at most two edits, the first letter as typed, in the most articles among
equals. The corrected query is the user's own text with those words replaced, so its
syntax (quotes, ``OR``, ``-``, ``title:``) stays as written; words under ``-``/``NOT`` and
prefixes (``Rüstungs*``) are left alone. It is offered only when it finds something with
the same filters, together with how much it finds.

Pure except ``correction`` and ``suggestion``, which send the two requests.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from elasticsearch import Elasticsearch

from api import archive_cache
from api.query_syntax import OPERATORS, QueryError, parse, tokenize

FIELD = "body.exact"
MIN_WORD_CHARS = 4     # shorter words are left as typed
_WORD = re.compile(r"\w+")


def candidate_spans(q: str) -> list[tuple[int, int]]:
    """(start, end) in ``q`` of the words a correction may replace: plain words and the
    words of phrases, not prefixes and not words under ``-`` or ``NOT``."""
    spans: list[tuple[int, int]] = []
    negated = False
    for token in tokenize(q):
        if token.kind in ("-", "NOT"):
            negated = True
            continue
        if token.kind == "field":     # "-title:Kim": the scope passes the negation on
            continue
        if not negated and token.kind == "word" and not token.text.endswith("*"):
            start = token.pos - 1
            spans.extend((start + m.start(), start + m.end()) for m in _WORD.finditer(token.text))
        elif not negated and token.kind == "phrase":   # pos: the first character inside
            spans.extend((token.pos + m.start(), token.pos + m.end())
                         for m in _WORD.finditer(token.text))
        negated = False
    return spans


def suggest_text(q: str, spans: list[tuple[int, int]]) -> str:
    """``q`` with everything but its candidate words (``spans``) blanked out, so the
    suggester's tokens are those words at their places in ``q``: "title:Kim" would be one
    token (":" joins letters in Unicode's word rules), and an emoji, two UTF-16 units, would
    shift later offsets."""
    keep = [False] * len(q)
    for start, end in spans:
        keep[start:end] = [True] * (end - start)
    return "".join(ch if kept else " " for ch, kept in zip(q, keep, strict=True))


def suggest_body(q: str, spans: list[tuple[int, int]]) -> dict:
    """The ``_search`` body that asks for a correction of each candidate word of ``q``
    (``spans``) that no article contains."""
    return {"size": 0, "track_total_hits": False, "suggest": {"words": {
        "text": suggest_text(q, spans),
        "term": {"field": FIELD, "suggest_mode": "missing", "size": 1, "sort": "score",
                 "max_edits": 2, "prefix_length": 1, "min_word_length": MIN_WORD_CHARS}}}}


def corrected(q: str, spans: list[tuple[int, int]], raw: dict) -> str | None:
    """``q`` with each candidate word (``spans``) the suggester corrected (``raw``: its
    answer) replaced, in the case it was typed ("Merkle" -> "Merkel", "NORDKROEA" ->
    "NORDKOREA"); None when no word changed."""
    replacements: list[tuple[int, int, str]] = []
    for entry in (raw.get("suggest") or {}).get("words") or []:
        start, end = entry["offset"], entry["offset"] + entry["length"]
        # Offsets count UTF-16 units: after a character beyond them inside a word (rare) they
        # point elsewhere; such a word stays.
        if not entry["options"] or (start, end) not in spans \
                or q[start:end].lower() != entry["text"]:
            continue
        word = _typed_like(q[start:end], entry["options"][0]["text"])
        if word.upper() not in OPERATORS:
            replacements.append((start, end, word))
    if not replacements:
        return None
    text = q
    for start, end, word in sorted(replacements, reverse=True):
        text = text[:start] + word + text[end:]
    return text


def _typed_like(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


# (alias, q) -> its correction or None, kept until the archive changes (``api.archive_cache``):
# a search that found nothing is often sent again (another facet, the next try), and the
# suggester answers only from the articles' words.
CORRECTIONS = archive_cache.ArchiveCache()


def correction(es: Elasticsearch, alias: str, q: str) -> str | None:
    """``q`` with the words no article contains corrected (one request, unless kept from
    an earlier one), or None: nothing to correct, or the corrected text does not parse."""
    spans = candidate_spans(q)
    if not spans:      # only prefixes or excluded words: no request
        return None
    fixed = CORRECTIONS.get((alias, q))
    if fixed is archive_cache.MISSING:
        fixed = corrected(q, spans, es.search(index=alias, body=suggest_body(q, spans)).body)
        if fixed is not None:
            try:
                parse(fixed)
            except QueryError:
                fixed = None
        CORRECTIONS.put((alias, q), fixed)
    return fixed


def suggestion(es: Elasticsearch, alias: str, q: str,
               total_of: Callable[[str], int]) -> dict | None:
    """{"q": the corrected query, "total": what it finds (``total_of``: the same search
    with another ``q``)}, or None: nothing to correct, or the correction finds nothing."""
    fixed = correction(es, alias, q)
    if fixed is None:
        return None
    total = total_of(fixed)
    return {"q": fixed, "total": total} if total else None
