"""Publication date and time, with time zone, from metadata or the article text.

Order of precedence (first hit wins):
1. the explicitly given `published_at` (API field);
2. publication keys in `metadata` (datePublished, article:published_time, ...);
3. a labelled stamp in the text ("veröffentlicht: 30. August 2023 18:36", "Erstellt am ...");
4. a line near the top of the body that is only a date stamp ("30. August 2023, 18:36 Uhr",
   also "Berlin, 30.08.2023 | 18:36 Uhr" with a few words around it);
5. an update stamp ("Stand: ...", "aktualisiert: ...") and then metadata modification keys.

Never from clutter: removed lines whose class is a teaser list, ad, comment, navigation and the
like are ignored, and from the other removed lines only lines that are nothing but a stamp count
(a teaser carries a headline next to its date, so it never qualifies). Times without a zone are
local German time (Europe/Berlin, same offsets as Vienna and Zurich); output is ISO 8601 with offset.
A date without a time becomes local midnight. Unknown -> None. A derived date more than
``MAX_DAYS_AHEAD`` days in the future is passed over (a given one is refused by ``indexer.parse``).

Metadata strings go through ISO 8601, RFC 2822 and our German stamp patterns first, then
dateparser (pinned) as a fallback for other formats, with relative parsing switched off and day,
month and year required, so "gestern" in metadata never becomes "now minus one day". The text
itself is scanned with our own patterns only: dateparser's `search_dates` matches stray words and
cannot tell a stamp from a date mentioned in a sentence.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from indexer.enrich.german_calendar import (
    DATE_TIME,
    DEFAULT_TZ,
    LABELLED_STAMP,
    UPDATED_LABEL_RE,
    ZONE_OFFSETS_MINUTES,
    expand_year,
    month_number,
    safe_date,
    stamp_match,
)

METADATA_PUBLISHED_KEYS = (
    "published_at", "published", "datePublished", "date_published", "publish_date",
    "publication_date", "pubdate", "article:published_time", "og:published_time",
    "og:article:published_time", "dc.date", "DC.date.issued", "date", "created", "dateCreated",
)
METADATA_UPDATED_KEYS = ("dateModified", "modified", "updated", "article:modified_time", "last_modified")

# Classes of removed lines that never provide a date (substring match, case-insensitive).
CLUTTER_CLASS_HINTS = (
    "teaser", "related", "ad", "anzeige", "comment", "kommentar", "nav", "menu",
    "subscri", "newsletter", "social", "share", "cookie", "photo", "image", "caption",
)

HEAD_LINES = 12          # how many body lines count as "the top" for unlabelled stamps
MIN_YEAR = 1800
# An embargoed article may be sent some days before it appears; a later date is an error (a
# CMS placeholder such as 2099-01-01), and it would sort first under ``sort=newest`` forever.
MAX_DAYS_AHEAD = 7

_UPDATED_LABEL_FULL_RE = re.compile(UPDATED_LABEL_RE + "$", re.IGNORECASE)


def published_at(
    body: str = "",
    given: object = None,
    metadata: Mapping | None = None,
    removed_lines: Iterable[tuple[str, str]] | None = None,
    tz: str = DEFAULT_TZ,
) -> str | None:
    """Publication time as ISO 8601 with offset, or None when unknown."""
    found = find_published(body, given, metadata, removed_lines, tz)
    return found.isoformat() if found else None


def find_published(
    body: str = "",
    given: object = None,
    metadata: Mapping | None = None,
    removed_lines: Iterable[tuple[str, str]] | None = None,
    tz: str = DEFAULT_TZ,
) -> datetime | None:
    """Like `published_at` but returns an aware datetime."""
    zone = ZoneInfo(tz)
    # The sender's date is kept whatever its year (an archive of old papers); MIN_YEAR only
    # keeps numbers in the text and metadata from being taken for dates.
    explicit = parse_timestamp(given, tz, min_year=1) if given not in (None, "") else None
    if explicit:
        return explicit
    # A derived date too far ahead is a wrong reading (or wrong metadata): the next source is
    # asked, and without one the date is unknown. A given one is refused by ``indexer.parse``.
    found = _derived_candidates(body, metadata or {}, removed_lines, tz, zone)
    return next((moment for moment in found if moment and not too_far_ahead(moment)), None)


def _derived_candidates(body: str, metadata: Mapping, removed_lines, tz: str,
                        zone: ZoneInfo) -> Iterator[datetime | None]:
    """The derived publication times in the order of precedence, each read only when asked."""
    for key in METADATA_PUBLISHED_KEYS:
        yield parse_timestamp(metadata.get(key), tz)
    lines = [ln.strip() for ln in (body or "").splitlines() if ln.strip()]
    extra = [text.strip() for text, cls in (removed_lines or ()) if _usable_removed(text, cls)]
    published, updated = _labelled_stamps(lines + extra, zone)
    yield published
    yield _head_stamp(lines[:HEAD_LINES] + extra, zone)
    yield updated
    for key in METADATA_UPDATED_KEYS:
        yield parse_timestamp(metadata.get(key), tz)


def too_far_ahead(moment: datetime, now: datetime | None = None) -> bool:
    """True for a publication time more than ``MAX_DAYS_AHEAD`` days after ``now``."""
    return moment - (now or datetime.now(UTC)) > timedelta(days=MAX_DAYS_AHEAD)


def parse_timestamp(value: object, tz: str = DEFAULT_TZ, *,
                    min_year: int = MIN_YEAR) -> datetime | None:
    """An aware datetime from a datetime/date/epoch/string value; None if it is not a full
    date, or a string's date is before ``min_year``."""
    zone = ZoneInfo(tz)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC).astimezone(zone)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for parser in (_parse_iso, _parse_rfc2822, _parse_german, _parse_with_dateparser):
        try:
            parsed = parser(text, zone)
        except (ValueError, TypeError, OverflowError):
            parsed = None
        if parsed and parsed.year >= min_year:
            return parsed
    return None


def _parse_iso(text: str, zone: ZoneInfo) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _parse_rfc2822(text: str, zone: ZoneInfo) -> datetime | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None
    parsed = email.utils.parsedate_to_datetime(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _parse_german(text: str, zone: ZoneInfo) -> datetime | None:
    match = LABELLED_STAMP.search(text) or DATE_TIME.search(text)
    return _to_datetime(match, zone) if match else None


def _parse_with_dateparser(text: str, zone: ZoneInfo) -> datetime | None:
    import dateparser  # imported lazily: ~0.3 s import, only needed for odd metadata formats

    return dateparser.parse(
        text,
        languages=["de", "en"],
        settings={
            "TIMEZONE": str(zone),
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )


def _usable_removed(text: str, cls: str) -> bool:
    cls = (cls or "").lower()
    return bool(text and text.strip()) and not any(hint in cls for hint in CLUTTER_CLASS_HINTS)


def _labelled_stamps(lines: list[str], zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    published = updated = None
    for line in lines:
        for match in LABELLED_STAMP.finditer(line):
            value = _to_datetime(match, zone)
            if not value:
                continue
            label = match.group("label").lower()
            if _UPDATED_LABEL_FULL_RE.match(label):
                updated = updated or value
            else:
                published = published or value
    return published, updated


def _head_stamp(lines: list[str], zone: ZoneInfo) -> datetime | None:
    for line in lines:
        match = stamp_match(line)
        value = _to_datetime(match, zone) if match else None
        if value:
            return value
    return None


def _to_datetime(match: re.Match, zone: ZoneInfo) -> datetime | None:
    groups = match.groupdict()
    if groups.get("d1"):
        month = month_number(groups["m1"])
        day_value = safe_date(int(groups["y1"]), month or 0, int(groups["d1"]))
    elif groups.get("d2"):
        day_value = safe_date(expand_year(groups["y2"]), int(groups["m2"]), int(groups["d2"]))
    elif groups.get("d3"):
        day_value = safe_date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    else:
        return None
    if day_value is None or day_value.year < MIN_YEAR:
        return None
    hour = int(groups["hour"]) if groups.get("hour") else 0
    minute = int(groups["minute"]) if groups.get("minute") else 0
    if groups.get("hour") and not groups.get("minute") and not re.search(r"Uhr", match.group(0)):
        hour = 0  # a bare number after a date is not a time ("30.08.2023 5" is noise)
    second = int(groups["second"]) if groups.get("second") else 0
    naive = datetime(day_value.year, day_value.month, day_value.day, hour, minute, second)
    return naive.replace(tzinfo=_zone_for(groups.get("zone"), zone))


def _zone_for(zone_word: str | None, default: ZoneInfo):
    if not zone_word:
        return default
    word = zone_word.upper()
    if word in ZONE_OFFSETS_MINUTES:
        return timezone(timedelta(minutes=ZONE_OFFSETS_MINUTES[word]))
    sign = -1 if word.startswith("-") else 1
    digits = word[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))
