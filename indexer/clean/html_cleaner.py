"""HTML -> article text and page metadata (``clean_html``).

trafilatura (https://trafilatura.readthedocs.io) finds the main text and the
metadata it can (title, author, date, sitename, url, description, categories,
tags); its text then goes through the plain-text line classifier, which still
catches what extractors leave in (captions with "Foto: ...", "Anzeige", "Mehr
zum Thema" lists). The page's own publication time stamp with its time zone
("article:published_time", schema.org "datePublished") is returned too, raw, for
the date enrichment: trafilatura's ``date`` is a day only.

The caller keeps the raw HTML; nothing here changes it.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import warnings
from dataclasses import replace

import lxml.html
import trafilatura
from trafilatura.settings import DEFAULT_CONFIG

from indexer.clean.result import CleanedText
from indexer.clean.text_cleaner import clean_text

MAX_HTML_CHARS = 5_000_000
_METADATA_FIELDS = ("title", "author", "date", "sitename", "url", "hostname", "description",
                    "categories", "tags", "language", "image", "pagetype")
_PUBLISHED_META = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='date']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='DC.date.issued']/@content",
    "//time[@itemprop='datePublished']/@datetime",
)
_TAG = re.compile(r"<[^>]{0,2000}>")
_CONFIG = copy.deepcopy(DEFAULT_CONFIG)
_CONFIG["DEFAULT"]["EXTRACTION_TIMEOUT"] = "0"  # no SIGALRM: we run in worker threads too

log = logging.getLogger(__name__)


def clean_html(html: str, url: str | None = None) -> CleanedText:
    """Main text of an HTML page, cleaned, with ``metadata``. Never raises on any string."""
    if not isinstance(html, str) or not html.strip():
        return CleanedText(body="", metadata={})
    html = html[:MAX_HTML_CHARS]
    extracted = _extract(html, url)
    metadata = _metadata(extracted)
    published = _published_time(html)
    if published:
        metadata["published_time"] = published
    text = (extracted or {}).get("text") or _fallback_text(html)
    cleaned = clean_text(text, title=metadata.get("title"))
    return replace(cleaned, metadata=metadata)


def _extract(html: str, url: str | None) -> dict | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil on "MESZ" and the like
            return trafilatura.bare_extraction(
                html, url=url, include_comments=False, include_tables=True,
                include_images=False, include_links=False, config=_CONFIG)
    except Exception as error:  # a third-party parser on arbitrary input: fall back, never fail
        log.info("trafilatura found no document (%s); using the plain-text fallback", type(error).__name__)
        return None


def _metadata(extracted: dict | None) -> dict:
    if not extracted:
        return {}
    found = {}
    for name in _METADATA_FIELDS:
        value = extracted.get(name)
        if isinstance(value, list):
            value = [item for item in value if isinstance(item, str) and item.strip()]
        if value:
            found[name] = value
    return found


def _parse(html: str):
    try:
        return lxml.html.document_fromstring(html)
    except Exception:  # lxml rejects some inputs (empty after parsing, bad encodings)
        return None


def _published_time(html: str) -> str | None:
    tree = _parse(html)
    if tree is None:
        return None
    for path in _PUBLISHED_META:
        values = [value.strip() for value in tree.xpath(path) if value and value.strip()]
        if values:
            return values[0]
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        value = _json_ld_date(script)
        if value:
            return value
    return None


def _json_ld_date(script: str) -> str | None:
    try:
        data = json.loads(script)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str) and value.strip():
                return value.strip()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _fallback_text(html: str) -> str:
    """Some text for markup trafilatura will not take: its plain-text
    conversion, else every text node, else the input without tags."""
    try:
        text = trafilatura.html2txt(html)
    except Exception:  # trafilatura on arbitrary input
        text = ""
    if not text or not text.strip():
        tree = _parse(html)
        if tree is not None:
            for node in tree.xpath("//script|//style|//noscript|//template"):
                node.drop_tree()
            text = "\n".join(part.strip() for part in tree.itertext() if part.strip())
    if not text or not text.strip():
        text = _TAG.sub("\n", html)
    return text
