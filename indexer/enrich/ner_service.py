"""Client of the NER service (``ner-service/``): the worker's tokens in, one label per token out.

The service runs Stanford CoreNLP's GermEval 2014 CRF (GPL-3.0, a separate program; see
ner-service/README.md). The wire format is plain text both ways: one token per line and an empty
line after each sentence; the answer has one label per token in the same shape. Labels come back
as the model writes them (``PERSON``, ``LOCATION``, ``ORGANIZATION``, ``MISC``, ``O``, or with a
``B-``/``I-`` prefix) and ``entity_runs`` turns them into PER/LOC/ORG spans.

A service that cannot be reached, times out or answers with an error raises ``NerUnavailable``:
the worker retries the batch later, it never indexes an article without its entities.
"""

from __future__ import annotations

import functools

import urllib3

from indexer.settings import Settings

LABEL_TYPES = {"PERSON": "PER", "PER": "PER", "LOCATION": "LOC", "LOC": "LOC",
               "ORGANIZATION": "ORG", "ORG": "ORG"}


class NerUnavailable(Exception):
    """The NER service could not tag a text (down, timed out, or an error status)."""


@functools.lru_cache(maxsize=8)
def _pool(url: str, timeout: float) -> urllib3.PoolManager:
    # One keep-alive pool per process and URL; urllib3 pools are thread-safe.
    return urllib3.PoolManager(maxsize=4, timeout=urllib3.Timeout(connect=2.0, read=timeout),
                               retries=False)


def encode(sentences: list[list[str]]) -> bytes:
    """The request body: a token per line, an empty line after each sentence. A token never
    holds a line break: whitespace inside it becomes "_" and an empty token is "_"."""
    lines = []
    for sentence in sentences:
        for token in sentence:
            lines.append("".join("_" if c.isspace() else c for c in token) or "_")
        lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def decode(body: bytes, sentences: list[list[str]]) -> list[list[str]]:
    """Labels per sentence; raises ``NerUnavailable`` when the shape does not match the request."""
    blocks = [b for b in body.decode("utf-8").split("\n\n") if b.strip()]
    labels = [block.strip("\n").split("\n") for block in blocks]
    if [len(s) for s in labels] != [len(s) for s in sentences if s]:
        raise NerUnavailable("the NER service answered a different number of labels")
    out, it = [], iter(labels)
    for sentence in sentences:
        out.append(next(it) if sentence else [])
    return out


# Tokens per request: a worker's batch (50 articles, ~25,000 tokens) goes in a few requests of
# some thousand tokens, where the service runs at full speed (ner-service/README.md: ~27,000
# tokens/s at one article per request, ~38,000 at 16), and no request nears the timeout.
MAX_REQUEST_TOKENS = 6000


def tag(sentences: list[list[str]], *, url: str | None = None,
        timeout: float | None = None) -> list[list[str]]:
    """The service's label for every token of ``sentences`` (lists of token strings), asked
    in requests of at most ``MAX_REQUEST_TOKENS`` tokens (a longer sentence goes alone)."""
    if not any(sentences):
        return [[] for _ in sentences]
    if url is None or timeout is None:
        settings = Settings.from_env()
        url = url or settings.ner_url
        timeout = settings.ner_timeout if timeout is None else timeout
    out: list[list[str]] = []
    for part in request_parts(sentences, MAX_REQUEST_TOKENS):
        out.extend(_tag_request(part, url, timeout))
    return out


def request_parts(sentences: list[list[str]],
                  max_tokens: int) -> list[list[list[str]]]:
    """Consecutive groups of sentences of at most ``max_tokens`` tokens each."""
    parts: list[list[list[str]]] = [[]]
    size = 0
    for sentence in sentences:
        if parts[-1] and size + len(sentence) > max_tokens:
            parts.append([])
            size = 0
        parts[-1].append(sentence)
        size += len(sentence)
    return parts


def _tag_request(sentences: list[list[str]], url: str, timeout: float) -> list[list[str]]:
    if not any(sentences):
        return [[] for _ in sentences]
    try:
        response = _pool(url, timeout).request(
            "POST", url.rstrip("/") + "/tag", body=encode(sentences),
            headers={"Content-Type": "text/plain; charset=utf-8"})
    except urllib3.exceptions.HTTPError as exc:
        raise NerUnavailable(f"NER service at {url} unreachable: {exc}") from exc
    if response.status != 200:
        raise NerUnavailable(f"NER service at {url} answered {response.status}: "
                             f"{response.data[:200].decode('utf-8', 'replace').strip()}")
    return decode(response.data, sentences)


def entity_runs(labels: list[str]) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` token spans of PER/LOC/ORG from one sentence's labels. The model's
    labels are IO: a run of one type is one entity, unless a ``B-`` label starts a new one."""
    spans: list[tuple[int, int, str]] = []
    start, current = 0, None
    for i, label in enumerate([*labels, "O"]):
        prefix, _, name = label.rpartition("-")
        typ = LABEL_TYPES.get(name)
        if current is not None and (typ != current or prefix == "B"):
            spans.append((start, i, current))
            current = None
        if typ is not None and current is None:
            start, current = i, typ
    return spans


def health(url: str | None = None, timeout: float = 5.0) -> bool:
    """True when the service answers its health check."""
    url = url or Settings.from_env().ner_url
    try:
        return _pool(url, timeout).request("GET", url.rstrip("/") + "/health").status == 200
    except urllib3.exceptions.HTTPError:
        return False


__all__ = ["NerUnavailable", "encode", "decode", "tag", "request_parts", "entity_runs", "health"]
