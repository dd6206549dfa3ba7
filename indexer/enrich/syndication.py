"""A stable key shared by syndicated copies of one story (the same agency text in several outlets).

`syndication_key(body)` is a one-permutation MinHash over the article's core: the text is
normalised (case, umlauts and ß folded, punctuation dropped) and split into lines (paragraphs);
the longest paragraphs that together hold `CORE_SHARE` of the words are the core; their word
shingles (`SHINGLE_WORDS` words) are hashed with BLAKE2b (stable across processes, unlike
`hash()`), and the smallest hash is the key. Two copies get the same key with probability about
the Jaccard similarity of their core shingles, so near-duplicates (a sentence edited, a line of
boilerplate added, the last paragraph cut) usually share it and different stories practically
never do.

Why a core and not the whole text: with a plain whole-text MinHash, one boilerplate line shared
by many articles ("Erhalten Sie kostenlose Updates ...") wins the minimum for a large share of
them whenever one of its shingles hashes low, and merges unrelated stories under one key (measured:
64 % of 1,818 test articles got the same key from one such line). A short line is never part of
the core, so leftover clutter cannot take the key over. Measured on 1,818 real German articles
(10kGNAD + Wikinews train/dev): same key after one sentence changed 0.88, last paragraph dropped
0.81, a boilerplate line added 0.95-0.96; colliding pairs among different articles: 4 (all stub
pages with the same text).
A fixed length threshold instead of a share (paragraphs of 20+ words) scored a little higher on
edits (0.92 / 0.84) but lets any long shared boilerplate paragraph back into every article's
shingles, the failure above; the share-based core keeps the longest paragraphs, which are the
article's own. `jaccard(a, b)` gives the exact core-shingle similarity for checks and tests.

Why not datasketch: it brings numpy and builds 128-permutation signatures for LSH indexes; one
stable keyword for Elasticsearch (term filter, field collapse) needs one hash. rapidfuzz compares
pairs, it does not produce a key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

KEY_PREFIX = "mh1-"      # bump when the normalisation, core or shingling changes
SHINGLE_WORDS = 4
CORE_SHARE = 0.6

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+")


def syndication_key(body: str) -> str:
    """Key equal for near-duplicate texts (probability ~ core shingle Jaccard similarity)."""
    smallest = min(_hash(shingle) for shingle in _shingles(body))
    return KEY_PREFIX + smallest.hex()


def jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' core shingle sets (1.0 for identical texts)."""
    first, second = _shingles(a), _shingles(b)
    return len(first & second) / len(first | second)


def core_paragraphs(body: str) -> list[list[str]]:
    """Normalised words of the longest paragraphs that hold `CORE_SHARE` of all words."""
    paragraphs = [words for line in (body or "").splitlines() if (words := _words(line))]
    total = sum(len(words) for words in paragraphs)
    core: list[list[str]] = []
    covered = 0
    for words in sorted(paragraphs, key=len, reverse=True):
        if covered >= CORE_SHARE * total:
            break
        core.append(words)
        covered += len(words)
    return core


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    return _WORD.findall(text)


def _shingles(body: str) -> set[str]:
    shingles: set[str] = set()
    for words in core_paragraphs(body):
        count = max(1, len(words) - SHINGLE_WORDS + 1)
        shingles.update(" ".join(words[i: i + SHINGLE_WORDS]) for i in range(count))
    return shingles or {""}


def _hash(shingle: str) -> bytes:
    return hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest()
