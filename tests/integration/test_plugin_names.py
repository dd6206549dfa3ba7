"""Every analysis name our es-plugin (newsarchive-analysis) registers, checked through `_analyze`.

Runs against the test node (``NEWSARCHIVE_ES_URL``, default ``http://127.0.0.1:9201``) with the
plugin installed and the resource files of ``scripts/build_analysis_resources.py`` in its config
dir (``analysis/de_hyphenation.xml``, ``analysis/de_compound_parts.txt``,
``analysis/de_synonyms.txt``). An unreachable node fails the module; it is never skipped.

Each table row is (id, request body, expected tokens); a ``Rejected`` expectation means the node
must answer with that HTTP status and a reason containing that text. Rows that need index-level
analysis run against one index ``test-plugin-<random>``, created for this module and deleted after
it. The minimal node has no ``GET /``, so nothing here calls ``info()`` or ``ping()``.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest
from elasticsearch import ApiError, Elasticsearch

pytestmark = pytest.mark.integration

ES_URL = os.environ.get("NEWSARCHIVE_ES_URL", "http://127.0.0.1:9201")
INDEX_PREFIX = "test-plugin-"
S = "standard"


@dataclass(frozen=True)
class Rejected:
    """The request must fail with ``status`` and a reason containing ``reason``."""

    status: int
    reason: str


def case(case_id: str, body: dict, expected: list[str] | Rejected):
    return pytest.param(body, expected, id=case_id)


def stemmer(lang: str, word: str, stem: str):
    return case(f"filter/stemmer/language={lang}",
                {"tokenizer": S, "filter": ["lowercase", {"type": "stemmer", "language": lang}],
                 "text": word}, [stem])


# Index-free `_analyze`: every char filter, token filter, tokenizer and analyzer by name or type.
ANALYZE_CASES = [
    # char filters
    case("char_filter/html_strip",
         {"char_filter": ["html_strip"], "tokenizer": "keyword", "text": "<p>Bär &amp; Co</p>"},
         ["\nBär & Co\n"]),
    case("char_filter/html_strip/escaped_tags",
         {"char_filter": [{"type": "html_strip", "escaped_tags": ["b"]}], "tokenizer": "keyword",
          "text": "<b>x</b><i>y</i>"}, ["<b>x</b>y"]),
    case("char_filter/mapping",
         {"char_filter": [{"type": "mapping", "mappings": ["ß => ss", "& => und"]}],
          "tokenizer": "whitespace", "text": "Straße & Weg"}, ["Strasse", "und", "Weg"]),
    case("char_filter/pattern_replace",
         {"char_filter": [{"type": "pattern_replace", "pattern": "(\\d+)-(\\d+)", "replacement": "$1$2"}],
          "tokenizer": S, "text": "Tel 123-456"}, ["Tel", "123456"]),
    case("char_filter/pattern_replace/flags",
         {"char_filter": [{"type": "pattern_replace", "pattern": "abc", "flags": "CASE_INSENSITIVE",
                           "replacement": "x"}], "tokenizer": "keyword", "text": "ABC"}, ["x"]),
    # token filters
    case("filter/lowercase/pre-configured(server)",
         {"tokenizer": S, "filter": ["lowercase"], "text": "ÄPFEL"}, ["äpfel"]),
    case("filter/lowercase/language=greek",
         {"tokenizer": S, "filter": [{"type": "lowercase", "language": "greek"}], "text": "ΝΈΑ"}, ["νεα"]),
    case("filter/uppercase", {"tokenizer": S, "filter": ["uppercase"], "text": "straße"}, ["STRAßE"]),
    case("filter/asciifolding",
         {"tokenizer": S, "filter": ["asciifolding"], "text": "Müller Café"}, ["Muller", "Cafe"]),
    case("filter/asciifolding/preserve_original",
         {"tokenizer": S, "filter": [{"type": "asciifolding", "preserve_original": True}], "text": "Müller"},
         ["Muller", "Müller"]),
    case("filter/german_normalization",
         {"tokenizer": S, "filter": ["lowercase", "german_normalization"], "text": "Häuser Straße"},
         ["hauser", "strasse"]),
    case("filter/german_stem",
         {"tokenizer": S, "filter": ["lowercase", "german_stem"], "text": "Häuser"}, ["hau"]),
    stemmer("light_german", "häuser", "haus"),
    stemmer("german", "häuser", "haus"),
    stemmer("german2", "haeuser", "haus"),
    stemmer("minimal_german", "häuser", "haus"),
    stemmer("english", "running", "run"),
    stemmer("light_english", "running", "running"),
    stemmer("minimal_english", "cats", "cat"),
    stemmer("porter", "running", "run"),
    stemmer("porter2", "generously", "generous"),
    case("filter/stemmer/name=light_german",
         {"tokenizer": S, "filter": ["lowercase", {"type": "stemmer", "name": "light_german"}],
          "text": "Häuser"}, ["haus"]),
    case("filter/stemmer/pre-configured(porter)",
         {"tokenizer": S, "filter": ["stemmer"], "text": "running"}, ["run"]),
    case("filter/porter_stem", {"tokenizer": S, "filter": ["porter_stem"], "text": "running"}, ["run"]),
    case("filter/kstem", {"tokenizer": S, "filter": ["kstem"], "text": "cats"}, ["cat"]),
    case("filter/snowball/language=German",
         {"tokenizer": S, "filter": ["lowercase", {"type": "snowball", "language": "German"}],
          "text": "Häuser"}, ["haus"]),
    case("filter/keyword_repeat+stemmer+remove_duplicates",
         {"tokenizer": S, "filter": ["lowercase", "keyword_repeat",
                                     {"type": "stemmer", "language": "light_german"}, "remove_duplicates"],
          "text": "Häuser Haus"}, ["häuser", "haus", "haus"]),
    case("filter/unique", {"tokenizer": S, "filter": ["unique"], "text": "a b a c b"}, ["a", "b", "c"]),
    case("filter/unique/only_on_same_position",
         {"tokenizer": S, "filter": ["keyword_repeat", {"type": "unique", "only_on_same_position": True}],
          "text": "a a"}, ["a", "a"]),
    case("filter/word_delimiter_graph/pre-configured",
         {"tokenizer": "whitespace", "filter": ["word_delimiter_graph"], "text": "Wi-Fi PowerShot"},
         ["Wi", "Fi", "Power", "Shot"]),
    case("filter/word_delimiter_graph/params",
         {"tokenizer": "whitespace",
          "filter": [{"type": "word_delimiter_graph", "preserve_original": True, "catenate_words": True,
                      "split_on_case_change": False}], "text": "E-Mail"},
         ["E-Mail", "EMail", "E", "Mail"]),
    case("filter/word_delimiter_graph/protected_words",
         {"tokenizer": "whitespace", "filter": [{"type": "word_delimiter_graph", "protected_words": ["C++"]}],
          "text": "C++ a-b"}, ["C++", "a", "b"]),
    case("filter/elision",
         {"tokenizer": S, "filter": [{"type": "elision", "articles": ["l", "d"], "articles_case": True}],
          "text": "L'avion d'or"}, ["avion", "or"]),
    case("filter/elision/pre-configured", {"tokenizer": S, "filter": ["elision"], "text": "l'avion"}, ["avion"]),
    case("filter/trim", {"tokenizer": "keyword", "filter": ["trim"], "text": "  x  "}, ["x"]),
    case("filter/truncate",
         {"tokenizer": S, "filter": [{"type": "truncate", "length": 3}], "text": "Zeitung"}, ["Zei"]),
    case("filter/truncate/pre-configured(10)",
         {"tokenizer": S, "filter": ["truncate"], "text": "Donaudampfschiff"}, ["Donaudampf"]),
    case("filter/length",
         {"tokenizer": S, "filter": [{"type": "length", "min": 2, "max": 4}], "text": "a bb cccc ddddd"},
         ["bb", "cccc"]),
    case("filter/limit",
         {"tokenizer": S, "filter": [{"type": "limit", "max_token_count": 2}], "text": "a b c"}, ["a", "b"]),
    case("filter/pattern_replace",
         {"tokenizer": S, "filter": [{"type": "pattern_replace", "pattern": "ü", "replacement": "ue"}],
          "text": "Müller"}, ["Mueller"]),
    case("filter/reverse", {"tokenizer": S, "filter": ["reverse"], "text": "abc"}, ["cba"]),
    case("filter/decimal_digit", {"tokenizer": S, "filter": ["decimal_digit"], "text": "١٢٣"}, ["123"]),
    case("filter/edge_ngram",
         {"tokenizer": S, "filter": [{"type": "edge_ngram", "min_gram": 2, "max_gram": 4}], "text": "Zeitung"},
         ["Ze", "Zei", "Zeit"]),
    case("filter/edge_ngram/pre-configured(1..1)",
         {"tokenizer": S, "filter": ["edge_ngram"], "text": "Zeit"}, ["Z"]),
    case("filter/ngram",
         {"tokenizer": S, "filter": [{"type": "ngram", "min_gram": 2, "max_gram": 3}], "text": "abcd"},
         ["ab", "abc", "bc", "bcd", "cd"]),
    case("filter/ngram/pre-configured(1..2)",
         {"tokenizer": S, "filter": ["ngram"], "text": "ab"}, ["a", "ab", "b"]),
    case("filter/apostrophe", {"tokenizer": S, "filter": ["apostrophe"], "text": "Türkiye'de"}, ["Türkiye"]),
    case("filter/classic",
         {"tokenizer": "classic", "filter": ["classic"], "text": "O'Reilly's I.B.M."}, ["O'Reilly", "IBM"]),
    case("filter/keep",
         {"tokenizer": S, "filter": [{"type": "keep", "keep_words": ["b"]}], "text": "a b c"}, ["b"]),
    case("filter/keep_types",
         {"tokenizer": S, "filter": [{"type": "keep_types", "types": ["<NUM>"]}], "text": "a 1 b 2"}, ["1", "2"]),
    case("filter/keyword_marker+stemmer",
         {"tokenizer": S, "filter": ["lowercase", {"type": "keyword_marker", "keywords": ["häuser"]},
                                     {"type": "stemmer", "language": "light_german"}],
          "text": "Häuser Bäume"}, ["häuser", "baum"]),
    case("filter/stemmer_override",
         {"tokenizer": S, "filter": ["lowercase", {"type": "stemmer_override", "rules": ["mäuse, maus => maus"]},
                                     {"type": "stemmer", "language": "light_german"}],
          "text": "Mäuse Häuser"}, ["maus", "haus"]),
    case("filter/flatten_graph",
         {"tokenizer": S, "filter": [{"type": "synonym_graph", "synonyms": ["usa, vereinigte staaten"]},
                                     "flatten_graph"], "text": "usa"},
         ["vereinigte", "usa", "staaten"]),
    case("filter/synonym/inline",
         {"tokenizer": S, "filter": ["lowercase", {"type": "synonym", "synonyms": ["auto, pkw, kfz"]}],
          "text": "Auto"}, ["auto", "pkw", "kfz"]),
    case("filter/synonym/expand=false",
         {"tokenizer": S, "filter": ["lowercase", {"type": "synonym", "synonyms": ["auto, pkw, kfz"],
                                                   "expand": False}], "text": "kfz"}, ["auto"]),
    case("filter/synonym_graph/inline-multi-word",
         {"tokenizer": S, "filter": ["lowercase", {"type": "synonym_graph",
                                                   "synonyms": ["bundeskanzler => kanzler",
                                                                "eu, europäische union"]}],
          "text": "Bundeskanzler EU"}, ["kanzler", "europäische", "eu", "union"]),
    case("filter/synonym_graph/rules-analysed-by-preceding-chain",
         {"tokenizer": S, "filter": ["lowercase", "german_normalization",
                                     {"type": "synonym_graph", "synonyms": ["Straße => Weg"]}],
          "text": "STRASSE"}, ["weg"]),
    case("filter/synonym/lenient",
         {"tokenizer": S, "filter": ["lowercase", {"type": "stop", "stopwords": ["der"]},
                                     {"type": "synonym", "lenient": True, "synonyms": ["der => die", "a, b"]}],
          "text": "a"}, ["a", "b"]),
    case("filter/synonym/format=wordnet",
         {"tokenizer": S, "filter": [{"type": "synonym", "format": "wordnet",
                                      "synonyms": ["s(100000001,1,'abstain',v,1,0).",
                                                   "s(100000001,2,'refrain',v,1,0)."]}],
          "text": "abstain"}, ["abstain", "refrain"]),
    case("filter/synonym/after-ngram-is-rejected",
         {"tokenizer": S, "filter": ["ngram", {"type": "synonym", "synonyms": ["a, b"]}], "text": "a"},
         Rejected(400, "Token filter [ngram] cannot be used to parse synonyms")),
    case("filter/dictionary_decompounder/word_list",
         {"tokenizer": S, "filter": ["lowercase", {"type": "dictionary_decompounder",
                                                   "word_list": ["donau", "dampf", "schiff"]}],
          "text": "Donaudampfschiff"}, ["donaudampfschiff", "donau", "dampf", "schiff"]),
    # token filters reading the resource files our stack installs in the node's config dir
    case("filter/hyphenation_decompounder/files",
         {"tokenizer": S, "filter": ["lowercase", {
             "type": "hyphenation_decompounder", "hyphenation_patterns_path": "analysis/de_hyphenation.xml",
             "word_list_path": "analysis/de_compound_parts.txt", "only_longest_match": True,
             "min_subword_size": 4}],
          "text": "Raketenstartplatz Waffenlieferung"},
         ["raketenstartplatz", "raketen", "start", "platz", "waffenlieferung", "waffen", "lieferung"]),
    case("filter/dictionary_decompounder/word_list_path",
         {"tokenizer": S, "filter": ["lowercase", {
             "type": "dictionary_decompounder", "word_list_path": "analysis/de_compound_parts.txt",
             "only_longest_match": True, "min_subword_size": 4}],
          "text": "Raketenstartplatz"}, ["raketenstartplatz", "raketen", "start", "platz"]),
    case("filter/synonym_graph/synonyms_path+char_filter/mapping",
         {"char_filter": [{"type": "mapping", "mappings": ["Nord-Korea => Nordkorea"]}], "tokenizer": S,
          "filter": ["lowercase", {"type": "synonym_graph", "synonyms_path": "analysis/de_synonyms.txt"}],
          "text": "Nord-Korea ÖPNV"},
         ["dvrk", "demokratische", "nordkorea", "volksrepublik", "korea",
          "öffentlicher", "öpnv", "personennahverkehr"]),
    # tokenizers
    case("tokenizer/keyword", {"tokenizer": "keyword", "text": "New York"}, ["New York"]),
    case("tokenizer/keyword/buffer_size",
         {"tokenizer": {"type": "keyword", "buffer_size": 512}, "text": "New York"}, ["New York"]),
    case("tokenizer/whitespace", {"tokenizer": "whitespace", "text": "a-b c"}, ["a-b", "c"]),
    case("tokenizer/whitespace/max_token_length",
         {"tokenizer": {"type": "whitespace", "max_token_length": 3}, "text": "abcdef"}, ["abc", "def"]),
    case("tokenizer/letter", {"tokenizer": "letter", "text": "Haus2Boot"}, ["Haus", "Boot"]),
    case("tokenizer/pattern/pre-configured(\\W+)", {"tokenizer": "pattern", "text": "a,b c"}, ["a", "b", "c"]),
    case("tokenizer/pattern/group",
         {"tokenizer": {"type": "pattern", "pattern": "'([^']+)'", "group": 1}, "text": "'a b' und 'c'"},
         ["a b", "c"]),
    case("tokenizer/char_group",
         {"tokenizer": {"type": "char_group", "tokenize_on_chars": ["whitespace", "-", "\\n"]},
          "text": "a-b c\nd"}, ["a", "b", "c", "d"]),
    case("tokenizer/classic", {"tokenizer": "classic", "text": "info@example.com"}, ["info@example.com"]),
    case("tokenizer/uax_url_email",
         {"tokenizer": "uax_url_email", "text": "mail info@example.com"}, ["mail", "info@example.com"]),
    case("tokenizer/path_hierarchy", {"tokenizer": "path_hierarchy", "text": "/a/b"}, ["/a", "/a/b"]),
    case("tokenizer/ngram",
         {"tokenizer": {"type": "ngram", "min_gram": 2, "max_gram": 3, "token_chars": ["letter"]},
          "text": "ab c"}, ["ab"]),
    case("tokenizer/ngram/pre-configured", {"tokenizer": "ngram", "text": "ab"}, ["a", "ab", "b"]),
    case("tokenizer/edge_ngram",
         {"tokenizer": {"type": "edge_ngram", "min_gram": 2, "max_gram": 5, "token_chars": ["letter", "digit"]},
          "text": "Zeitung 2024"}, ["Ze", "Zei", "Zeit", "Zeitu", "20", "202", "2024"]),
    case("tokenizer/edge_ngram/custom_token_chars",
         {"tokenizer": {"type": "edge_ngram", "min_gram": 1, "max_gram": 3, "token_chars": ["letter", "custom"],
                        "custom_token_chars": "+"}, "text": "c++"}, ["c", "c+", "c++"]),
    case("tokenizer/edge_ngram/pre-configured(1..2)", {"tokenizer": "edge_ngram", "text": "abc"}, ["a", "ab"]),
    # analyzers
    case("analyzer/german", {"analyzer": "german", "text": "Die Häuser und die Straßen"}, ["haus", "strass"]),
    case("analyzer/keyword(server)", {"analyzer": "keyword", "text": "A B"}, ["A B"]),
    case("analyzer/whitespace(server)", {"analyzer": "whitespace", "text": "A B"}, ["A", "B"]),
    case("analyzer/simple(server)", {"analyzer": "simple", "text": "A1B"}, ["a", "b"]),
]

# One index with configured analyzers, a synonym_graph search analyzer and a normalizer.
INDEX_DEFINITION = {
    "settings": {
        "number_of_shards": 1, "number_of_replicas": 0,
        "analysis": {
            "char_filter": {"amp": {"type": "mapping", "mappings": ["& => und"]}},
            "filter": {
                "de_stop": {"type": "stop", "stopwords": "_german_"},
                "de_stem": {"type": "stemmer", "language": "light_german"},
                "de_syn": {"type": "synonym_graph", "synonyms": ["öpnv, nahverkehr", "bundeskanzler, kanzler"]},
                "de_lower": {"type": "lowercase"},
                "de_wdg": {"type": "word_delimiter_graph", "preserve_original": True},
            },
            "tokenizer": {"de_edge_tok": {"type": "edge_ngram", "min_gram": 2, "max_gram": 10,
                                          "token_chars": ["letter", "digit"]}},
            "analyzer": {
                "de_index": {"type": "custom", "char_filter": ["html_strip", "amp"], "tokenizer": "standard",
                             "filter": ["de_lower", "de_stop", "german_normalization", "de_stem"]},
                "de_search": {"type": "custom", "tokenizer": "standard",
                              "filter": ["de_lower", "de_stop", "german_normalization", "de_syn", "de_stem"]},
                "de_ac": {"type": "custom", "tokenizer": "de_edge_tok", "filter": ["lowercase", "asciifolding"]},
                "de_wd": {"type": "custom", "tokenizer": "whitespace",
                          "filter": ["de_wdg", "flatten_graph", "lowercase"]},
                "de_german_cfg": {"type": "german", "stopwords": ["und"], "stem_exclusion": ["häuser"]},
                "kw": {"type": "keyword"}, "ws": {"type": "whitespace"}, "sp": {"type": "simple"},
                "st": {"type": "stop", "stopwords": "_german_"},
            },
            "normalizer": {"folded": {"type": "custom", "char_filter": ["amp"],
                                      "filter": ["lowercase", "asciifolding", "german_normalization", "trim"]}},
        },
    },
    "mappings": {"properties": {
        "body": {"type": "text", "analyzer": "de_index", "search_analyzer": "de_search"},
        "title_ac": {"type": "text", "analyzer": "de_ac", "search_analyzer": "standard"},
        "tag": {"type": "keyword", "normalizer": "folded"},
        "g": {"type": "text", "analyzer": "german"},
    }},
}
DOCUMENT = {"body": "Der Nahverkehr in Berlin", "title_ac": "Zürich", "tag": "Müller"}

INDEX_CASES = [
    case("index/analyzer/de_index", {"analyzer": "de_index", "text": "<p>Die Häuser & Bäume</p>"},
         ["haus", "baum"]),
    case("index/search_analyzer/synonym_graph",
         {"analyzer": "de_search", "text": "ÖPNV Kanzler"}, ["nahverkehr", "opnv", "bundeskanzl", "kanzl"]),
    case("index/field/body", {"field": "body", "text": "Häuser"}, ["haus"]),
    case("index/analyzer/edge_ngram-autocomplete", {"analyzer": "de_ac", "text": "Zürich"},
         ["zu", "zur", "zuri", "zuric", "zurich"]),
    case("index/analyzer/word_delimiter_graph+flatten_graph", {"analyzer": "de_wd", "text": "Baden-Württemberg"},
         ["baden-württemberg", "baden", "württemberg"]),
    case("index/analyzer/type=german-configured", {"analyzer": "de_german_cfg", "text": "Häuser und die Bäume"},
         ["hauser", "die", "baum"]),
    case("index/analyzer/type=keyword", {"analyzer": "kw", "text": "A B"}, ["A B"]),
    case("index/analyzer/type=whitespace", {"analyzer": "ws", "text": "A B"}, ["A", "B"]),
    case("index/analyzer/type=simple", {"analyzer": "sp", "text": "A1B"}, ["a", "b"]),
    case("index/analyzer/type=stop", {"analyzer": "st", "text": "Der Hund"}, ["hund"]),
    case("index/normalizer/custom", {"normalizer": "folded", "text": " Müller & Söhne "}, ["muller und sohne"]),
]

# (id, query, hits): a document indexed with the index analyzers, found through the search ones.
SEARCH_CASES = [
    pytest.param({"match": {"body": "ÖPNV"}}, 1, id="search/synonym_graph-match"),
    pytest.param({"match_phrase": {"body": "öpnv in berlin"}}, 1, id="search/phrase-through-synonym-graph"),
    pytest.param({"match": {"title_ac": "zur"}}, 1, id="search/autocomplete-prefix"),
    pytest.param({"term": {"tag": "MULLER"}}, 1, id="search/keyword-normalizer"),
]

# The boundary: names of the bare server (the plugin must not register them again) still answer,
# and an analysis-common name the plugin deliberately leaves out is a 400.
BOUNDARY_CASES = [
    case("server/filter/stop", {"tokenizer": S, "filter": ["stop"], "text": "the quick fox"}, ["quick", "fox"]),
    case("server/filter/shingle", {"tokenizer": S, "filter": ["shingle"], "text": "a b"}, ["a", "a b", "b"]),
    case("server/tokenizer/standard", {"tokenizer": S, "text": "Die Häuser, 2024!"}, ["Die", "Häuser", "2024"]),
    case("server/filter/lowercase-by-name", {"tokenizer": S, "filter": ["lowercase"], "text": "ÖPNV"}, ["öpnv"]),
    case("not-provided/filter/common_grams",
         {"tokenizer": S, "filter": ["common_grams"], "text": "the fox"},
         Rejected(400, "failed to find global filter under [common_grams]")),
]


@pytest.fixture(scope="module")
def plugin_es() -> Elasticsearch:
    """A client for the node; fails (never skips) when the node does not answer."""
    client = Elasticsearch(ES_URL, request_timeout=30)
    try:
        status = client.cluster.health()["status"]
    except Exception as exc:  # noqa: BLE001 - any failure to reach the node fails the run
        pytest.fail(f"Elasticsearch at {ES_URL} unreachable: {exc}", pytrace=False)
    if status == "red":
        pytest.fail(f"Elasticsearch at {ES_URL} is red", pytrace=False)
    return client


@pytest.fixture(scope="module")
def plugin_index(plugin_es):
    """The index of INDEX_DEFINITION with DOCUMENT in it; deleted after the module."""
    name = f"{INDEX_PREFIX}{uuid.uuid4().hex[:10]}"
    plugin_es.indices.create(index=name, **INDEX_DEFINITION)
    try:
        plugin_es.index(index=name, id="1", document=DOCUMENT, refresh=True)
        yield name
    finally:
        plugin_es.options(ignore_status=404).indices.delete(index=name)


def analyze(es: Elasticsearch, body: dict, index: str | None = None) -> list[str]:
    return [token["token"] for token in es.indices.analyze(index=index, **body)["tokens"]]


def check(es: Elasticsearch, body: dict, expected: list[str] | Rejected, index: str | None = None):
    if isinstance(expected, Rejected):
        with pytest.raises(ApiError) as error:
            analyze(es, body, index)
        assert error.value.meta.status == expected.status
        assert expected.reason in str(error.value.body), error.value.body
    else:
        try:
            tokens = analyze(es, body, index)
        except ApiError as error:
            pytest.fail(f"expected {expected!r}, got HTTP {error.meta.status}: {reason_of(error)}")
        assert tokens == expected


def reason_of(error: ApiError) -> str:
    detail = error.body.get("error") if isinstance(error.body, dict) else None
    return detail.get("reason", str(detail)) if isinstance(detail, dict) else str(error)


@pytest.mark.parametrize("body, expected", ANALYZE_CASES)
def test_analyze(plugin_es, body, expected):
    check(plugin_es, body, expected)


@pytest.mark.parametrize("body, expected", INDEX_CASES)
def test_index_analysis(plugin_es, plugin_index, body, expected):
    check(plugin_es, body, expected, index=plugin_index)


@pytest.mark.parametrize("query, hits", SEARCH_CASES)
def test_search_round_trip(plugin_es, plugin_index, query, hits):
    response = plugin_es.search(index=plugin_index, query=query)
    assert response["hits"]["total"]["value"] == hits


@pytest.mark.parametrize("body, expected", BOUNDARY_CASES)
def test_bare_server_names_and_the_plugin_boundary(plugin_es, body, expected):
    check(plugin_es, body, expected)
