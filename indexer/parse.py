"""Parsing: raw input (API payloads, files) -> the first draft of a document.

Pure functions, no Flask, no Elasticsearch. ``parse_article`` is the first
pipeline step; ``read_path`` turns files and folders into raw article dicts for
the CLI.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import html
import json
import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from indexer.enrich.published import MAX_DAYS_AHEAD, parse_timestamp, too_far_ahead

# Keys a raw article may carry: the API's ArticleIn fields, plus two internal ones that the
# API refuses: ``id`` (a stored article's id) and ``stored_version`` (indexer/reenrich.py).
RAW_KEYS = ("id", "text", "html", "title", "url", "outlet", "published_at", "language",
            "external_id", "metadata", "stored_version")
# What a document keeps of its input in ``raw``: the text or HTML and the given title, and the
# fields the pipeline would otherwise derive, as given (None: not given, so derived). Documents
# written before ``raw`` kept the derivable fields have no ``language`` key in ``raw``.
RAW_TEXT_FIELDS = ("text", "html", "title")
RAW_DERIVABLE_FIELDS = ("outlet", "published_at", "language")

TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
ALL_SUFFIXES = set(TEXT_SUFFIXES) | JSON_SUFFIXES

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


FUTURE_MESSAGE = (f"more than {MAX_DAYS_AHEAD} days in the future (an embargo may be up to "
                  f"{MAX_DAYS_AHEAD} days; leave the field out when the date is unknown)")


class ParseError(ValueError):
    """A raw article that cannot become a document; the message names the field."""


def parse_article(raw: dict) -> dict:
    """Raw article dict -> draft document (``body``, ``raw`` and given fields)."""
    unknown = sorted(set(raw) - set(RAW_KEYS))
    if unknown:
        raise ParseError(f"unknown field(s): {', '.join(unknown)}")
    text, markup = raw.get("text"), raw.get("html")
    if text is not None and markup is not None:
        raise ParseError("text: give either text or html, not both")
    source = text if text is not None else markup
    if source is None:
        raise ParseError("text: missing (give text or html)")
    if not isinstance(source, str):
        raise ParseError(f"{'text' if text is not None else 'html'}: not a string")
    body = normalise_text(html_to_text(markup) if markup is not None else text)
    if not body.strip():
        raise ParseError(f"{'text' if text is not None else 'html'}: no text content")
    title = _optional_str(raw, "title")
    if title is None and markup is not None:
        title = html_title(markup)
    return {
        "id": _optional_str(raw, "id"),
        "external_id": _optional_str(raw, "external_id"),
        "url": _optional_str(raw, "url"),
        "outlet": _optional_str(raw, "outlet"),
        "language": _optional_str(raw, "language"),
        "title": normalise_text(title).strip() if title else None,
        "published_at": parse_published_at(raw.get("published_at")),
        "metadata": _metadata(raw.get("metadata")),
        "body": body,
        "raw": {**{key: raw[key] for key in RAW_TEXT_FIELDS if raw.get(key) is not None},
                **{key: raw.get(key) for key in RAW_DERIVABLE_FIELDS}},
    }


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, no control or zero-width characters."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def local_midnight(value: str) -> dt.datetime | None:
    """A date alone ("2023-08-30") -> that day's midnight in German time, by the rule that
    reads the text's date stamps without a time (``published.parse_timestamp``); else None.
    Raises ``ValueError`` for a day that does not exist."""
    if not _DATE_ONLY.fullmatch(value.strip()):
        return None
    return parse_timestamp(dt.date.fromisoformat(value.strip()))


def parse_published_at(value) -> str | None:
    """ISO 8601 with a time zone, or a date alone (local midnight) -> ISO string with its
    offset; None stays None. Any year is kept, but not a time more than ``MAX_DAYS_AHEAD``
    days from now."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = local_midnight(value) or dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ParseError(f"published_at: not an ISO 8601 date-time: {value!r}") from None
    else:
        raise ParseError("published_at: not a string")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ParseError(f"published_at: needs a time zone: {value!r}")
    if too_far_ahead(moment):
        raise ParseError(f"published_at: {FUTURE_MESSAGE}: {value!r}")
    return moment.isoformat()


# --- HTML: minimal built-in extraction -------------------------------------
# The boilerplate cleaner (indexer/clean*.py) re-extracts from doc["raw"]["html"]
# with a real extractor; this only has to give a readable text.

_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
               "section", "article", "header", "footer", "blockquote", "pre", "tr",
               "table", "figure", "figcaption", "aside", "nav", "main", "hr", "title"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP_TAGS:
            self._skip += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip:
            self.parts.append(data)


def _extract(markup: str) -> _TextExtractor:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return parser


def html_to_text(markup: str) -> str:
    text = "".join(_extract(markup).parts)
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_title(markup: str) -> str | None:
    title = " ".join(html.unescape("".join(_extract(markup).title_parts)).split())
    return title or None


# --- files -> raw articles ---------------------------------------------------

@dataclasses.dataclass(frozen=True)
class SourceItem:
    """One article read from a file (``article``) or why it could not be read."""
    origin: str
    article: dict | None = None
    error: str | None = None


def list_files(paths: list[Path]) -> list[Path]:
    """Files to import: given files as they are, folders searched recursively."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and _importable(p)))
        else:
            found.append(path)
    return found


def read_file(path: Path) -> Iterator[SourceItem]:
    """Raw articles in one file; ``.gz`` is opened transparently."""
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    suffix = Path(name).suffix.lower()
    try:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        content = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        yield SourceItem(str(path), error=f"cannot read: {exc}")
        return
    if suffix in TEXT_SUFFIXES:
        article = {TEXT_SUFFIXES[suffix]: content, "external_id": Path(name).stem}
        yield SourceItem(str(path), article)
    elif suffix == ".json":
        yield from _json_items(str(path), content)
    elif suffix in JSON_SUFFIXES:
        for number, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                yield from _json_items(f"{path}:{number}", line)
    else:
        yield SourceItem(str(path), error=f"unsupported file type {suffix or '(none)'}")


def _json_items(origin: str, content: str) -> Iterator[SourceItem]:
    try:
        value = json.loads(content)
    except json.JSONDecodeError as exc:
        yield SourceItem(origin, error=f"invalid JSON: {exc}")
        return
    values = value if isinstance(value, list) else [value]
    for index, item in enumerate(values):
        where = f"{origin}[{index}]" if isinstance(value, list) else origin
        if isinstance(item, dict):
            yield SourceItem(where, item)
        else:
            yield SourceItem(where, error="not a JSON object")


def _importable(path: Path) -> bool:
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    return Path(name).suffix.lower() in ALL_SUFFIXES


def _optional_str(raw: dict, key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParseError(f"{key}: not a string")
    return value.strip() or None


def _metadata(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParseError("metadata: not an object")
    return value
