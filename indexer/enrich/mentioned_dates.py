"""Dates mentioned in an article's text, absolute and relative, each with its sentence.

`find_mentioned_dates(body, reference)` returns one dict per mention::

    {"date": "2023-09-10" | None, "end": "2023-09-13" | None, "text": "10. bis 13. September",
     "sentence": "...", "relative": False, "granularity": "day" | "week" | "month" | "year"}

`date`/`end` are the first and last day; `end` is None for a single day. Week, month and year
mentions ("letzte Woche", "im Juli", "im Jahr 2022") are ranges with their granularity.

Rules (documented choices):
- Reference: the publication date (local date). Without one, mentions that need it (relative
  expressions, and day/month without a year) are still returned, with ``date`` None, so the
  sentence stays visible; they add nothing to the filter list.
- Year inference: "4. September" without a year is the latest such day on or before the
  publication date when its clause is in past tense ("war", "sagte", "hatte" ...), the first on
  or after it in future tense ("wird", "soll", "geplant" ...), else the one nearest to it
  (so "im Dezember" in a January article is last December). Months ("im Juli") likewise.
- Bare weekday ("am Mittwoch", "Mittwochabend"): news German uses it for a day of the current
  week around publication. We take the most recent such day on or before the publication day
  (0-6 days back), unless the clause is in future tense ("wird", "soll", "will", "geplant",
  "voraussichtlich", ... and no past-tense verb such as "sagte", "hatte", "war"), then the next
  such day after it (1-7 days ahead). "vergangenen/letzten Mittwoch" is always the one before
  (1-7 days back), "kommenden/nächsten Mittwoch" always the one after (1-7 days ahead).
  "diesen Mittwoch" is the one of the publication week, unless the clause's tense points the
  other way ("hat diesen Samstag angekündigt" on a Wednesday: the Saturday before).
- "letzte/vergangene Woche" is the previous ISO week (Monday-Sunday), "diese Woche" the current,
  "nächste/kommende Woche" the next; the same for Monat and Jahr; "Vorjahr", "Vormonat" too.
- "heute", "gestern", "vorgestern", "morgen" (lower case; "am Morgen" is the morning, not
  tomorrow), "übermorgen"; "bis heute" (= to this day) is not a date.
- "vor drei Tagen", "in zwei Wochen": the day, or the week/month/year that contains it.
- Lines that are only a publication stamp ("veröffentlicht: 30. August 2023 18:36") are skipped:
  they are metadata, not mentions.
`mentioned_days` flattens day mentions (ranges expanded, at most 31 days) into sorted ISO dates
for the `mentioned_dates` filter field; week/month/year mentions are not expanded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from indexer.enrich.german_calendar import (
    MONTH_AFTER_DAY_RE,
    MONTH_FULL_RE,
    WEEKDAY_RE,
    WEEKDAYS,
    expand_year,
    is_timestamp_line,
    month_end,
    month_number,
    safe_date,
)

MAX_EXPANDED_DAYS = 31

Resolved = tuple[date, date | None, str] | None   # (start, end, granularity)


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern
    relative: bool
    resolve: Callable[[re.Match, date | None, str], Resolved]
    granularity: str


# --- sentences ------------------------------------------------------------------

_ABBREVIATIONS = {
    "z", "B", "bzw", "ca", "Dr", "Prof", "Nr", "St", "usw", "etc", "vgl", "u", "a", "s", "o",
    "Mio", "Mrd", "Jh", "Abs", "Art", "Hr", "Fr", "gem", "inkl", "evtl", "ggf", "sog", "Str",
    "Jan", "Feb", "Apr", "Aug", "Sep", "Sept", "Okt", "Nov", "Dez", "Mrz", "v", "Chr", "Gen",
}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'“”»«)]*(?=\s+[\"'„“»«(]?[A-ZÄÖÜ0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences; lines are always split, then sentence punctuation
    except after 1-2 digit ordinals ("4. September") and common abbreviations."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend((offset + s, offset + e) for s, e in _line_sentences(line))
        offset += len(line) + 1
    return spans


def _line_sentences(line: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        last_word = re.search(r"(\w+)$", line[start: match.start()])
        if last_word and (
            last_word.group(1) in _ABBREVIATIONS
            or (last_word.group(1).isdigit() and len(last_word.group(1)) <= 2 and line[match.start()] == ".")
        ):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(line)))
    return [(s, e) for s, e in spans if line[s:e].strip()]


# --- reference arithmetic ---------------------------------------------------------

def _nearest(month: int, day: int, ref: date, tense: int = 0) -> date | None:
    """The date with this month/day for a year-less mention: in a past-tense clause the latest
    one on or before ref, in a future-tense clause the first one on or after ref, otherwise the
    one nearest to ref (years ref-1, ref, ref+1)."""
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := safe_date(y, month, day))]
    if tense < 0 and (past := [d for d in options if d <= ref]):
        return max(past)
    if tense > 0 and (future := [d for d in options if d >= ref]):
        return min(future)
    return min(options, key=lambda d: abs((d - ref).days)) if options else None


def _tense(clause: str) -> int:
    """-1 past, +1 future, 0 unknown, from verb cues in the clause around a mention."""
    past, future = bool(_PAST_CUES.search(clause)), bool(_FUTURE_CUES.search(clause))
    return -1 if past else 1 if future else 0


def _week(day: date) -> tuple[date, date, str]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6), "week"


def _month(year: int, month: int) -> tuple[date, date, str]:
    return date(year, month, 1), month_end(year, month), "month"


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _month_part(part: str | None, year: int, month: int) -> tuple[date, date, str]:
    start, end, _ = _month(year, month)
    if part == "Anfang":
        return start, date(year, month, 10), "month"
    if part == "Mitte":
        return date(year, month, 11), date(year, month, 20), "month"
    if part == "Ende":
        return date(year, month, 21), end, "month"
    return start, end, "month"


def _year_part(part: str | None, year: int) -> tuple[date, date, str]:
    if part == "Anfang":
        return date(year, 1, 1), date(year, 4, 30), "year"
    if part == "Mitte":
        return date(year, 5, 1), date(year, 8, 31), "year"
    if part == "Ende":
        return date(year, 9, 1), date(year, 12, 31), "year"
    return date(year, 1, 1), date(year, 12, 31), "year"


# --- resolvers --------------------------------------------------------------------

def _resolve_day_month(m: re.Match, ref: date | None, clause: str) -> Resolved:
    month, day = month_number(m["month"]), int(m["day"])
    if m["year"]:
        found = safe_date(int(m["year"]), month, day)
    else:
        found = _nearest(month, day, ref, _tense(clause)) if ref else None
    return (found, None, "day") if found else None


def _resolve_numeric(m: re.Match, ref: date | None, clause: str) -> Resolved:
    month, day = int(m["month"]), int(m["day"])
    if m["year"]:
        found = safe_date(expand_year(m["year"]), month, day)
    else:
        found = _nearest(month, day, ref, _tense(clause)) if ref and safe_date(2000, month, day) else None
    return (found, None, "day") if found else None


def _resolve_iso(m: re.Match, _ref: date | None, _clause: str) -> Resolved:
    found = safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    return (found, None, "day") if found else None


def _resolve_range(m: re.Match, ref: date | None, clause: str) -> Resolved:
    end_month = month_number(m["month2"])
    start_month = month_number(m["month1"]) if m["month1"] else end_month
    d1, d2 = int(m["day1"]), int(m["day2"])
    year2 = int(m["year2"]) if m["year2"] else None
    if year2 is None:
        if ref is None:
            return None
        end = _nearest(end_month, d2, ref, _tense(clause))
        if end is None:
            return None
        year2 = end.year
    end = safe_date(year2, end_month, d2)
    year1 = int(m["year1"]) if m["year1"] else (year2 - 1 if start_month > end_month else year2)
    start = safe_date(year1, start_month, d1)
    if not start or not end or end < start:
        return None
    return start, end, "day"


def _resolve_month_year(m: re.Match, _ref: date | None, _clause: str) -> Resolved:
    return _month_part(m["part"], int(m["year"]), month_number(m["month"]))


def _resolve_bare_month(m: re.Match, ref: date | None, clause: str) -> Resolved:
    if ref is None:
        return None
    month = month_number(m["month"])
    tense = _tense(clause)
    if tense and month == ref.month:
        year = ref.year   # "im September" in a September article: this September either way
    else:
        year = _nearest(month, 1 if tense > 0 else 28, ref, tense).year
    return _month_part(m["part"], year, month)


def _resolve_year(m: re.Match, _ref: date | None, _clause: str) -> Resolved:
    return _year_part(m["part"], int(m["year"]))


_DAY_OFFSETS = {"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "übermorgen": 2}


def _resolve_relative_day(m: re.Match, ref: date | None, _clause: str) -> Resolved:
    if ref is None:
        return None
    return ref + timedelta(days=_DAY_OFFSETS[m["word"].lower()]), None, "day"


_PAST_MODIFIERS = ("vergangen", "letzt", "vorig")
_FUTURE_MODIFIERS = ("kommend", "nächst")
_FUTURE_CUES = re.compile(
    r"\b(?:wird|werden|werde|will|wollen|soll|sollen|solle|plant|planen|geplant|anberaumt"
    r"|voraussichtlich|bevorstehend\w*|angesetzt|erwartet)\b", re.IGNORECASE)
_PAST_CUES = re.compile(
    r"\b(?:sagte\w*|hatte\w*|hat|haben|war|waren|wurde\w*|worden|erklärte\w*|teilte\w*|berichtete\w*"
    r"|betonte\w*|behauptete\w*|kündigte\w*|bestätigte\w*|meldete\w*|warnte\w*|forderte\w*"
    r"|äußerte\w*|besuchte\w*|gab|gaben|kam|kamen|ging|gingen|fand|fanden|traf\w*|reiste\w*)\b",
    re.IGNORECASE)


def _resolve_weekday(m: re.Match, ref: date | None, clause: str) -> Resolved:
    if ref is None:
        return None
    target = WEEKDAYS[m["weekday"]]
    modifier = (m["modifier"] or "").lower()
    back = (ref.weekday() - target) % 7          # 0..6 days back to that weekday
    ahead = (target - ref.weekday()) % 7 or 7    # 1..7 days ahead
    if modifier.startswith(_PAST_MODIFIERS):
        return ref - timedelta(days=back or 7), None, "day"
    if modifier.startswith(_FUTURE_MODIFIERS):
        return ref + timedelta(days=ahead), None, "day"
    tense = _tense(clause)
    if modifier.startswith("dies"):
        # this week's, unless the tense points across the publication day: "hat diesen
        # Samstag angekündigt" on a Wednesday is the Saturday before, not after
        this_week = ref - timedelta(days=ref.weekday()) + timedelta(days=target)
        if tense < 0 and this_week > ref:
            return ref - timedelta(days=back), None, "day"
        if tense > 0 and this_week < ref:
            return ref + timedelta(days=ahead), None, "day"
        return this_week, None, "day"
    if tense > 0:
        return ref + timedelta(days=ahead), None, "day"
    return ref - timedelta(days=back), None, "day"


def _direction(modifier: str) -> int:
    modifier = modifier.lower()
    if modifier.startswith(_PAST_MODIFIERS) or modifier.startswith("vor"):
        return -1
    if modifier.startswith(_FUTURE_MODIFIERS):
        return 1
    return 0


def _resolve_relative_period(m: re.Match, ref: date | None, _clause: str) -> Resolved:
    if ref is None:
        return None
    if m["compound"]:
        unit, step = m["compound"].lower()[3:], -1   # Vorwoche, Vormonat, Vorjahr
    else:
        unit, step = m["unit"].lower(), _direction(m["modifier"])
    if unit.startswith("woche"):
        return _week(ref + timedelta(weeks=step))
    if unit.startswith("monat"):
        year, month = _shift_month(ref, step)
        return _month_part(m["part"], year, month)
    return _year_part(m["part"], ref.year + step)


_NUMBER_WORDS = {
    "einem": 1, "einer": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
}


def _resolve_distance(m: re.Match, ref: date | None, _clause: str) -> Resolved:
    if ref is None:
        return None
    count = int(m["count"]) if m["count"].isdigit() else _NUMBER_WORDS[m["count"].lower()]
    if count > 1000:
        return None
    sign = -1 if m["direction"].lower() == "vor" else 1
    unit = m["unit"].lower()
    if unit.startswith("tag"):
        return ref + timedelta(days=sign * count), None, "day"
    if unit.startswith("woche"):
        return _week(ref + timedelta(weeks=sign * count))
    if unit.startswith("monat"):
        return _month(*_shift_month(ref, sign * count))
    if ref.year + sign * count < 1:
        return None
    return _year_part(None, ref.year + sign * count)


# --- patterns ---------------------------------------------------------------------

_WD_PREFIX = rf"(?:(?:am|Am)\s+)?(?:{WEEKDAY_RE}),?\s+(?:den\s+)?"
_DAY = r"(?<![\d.,])(?P<day>[0-3]?\d)\."
_YEAR = r"(?:\s+(?P<year>\d{4})(?!\d))?"

_RULES: list[_Rule] = [
    _Rule(re.compile(
        rf"(?:(?:vom|Vom|zwischen dem|Zwischen dem)\s+)?(?<![\d.,])(?P<day1>[0-3]?\d)\.\s*"
        rf"(?:(?P<month1>{MONTH_AFTER_DAY_RE})(?:\s+(?P<year1>\d{{4}}))?\s*)?"
        rf"(?:bis(?:\s+zum)?|und(?:\s+dem)?|-|–)\s*(?P<day2>[0-3]?\d)\.\s*(?P<month2>{MONTH_AFTER_DAY_RE})"
        rf"(?:\s+(?P<year2>\d{{4}})(?!\d))?"), False, _resolve_range, "day"),
    _Rule(re.compile(rf"(?:{_WD_PREFIX})?{_DAY}\s*(?P<month>{MONTH_AFTER_DAY_RE})(?![\wäöü]){_YEAR}"),
          False, _resolve_day_month, "day"),
    _Rule(re.compile(rf"(?:{_WD_PREFIX})?{_DAY}(?P<month>[01]?\d)\.(?P<year>\d{{4}}|\d{{2}})(?![\d]|\.\d)"),
          False, _resolve_numeric, "day"),
    _Rule(re.compile(r"(?:am|vom|bis|zum|ab|seit|dem|den|Am|Vom|Bis|Ab|Seit)\s+"
                     r"(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>)(?![\d])"),
          False, _resolve_numeric, "day"),
    _Rule(re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d])"),
          False, _resolve_iso, "day"),
    _Rule(re.compile(rf"(?:(?P<part>Anfang|Mitte|Ende)\s+|\b(?:im|Im|seit|Seit|bis|Bis|ab|Ab)\s+)?"
                     rf"\b(?P<month>{MONTH_FULL_RE})\s+(?P<year>\d{{4}})(?!\d)"),
          False, _resolve_month_year, "month"),
    _Rule(re.compile(rf"(?:(?P<part>Anfang|Mitte|Ende)|\b(?:im|Im|seit|Seit|bis|Bis|ab|Ab))\s+"
                     rf"(?P<month>{MONTH_FULL_RE})\b(?!\s+\d{{4}})"),
          False, _resolve_bare_month, "month"),
    _Rule(re.compile(r"(?:(?P<part>Anfang|Mitte|Ende)\s+|\b(?:im|Im)\s+Jahre?\s+)(?P<year>\d{4})(?!\d)"),
          False, _resolve_year, "year"),
    _Rule(re.compile(r"(?<![\w-])(?P<word>vorgestern|Vorgestern|gestern|Gestern|heute|Heute|übermorgen"
                     r"|Übermorgen|morgen)(?![\w-])"
                     r"(?:\s+(?:Morgen|Vormittag|Mittag|Nachmittag|Abend|Nacht|früh)\b)?"),
          True, _resolve_relative_day, "day"),
    _Rule(re.compile(
        rf"(?:\b(?:am|Am|seit|Seit|bis|Bis|ab|Ab|vom|zum)\s+)?"
        rf"(?:(?P<modifier>[Vv]ergangene[nm]?|[Ll]etzte[nm]?|[Vv]orige[nm]?|[Kk]ommende[nm]?|[Nn]ächste[nm]?"
        rf"|[Dd]iese[nm]?)\s+)?\b(?P<weekday>{WEEKDAY_RE})"
        r"(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?(?![\wäöü])"),
          True, _resolve_weekday, "day"),
    _Rule(re.compile(
        r"(?:\b(?P<part>Anfang|Mitte|Ende)\s+|\b(?:in der|In der|in dieser|In dieser|im|Im|in diesem"
        r"|In diesem)\s+)?"
        r"\b(?:(?P<modifier>[Ll]etzte[nrms]?|[Vv]ergangene[nrms]?|[Vv]orige[nrms]?|[Nn]ächste[nrms]?"
        r"|[Kk]ommende[nrms]?|[Dd]iese[nrms]?)\s+(?P<unit>Woche|Monats?|Jahr(?:es|s)?)(?![\wäöü])"
        r"|(?P<compound>Vorwoche|Vormonat|Vorjahr)(?:es|s)?(?![\wäöü]))"),
          True, _resolve_relative_period, "period"),
    _Rule(re.compile(
        r"\b(?P<direction>vor|Vor|in|In)\s+(?P<count>\d{1,4}|einem|einer|einen|zwei|drei|vier|fünf|sechs"
        r"|sieben|acht|neun|zehn|elf|zwölf)\s+(?P<unit>Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)(?![\wäöü])"),
          True, _resolve_distance, "period"),
]

_NOT_A_DATE_BEFORE = re.compile(r"(?:\bbis|\bvon|\bBis|\bVon)\s+$")
_MORNING_BEFORE = re.compile(r"(?:\bam|\bheute|\bgestern|\bvorgestern|\bjeden|\bden|\bdem|\bguten|\bGuten)\s+$")


def _rejected(rule: _Rule, m: re.Match, text: str) -> bool:
    """Context checks a regex alone cannot express."""
    if rule.resolve is _resolve_relative_day:
        word, before = m["word"].lower(), text[max(0, m.start() - 12): m.start()]
        if word == "heute" and _NOT_A_DATE_BEFORE.search(before):
            return True               # "bis heute", "die Welt von heute"
        if word == "morgen" and _MORNING_BEFORE.search(before):
            return True               # "heute morgen" (old spelling of the morning)
    if rule.resolve is _resolve_distance and m["direction"].lower() == "in":
        # "in einer Woche vorbei", "in einem Jahr, in dem ...": durations, not dates
        count = m["count"].lower()
        return count in ("einem", "einer", "einen") or (count.isdigit() and len(count) > 2)
    return False


# --- public API -------------------------------------------------------------------

def find_mentioned_dates(body: str, reference: date | datetime | str | None = None) -> list[dict]:
    """All date mentions in reading order (see module docstring for the rules)."""
    ref = _as_date(reference)
    text = body or ""
    mentions: list[dict] = []
    sentences = (
        line[start:end]
        for line in text.split("\n") if not is_timestamp_line(line)
        for start, end in _line_sentences(line)
    )
    for sentence in sentences:
        for rule, match in _matches(sentence):
            clause = _clause(sentence, match.start(), match.end())
            resolved = rule.resolve(match, ref, clause)
            first, last, granularity = resolved if resolved else (None, None, rule.granularity)
            if granularity == "period":
                granularity = None
            mentions.append({
                "date": first.isoformat() if first else None,
                "end": last.isoformat() if last and last != first else None,
                "text": match.group(0).strip(),
                "sentence": sentence.strip(),
                "relative": rule.relative,
                "granularity": granularity,
            })
    return mentions


def mentioned_days(mentions: list[dict]) -> list[str]:
    """Sorted unique ISO days of the day-granular mentions (ranges expanded)."""
    days: set[str] = set()
    for mention in mentions:
        if mention["granularity"] != "day" or not mention["date"]:
            continue
        first = date.fromisoformat(mention["date"])
        last = date.fromisoformat(mention["end"]) if mention["end"] else first
        if (last - first).days >= MAX_EXPANDED_DAYS:
            last = first
        days.update((first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1))
    return sorted(days)


def _matches(sentence: str) -> list[tuple[_Rule, re.Match]]:
    """Non-overlapping matches: earlier start first, then longer, then rule order."""
    found = []
    for order, rule in enumerate(_RULES):
        for match in rule.pattern.finditer(sentence):
            if match.group(0).strip() and not _rejected(rule, match, sentence):
                found.append((match.start(), -(match.end() - match.start()), order, rule, match))
    found.sort(key=lambda item: item[:3])
    chosen, taken_until = [], -1
    for start, _length, _order, rule, match in found:
        if start >= taken_until:
            chosen.append((rule, match))
            taken_until = match.end()
    return chosen


def _clause(sentence: str, start: int, end: int) -> str:
    """The comma/quote-delimited clause around a match, for tense cues."""
    left = max(sentence.rfind(ch, 0, start) for ch in ",;:„“”\"«»–")
    rights = [i for ch in ",;:„“”\"«»–" if (i := sentence.find(ch, end)) != -1]
    return sentence[left + 1: min(rights) if rights else len(sentence)]


def _as_date(reference: date | datetime | str | None) -> date | None:
    if reference is None or reference == "":
        return None
    if isinstance(reference, datetime):
        return reference.date()
    if isinstance(reference, date):
        return reference
    try:
        return datetime.fromisoformat(str(reference)).date()
    except ValueError:
        return None
