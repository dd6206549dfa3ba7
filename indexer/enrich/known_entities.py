"""Well-known places and organisations under one name: ``known_entity(folded_name)``.

An article writes "Vereinigte Staaten", the next "USA"; one "Nordkorea", another "DVRK" or
"Demokratische Volksrepublik Korea"; "UN", "UNO" and "Vereinte Nationen". The rules of
canonical.py join the forms of one article only where one abbreviates the other in brackets,
so without a list each form is an entity of its own: a filter ``place=USA`` misses every
article that says "Vereinigte Staaten", and the facet shows both. Nothing in a name says that
"DVRK" is Nordkorea: this takes a reference list.

* Countries and territories: their German and English names from the Unicode CLDR (the
  ``babel`` package, which trafilatura's URL handling already installs; ISO 3166 codes), plus
  the other forms German news use (``COUNTRY_FORMS``: "USA", "BRD", "Weißrussland", ...). The
  name shown is the CLDR German name, or the one the press uses (``COUNTRY_NAMES``: "USA",
  "Großbritannien", "Hongkong").
* International organisations, two German federal bodies and the German federal parties
  (``ORGANISATIONS``), with their German, English and short forms.
* Companies, platforms and media the news name by their brand alone (``COMPANIES``: "Amazon",
  "Netflix", "Wired"). The tagger often takes such a brand for a person's name (the make-run
  archive had "Wired" as a person in 8 articles, "Amazon" in 6), so a person named exactly so
  is the organisation (``known_company``) unless the article names a person with it as the
  surname ("Nikola Tesla").

* The three-letter country codes of sports results (``sport_country``): "Eric Frenzel (GER)",
  "Anna Fenninger (AUT)". The tagger takes such a code for an organisation ("GER" was one in
  7 articles of the make-run archive, "AUT" in 6); it names the athlete's country. The codes
  are the IOC's, which differ from ISO 3166 ("GER", "SUI", "NED", "CRO"); no package that
  carries them is small (``country_converter`` needs pandas), so ``SPORT_CODES`` lists those
  of the nations German sports pages name, and CLDR gives the German name as above.

* News media, by the names of ``outlet.py`` (``known_medium``): "STANDARD", "Der Standard" and
  "derStandard.at" are the organisation "Der Standard", as the outlet facet names it. Many are
  common nouns ("Standard", "Spiegel", "Zeit", "Welt"), so only a name tagged as an
  organisation is looked up here: "die Welt" tagged as a place stays one.

A known name is always of its list's type: a country tagged as an organisation (metonymy:
"Russland erklärte ...") is the place. Only whole names are looked up, after
``declension.nominative`` ("der Vereinigten Staaten" -> "Vereinigte Staaten"). Forms that
name more than one thing are left out: "Korea", "Kongo", "Amerika", "Holland", "England",
English "Georgia" (the US state).
"""

from __future__ import annotations

import functools
import re

from babel import Locale

# CLDR region codes that are not countries or territories
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
# English CLDR names that also name something else
_AMBIGUOUS_ENGLISH = {"Georgia"}

# ISO code -> the name German news use where CLDR's differs
COUNTRY_NAMES = {
    "US": "USA", "GB": "Großbritannien", "HK": "Hongkong", "MO": "Macau",
    "CD": "Demokratische Republik Kongo", "CG": "Republik Kongo", "CI": "Elfenbeinküste",
}

# ISO code -> other forms (German press forms, official and English long forms)
COUNTRY_FORMS = {
    "US": ("USA", "US", "U.S.A.", "Vereinigte Staaten", "Vereinigte Staaten von Amerika",
           "United States of America"),
    "KP": ("DVRK", "Demokratische Volksrepublik Korea", "Volksrepublik Korea",
           "Democratic People's Republic of Korea"),
    "KR": ("Republik Korea", "Republic of Korea"),
    "RU": ("Russische Föderation", "Russian Federation"),
    "CN": ("Volksrepublik China", "VR China", "People's Republic of China"),
    "TW": ("Republik China",),
    "GB": ("Vereinigtes Königreich", "UK", "Great Britain", "Britain"),
    "DE": ("Bundesrepublik Deutschland", "BRD", "Bundesrepublik"),
    "AT": ("Republik Österreich",),
    "CH": ("Schweizerische Eidgenossenschaft", "Eidgenossenschaft"),
    "AE": ("VAE", "Emirate"),
    "CZ": ("Tschechische Republik",),
    "BY": ("Weißrussland",),
    "MD": ("Moldawien", "Republik Moldau"),
    "MM": ("Birma", "Burma"),
    "MK": ("Mazedonien",),
    "CI": ("Côte d'Ivoire", "Côte d’Ivoire"),
    "CD": ("DR Kongo", "Kongo-Kinshasa"),
    "CG": ("Kongo-Brazzaville",),
    "SZ": ("Swasiland",),
    "TR": ("Türkiye",),
    "VA": ("Vatikan",),
    "IR": ("Islamische Republik Iran",),
    "PS": ("Palästinensische Gebiete",),
}

# IOC code -> ISO 3166 code, for the nations German sports results name
SPORT_CODES = {
    "GER": "DE", "AUT": "AT", "SUI": "CH", "LIE": "LI", "ITA": "IT", "FRA": "FR", "ESP": "ES",
    "POR": "PT", "AND": "AD", "MON": "MC", "SMR": "SM", "NED": "NL", "BEL": "BE", "LUX": "LU",
    "GBR": "GB", "IRL": "IE", "DEN": "DK", "NOR": "NO", "SWE": "SE", "FIN": "FI", "ISL": "IS",
    "EST": "EE", "LAT": "LV", "LTU": "LT", "POL": "PL", "CZE": "CZ", "SVK": "SK", "HUN": "HU",
    "SLO": "SI", "CRO": "HR", "SRB": "RS", "BIH": "BA", "MNE": "ME", "MKD": "MK", "ALB": "AL",
    "KOS": "XK", "BUL": "BG", "ROU": "RO", "MDA": "MD", "UKR": "UA", "BLR": "BY", "RUS": "RU",
    "GRE": "GR", "CYP": "CY", "MLT": "MT", "TUR": "TR", "GEO": "GE", "ARM": "AM", "AZE": "AZ",
    "KAZ": "KZ", "UZB": "UZ", "ISR": "IL", "USA": "US", "CAN": "CA", "MEX": "MX", "CUB": "CU",
    "JAM": "JM", "BRA": "BR", "ARG": "AR", "CHI": "CL", "COL": "CO", "URU": "UY", "PAR": "PY",
    "PER": "PE", "ECU": "EC", "VEN": "VE", "JPN": "JP", "CHN": "CN", "KOR": "KR", "PRK": "KP",
    "TPE": "TW", "HKG": "HK", "IND": "IN", "IRI": "IR", "INA": "ID", "THA": "TH", "PHI": "PH",
    "AUS": "AU", "NZL": "NZ", "RSA": "ZA", "KEN": "KE", "ETH": "ET", "NGR": "NG", "EGY": "EG",
    "MAR": "MA", "ALG": "DZ", "TUN": "TN", "CMR": "CM", "CIV": "CI", "GHA": "GH", "SEN": "SN",
    "QAT": "QA", "KSA": "SA", "UAE": "AE", "BRN": "BH",
}

# (name shown, other forms)
ORGANISATIONS = (
    ("Vereinte Nationen", ("UN", "UNO", "United Nations")),
    ("Europäische Union", ("EU", "European Union")),
    ("Nato", ("NATO", "Nordatlantikpakt")),
    ("UN-Sicherheitsrat", ("Weltsicherheitsrat", "Sicherheitsrat der Vereinten Nationen",
                           "UNO-Sicherheitsrat")),
    ("Weltgesundheitsorganisation", ("WHO", "World Health Organization")),
    ("Internationaler Währungsfonds", ("IWF", "IMF", "International Monetary Fund")),
    ("Weltbank", ("World Bank",)),
    ("Europäische Zentralbank", ("EZB", "ECB", "European Central Bank")),
    ("Welthandelsorganisation", ("WTO", "World Trade Organization")),
    ("Internationale Atomenergiebehörde", ("IAEA", "IAEO", "Internationale Atomenergieagentur",
                                           "Internationale Atomenergie-Organisation")),
    ("OSZE", ("Organisation für Sicherheit und Zusammenarbeit in Europa", "OSCE")),
    ("EU-Kommission", ("Europäische Kommission", "European Commission")),
    ("Europäisches Parlament", ("EU-Parlament", "European Parliament")),
    # German federal bodies whose short name is the usual one; "Bundesrat", "Nationalrat" and
    # "Bundesregierung" are left out: Austria and Switzerland have theirs
    ("Bundestag", ("Deutscher Bundestag",)),
    ("Bundesbank", ("Deutsche Bundesbank",)),
    ("CDU", ("Christlich Demokratische Union Deutschlands", "Christlich Demokratische Union")),
    ("CSU", ("Christlich-Soziale Union in Bayern", "Christlich-Soziale Union")),
    ("SPD", ("Sozialdemokratische Partei Deutschlands",)),
    ("FDP", ("Freie Demokratische Partei",)),
    ("Grüne", ("Bündnis 90/Die Grünen", "Bündnis 90/Grüne", "Die Grünen")),
    ("Linke", ("Die Linke", "Linkspartei")),
    ("AfD", ("Alternative für Deutschland",)),
    ("BSW", ("Bündnis Sahra Wagenknecht",)),
)

# (name shown, other forms): brands that are not usual first names or surnames
COMPANIES = (
    ("Amazon", ()), ("Apple", ()), ("Google", ()), ("Facebook", ()), ("Twitter", ()),
    ("Microsoft", ()), ("Netflix", ()), ("Spotify", ()), ("Tesla", ("Tesla Motors",)),
    ("Uber", ()), ("Airbnb", ()), ("Instagram", ()), ("WhatsApp", ()), ("YouTube", ()),
    ("TikTok", ()), ("Snapchat", ()), ("Samsung", ()), ("Huawei", ()), ("Sony", ()),
    ("Nintendo", ()), ("Nokia", ()), ("Intel", ()), ("IBM", ()), ("Yahoo", ()),
    ("WikiLeaks", ()), ("Wikipedia", ()), ("Wikinews", ()), ("Zalando", ()), ("eBay", ()),
    ("PayPal", ()), ("Wired", ()), ("Heise", ("Heise Online",)),
    ("Guardian", ("The Guardian",)), ("Volkswagen", ("VW",)), ("BMW", ()), ("Audi", ()),
    ("Siemens", ()), ("Lufthansa", ("Deutsche Lufthansa",)), ("Airbus", ()), ("Boeing", ()),
    ("Gazprom", ()), ("Red Bull", ()),
)


@functools.cache
def _table() -> dict[str, tuple[str, str]]:
    """Folded form (``canonical.fold``) -> (type, name shown)."""
    from indexer.enrich.canonical import fold  # here: canonical imports this module
    table: dict[str, tuple[str, str]] = {}
    german, english = Locale("de").territories, Locale("en").territories
    for code in sorted(german):
        if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
            continue
        shown = COUNTRY_NAMES.get(code, german[code])
        forms = [german[code], *COUNTRY_FORMS.get(code, ())]
        if english.get(code) and english[code] not in _AMBIGUOUS_ENGLISH:
            forms.append(english[code])
        for form in (shown, *forms):
            table.setdefault(fold(form), ("LOC", shown))
    for shown, forms in (*ORGANISATIONS, *COMPANIES):
        for form in (shown, *forms):
            table.setdefault(fold(form), ("ORG", shown))
    return table


@functools.cache
def _companies() -> dict[str, str]:
    from indexer.enrich.canonical import fold
    return {fold(form): shown for shown, forms in COMPANIES for form in (shown, *forms)}


def known_entity(folded: str) -> tuple[str, str] | None:
    """(type, name shown) of a well-known place or organisation whose name, in the nominative,
    folds (``canonical.fold``) to ``folded``, else None:
    ``known_entity("dvrk") == ("LOC", "Nordkorea")``."""
    return _table().get(folded)


@functools.cache
def sport_country(code: str) -> str | None:
    """The country (name shown, as ``known_entity`` has it) of a sports result's IOC code:
    ``sport_country("GER") == "Deutschland"``, ``sport_country("SUI") == "Schweiz"``."""
    iso = SPORT_CODES.get(code)
    if iso is None:
        return None
    return COUNTRY_NAMES.get(iso) or Locale("de").territories.get(iso)


_ARTICLE = re.compile(r"^(?:der|die|das|the) (?=\S)")


@functools.cache
def _media() -> dict[str, str]:
    """Folded form -> outlet name, from ``outlet.py``'s tables: each outlet's name, the forms of
    its labels and copyright lines, its domain ("derstandard.at"), and each of these without a
    leading article ("Standard", "New York Times")."""
    from indexer.enrich.canonical import fold
    from indexer.enrich.outlet import OUTLET_ALIASES, OUTLETS_BY_DOMAIN
    pairs = [*OUTLET_ALIASES.items(), *((name, name) for name in OUTLETS_BY_DOMAIN.values()),
             *OUTLETS_BY_DOMAIN.items()]
    media: dict[str, str] = {}
    for form, name in pairs:
        folded = fold(form)
        for variant in (folded, _ARTICLE.sub("", folded)):
            media.setdefault(variant, name)
    return media


def known_medium(folded: str) -> str | None:
    """The outlet name of a news medium whose name folds to ``folded``:
    ``known_medium("standard") == "Der Standard"``, ``known_medium("nzz") == "NZZ"``."""
    return _media().get(folded)


def known_company(folded: str) -> str | None:
    """The name shown of a company, platform or medium (``COMPANIES``) whose name, or its
    genitive, folds to ``folded``: ``known_company("netflix") == "Netflix"``,
    ``known_company("apples") == "Apple"``."""
    companies = _companies()
    found = companies.get(folded)
    if found is None and folded.endswith("s"):
        found = companies.get(folded[:-1])
    return found
