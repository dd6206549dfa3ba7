"""Deterministic article ids.

An article's id comes from the first of: its ``external_id``, its canonical URL,
a hash of its cleaned text. Each source is namespaced (``ext:``, ``url:``,
``txt:``) before hashing, so an external id that happens to equal a URL does not
collide with it. Ids are the first 20 hex digits of a SHA-256: URL-safe, fixed
length, 80 bits.

Re-sending an article therefore overwrites it instead of duplicating it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ID_LENGTH = 20

# Query parameters that track a visit and never select content.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid",
    "_ga", "_gl", "wt_mc", "wt.mc_id", "ns_campaign", "ns_mchannel", "ns_source",
    "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
    "cmpid", "ocid", "ref", "ref_src", "xtor", "share", "s_cid",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_WHITESPACE = re.compile(r"\s+")


def article_id(*, external_id: str | None = None, url: str | None = None,
               text: str | None = None) -> str:
    """The id of an article; raises ``ValueError`` when no source is usable."""
    if external_id and external_id.strip():
        return _hashed("ext", external_id.strip())
    if url and url.strip():
        return _hashed("url", canonical_url(url))
    if text and text.strip():
        return _hashed("txt", text_fingerprint(text))
    raise ValueError("an article needs an external_id, a url or a non-empty text")


def content_hash(text: str) -> str:
    """Full SHA-256 of the whitespace- and Unicode-normalised text."""
    return hashlib.sha256(text_fingerprint(text).encode("utf-8")).hexdigest()


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking
    parameters, remaining query parameters sorted. Path case is kept."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    )
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def text_fingerprint(text: str) -> str:
    """NFC, whitespace runs collapsed to one space, trimmed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _hashed(namespace: str, value: str) -> str:
    digest = hashlib.sha256(f"{namespace}:{value}".encode()).hexdigest()
    return digest[:ID_LENGTH]
