#!/usr/bin/env python3
"""Smoke test of every name the newsarchive-analysis plugin registers, against a running node.

Usage: python3 es-plugin/smoke_test.py [http://127.0.0.1:9250] [--with-files]

--with-files also checks hyphenation_decompounder / dictionary_decompounder / synonyms_path /
mappings_path; it expects these files in the node's config dir:
  analysis/de_DR.xml, analysis/dictionary-de.txt, analysis/synonyms.txt, analysis/mapping.txt
Only the standard library is used. Exit code 0 = all checks passed.
"""
import json
import sys
import urllib.error
import urllib.request

BASE = next((a for a in sys.argv[1:] if a.startswith("http")), "http://127.0.0.1:9250").rstrip("/")
WITH_FILES = "--with-files" in sys.argv
INDEX = "newsarchive-analysis-smoke"
failures = []


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def tokens(body, path="/_analyze"):
    status, res = call("POST", path, body)
    if status != 200:
        return "ERROR %s: %s" % (status, res.get("error", {}).get("reason", res))
    return [t["token"] for t in res["tokens"]]


def check(label, body, expected, path="/_analyze"):
    got = tokens(body, path)
    ok = got == expected
    print(("ok   " if ok else "FAIL ") + label + ("" if ok else "  expected %r got %r" % (expected, got)))
    if not ok:
        failures.append(label)


S = "standard"
# ---- char filters
check("char_filter html_strip", {"char_filter": ["html_strip"], "tokenizer": "keyword", "text": "<p>Bär &amp; Co</p>"}, ["\nBär & Co\n"])
check("char_filter html_strip escaped_tags", {"char_filter": [{"type": "html_strip", "escaped_tags": ["b"]}], "tokenizer": "keyword", "text": "<b>x</b><i>y</i>"}, ["<b>x</b>y"])
check("char_filter mapping", {"char_filter": [{"type": "mapping", "mappings": ["ß => ss", "& => und"]}], "tokenizer": "whitespace", "text": "Straße & Weg"}, ["Strasse", "und", "Weg"])
check("char_filter pattern_replace", {"char_filter": [{"type": "pattern_replace", "pattern": "(\\d+)-(\\d+)", "replacement": "$1$2"}], "tokenizer": S, "text": "Tel 123-456"}, ["Tel", "123456"])
check("char_filter pattern_replace flags", {"char_filter": [{"type": "pattern_replace", "pattern": "abc", "flags": "CASE_INSENSITIVE", "replacement": "x"}], "tokenizer": "keyword", "text": "ABC"}, ["x"])
# ---- token filters
check("filter lowercase (pre-configured, server)", {"tokenizer": S, "filter": ["lowercase"], "text": "ÄPFEL"}, ["äpfel"])
check("filter lowercase language=greek", {"tokenizer": S, "filter": [{"type": "lowercase", "language": "greek"}], "text": "ΝΈΑ"}, ["νεα"])
check("filter uppercase", {"tokenizer": S, "filter": ["uppercase"], "text": "straße"}, ["STRAßE"])
check("filter asciifolding", {"tokenizer": S, "filter": ["asciifolding"], "text": "Müller Café"}, ["Muller", "Cafe"])
check("filter asciifolding preserve_original", {"tokenizer": S, "filter": [{"type": "asciifolding", "preserve_original": True}], "text": "Müller"}, ["Muller", "Müller"])
check("filter german_normalization", {"tokenizer": S, "filter": ["lowercase", "german_normalization"], "text": "Häuser Straße"}, ["hauser", "strasse"])
check("filter german_stem", {"tokenizer": S, "filter": ["lowercase", "german_stem"], "text": "Häuser"}, ["hau"])
for lang, word, stem in [("light_german", "häuser", "haus"), ("german", "häuser", "haus"), ("german2", "haeuser", "haus"),
                         ("minimal_german", "häuser", "haus"), ("english", "running", "run"), ("light_english", "running", "running"),
                         ("minimal_english", "cats", "cat"), ("porter", "running", "run"), ("porter2", "generously", "generous")]:
    check("filter stemmer language=" + lang, {"tokenizer": S, "filter": ["lowercase", {"type": "stemmer", "language": lang}], "text": word}, [stem])
check("filter stemmer name=light_german", {"tokenizer": S, "filter": ["lowercase", {"type": "stemmer", "name": "light_german"}], "text": "Häuser"}, ["haus"])
check("filter stemmer (pre-configured = porter)", {"tokenizer": S, "filter": ["stemmer"], "text": "running"}, ["run"])
check("filter porter_stem", {"tokenizer": S, "filter": ["porter_stem"], "text": "running"}, ["run"])
check("filter kstem", {"tokenizer": S, "filter": ["kstem"], "text": "cats"}, ["cat"])
check("filter snowball language=German", {"tokenizer": S, "filter": ["lowercase", {"type": "snowball", "language": "German"}], "text": "Häuser"}, ["haus"])
check("filter keyword_repeat + stemmer + remove_duplicates", {"tokenizer": S, "filter": ["lowercase", "keyword_repeat", {"type": "stemmer", "language": "light_german"}, "remove_duplicates"], "text": "Häuser Haus"}, ["häuser", "haus", "haus"])
check("filter unique", {"tokenizer": S, "filter": ["unique"], "text": "a b a c b"}, ["a", "b", "c"])
check("filter unique only_on_same_position", {"tokenizer": S, "filter": ["keyword_repeat", {"type": "unique", "only_on_same_position": True}], "text": "a a"}, ["a", "a"])
check("filter word_delimiter_graph (pre-configured)", {"tokenizer": "whitespace", "filter": ["word_delimiter_graph"], "text": "Wi-Fi PowerShot"}, ["Wi", "Fi", "Power", "Shot"])
check("filter word_delimiter_graph params", {"tokenizer": "whitespace", "filter": [{"type": "word_delimiter_graph", "preserve_original": True, "catenate_words": True, "split_on_case_change": False}], "text": "E-Mail"}, ["E-Mail", "EMail", "E", "Mail"])
check("filter word_delimiter_graph protected_words", {"tokenizer": "whitespace", "filter": [{"type": "word_delimiter_graph", "protected_words": ["C++"]}], "text": "C++ a-b"}, ["C++", "a", "b"])
check("filter elision", {"tokenizer": S, "filter": [{"type": "elision", "articles": ["l", "d"], "articles_case": True}], "text": "L'avion d'or"}, ["avion", "or"])
check("filter elision (pre-configured)", {"tokenizer": S, "filter": ["elision"], "text": "l'avion"}, ["avion"])
check("filter trim", {"tokenizer": "keyword", "filter": ["trim"], "text": "  x  "}, ["x"])
check("filter truncate", {"tokenizer": S, "filter": [{"type": "truncate", "length": 3}], "text": "Zeitung"}, ["Zei"])
check("filter truncate (pre-configured 10)", {"tokenizer": S, "filter": ["truncate"], "text": "Donaudampfschiff"}, ["Donaudampf"])
check("filter length", {"tokenizer": S, "filter": [{"type": "length", "min": 2, "max": 4}], "text": "a bb cccc ddddd"}, ["bb", "cccc"])
check("filter limit", {"tokenizer": S, "filter": [{"type": "limit", "max_token_count": 2}], "text": "a b c"}, ["a", "b"])
check("filter pattern_replace", {"tokenizer": S, "filter": [{"type": "pattern_replace", "pattern": "ü", "replacement": "ue"}], "text": "Müller"}, ["Mueller"])
check("filter reverse", {"tokenizer": S, "filter": ["reverse"], "text": "abc"}, ["cba"])
check("filter decimal_digit", {"tokenizer": S, "filter": ["decimal_digit"], "text": "١٢٣"}, ["123"])
check("filter edge_ngram", {"tokenizer": S, "filter": [{"type": "edge_ngram", "min_gram": 2, "max_gram": 4}], "text": "Zeitung"}, ["Ze", "Zei", "Zeit"])
check("filter edge_ngram (pre-configured 1..1)", {"tokenizer": S, "filter": ["edge_ngram"], "text": "Zeit"}, ["Z"])
check("filter ngram", {"tokenizer": S, "filter": [{"type": "ngram", "min_gram": 2, "max_gram": 3}], "text": "abcd"}, ["ab", "abc", "bc", "bcd", "cd"])
check("filter ngram (pre-configured 1..2)", {"tokenizer": S, "filter": ["ngram"], "text": "ab"}, ["a", "ab", "b"])
check("filter apostrophe", {"tokenizer": S, "filter": ["apostrophe"], "text": "Türkiye'de"}, ["Türkiye"])
check("filter classic", {"tokenizer": "classic", "filter": ["classic"], "text": "O'Reilly's I.B.M."}, ["O'Reilly", "IBM"])
check("filter keep", {"tokenizer": S, "filter": [{"type": "keep", "keep_words": ["b"]}], "text": "a b c"}, ["b"])
check("filter keep_types", {"tokenizer": S, "filter": [{"type": "keep_types", "types": ["<NUM>"]}], "text": "a 1 b 2"}, ["1", "2"])
check("filter keyword_marker + stemmer", {"tokenizer": S, "filter": ["lowercase", {"type": "keyword_marker", "keywords": ["häuser"]}, {"type": "stemmer", "language": "light_german"}], "text": "Häuser Bäume"}, ["häuser", "baum"])
check("filter stemmer_override", {"tokenizer": S, "filter": ["lowercase", {"type": "stemmer_override", "rules": ["mäuse, maus => maus"]}, {"type": "stemmer", "language": "light_german"}], "text": "Mäuse Häuser"}, ["maus", "haus"])
check("filter flatten_graph", {"tokenizer": S, "filter": [{"type": "synonym_graph", "synonyms": ["usa, vereinigte staaten"]}, "flatten_graph"], "text": "usa"}, ["vereinigte", "usa", "staaten"])
check("filter synonym (inline)", {"tokenizer": S, "filter": ["lowercase", {"type": "synonym", "synonyms": ["auto, pkw, kfz"]}], "text": "Auto"}, ["auto", "pkw", "kfz"])
check("filter synonym expand=false", {"tokenizer": S, "filter": ["lowercase", {"type": "synonym", "synonyms": ["auto, pkw, kfz"], "expand": False}], "text": "kfz"}, ["auto"])
check("filter synonym_graph (inline, multi-word)", {"tokenizer": S, "filter": ["lowercase", {"type": "synonym_graph", "synonyms": ["bundeskanzler => kanzler", "eu, europäische union"]}], "text": "Bundeskanzler EU"}, ["kanzler", "europäische", "eu", "union"])
check("filter synonym_graph rules analysed by preceding chain", {"tokenizer": S, "filter": ["lowercase", "german_normalization", {"type": "synonym_graph", "synonyms": ["Straße => Weg"]}], "text": "STRASSE"}, ["weg"])
check("filter synonym lenient", {"tokenizer": S, "filter": ["lowercase", {"type": "stop", "stopwords": ["der"]}, {"type": "synonym", "lenient": True, "synonyms": ["der => die", "a, b"]}], "text": "a"}, ["a", "b"])
check("filter synonym wordnet format", {"tokenizer": S, "filter": [{"type": "synonym", "format": "wordnet", "synonyms": ["s(100000001,1,'abstain',v,1,0).", "s(100000001,2,'refrain',v,1,0)."]}], "text": "abstain"}, ["abstain", "refrain"])
check("filter synonym after ngram fails", {"tokenizer": S, "filter": ["ngram", {"type": "synonym", "synonyms": ["a, b"]}], "text": "a"},
      "ERROR 400: Token filter [ngram] cannot be used to parse synonyms")
check("filter dictionary_decompounder inline", {"tokenizer": S, "filter": ["lowercase", {"type": "dictionary_decompounder", "word_list": ["donau", "dampf", "schiff"]}], "text": "Donaudampfschiff"}, ["donaudampfschiff", "donau", "dampf", "schiff"])
# ---- tokenizers
check("tokenizer keyword", {"tokenizer": "keyword", "text": "New York"}, ["New York"])
check("tokenizer keyword buffer_size", {"tokenizer": {"type": "keyword", "buffer_size": 512}, "text": "New York"}, ["New York"])
check("tokenizer whitespace", {"tokenizer": "whitespace", "text": "a-b c"}, ["a-b", "c"])
check("tokenizer whitespace max_token_length", {"tokenizer": {"type": "whitespace", "max_token_length": 3}, "text": "abcdef"}, ["abc", "def"])
check("tokenizer letter", {"tokenizer": "letter", "text": "Haus2Boot"}, ["Haus", "Boot"])
check("tokenizer pattern (pre-configured \\W+)", {"tokenizer": "pattern", "text": "a,b c"}, ["a", "b", "c"])
check("tokenizer pattern group", {"tokenizer": {"type": "pattern", "pattern": "'([^']+)'", "group": 1}, "text": "'a b' und 'c'"}, ["a b", "c"])
check("tokenizer char_group", {"tokenizer": {"type": "char_group", "tokenize_on_chars": ["whitespace", "-", "\\n"]}, "text": "a-b c\nd"}, ["a", "b", "c", "d"])
check("tokenizer classic", {"tokenizer": "classic", "text": "info@example.com"}, ["info@example.com"])
check("tokenizer uax_url_email", {"tokenizer": "uax_url_email", "text": "mail info@example.com"}, ["mail", "info@example.com"])
check("tokenizer path_hierarchy", {"tokenizer": "path_hierarchy", "text": "/a/b"}, ["/a", "/a/b"])
check("tokenizer ngram", {"tokenizer": {"type": "ngram", "min_gram": 2, "max_gram": 3, "token_chars": ["letter"]}, "text": "ab c"}, ["ab"])
check("tokenizer ngram (pre-configured)", {"tokenizer": "ngram", "text": "ab"}, ["a", "ab", "b"])
check("tokenizer edge_ngram", {"tokenizer": {"type": "edge_ngram", "min_gram": 2, "max_gram": 5, "token_chars": ["letter", "digit"]}, "text": "Zeitung 2024"}, ["Ze", "Zei", "Zeit", "Zeitu", "20", "202", "2024"])
check("tokenizer edge_ngram custom_token_chars", {"tokenizer": {"type": "edge_ngram", "min_gram": 1, "max_gram": 3, "token_chars": ["letter", "custom"], "custom_token_chars": "+"}, "text": "c++"}, ["c", "c+", "c++"])
check("tokenizer edge_ngram (pre-configured 1..2)", {"tokenizer": "edge_ngram", "text": "abc"}, ["a", "ab"])
# ---- analyzers
check("analyzer german", {"analyzer": "german", "text": "Die Häuser und die Straßen"}, ["haus", "strass"])
check("analyzer keyword (server pre-built)", {"analyzer": "keyword", "text": "A B"}, ["A B"])
check("analyzer whitespace (server pre-built)", {"analyzer": "whitespace", "text": "A B"}, ["A", "B"])
check("analyzer simple (server pre-built)", {"analyzer": "simple", "text": "A1B"}, ["a", "b"])

# ---- index-level: configured analyzers, search analyzer with synonym_graph, normalizer
call("DELETE", "/" + INDEX)
settings = {
    "settings": {
        "number_of_shards": 1, "number_of_replicas": 0,
        "analysis": {
            "char_filter": {"amp": {"type": "mapping", "mappings": ["& => und"]}},
            "filter": {
                "de_stop": {"type": "stop", "stopwords": "_german_"},
                "de_stem": {"type": "stemmer", "language": "light_german"},
                "de_syn": {"type": "synonym_graph", "synonyms": ["öpnv, nahverkehr", "bundeskanzler, kanzler"]},
                "de_lower": {"type": "lowercase"},
                "de_edge": {"type": "edge_ngram", "min_gram": 2, "max_gram": 10},
                "de_wdg": {"type": "word_delimiter_graph", "preserve_original": True},
            },
            "tokenizer": {"de_edge_tok": {"type": "edge_ngram", "min_gram": 2, "max_gram": 10, "token_chars": ["letter", "digit"]}},
            "analyzer": {
                "de_index": {"type": "custom", "char_filter": ["html_strip", "amp"], "tokenizer": "standard",
                             "filter": ["de_lower", "de_stop", "german_normalization", "de_stem"]},
                "de_search": {"type": "custom", "tokenizer": "standard",
                              "filter": ["de_lower", "de_stop", "german_normalization", "de_syn", "de_stem"]},
                "de_ac": {"type": "custom", "tokenizer": "de_edge_tok", "filter": ["lowercase", "asciifolding"]},
                "de_wd": {"type": "custom", "tokenizer": "whitespace", "filter": ["de_wdg", "flatten_graph", "lowercase"]},
                "de_german_cfg": {"type": "german", "stopwords": ["und"], "stem_exclusion": ["häuser"]},
                "kw": {"type": "keyword"}, "ws": {"type": "whitespace"}, "sp": {"type": "simple"},
                "st": {"type": "stop", "stopwords": "_german_"},
            },
            "normalizer": {"folded": {"type": "custom", "char_filter": ["amp"], "filter": ["lowercase", "asciifolding", "german_normalization", "trim"]}},
        },
    },
    "mappings": {"properties": {
        "body": {"type": "text", "analyzer": "de_index", "search_analyzer": "de_search"},
        "title_ac": {"type": "text", "analyzer": "de_ac", "search_analyzer": "standard"},
        "tag": {"type": "keyword", "normalizer": "folded"},
        "g": {"type": "text", "analyzer": "german"},
    }},
}
if WITH_FILES:
    settings["settings"]["analysis"]["filter"].update({
        "de_hyph": {"type": "hyphenation_decompounder", "hyphenation_patterns_path": "analysis/de_DR.xml",
                    "word_list_path": "analysis/dictionary-de.txt", "only_longest_match": True, "min_subword_size": 4},
        "de_dict": {"type": "dictionary_decompounder", "word_list_path": "analysis/dictionary-de.txt", "min_subword_size": 4},
        "de_syn_file": {"type": "synonym_graph", "synonyms_path": "analysis/synonyms.txt"},
    })
    settings["settings"]["analysis"]["char_filter"]["map_file"] = {"type": "mapping", "mappings_path": "analysis/mapping.txt"}
    settings["settings"]["analysis"]["analyzer"].update({
        "de_hyph_a": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "de_hyph"]},
        "de_dict_a": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "de_dict"]},
        "de_syn_file_a": {"type": "custom", "char_filter": ["map_file"], "tokenizer": "standard",
                          "filter": ["lowercase", "de_hyph", "de_syn_file"]},
    })
status, res = call("PUT", "/" + INDEX, settings)
print(("ok   " if status == 200 else "FAIL ") + "create index with all analyzers" + ("" if status == 200 else " " + json.dumps(res)[:600]))
if status != 200:
    failures.append("create index")
else:
    P = "/" + INDEX + "/_analyze"
    check("index analyzer de_index", {"analyzer": "de_index", "text": "<p>Die Häuser & Bäume</p>"}, ["haus", "baum"], P)
    check("search analyzer de_search with synonym_graph", {"analyzer": "de_search", "text": "ÖPNV Kanzler"}, ["nahverkehr", "opnv", "bundeskanzl", "kanzl"], P)
    check("search analyzer via field body", {"field": "body", "text": "Häuser"}, ["haus"], P)
    check("autocomplete analyzer de_ac", {"analyzer": "de_ac", "text": "Zürich"}, ["zu", "zur", "zuri", "zuric", "zurich"], P)
    check("word_delimiter_graph + flatten_graph", {"analyzer": "de_wd", "text": "Baden-Württemberg"}, ["baden-württemberg", "baden", "württemberg"], P)
    check("configured german analyzer", {"analyzer": "de_german_cfg", "text": "Häuser und die Bäume"}, ["hauser", "die", "baum"], P)
    check("type keyword analyzer", {"analyzer": "kw", "text": "A B"}, ["A B"], P)
    check("type whitespace analyzer", {"analyzer": "ws", "text": "A B"}, ["A", "B"], P)
    check("type simple analyzer", {"analyzer": "sp", "text": "A1B"}, ["a", "b"], P)
    check("type stop analyzer", {"analyzer": "st", "text": "Der Hund"}, ["hund"], P)
    check("normalizer folded", {"normalizer": "folded", "text": " Müller & Söhne "}, ["muller und sohne"], P)
    if WITH_FILES:
        got = tokens({"analyzer": "de_hyph_a", "text": "Donaudampfschiff"}, P)
        ok = isinstance(got, list) and got[0] == "donaudampfschiff" and len(got) > 1
        print(("ok   " if ok else "FAIL ") + "hyphenation_decompounder (files): %r" % (got,))
        if not ok:
            failures.append("hyphenation_decompounder")
        got = tokens({"analyzer": "de_dict_a", "text": "Donaudampfschiff"}, P)
        ok = isinstance(got, list) and got[0] == "donaudampfschiff" and len(got) > 1
        print(("ok   " if ok else "FAIL ") + "dictionary_decompounder word_list_path (files): %r" % (got,))
        if not ok:
            failures.append("dictionary_decompounder")
        got = tokens({"analyzer": "de_syn_file_a", "text": "ÖPNV"}, P)
        ok = isinstance(got, list) and "nahverkehr" in got
        print(("ok   " if ok else "FAIL ") + "synonyms_path + mappings_path (files): %r" % (got,))
        if not ok:
            failures.append("synonyms_path")
    # index + search round trip through the synonym_graph search analyzer
    call("PUT", "/" + INDEX + "/_doc/1?refresh=true", {"body": "Der Nahverkehr in Berlin", "title_ac": "Zürich", "tag": "Müller"})
    for label, q, n in [("search synonym_graph match", {"match": {"body": "ÖPNV"}}, 1),
                        ("search phrase through synonym graph", {"match_phrase": {"body": "öpnv in berlin"}}, 1),
                        ("search autocomplete prefix", {"match": {"title_ac": "zur"}}, 1),
                        ("search keyword normalizer", {"term": {"tag": "MULLER"}}, 1)]:
        status, res = call("POST", "/" + INDEX + "/_search", {"query": q})
        hits = res.get("hits", {}).get("total", {}).get("value") if status == 200 else res
        ok = hits == n
        print(("ok   " if ok else "FAIL ") + label + ("" if ok else " got %r" % (hits,)))
        if not ok:
            failures.append(label)
    call("DELETE", "/" + INDEX)

print("\n%d failure(s)%s" % (len(failures), (": " + ", ".join(failures)) if failures else ""))
sys.exit(1 if failures else 0)
