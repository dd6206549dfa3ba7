"""News agencies an article comes from, read from its credit positions only.

An agency counts when it is named where a newsroom credits its source:
- a source line: "Quelle: dpa, AFP", "Quellen: dpa/AFP", "Mit Material von Reuters",
  "(Mit Material der Nachrichtenagenturen dpa und AFP)", "Material: dpa", "Text: AP";
- a dateline at the start of a paragraph: "Berlin (dpa) -", "WASHINGTON (Reuters) –", "(AFP) -";
- a credit line made only of agency and author short forms: "dpa/AFP", "jki/dpa", "(kna/epd)";
  or such a parenthesis closing a paragraph: "... sagte er. (dpa)";
- a byline: "Von Anna Muster, dpa", "Von Max Muster (AFP)";
- a dpa service signature: "© dpa-infocom, dpa:230830-99-012345/3".
A mere citation in running text ("Laut Reuters ...", "wie die Nachrichtenagentur AFP berichtete",
"berichtete die Nachrichtenagentur Yonhap") is never read: running text is not a credit position.
Photo credits ("Foto: Susan Walsh/AP/dpa", "© Keystone/AP/...", "... via AP (Archiv)") are
skipped, and so are removed clutter lines of a photo/teaser/ad class.
Names are returned canonical ("dpa", "AFP", "Reuters", "AP", ...), in order of first credit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# canonical name -> aliases (matched as whole words; case-sensitive unless listed in _ANY_CASE)
AGENCIES: dict[str, tuple[str, ...]] = {
    "dpa": ("dpa", "DPA", "dpa-AFX", "dpa-infocom", "Deutsche Presse-Agentur", "Deutschen Presse-Agentur",
            "dpa-tmn", "dpa-Themendienst", "dpa/lno", "dpa/lnw", "dpa/lby", "dpa/lsw", "dpa/lni", "dpa/lhe",
            "dpa/lsn", "dpa/lrs", "dpa/lmv", "dpa/lbn", "dpa/lah", "dpa/lth", "lby", "lnw", "lsw", "lni"),
    "AFP": ("AFP", "afp", "Agence France-Presse", "Agence France Presse"),
    "Reuters": ("Reuters", "REUTERS", "rtr", "Thomson Reuters"),
    "AP": ("AP", "ap", "Associated Press"),
    "dapd": ("dapd", "ddp"),
    "sda": ("sda", "SDA", "Keystone-SDA", "Keystone-sda", "Schweizerische Depeschenagentur"),
    "APA": ("APA", "apa", "Austria Presse Agentur", "APA-OTS"),
    "KNA": ("KNA", "kna", "Katholische Nachrichten-Agentur"),
    "epd": ("epd", "Evangelischer Pressedienst"),
    "Kathpress": ("Kathpress", "KAP", "kap"),
    "idea": ("idea",),
    "dts": ("dts", "dts Nachrichtenagentur"),
    "SID": ("SID", "sid", "Sport-Informations-Dienst"),
    "AWP": ("AWP", "awp"),
    "Bloomberg": ("Bloomberg",),
    "Dow Jones": ("Dow Jones", "Dow Jones Newswires"),
    "ANSA": ("ANSA", "Ansa"),
    "EFE": ("EFE", "Efe"),
    "Belga": ("Belga",),
    "ANP": ("ANP",),
    "PAP": ("PAP",),
    "TASS": ("TASS", "Tass", "Itar-Tass"),
    "RIA Nowosti": ("RIA Nowosti", "RIA Novosti", "Ria Nowosti"),
    "Interfax": ("Interfax", "Interfax-Ukraine"),
    "Ukrinform": ("Ukrinform",),
    "Anadolu": ("Anadolu", "Anadolu Agency"),
    "Xinhua": ("Xinhua", "Xinhua News Agency", "Neues China"),
    "Kyodo": ("Kyodo",),
    "Jiji": ("Jiji", "Jiji Press"),
    "Yonhap": ("Yonhap",),
    "KCNA": ("KCNA", "Korean Central News Agency", "KCNA Watch"),
    "AAP": ("AAP",),
    "PTI": ("PTI",),
    "CTK": ("CTK", "ČTK"),
    "MTI": ("MTI",),
}

_ALIAS_TO_NAME = {alias: name for name, aliases in AGENCIES.items() for alias in aliases}
_ALIAS_RE = "|".join(sorted((re.escape(a) for a in _ALIAS_TO_NAME), key=len, reverse=True))
_AGENCY = re.compile(rf"(?<![\w-])(?:{_ALIAS_RE})(?![\w-])")

# Removed clutter classes that never credit an agency (substring match, case-insensitive).
SKIPPED_CLASS_HINTS = ("photo", "image", "bild", "caption", "teaser", "related", "ad", "anzeige",
                       "comment", "kommentar", "subscri", "newsletter", "nav", "menu", "social",
                       "share", "cookie")

_PHOTO_CREDIT = re.compile(
    r"\b(?:Foto|Fotos|Bild|Bilder|Archivbild|Archivfoto|Grafik|Illustration|Video|Karte|Symbolbild"
    r"|Photo|Image|picture[ -]alliance|imago|IMAGO|Getty|Keystone/|via AP|via Reuters|\(Archiv\)|/Archiv)\b"
    r"|(?:AP|AFP|Reuters|dpa)/[A-ZÄÖÜ][a-zäöü]+\s+[A-ZÄÖÜ]"      # "AP/Susan Walsh"
    r"|\b[A-ZÄÖÜ][a-zäöü]+\s+[A-ZÄÖÜ][a-zäöü]+/(?:AP|AFP|Reuters|dpa)\b")  # "Susan Walsh/AP"
_PHOTO_WORDS_CASELESS = re.compile(r"\b(?:foto|fotos|bildquelle|copyright foto)\b", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^\W*(?:Quellen?|Material|Agenturen|Agenturmaterial|Text|Source|Sources)\s*:",
                          re.IGNORECASE)
_WITH_MATERIAL = re.compile(
    r"\((?:mit|unter Verwendung von) Material (?:von|der|aus)[^)]{1,120}\)|"
    r"^\W*(?:mit|unter Verwendung von) Material (?:von|der|aus)\b.{1,120}$", re.IGNORECASE)
_DATELINE = re.compile(
    r"^\W{0,3}(?:[A-ZÄÖÜ][\w.'’ -]{0,40}?(?:/[A-ZÄÖÜ][\w.'’ -]{0,30}?)*,?\s*)?"
    r"\((?P<credit>[^()]{2,40})\)\s*[-–—:]")
_CREDIT_TOKENS = re.compile(r"^\W*\(?(?P<credit>[\w-]{2,12}(?:\s*[/,]\s*[\w-]{2,12}){0,5})\)?\W*$")
_CLOSING_CREDIT = re.compile(r"[.!?\"“”»«]\s*\((?P<credit>[\w-]{2,12}(?:\s*[/,]\s*[\w.-]{2,12}){0,5})\)\s*$")
_BYLINE = re.compile(r"^\W*(?:Von|Text von|Ein Bericht von)\s+[^\n]{2,80}?(?:,|\(|/)\s*(?P<credit>[^()]{2,40})\)?\s*$")
_DPA_SIGNATURE = re.compile(r"dpa-infocom|\bdpa:\d{6}-\d{2}-\d+")
# an editor's initials ("jki" in "jki/dpa") or a date ("(APA, 4.9.2023)") beside the agency
_SHORT_FORM = re.compile(r"^(?:[a-zäöü]{2,5}|\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?)$")

MAX_CREDIT_LINE = 160
HEAD_PARAGRAPHS = 3   # datelines are looked for in the first paragraphs only


def find_agencies(body: str = "", removed_lines: Iterable[tuple[str, str]] | None = None) -> list[str]:
    """Canonical agency names credited in the body or the removed credit lines."""
    found: list[str] = []
    lines = [line.strip() for line in (body or "").splitlines() if line.strip()]
    for index, line in enumerate(lines):
        _add(found, _credits_in_line(line, head=index < HEAD_PARAGRAPHS))
    for text, cls in removed_lines or ():
        cls = (cls or "").lower()
        if text and not any(hint in cls for hint in SKIPPED_CLASS_HINTS):
            _add(found, _credits_in_line(text.strip(), head=False))
    return found


def _credits_in_line(line: str, head: bool) -> list[str]:
    if _DPA_SIGNATURE.search(line):
        return ["dpa"] + _names(line)
    if len(line) <= MAX_CREDIT_LINE and (_PHOTO_CREDIT.search(line) or _PHOTO_WORDS_CASELESS.search(line)):
        return []
    names: list[str] = []
    for match in _WITH_MATERIAL.finditer(line):
        names += _names(match.group(0))
    if len(line) <= MAX_CREDIT_LINE:
        if _SOURCE_LINE.match(line):
            names += _names(line)
        elif match := _CREDIT_TOKENS.match(line):
            names += _credit_group(match["credit"])
        elif match := _BYLINE.match(line):
            names += _credit_group(match["credit"])
    if head and (match := _DATELINE.match(line)):
        names += _credit_group(match["credit"])
    if match := _CLOSING_CREDIT.search(line):
        names += _credit_group(match["credit"])
    return names


def _credit_group(credit: str) -> list[str]:
    """Names in a short credit like "dpa/AFP" or "jki/dpa"; [] when any part is not an agency
    or an editor's initials (so "(Ortszeit)" or "(Archiv)" never count)."""
    parts = [p.strip() for p in re.split(r"\s*[/,]\s*|\s+und\s+", credit) if p.strip()]
    names = [_ALIAS_TO_NAME.get(p) for p in parts]
    if not any(names):
        return []
    if not all(name or _SHORT_FORM.match(part) for name, part in zip(names, parts, strict=True)):
        return []
    return [name for name in names if name]


def _names(text: str) -> list[str]:
    return [_ALIAS_TO_NAME[m.group(0)] for m in _AGENCY.finditer(text)]


def _add(found: list[str], names: list[str]) -> None:
    for name in names:
        if name not in found:
            found.append(name)
