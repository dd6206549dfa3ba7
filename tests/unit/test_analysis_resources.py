"""The German analysis resources built by scripts/build_analysis_resources.py.

Builds the files once (about 10 s) from the installed packages and checks them: the FOP XML as
Lucene's PatternParser reads it, the word list through a Python port of Lucene's decompounder,
and the synonyms as Solr rules.
"""
from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_analysis_resources.py"
SYNONYMS = ROOT / "mappings" / "analysis" / "de_synonyms.txt"


def _load_script():
    spec = importlib.util.spec_from_file_location("build_analysis_resources", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bar = _load_script()

# Real compounds from the sample articles and German news headlines, with the stems a correct
# split yields (a part may carry a linking letter or an inflection after its stem: "rüstungs",
# "gesetzen") and, third, parts that are acceptable though not required.
COMPOUNDS = [
    ("waffenlieferungen", ["waffen", "lieferungen"], []),
    ("rüstungsgespräche", ["rüstung", "gespräche"], []),
    ("artilleriemunition", ["artillerie", "munition"], []),
    ("bundesregierung", ["bund", "regierung"], []),
    ("staatsbesuch", ["staat", "besuch"], []),
    ("friedensverhandlungen", ["frieden", "verhandlungen"], ["handlungen"]),
    ("außenministerin", ["außen", "ministerin"], []),
    ("raketentests", ["raketen", "tests"], []),
    ("atomwaffenprogramm", ["atom", "waffen", "programm"], []),
    ("militärparade", ["militär", "parade"], []),
    ("pressekonferenz", ["presse", "konferenz"], []),
    ("wirtschaftsbeziehungen", ["wirtschaft", "beziehungen"], []),
    ("verteidigungsminister", ["verteidigung", "minister"], []),
    ("waffenverkäufe", ["waffen", "verkäufe"], ["käufe"]),
    ("waffenverhandlungen", ["waffen", "verhandlungen"], ["handlungen"]),
    ("verteidigungsministeriums", ["verteidigung", "ministerium"], []),
    ("sicherheitsberater", ["sicherheit", "berater"], []),
    ("panzerabwehrwaffen", ["panzer", "abwehr", "waffen"], []),
    ("kommunikationsdirektor", ["kommunikation", "direktor"], []),
    ("jahrespressekonferenz", ["jahr", "presse", "konferenz"], []),
    ("führungsebene", ["führung", "ebene"], []),
    ("angriffskrieg", ["angriff", "krieg"], []),
    ("wirtschaftssanktionen", ["wirtschaft", "sanktionen"], []),
    ("wirtschaftsforums", ["wirtschaft", "forum"], []),
    ("waffenhandels", ["waffen", "handel"], []),
    ("waffengespräche", ["waffen", "gespräche"], []),
    ("waffengeschäft", ["waffen", "geschäft"], []),
    ("waffenausstellung", ["waffen", "ausstellung"], ["stellung"]),
    ("waffenabkommen", ["waffen", "abkommen"], []),
    ("verteidigungsfähigkeit", ["verteidigung", "fähigkeit"], []),
    ("sicherheitsumfeld", ["sicherheit", "umfeld"], []),
    ("rüstungsindustrie", ["rüstung", "industrie"], []),
    ("nuklearantrieb", ["nuklear", "antrieb"], []),
    ("munitionsvorräte", ["munition", "vorräte"], []),
    ("massenvernichtungswaffenprogramm", ["massen", "vernichtung", "waffen", "programm"], []),
    ("krisengipfel", ["krise", "gipfel"], []),
    ("kriegsverbrechen", ["krieg", "verbrechen"], []),
    ("kriegsgefangene", ["krieg", "gefangene"], []),
    ("kriegsbeginn", ["krieg", "beginn"], []),
    ("konfliktparteien", ["konflikt", "parteien"], []),
    ("interkontinentalraketentests", ["raketen", "tests"], ["kontinental"]),
    ("infanterieraketen", ["infanterie", "raketen"], []),
    ("geheimdienstinformationen", ["geheimdienst", "informationen"], ["dienst"]),
    ("besatzungstruppen", ["besatzung", "truppen"], []),
    ("artilleriegeschosse", ["artillerie", "geschosse"], []),
    ("artilleriebeschuss", ["artillerie", "beschuss"], []),
    ("pazifikküste", ["pazifik", "küste"], []),
    ("spendeneinbruch", ["spenden", "einbruch"], []),
    ("schurkenregime", ["schurken", "regime"], []),
    ("rüstungsgeschäfte", ["rüstung", "geschäfte"], []),
    ("atomwaffensperrvertrag", ["atom", "waffen", "sperr", "vertrag"], []),
    ("stromausfall", ["strom", "ausfall"], []),
    ("feuerwehreinsatz", ["feuerwehr", "einsatz"], []),
    ("bürgermeister", ["bürger", "meister"], []),
    ("klimaschutz", ["klima", "schutz"], []),
    ("drohnenangriff", ["drohnen", "angriff"], []),
    ("landtagswahl", ["landtag", "wahl"], []),
    ("nachrichtenagentur", ["nachrichten", "agentur"], []),
    ("energiewende", ["energie", "wende"], []),
    ("waffenruhe", ["waffen", "ruhe"], []),
    ("justizministerin", ["justiz", "ministerin"], []),
    ("brandanschlag", ["brand", "anschlag"], []),
    ("gesetzentwurf", ["gesetz", "entwurf"], []),
    ("vogelgrippe", ["vogel", "grippe"], []),
    ("parlamentswahl", ["parlament", "wahl"], []),
    ("regierungschef", ["regierung", "chef"], []),
]

# Ordinary words (from the same texts) the filter must leave whole.
WHOLE_WORDS = [
    "verhandlungen", "kanzler", "regierung", "gesellschaft", "mannschaft", "verbrechen",
    "unterstützung", "generation", "informationen", "gemeinschaft", "verpflichtungen",
    "technologien", "schwierigkeiten", "kommunikation", "diskussionen", "angelegenheiten",
    "deutschland", "russland", "präsident", "politische", "sollte", "weitere", "allerdings",
    "besonders", "ministerin", "sicherheit", "verteidigung", "zusammenarbeit",
]

ONE_SPLIT_EXAMPLES = {  # exact output pinned, with Lucene's default only_longest_match
    "waffenlieferungen": ["waffen", "lieferungen"],
    "rüstungsgespräche": ["rüstungs", "gespräche"],
    "artilleriemunition": ["artillerie", "munition"],
    "bundesregierung": ["bundes", "regierung"],
    "außenministerin": ["außen", "ministerin"],
    "raketentests": ["raketen", "tests"],
    "pressekonferenz": ["presse", "konferenz"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("analysis")
    for name in (bar.HYPHENATION_FILE, bar.COMPOUND_PARTS_FILE, bar.SYNONYMS_FILE):
        (outdir / name).write_text("stale\n", encoding="utf-8")  # a build rewrites old files
    counts = bar.build(outdir)
    return outdir, counts


@pytest.fixture(scope="module")
def hyphenator():
    return bar.load_hyphenator()[1]


@pytest.fixture(scope="module")
def parts(built):
    return bar.load_dictionary(built[0] / bar.COMPOUND_PARTS_FILE)


def split_is_right(found: list[str], stems: list[str], extras: list[str], strict: bool) -> bool:
    """Every stem found as a part (a part may add up to two letters: linking s, plural n);
    with ``strict``, also no part beyond the stems and the acceptable extras."""
    def matches(part: str, stem: str) -> bool:
        if part.startswith(stem):
            return len(part) - len(stem) <= 2
        return stem.startswith(part) and len(stem) - len(part) <= 1

    if not all(any(matches(p, s) for p in found) for s in stems):
        return False
    if strict:
        return all(any(matches(p, s) for s in stems) or p in extras for p in found)
    return True


# --- hyphenation patterns ------------------------------------------------------------------

def test_xml_is_well_formed_fop_with_classes_and_patterns(built):
    root = ET.parse(built[0] / bar.HYPHENATION_FILE).getroot()
    assert root.tag == "hyphenation-info"
    assert root.find("hyphen-char").get("value") == "-"
    classes = root.find("classes").text.split()
    patterns = root.find("patterns").text.split()
    for pair in ("aA", "äÄ", "öÖ", "üÜ", "ßẞ", "zZ"):
        assert pair in classes
    assert len(patterns) > 8000
    assert all(re.fullmatch(r"[.a-zäöüßàáâãåæçèéêëìíîïñòóôõøùúûýÿœ0-9]+", p) for p in patterns)
    assert all(any(ch.isdigit() for ch in p) for p in patterns)


def test_xml_fits_lucenes_16_bit_ternary_tree(built):
    root = ET.parse(built[0] / bar.HYPHENATION_FILE).getroot()
    footprint = bar.lucene_load_footprint(root.find("patterns").text.split())
    assert max(footprint.values()) < 0xFFFF


@pytest.mark.parametrize("line, expected", [
    (".ab3a4s", ".ab3a4s"),
    ("zy1klo1tron", "zy1klo1tron"),
    ("8pär3l ", "8pär3l"),
    ("ti2v5er1z\t", "ti2v5er1z"),
    (".crè2me.", ".crè2me."),
    ("c1k/k=k,1,2", None),
    ("1-1", None),
    ("droit", None),
    ("1'1", None),
    ("# Kommentar", None),
    ("", None),
])
def test_convert_pattern(line, expected):
    assert bar.convert_pattern(line) == expected


def test_pattern_values_like_lucenes_interletter_values():
    assert bar.pattern_letters(".ab3a4s") == ".abas"
    assert bar.pattern_values(".ab3a4s") == [0, 0, 0, 3, 4, 0]
    assert bar.pattern_values("8ar6tei") == [8, 0, 6, 0, 0, 0]


def test_parse_libhyphen_levels_options_and_charsets():
    text = ("ISO8859-1\nLEFTHYPHENMIN 2\nRIGHTHYPHENMIN 3\nCOMPOUNDLEFTHYPHENMIN 2\n"
            "% comment\nab1bau1front\nNOHYPHEN -,'\n1-1\nNEXTLEVEL\n.aa6l\nc1k/k=k,1,2\n"
            "8pär3l\n")
    parsed = bar.parse_libhyphen(text.encode("latin-1"))
    assert parsed.charset == "ISO8859-1"
    assert (parsed.left_hyphen_min, parsed.right_hyphen_min) == (2, 3)
    assert parsed.compound_left_hyphen_min == 2
    assert parsed.compound_level == ["ab1bau1front"]
    assert parsed.patterns == [".aa6l", "8pär3l"]
    assert parsed.skipped == ["1-1", "c1k/k=k,1,2"]  # NOHYPHEN entry, replacement pattern
    utf8 = bar.parse_libhyphen("UTF-8\n8pär3l\nsch1ß\n".encode())
    assert utf8.patterns == ["8pär3l", "sch1ß"] and not utf8.has_levels


def test_hyphenator_gives_lucenes_points(hyphenator):
    assert hyphenator.hyphenate("waffenlieferungen") == "waf-fen-lie-fe-run-gen"
    assert hyphenator.hyphenate("rüstungsgespräche") == "rüs-tungs-ge-sprä-che"
    assert hyphenator.points("staatsbesuch") == [0, 6, 8, 12]
    assert hyphenator.points("Staatsbesuch") == [0, 6, 8, 12]  # classes map capitals
    assert hyphenator.points("x") is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßAÄZ", max_size=30))
def test_hyphenation_points_are_ordered_inside_the_word(hyphenator, word):
    points = hyphenator.points(word)
    if points is not None:
        assert points[0] == 0 and points == sorted(set(points)) and points[-1] == len(word)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß-'0", max_size=30))
def test_hyphenation_never_fails_on_odd_tokens(hyphenator, word):
    points = hyphenator.points(word)
    assert points is None or all(0 <= p <= len(word) for p in points)


# --- compound parts -------------------------------------------------------------------------

def test_word_list_is_lower_case_words(built, parts):
    lines = (built[0] / bar.COMPOUND_PARTS_FILE).read_text(encoding="utf-8").splitlines()
    words = [line for line in lines if not line.startswith("#")]
    assert words == sorted(set(words))
    assert all(re.fullmatch(r"[a-zäöüßéèêàâçñóôû]{4,}", w) for w in words)
    assert 30_000 < len(parts) < 150_000


def test_word_list_has_the_parts_of_news_compounds(parts):
    for word in ["waffen", "lieferungen", "rüstung", "gespräche", "artillerie", "munition",
                 "bundes", "regierung", "staats", "besuch", "friedens", "verhandlungen",
                 "außen", "ministerin", "raketen", "tests", "atom", "programm", "militär",
                 "parade", "presse", "konferenz", "wirtschafts", "beziehungen", "kanzler",
                 "russland", "ukraine", "straße", "größe"]:
        assert word in parts, word


def test_word_list_has_no_junk_and_no_transparent_compounds(parts):
    for word in ["kanz", "unter", "ober", "tung", "rungen", "lungen", "stäte", "teidigung",
                 "keten", "schafts", "waffenlieferung", "bundesregierung", "pressekonferenz",
                 "staatsbesuch", "usa", "eu", "kim"]:
        assert word not in parts, word


@pytest.mark.parametrize("word, expected", sorted(ONE_SPLIT_EXAMPLES.items()))
def test_decompounder_splits_the_examples(hyphenator, parts, word, expected):
    assert bar.decompound(word, hyphenator, parts) == expected


@pytest.mark.parametrize("word", WHOLE_WORDS)
def test_decompounder_leaves_ordinary_words_whole(hyphenator, parts, word):
    assert bar.decompound(word, hyphenator, parts) == []
    assert bar.decompound(word, hyphenator, parts, no_overlapping_matches=True) == []


def test_decompounder_accuracy_on_news_compounds(hyphenator, parts):
    found = {w: bar.decompound(w, hyphenator, parts) for w, _, _ in COMPOUNDS}
    clean = {w: bar.decompound(w, hyphenator, parts, no_overlapping_matches=True)
             for w, _, _ in COMPOUNDS}
    covered = sum(split_is_right(found[w], s, x, strict=False) for w, s, x in COMPOUNDS)
    strict_clean = sum(split_is_right(clean[w], s, x, strict=True) for w, s, x in COMPOUNDS)
    assert covered >= 0.95 * len(COMPOUNDS), {w: found[w] for w, s, x in COMPOUNDS
                                              if not split_is_right(found[w], s, x, False)}
    assert strict_clean >= 0.9 * len(COMPOUNDS), {w: clean[w] for w, s, x in COMPOUNDS
                                                  if not split_is_right(clean[w], s, x, True)}


def test_decompound_follows_lucene_rules():
    hyph = bar.Hyphenator(["a1b", "b1c", "c1d"], ["aA", "bB", "cC", "dD"])
    assert hyph.hyphenate("aabbccdd") == "aa-bb-cc-dd"
    words = {"aabb", "bbcc", "ccdd", "aabbcc"}
    assert bar.decompound("aabbccdd", hyph, words) == ["aabbcc", "bbcc", "ccdd"]
    assert bar.decompound("aabbccdd", hyph, words, no_overlapping_matches=True) == ["aabbcc"]
    assert bar.decompound("aabbcc", hyph, words) == []  # whole token in dictionary
    assert bar.decompound("aabbccs", hyph, words) == []  # minus one letter in dictionary
    assert bar.decompound("aab", hyph, words) == []  # shorter than min_word_size


def test_covers():
    assert bar.covers("rüstungsgespräche", [(0, "rüstung"), (8, "gespräche")])
    assert not bar.covers("politische", [(4, "tische")])
    assert not bar.covers("sollte", [(0, "soll")])


# --- synonyms and the build -----------------------------------------------------------------

def _synonym_rules():
    lines = SYNONYMS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_synonyms_parse_as_solr_rules():
    rules = _synonym_rules()
    assert 50 <= len(rules) <= 150
    for rule in rules:
        sides = rule.split("=>")
        assert len(sides) in (1, 2), rule
        terms = [t.strip() for side in sides for t in side.split(",")]
        assert len(terms) >= 2 and all(terms), rule
        assert rule == rule.lower(), rule
        assert all(re.fullmatch(r"[a-zäöüßéèêàâçñóôûô0-9 ]+", t) for t in terms), rule


def test_synonyms_have_no_ambiguous_short_terms():
    for rule in _synonym_rules():
        terms = {t.strip() for side in rule.split("=>") for t in side.split(",")}
        assert not terms & {"un", "us", "em", "ap", "de"}, rule


def test_build_rewrites_all_files(built):
    outdir, counts = built
    assert (outdir / bar.SYNONYMS_FILE).read_bytes() == SYNONYMS.read_bytes()
    for name in (bar.HYPHENATION_FILE, bar.COMPOUND_PARTS_FILE):
        assert (outdir / name).read_text(encoding="utf-8") != "stale\n"
    assert counts["compound_parts"] > 30_000 and counts["patterns"] > 8000
    assert counts["synonym_rules"] == len(_synonym_rules())


def test_umlaut_words_are_listed_in_their_transliterated_spelling_too():
    assert bar.with_transliterations(["verkäufe", "straße", "waffen", "preßekonferenz"]) == [
        "preßekonferenz", "strasse", "straße", "verkaeufe", "verkäufe", "waffen"]
