"""German (and a little English) calendar vocabulary shared by the date modules.

Month and weekday names, regex fragments for day/month/year/time, the default
time zone, and `is_timestamp_line`, which recognises a line that is only a
publication stamp ("30. August 2023, 18:36 Uhr", "veröffentlicht: 30.08.2023").
Pure data and small functions; no I/O.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

DEFAULT_TZ = "Europe/Berlin"

# Full German month names (with Austrian/variant spellings) -> month number.
MONTHS_FULL: dict[str, int] = {
    "Januar": 1, "Jänner": 1, "Februar": 2, "Feber": 2, "März": 3, "Maerz": 3,
    "April": 4, "Mai": 5, "Juni": 6, "Juli": 7, "August": 8, "September": 9,
    "Oktober": 10, "November": 11, "Dezember": 12,
}
# Abbreviations, only accepted right after a day number ("4. Sept.").
MONTHS_ABBR: dict[str, int] = {
    "Jan": 1, "Feb": 2, "Mrz": 3, "Mär": 3, "Apr": 4, "Jun": 6, "Jul": 7,
    "Aug": 8, "Sep": 9, "Sept": 9, "Okt": 10, "Nov": 11, "Dez": 12,
}
MONTHS_EN: dict[str, int] = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6,
    "July": 7, "August": 8, "September": 9, "October": 10, "November": 11,
    "December": 12,
}

WEEKDAYS: dict[str, int] = {
    "Montag": 0, "Dienstag": 1, "Mittwoch": 2, "Donnerstag": 3,
    "Freitag": 4, "Samstag": 5, "Sonnabend": 5, "Sonntag": 6,
}


def _alternation(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


MONTH_FULL_RE = _alternation(MONTHS_FULL)
MONTH_ABBR_RE = _alternation(MONTHS_ABBR)
# A month after a day number: full name, or abbreviation with optional dot.
MONTH_AFTER_DAY_RE = rf"(?:{MONTH_FULL_RE}|(?:{MONTH_ABBR_RE})\.?)"
WEEKDAY_RE = _alternation(WEEKDAYS)

# "18:36", "18.36 Uhr", "18 Uhr"; optional zone words.
TIME_RE = (
    r"(?P<hour>[01]?\d|2[0-3])(?:[:.](?P<minute>[0-5]\d))?(?::(?P<second>[0-5]\d))?"
    r"(?:\s*Uhr)?(?:\s*(?P<zone>MESZ|MEZ|CEST|CET|UTC|GMT|Z\b|[+-]\d{2}:?\d{2}))?"
)

ZONE_OFFSETS_MINUTES = {"MESZ": 120, "CEST": 120, "MEZ": 60, "CET": 60, "UTC": 0, "GMT": 0, "Z": 0}


def month_number(name: str) -> int | None:
    """Month number for a German full name or abbreviation (trailing dot allowed)."""
    name = name.rstrip(".")
    return MONTHS_FULL.get(name) or MONTHS_ABBR.get(name) or MONTHS_EN.get(name)


def expand_year(text: str) -> int:
    """Two-digit years: 00-69 -> 2000s, 70-99 -> 1900s; four digits unchanged."""
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 70 else 1900 + year
    return year


def safe_date(year: int, month: int, day: int) -> date | None:
    """A `date`, or None when the parts do not form a real calendar day."""
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1 <= year <= 9999):
        return None
    if day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --- publication stamp lines -------------------------------------------------

# Labels that introduce a publication or update stamp.
PUBLISHED_LABEL_RE = (
    r"(?:veröffentlicht|publiziert|erschienen|erstellt|datum|published|posted"
    r"|online seit|zuerst veröffentlicht)"
)
UPDATED_LABEL_RE = r"(?:aktualisiert|zuletzt aktualisiert|stand|geändert|updated|last updated)"

FULL_DATE_RE = (
    r"(?:(?P<wd>" + WEEKDAY_RE + r"),?\s+(?:den\s+)?)?"
    r"(?:"
    r"(?P<d1>[0-3]?\d)\.\s?(?P<m1>" + MONTH_AFTER_DAY_RE + r")\s+(?P<y1>\d{4})"
    r"|(?P<d2>[0-3]?\d)\.(?P<m2>[01]?\d)\.(?P<y2>\d{4}|\d{2}(?!\d))"
    r"|(?P<y3>\d{4})-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)"
    r")"
)
# A full date (day, month and year) with an optional time after it.
DATE_TIME_RE = FULL_DATE_RE + r"(?:\s*(?:,|um|\||-|–|/)?\s*" + TIME_RE + r")?"
DATE_TIME = re.compile(DATE_TIME_RE, re.IGNORECASE)
LABELLED_STAMP = re.compile(
    r"(?P<label>" + PUBLISHED_LABEL_RE + "|" + UPDATED_LABEL_RE + r")(?:\s+am)?\s*:?\s*" + DATE_TIME_RE,
    re.IGNORECASE,
)

STAMP_LINE_MAX_CHARS = 120
STAMP_LINE_MAX_EXTRA_WORDS = 6   # "Berlin", "Von Anna Muster |", a label
_WORD = re.compile(r"\w+")


def stamp_match(line: str) -> re.Match | None:
    """The date match when a line is a stamp: short, and little besides a full date.

    "30. August 2023, 18:36 Uhr", "veröffentlicht: 30.08.2023", "Berlin, 30.08.2023 | 18:36 Uhr"
    qualify; a sentence that mentions a date ("Am 4. September 2023 erklärte ...") does not.
    """
    line = line.strip()
    if len(line) > STAMP_LINE_MAX_CHARS:
        return None
    match = DATE_TIME.search(line)
    if not match:
        return None
    tail = line[match.end():].strip()
    if tail and tail[-1] in ".!?" and _WORD.search(tail):
        return None  # a short sentence that mentions a date, not a stamp
    rest = line[: match.start()] + " " + tail
    return match if len(_WORD.findall(rest)) <= STAMP_LINE_MAX_EXTRA_WORDS else None


def is_timestamp_line(line: str) -> bool:
    """True when a line is a date stamp (see `stamp_match`)."""
    return stamp_match(line) is not None
