"""The outlet (publication) an article appeared in.

Precedence: the given outlet; the URL's host (known outlets by name, others by their registrable
domain, e.g. "radiocentral.ch"); then cues in the text and in the removed clutter lines, which
are the site's own furniture:
- a leading outlet label: "CNN —", "WASHINGTON (CNN) —", at the start of the body or of the
  text as it came in (the cleaner removes a label that stands on lines of its own);
- a newsroom address: "redaktion@radiocentral.ch", "online@faz.net";
- a copyright line: "© Der Spiegel", "© ZEIT ONLINE", "Copyright 2023 Tagesspiegel";
- a site signature line: "Nachrichten | heute" (ZDF), "ZDFheute", "SPIEGEL+".
An outlet merely named in a sentence ("Die New York Times berichtete ...") is a citation and is
never used. News agencies are not outlets (see agencies.py). Registrable domains come from
tldextract with its bundled public-suffix snapshot (no network at run time).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# registrable domain -> outlet name
OUTLETS_BY_DOMAIN: dict[str, str] = {
    # Germany, national
    "spiegel.de": "Der Spiegel", "zeit.de": "Die Zeit", "faz.net": "FAZ",
    "sueddeutsche.de": "Süddeutsche Zeitung", "sz.de": "Süddeutsche Zeitung",
    "tagesschau.de": "tagesschau", "ard.de": "ARD", "zdf.de": "ZDF", "zdfheute.de": "ZDF",
    "n-tv.de": "n-tv", "welt.de": "Welt", "bild.de": "Bild", "t-online.de": "t-online",
    "stern.de": "Stern", "focus.de": "Focus", "handelsblatt.com": "Handelsblatt", "taz.de": "taz",
    "fr.de": "Frankfurter Rundschau", "rnd.de": "RND", "tagesspiegel.de": "Tagesspiegel",
    "deutschlandfunk.de": "Deutschlandfunk", "deutschlandfunkkultur.de": "Deutschlandfunk Kultur",
    "dw.com": "Deutsche Welle", "wiwo.de": "WirtschaftsWoche", "manager-magazin.de": "manager magazin",
    "capital.de": "Capital", "cicero.de": "Cicero", "freitag.de": "der Freitag", "nd-aktuell.de": "nd",
    "jungewelt.de": "junge Welt", "heise.de": "heise online", "golem.de": "Golem", "netzpolitik.org": "netzpolitik.org",
    "br.de": "BR", "ndr.de": "NDR", "wdr.de": "WDR", "swr.de": "SWR", "mdr.de": "MDR", "hr.de": "HR",
    "hessenschau.de": "hessenschau", "rbb24.de": "rbb24", "sr.de": "SR", "radiobremen.de": "Radio Bremen",
    "sportschau.de": "sportschau", "kicker.de": "kicker", "gmx.net": "GMX", "web.de": "WEB.DE",
    # Germany, regional
    "merkur.de": "Münchner Merkur", "tz.de": "tz", "abendzeitung-muenchen.de": "Abendzeitung",
    "berliner-zeitung.de": "Berliner Zeitung", "morgenpost.de": "Berliner Morgenpost",
    "abendblatt.de": "Hamburger Abendblatt", "mopo.de": "Hamburger Morgenpost",
    "ksta.de": "Kölner Stadt-Anzeiger", "rp-online.de": "Rheinische Post", "waz.de": "WAZ",
    "stuttgarter-zeitung.de": "Stuttgarter Zeitung", "stuttgarter-nachrichten.de": "Stuttgarter Nachrichten",
    "haz.de": "Hannoversche Allgemeine", "lvz.de": "Leipziger Volkszeitung", "mz.de": "Mitteldeutsche Zeitung",
    "volksstimme.de": "Volksstimme", "saechsische.de": "Sächsische Zeitung", "freiepresse.de": "Freie Presse",
    "augsburger-allgemeine.de": "Augsburger Allgemeine", "nordbayern.de": "Nürnberger Nachrichten",
    "badische-zeitung.de": "Badische Zeitung", "weser-kurier.de": "Weser-Kurier",
    "ln-online.de": "Lübecker Nachrichten",
    "shz.de": "shz", "noz.de": "Neue Osnabrücker Zeitung", "wn.de": "Westfälische Nachrichten",
    "come-on.de": "come-on.de", "general-anzeiger-bonn.de": "General-Anzeiger",
    # Austria, Switzerland
    "derstandard.at": "Der Standard", "orf.at": "ORF", "diepresse.com": "Die Presse", "krone.at": "Kronen Zeitung",
    "kurier.at": "Kurier", "profil.at": "profil", "salzburg.com": "Salzburger Nachrichten",
    "kleinezeitung.at": "Kleine Zeitung", "nzz.ch": "NZZ", "srf.ch": "SRF", "tagesanzeiger.ch": "Tages-Anzeiger",
    "blick.ch": "Blick", "watson.ch": "watson", "20min.ch": "20 Minuten", "aargauerzeitung.ch": "Aargauer Zeitung",
    "luzernerzeitung.ch": "Luzerner Zeitung", "bernerzeitung.ch": "Berner Zeitung", "swissinfo.ch": "swissinfo",
    # international
    "cnn.com": "CNN", "bbc.com": "BBC", "bbc.co.uk": "BBC", "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post", "theguardian.com": "The Guardian", "ft.com": "Financial Times",
    "wsj.com": "The Wall Street Journal", "economist.com": "The Economist", "politico.eu": "Politico",
    "politico.com": "Politico", "aljazeera.com": "Al Jazeera", "euronews.com": "Euronews",
    "lemonde.fr": "Le Monde", "reuters.com": "Reuters", "apnews.com": "AP", "bloomberg.com": "Bloomberg",
}

# Names as they appear in a label or copyright line -> outlet name (agencies deliberately absent).
OUTLET_ALIASES: dict[str, str] = {
    "CNN": "CNN", "BBC": "BBC", "BBC News": "BBC", "SPIEGEL": "Der Spiegel", "DER SPIEGEL": "Der Spiegel",
    "Der Spiegel": "Der Spiegel", "SPIEGEL ONLINE": "Der Spiegel", "Spiegel Online": "Der Spiegel",
    "ZEIT ONLINE": "Die Zeit", "Zeit Online": "Die Zeit", "DIE ZEIT": "Die Zeit", "Die Zeit": "Die Zeit",
    "F.A.Z.": "FAZ", "FAZ.NET": "FAZ", "Frankfurter Allgemeine Zeitung": "FAZ",
    "Süddeutsche Zeitung": "Süddeutsche Zeitung", "SZ.de": "Süddeutsche Zeitung",
    "tagesschau.de": "tagesschau", "ZDFheute": "ZDF", "ZDF": "ZDF", "n-tv.de": "n-tv", "ntv.de": "n-tv",
    "WELT": "Welt", "t-online": "t-online", "stern.de": "Stern", "FOCUS Online": "Focus", "FOCUS online": "Focus",
    "Handelsblatt": "Handelsblatt", "taz": "taz", "Tagesspiegel": "Tagesspiegel", "Der Tagesspiegel": "Tagesspiegel",
    "Frankfurter Rundschau": "Frankfurter Rundschau", "RedaktionsNetzwerk Deutschland": "RND",
    "Deutschlandfunk": "Deutschlandfunk", "Deutsche Welle": "Deutsche Welle", "DW": "Deutsche Welle",
    "Der Standard": "Der Standard", "DER STANDARD": "Der Standard", "ORF": "ORF", "NZZ": "NZZ",
    "Neue Zürcher Zeitung": "NZZ", "SRF": "SRF", "Financial Times": "Financial Times",
    "BILD": "Bild", "Bild-Zeitung": "Bild", "Frankfurter Allgemeine": "FAZ",
    "Neue Kronen Zeitung": "Kronen Zeitung", "Kronen-Zeitung": "Kronen Zeitung",
}

# Signature lines of a site's own furniture -> outlet name.
SIGNATURES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^Nachrichten \| heute\b"), "ZDF"),
    (re.compile(r"\bZDFheute\b"), "ZDF"),
    (re.compile(r"^SPIEGEL\+"), "Der Spiegel"),
    (re.compile(r"^(?:Mehr|Alles) (?:dazu |zum Thema )?(?:auf|bei) tagesschau\.de\b"), "tagesschau"),
)

_ALIAS_RE = "|".join(sorted((re.escape(a) for a in OUTLET_ALIASES), key=len, reverse=True))
_LEADING_LABEL = re.compile(
    rf"^\W*(?:\(?(?P<name>{_ALIAS_RE})\)?|[A-ZÄÖÜ][\w.,'’ /-]{{0,60}}?\s*\((?P<dated>{_ALIAS_RE})\))"
    r"\s*[—–-](?:\s|$)")
_COPYRIGHT = re.compile(
    rf"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*)?(?P<name>{_ALIAS_RE})(?![\w-])")
_NEWSROOM_EMAIL = re.compile(
    r"\b(?:redaktion|newsroom|nachrichten|news|online|onlineredaktion|online-redaktion|leserbriefe?"
    r"|leserservice|webredaktion|digital)[\w.+-]*@(?P<domain>[\w-]+(?:\.[\w-]+)*\.[a-z]{2,})\b", re.IGNORECASE)
LEADING_LINES = 3


def find_outlet(
    given: str | None = None,
    url: str | None = None,
    body: str = "",
    removed_lines: Iterable[tuple[str, str]] | None = None,
    input_lines: Iterable[str] | None = None,
) -> str | None:
    """The outlet name, or None when neither metadata nor the text tells. ``input_lines``:
    the text's lines as they came in, clutter included, for the leading label."""
    if given and given.strip():
        return given.strip()
    from_url = outlet_from_url(url) if url else None
    if from_url:
        return from_url
    lines = [ln.strip() for ln in (body or "").splitlines() if ln.strip()]
    extra = [text.strip() for text, _cls in (removed_lines or ()) if text and text.strip()]
    for start in (lines, [ln.strip() for ln in input_lines or () if ln.strip()]):
        if match := _LEADING_LABEL.match(" ".join(start[:LEADING_LINES])):
            return OUTLET_ALIASES[match["name"] or match["dated"]]
    for line in lines + extra:
        if match := _NEWSROOM_EMAIL.search(line):
            return outlet_from_host(match["domain"])
    for line in lines + extra:
        if match := _COPYRIGHT.search(line):
            return OUTLET_ALIASES[match["name"]]
    for line in lines + extra:
        for pattern, name in SIGNATURES:
            if pattern.search(line):
                return name
    return None


def outlet_from_url(url: str) -> str | None:
    """Known outlet name for a URL's host, else its registrable domain; None for no host."""
    text = url.strip()
    host = urlsplit(text if "//" in text else "//" + text).hostname
    return outlet_from_host(host) if host else None


def outlet_from_host(host: str) -> str | None:
    domain = registrable_domain(host)
    if not domain:
        return None
    return OUTLETS_BY_DOMAIN.get(domain, domain)


def registrable_domain(host: str) -> str | None:
    """"www.m.spiegel.de" -> "spiegel.de", "news.bbc.co.uk" -> "bbc.co.uk"; None for IPs/localhost."""
    result = _extractor()(host.lower().rstrip("."))
    if not result.suffix or not result.domain:
        return None
    return f"{result.domain}.{result.suffix}"


@functools.lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # bundled public-suffix snapshot only: no download, no cache directory
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
