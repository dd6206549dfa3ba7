"""The search query parser, body builder, page builder and cursors (pure, no services)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api import cursor, query
from api.query_syntax import And, InField, Not, Or, Phrase, Prefix, QueryError, Word, parse

SECRET = b"test-secret"


# --- parser -------------------------------------------------------------------

@pytest.mark.parametrize("text, tree", [
    ("Kim", Word("Kim")),
    ("Kim Putin", And((Word("Kim"), Word("Putin")))),
    ("Kim AND Putin", And((Word("Kim"), Word("Putin")))),
    ("Kim OR Putin", Or((Word("Kim"), Word("Putin")))),
    ("Kim Putin OR Biden", And((Word("Kim"), Or((Word("Putin"), Word("Biden")))))),
    ("Kim OR Putin OR Biden", Or((Word("Kim"), Word("Putin"), Word("Biden")))),
    ("(Kim Putin) OR Biden", Or((And((Word("Kim"), Word("Putin"))), Word("Biden")))),
    ("Kim -Putin OR Biden", And((Word("Kim"), Or((Not(Word("Putin")), Word("Biden")))))),
    ("Kim -Ukraine", And((Word("Kim"), Not(Word("Ukraine"))))),
    ("Kim NOT Ukraine", And((Word("Kim"), Not(Word("Ukraine"))))),
    ("NOT NOT Kim", Word("Kim")),
    ('"Kim Jong Un" Treffen', And((Phrase("Kim Jong Un"), Word("Treffen")))),
    ("„Kim  Jong Un“", Phrase("Kim Jong Un")),
    ("(Kim OR Putin) Treffen", And((Or((Word("Kim"), Word("Putin"))), Word("Treffen")))),
    ("Rüstungs*", Prefix("Rüstungs")),
    ("Ukraine-Krieg", Word("Ukraine-Krieg")),
    ("-(Kim OR Putin) Treffen", And((Not(Or((Word("Kim"), Word("Putin")))), Word("Treffen")))),
    ("Kim & Putin", And((Word("Kim"), Word("Putin")))),
    ("-Ukraine", Not(Word("Ukraine"))),
    ("or not and", And((Word("or"), Word("not"), Word("and")))),
    ("+Kim", Word("Kim")),
    ("title:Kim Putin", And((InField("title", Word("Kim")), Word("Putin")))),
    ('Titel:"Kim Jong Un"', InField("title", Phrase("Kim Jong Un"))),
    ("title:(Kim OR Putin)", InField("title", Or((Word("Kim"), Word("Putin"))))),
    ("-TITLE:Rüst* text:Kim", And((Not(InField("title", Prefix("Rüst"))),
                                  InField("body", Word("Kim"))))),
    ("Titel: Gipfel", And((Word("Titel:"), Word("Gipfel")))),   # a space: an ordinary word
    ("14:30 autor:Kim", And((Word("14:30"), Word("autor:Kim")))),
    ("+title:Kim ++Putin", And((InField("title", Word("Kim")), Word("Putin")))),
])
def test_parse(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text", ["", "   ", "&& !!", " - "])
def test_nothing_to_search_is_none(text):
    assert parse(text) is None


@pytest.mark.parametrize("text, message", [
    ('"Kim Jong', "Unclosed quote at position 1"),
    ("(Kim OR Putin", "Unclosed '(' at position 1"),
    ("Kim)", "Unexpected ')' at position 4"),
    ("()", "Empty parentheses at position 1"),
    ("Kim OR", "'OR' at position 5 has nothing on its right"),
    ("OR Kim", "'OR' at position 1 has nothing on its left"),
    ("Kim OR OR Putin", "'OR' at position 5 has nothing on its right"),
    ("AND Kim", "'AND' at position 1 has nothing on its left"),
    ("Kim NOT", "'NOT' at position 5 must be followed"),
    ("Kim -)", "'-' at position 5 must be followed"),
    ("K*", "at least 2 letters before '*'"),
    ("*Kim", "only allowed at the end"),
    ("Ki*m", "only allowed at the end"),
    ('"  "', "has no words"),
    ("(" * 40 + "Kim" + ")" * 40, "nested too deeply"),
    (" ".join(["Kim"] * 65), "at most 64"),
    ("title:OR Kim", "'title:' at position 1 must be followed"),
    ("Kim body:)", "'body:' at position 5 must be followed"),
    ("title:(Kim body:Putin)", "'title:' at position 1 holds another field scope"),
])
def test_malformed_queries_name_the_problem(text, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("*", r"\*")):
        parse(text)


@given(st.text(max_size=200))
def test_parser_raises_nothing_but_query_error(text):
    try:
        query.build_body({"q": text})
    except QueryError:
        pass


@given(st.lists(st.sampled_from(['Kim', 'Putin', 'OR', 'AND', 'NOT', '-', '(', ')', '"',
                                 'Rüst*', '*', 'x']), max_size=15))
def test_operator_soup_raises_nothing_but_query_error(parts):
    try:
        query.build_body({"q": " ".join(parts)})
    except QueryError:
        pass


# --- bodies -------------------------------------------------------------------

def word(text, parts=()):
    clauses = []
    for field, boost in (("title", 3.0), ("body", 1.0)):
        clauses.append({"match": {f"{field}_de": {"query": text, "operator": "and",
                                                  "boost": boost}}})
        clauses.append({"match": {field: {"query": text, "operator": "and", "boost": boost}}})
        clauses.append({"match": {f"{field}.exact": {"query": text, "operator": "and",
                                                     "boost": boost * 0.5}}})
        if parts:
            clauses.append({"intervals": {f"{field}_de": {"all_of": {
                "intervals": [{"match": {"query": p, "analyzer": "keyword"}} for p in parts],
                "max_gaps": 3, "ordered": False}, "boost": boost * 0.3}}})
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def test_no_query_no_filters_is_match_all_sorted_newest():
    body = query.build_body({"size": 20})
    assert body["query"] == {"match_all": {}}
    assert body["sort"] == [{"published_at": {"order": "desc", "missing": "_last"}},
                            {"id": "asc"}]
    assert body["size"] == 20 and body["track_total_hits"] is True
    assert "aggs" not in body and "post_filter" not in body and "search_after" not in body


def test_size_0_asks_for_the_total_and_facets_only():
    body = query.build_body({"q": "Kim", "size": 0, "facets": ["outlets"], "outlet": ["CNN"]})
    assert body["size"] == 0 and body["track_total_hits"] is True
    assert "aggs" in body and "post_filter" in body
    assert not {"sort", "_source", "highlight"} & set(body)


def test_words_are_anded_with_a_proximity_boost():
    body = query.build_body({"q": "Kim Putin"})
    assert body["query"] == {"bool": {
        "must": [{"bool": {"must": [word("Kim"), word("Putin")]}}],
        "should": [
            {"match_phrase": {"title_de": {"query": "Kim Putin", "slop": 3, "boost": 6.0}}},
            {"match_phrase": {"title": {"query": "Kim Putin", "slop": 3, "boost": 6.0}}},
            {"match_phrase": {"body_de": {"query": "Kim Putin", "slop": 3, "boost": 2.0}}},
            {"match_phrase": {"body": {"query": "Kim Putin", "slop": 3, "boost": 2.0}}}]}}
    assert body["sort"] == [{"_score": "desc"}, {"id": "asc"}]


def test_compound_words_also_match_their_parts_near_each_other():
    assert query.compound_words('Rüstungsgeschäfte Kim "Grenzkontrollen" -Flüchtlingskrise '
                                'Rüstungsgeschäfte') == ["Rüstungsgeschäfte", "Flüchtlingskrise"]
    parts = {"Rüstungsgeschäfte": ["rustung", "geschaft"]}
    assert query.text_query(parse("Rüstungsgeschäfte"), parts) == \
        word("Rüstungsgeschäfte", ["rustung", "geschaft"])
    assert query.text_query(parse("Rüstungsgeschäfte")) == word("Rüstungsgeschäfte")
    body = query.build_body({"q": "Rüstungsgeschäfte", "compound_parts": parts})
    assert body["query"]["bool"]["must"] == [word("Rüstungsgeschäfte", ["rustung", "geschaft"])]
    marks = body["highlight"]["fields"]["body"]["highlight_query"]["bool"]["should"]
    assert marks[2] == word("Rüstungsgeschäfte", ["rustung", "geschaft"])["bool"]["should"][7]


def tokens(*pairs):
    return [{"token": token, "position": position} for token, position in pairs]


def test_compound_parts_from_analyze_tokens():
    assert query.compound_parts(tokens(("rustungsgeschaft", 0), ("rustung", 0),
                                       ("geschaft", 0))) == ["rustung", "geschaft"]
    assert query.compound_parts(tokens(("nordkorea", 0))) == []
    assert query.compound_parts(tokens(("ukrain", 0), ("krieg", 1))) == []
    assert query.compound_parts(tokens(("bundeskanzl", 0), ("bund", 0))) == []
    assert query.compound_parts([]) == []


def test_or_not_phrase_prefix():
    node = parse('("Kim Jong Un" OR Rüst*) -Ukraine')
    assert query.text_query(node) == {"bool": {
        "must": [{"bool": {"should": [
            {"bool": {"should": [
                {"match_phrase": {"title.exact": {"query": "Kim Jong Un", "boost": 3.0}}},
                {"match_phrase": {"body.exact": {"query": "Kim Jong Un", "boost": 1.0}}}],
                "minimum_should_match": 1}},
            {"bool": {"should": [
                {"match_phrase_prefix": {"title.exact": {"query": "Rüst", "max_expansions": 50,
                                                         "boost": 3.0}}},
                {"match_phrase_prefix": {"body.exact": {"query": "Rüst", "max_expansions": 50,
                                                        "boost": 1.0}}}],
                "minimum_should_match": 1}}],
            "minimum_should_match": 1}}],
        "must_not": [word("Ukraine")]}}


def test_a_field_scope_searches_that_field_only_and_marks_only_there():
    body = query.build_body({"q": "title:Kim Putin"})
    kim, putin = body["query"]["bool"]["must"][0]["bool"]["must"]
    assert kim == {"bool": {"should": word("Kim")["bool"]["should"][:3],
                            "minimum_should_match": 1}}          # the title's clauses only
    assert putin == word("Putin")
    fields = body["highlight"]["fields"]
    assert fields["body"]["highlight_query"] == any_of(match("body_de", "Putin", 1.0),
                                                       match("body", "Putin", 1.0))
    assert "Kim" in str(fields["title"]["highlight_query"])
    assert query.compound_words("title:Rüstungsgeschäfte") == ["Rüstungsgeschäfte"]


def test_only_negative_query_excludes_from_everything():
    assert query.text_query(parse("-Ukraine")) == {"bool": {"must_not": [word("Ukraine")]}}


def person(value):
    return {"bool": {"should": [{"term": {"persons.id": value}},
                                {"term": {"persons.name": value}}], "minimum_should_match": 1}}


def test_filters_without_facets_go_into_the_query():
    body = query.build_body({
        "person": ["Kim Jong Un", "wladimir-putin"], "outlet": ["CNN", "ntv"],
        "language": ["de"], "syndication_key": ["mh1-1", "mh1-2"],
        "published_from": dt.date(2023, 8, 1),
        "published_to": dt.date(2023, 8, 31), "mentioned_to": dt.date(2023, 9, 30)})
    assert body["query"] == {"bool": {"filter": [
        person("Kim Jong Un"), person("wladimir-putin"),
        {"terms": {"outlet.folded": ["CNN", "ntv"]}},
        {"terms": {"language": ["de"]}},
        {"terms": {"syndication_key": ["mh1-1", "mh1-2"]}},
        {"range": {"published_at": {"gte": "2023-08-01||/d", "lte": "2023-08-31||/d",
                                    "time_zone": "Europe/Berlin"}}},
        {"range": {"mentioned_dates": {"lte": "2023-09-30||/d"}}},
    ]}}
    assert "post_filter" not in body


def test_an_entity_value_also_matches_the_ids_of_entities_with_that_name_or_alias():
    body = query.build_body({"person": ["Erdogan", "Kim"], "entity_matches": {
        ("person", "Erdogan"): query.EntityMatch(["per-erdogan"], ["Erdogan"]),
        ("person", "Kim"): query.EntityMatch(["per-kim-jong-un", "per-kim"], ["Kim"]),
        ("place", "Erdogan"): query.EntityMatch(["loc-x"], ["Erdogan"])}})
    assert body["query"] == {"bool": {"filter": [
        {"bool": {"should": [*person("Erdogan")["bool"]["should"],
                             {"terms": {"persons.id": ["per-erdogan"]}}],
                  "minimum_should_match": 1}},
        {"bool": {"should": [*person("Kim")["bool"]["should"],
                             {"terms": {"persons.id": ["per-kim", "per-kim-jong-un"]}}],
                  "minimum_should_match": 1}},
    ]}}


def test_the_entity_lookup_names_one_clause_per_filter_value_of_its_type():
    assert query.entity_lookup_body({"q": "Kim", "outlet": ["CNN"]}) == (None, [])
    body, keys = query.entity_lookup_body({"person": ["Kim"], "place": ["Köln", "Bonn"]})
    assert keys == [("person", "Kim"), ("place", "Köln"), ("place", "Bonn")]
    assert body["size"] == 3 * query.ENTITY_LOOKUP_SIZE
    assert body["_source"] == ["id", "name", "aliases"]
    first = body["query"]["bool"]["should"][0]["bool"]
    assert first["_name"] == "0"
    assert first["filter"] == [
        {"term": {"type": "PER"}},
        {"bool": {"should": [{"term": {"name.folded": "Kim"}},
                             {"term": {"aliases.folded": "Kim"}},
                             {"ids": {"values": ["Kim"]}}],
                  "minimum_should_match": 1}}]
    assert [c["bool"]["filter"][0] for c in body["query"]["bool"]["should"][1:]] == [
        {"term": {"type": "LOC"}}] * 2
    raw = {"hits": {"hits": [
        {"_id": "per-kim-jong-un", "matched_queries": ["0"], "_source": {
            "id": "per-kim-jong-un", "name": "Kim Jong Un", "aliases": ["Kim", "Kim Jong-un"]}},
        {"_id": "loc-koeln", "_source": {"id": "loc-koeln", "name": "Köln", "aliases": []},
         "matched_queries": ["1"]},
        {"_id": "per-kim", "_source": {"id": "per-kim", "name": "Kim"}, "matched_queries": ["0"]}]}}
    assert query.entity_matches_from(raw, keys) == {
        ("person", "Kim"): (["per-kim-jong-un", "per-kim"],
                            ["Kim Jong Un", "Kim", "Kim Jong-un", "Kim"], ["Kim Jong Un", "Kim"]),
        ("place", "Köln"): (["loc-koeln"], ["Köln"], ["Köln"])}


def test_a_genitive_filter_value_finds_its_base_form_only_when_it_names_nothing_itself():
    body, keys = query.entity_lookup_body({"person": ["Angela Merkels", "Hans Meiers"]})
    should = body["query"]["bool"]["should"]
    assert [c["bool"]["_name"] for c in should] == ["0", "0g", "1", "1g"]
    assert should[1]["bool"]["filter"] == [
        {"term": {"type": "PER"}},
        {"bool": {"should": [{"term": {"name.folded": "Angela Merkel"}},
                             {"term": {"aliases.folded": "Angela Merkel"}}],
                  "minimum_should_match": 1}}]
    assert body["size"] == 4 * query.ENTITY_LOOKUP_SIZE
    raw = {"hits": {"hits": [
        {"_id": "per-angela-merkel", "matched_queries": ["0g"],
         "_source": {"id": "per-angela-merkel", "name": "Angela Merkel", "aliases": ["Merkel"]}},
        {"_id": "per-hans-meiers", "matched_queries": ["1"],
         "_source": {"id": "per-hans-meiers", "name": "Hans Meiers"}},
        {"_id": "per-hans-meier", "matched_queries": ["1g"],
         "_source": {"id": "per-hans-meier", "name": "Hans Meier"}}]}}
    assert query.entity_matches_from(raw, keys) == {
        ("person", "Angela Merkels"): (["per-angela-merkel"], ["Angela Merkel", "Merkel"],
                                       ["Angela Merkel"]),
        # a person whose name ends in s is not taken for the genitive of another
        ("person", "Hans Meiers"): (["per-hans-meiers"], ["Hans Meiers"], ["Hans Meiers"])}
    # one word, a double s: no base form asked
    body, _ = query.entity_lookup_body({"person": ["Merkels"], "organization": ["Kreuz Hess"]})
    assert [c["bool"]["_name"] for c in body["query"]["bool"]["should"]] == ["0", "1"]


def test_multi_select_facets_post_filter_and_other_filters_per_aggregation():
    body = query.build_body({"q": "Kim", "person": ["Kim Jong Un"], "outlet": ["CNN"],
                             "agency": ["dpa"], "facets": ["persons", "outlets", "languages"],
                             "facet_size": 5})
    # agency has no requested facet: it narrows everything, in the query
    assert body["query"]["bool"]["filter"] == [{"terms": {"agencies": ["dpa"]}}]
    assert body["post_filter"] == {"bool": {"filter": [
        person("Kim Jong Un"), {"terms": {"outlet.folded": ["CNN"]}}]}}
    aggs = body["aggs"]
    assert aggs["persons"] == {
        "filter": {"bool": {"filter": [{"terms": {"outlet.folded": ["CNN"]}}]}},
        "aggs": {"values": {"terms": {"field": "facet_persons", "size": 5}}}}
    assert aggs["outlets"]["filter"] == {"bool": {"filter": [person("Kim Jong Un")]}}
    assert aggs["outlets"]["aggs"]["values"]["terms"]["field"] == "outlet"
    assert aggs["languages"]["filter"] == {"bool": {"filter": [
        person("Kim Jong Un"), {"terms": {"outlet.folded": ["CNN"]}}]}}


def test_published_facet_is_a_date_histogram():
    body = query.build_body({"facets": ["published"], "interval": "week",
                             "published_from": dt.date(2023, 1, 1)})
    assert body["aggs"]["published"] == {
        "filter": {"match_all": {}},
        "aggs": {"values": {"date_histogram": {
            "field": "published_at", "calendar_interval": "week", "time_zone": "Europe/Berlin",
            "format": "yyyy-MM-dd", "min_doc_count": 1}}}}
    assert body["post_filter"]["bool"]["filter"][0]["range"]["published_at"]["gte"] == \
        "2023-01-01||/d"


def test_sorts_and_search_after():
    assert query.build_body({"q": "Kim", "sort": "oldest"})["sort"][0] == \
        {"published_at": {"order": "asc", "missing": "_last"}}
    assert query.build_body({"search_after": [1.5, "abc"]})["search_after"] == [1.5, "abc"]


def any_of(*clauses):
    return clauses[0] if len(clauses) == 1 else \
        {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def match(field, text, boost):
    return {"match": {field: {"query": text, "operator": "and", "boost": boost}}}


def test_highlight_marks_stemmed_and_exact_matches_html_escaped():
    hl = query.build_body({"q": "Kim"})["highlight"]
    assert hl["encoder"] == "html" and hl["pre_tags"] == ["<mark>"]
    assert hl["require_field_match"] is True and "highlight_query" not in hl
    title, body = hl["fields"]["title"], hl["fields"]["body"]
    assert title["highlight_query"] == any_of(match("title_de", "Kim", 3.0),
                                              match("title", "Kim", 3.0))
    assert body["highlight_query"] == any_of(match("body_de", "Kim", 1.0), match("body", "Kim", 1.0))
    # a word's exact form is marked through the neutral field: .exact only for phrases, prefixes
    assert title["matched_fields"] == ["title", "title_de"]
    assert body["matched_fields"] == ["body", "body_de"]
    nothing = query.build_body({})["highlight"]["fields"]
    assert "highlight_query" not in nothing["body"]
    assert nothing["body"]["matched_fields"] == ["body", "body.exact", "body_de"]


def test_highlight_marks_every_positive_part_of_the_query_flat():
    hl = query.build_body({"q": '(Kim OR "Jong Un") Putin -Biden Kim Ukrai*'})["highlight"]
    body = hl["fields"]["body"]
    assert body["highlight_query"] == any_of(
        match("body_de", "Kim", 1.0), match("body", "Kim", 1.0),
        {"match_phrase": {"body.exact": {"query": "Jong Un", "boost": 1.0}}},
        match("body_de", "Putin", 1.0), match("body", "Putin", 1.0),
        {"match_phrase_prefix": {"body.exact": {"query": "Ukrai", "max_expansions": 50,
                                                "boost": 1.0}}})
    assert body["matched_fields"] == ["body", "body.exact", "body_de"]
    assert "Biden" not in str(hl)
    only_not = query.build_body({"q": "-Biden"})["highlight"]["fields"]
    assert "highlight_query" not in only_not["body"]   # nothing to mark: the first words
    assert only_not["body"]["no_match_size"] == query.SNIPPET_CHARS


def phrase(field, text):
    return {"match_phrase": {field: {"query": text}}}


def test_highlight_marks_the_names_of_the_entities_the_filters_name():
    matches = {("person", "merkel"): query.EntityMatch(
        ["per-angela-merkel"], ["Angela Merkel", "Merkel", "merkel"]),
        ("place", "Nowhere"): query.EntityMatch([], [])}
    hl = query.build_body({"person": ["merkel"], "place": ["Nowhere"],
                           "entity_matches": matches})["highlight"]["fields"]
    # the entity's name and aliases (case ignored); a value no entity answers to as it is
    assert hl["body"]["highlight_query"] == any_of(
        phrase("body", "Angela Merkel"), phrase("body_de", "Angela Merkel"),
        phrase("body", "Merkel"), phrase("body_de", "Merkel"),
        phrase("body", "Nowhere"), phrase("body_de", "Nowhere"))
    assert hl["body"]["matched_fields"] == ["body", "body_de"]
    assert phrase("title_de", "Merkel") in hl["title"]["highlight_query"]["bool"]["should"]
    # with q: the query's words and the names
    with_q = query.build_body({"q": "Rücktritt", "person": ["merkel"],
                               "entity_matches": matches})["highlight"]["fields"]["body"]
    should = with_q["highlight_query"]["bool"]["should"]
    assert match("body_de", "Rücktritt", 1.0) in should and phrase("body", "Merkel") in should


def test_at_most_marked_names_names_are_marked():
    names = [f"Person {n}" for n in range(30)]
    args = {"person": ["x"], "entity_matches": {("person", "x"): query.EntityMatch(["p"], names)}}
    assert query.marked_names(args) == names[:query.MARKED_NAMES]


# --- pages --------------------------------------------------------------------

RAW = {
    "hits": {"total": {"value": 7, "relation": "eq"}, "hits": [
        {"_id": "a1", "_score": 2.5, "sort": [2.5, "a1"],
         "_source": {"id": "a1", "title": "Kim trifft Putin", "outlet": "CNN",
                     "agencies": ["dpa"], "language": "de",
                     "published_at": "2023-09-04T10:00:00+02:00",
                     "persons": [{"id": "kim-jong-un", "name": "Kim Jong Un"}],
                     "syndication_key": "mh1-0046a7f524d0601a"},
         "highlight": {"title": ["<mark>Kim</mark> trifft Putin"]}},
        {"_id": "b2", "_score": 1.0, "sort": [1.0, "b2"], "_source": {"id": "b2"}}]},
    "aggregations": {
        "persons": {"doc_count": 7, "values": {"buckets": [
            {"key": "kim-jong-un|Kim Jong Un", "doc_count": 5}]}},
        "outlets": {"doc_count": 7, "values": {"buckets": [{"key": "CNN", "doc_count": 3}]}},
        "published": {"doc_count": 7, "values": {"buckets": [
            {"key": 1693519200000, "key_as_string": "2023-09-01", "doc_count": 7}]}}},
}


def test_to_page_results_facets_and_cursor():
    args = {"q": "Kim", "size": 2}
    page = query.to_page(RAW, args, SECRET)
    assert page["total"] == 7
    first, second = page["results"]
    assert first == {
        "id": "a1", "external_id": None, "title": "Kim trifft Putin", "url": None,
        "outlet": "CNN", "language": "de", "published_at": "2023-09-04T10:00:00+02:00",
        "agencies": ["dpa"], "snippets": {"title": ["<mark>Kim</mark> trifft Putin"], "body": []},
        "persons": [{"id": "kim-jong-un", "name": "Kim Jong Un"}], "organizations": [],
        "places": [], "syndication_key": "mh1-0046a7f524d0601a", "score": 2.5}
    assert second["agencies"] == [] and second["snippets"] == {"title": [], "body": []}
    assert second["syndication_key"] is None
    assert page["facets"] == {
        "persons": [{"value": "Kim Jong Un", "id": "kim-jong-un", "count": 5}],
        "outlets": [{"value": "CNN", "count": 3}],
        "published": [{"value": "2023-09-01", "count": 7}]}
    assert cursor.decode(page["next_cursor"], query.fingerprint(args), SECRET) == \
        cursor.Position([1.0, "b2"])
    in_pit = query.to_page({**RAW, "pit_id": "pit-1"}, args, SECRET)
    assert cursor.decode(in_pit["next_cursor"], query.fingerprint(args), SECRET) == \
        cursor.Position([1.0, "b2"], "pit-1")


def test_short_page_has_no_next_cursor():
    assert query.to_page(RAW, {"q": "Kim", "size": 20}, SECRET)["next_cursor"] is None


# --- cursors ------------------------------------------------------------------

def test_cursor_round_trip_and_tampering():
    fp = query.fingerprint({"q": "Kim", "person": ["a", "b"]})
    token = cursor.encode([9223372036854775807, "abc"], fp, SECRET)
    assert cursor.decode(token, fp, SECRET).search_after == [9223372036854775807, "abc"]
    assert cursor.decode(token, fp, SECRET).pit_id is None
    payload, signature = token.split(".")
    forged = cursor.encode([0, "zzz"], fp, b"other").split(".")[0] + "." + signature
    for bad in (forged, token + "x", "abc", "a.b.c", "!!!.???", token[:-3], "x" * 3000):
        with pytest.raises(cursor.CursorError):
            cursor.decode(bad, fp, SECRET)
    with pytest.raises(cursor.CursorError, match="another query"):
        cursor.decode(token, query.fingerprint({"q": "Putin"}), SECRET)
    with pytest.raises(cursor.CursorError):
        cursor.decode(token, fp, b"another deployment")


def test_fingerprint_ignores_page_size_and_facets_and_value_order():
    assert query.fingerprint({"q": "Kim", "person": ["a", "b"]}) == query.fingerprint(
        {"q": " Kim ", "person": ["b", "a"], "size": 5, "facets": ["persons"]})
    assert query.fingerprint({"q": "Kim"}) != query.fingerprint({"q": "Kim", "sort": "newest"})


@given(st.text(max_size=300))
def test_cursor_decode_raises_only_cursor_error(text):
    try:
        cursor.decode(text, "fp", SECRET)
    except cursor.CursorError:
        pass


def test_every_field_the_builder_uses_is_in_the_mapping():
    from indexer import admin
    _, path = admin.latest_mapping()
    props = admin.load_definition(path)["mappings"]["properties"]

    def exists(name):
        head, _, sub = name.partition(".")
        return head in props and (not sub or sub in props[head].get("fields", {})
                                  or sub in props[head].get("properties", {}))
    used = [*query.TEXT_FIELDS, *query.GERMAN_FIELDS.values(),
            *(f"{f}.exact" for f in query.TEXT_FIELDS), *query.ANY_OF_PARAMS.values(),
            *query.DATE_RANGES.values(), *(f.field for f in query.FACETS.values()),
            *(f"{f}.{k}" for f in query.ENTITY_PARAMS.values() for k in ("id", "name")),
            *query.RESULT_FIELDS]
    assert [name for name in used if not exists(name)] == []


# --- the endpoint without Elasticsearch -----------------------------------------

@pytest.fixture(scope="module")
def module_client():
    from api import create_app
    from tests.conftest import UNREACHABLE
    return create_app({"TESTING": True, "NEWSARCHIVE_SETTINGS": UNREACHABLE}).test_client()


@settings(max_examples=60)
@given(text=st.text(max_size=80))
def test_any_q_is_a_400_or_reaches_elasticsearch_never_a_500(module_client, text):
    response = module_client.get("/v1/search", query_string={"q": text})
    # unit tests have no Elasticsearch: a valid query ends in 503
    assert response.status_code in (400, 503), response.get_json()
    if response.status_code == 400:
        error = response.get_json()["error"]
        assert error["code"] in ("invalid_query", "validation_error")
        assert "q" in error["details"]["fields"]


def test_unknown_parameters_are_named(client):
    error = client.get("/v1/search?persn=Kim&q=Kim").get_json()["error"]
    assert error["status"] == 400 and error["code"] == "validation_error"
    assert error["message"] == "Invalid request: persn: Unknown field; did you mean 'person'?"
    assert error["details"]["fields"] == {"persn": ["Unknown field; did you mean 'person'?"]}
    error = client.get("/v1/search?xyz=1").get_json()["error"]   # nothing close: no guess
    assert error["details"]["fields"] == {"xyz": ["Unknown field."]}


def test_malformed_query_and_cursor_are_400(client):
    error = client.get("/v1/search", query_string={"q": "(Kim"}).get_json()["error"]
    assert error["code"] == "invalid_query" and "Unclosed '('" in error["message"]
    error = client.get("/v1/search", query_string={"q": "Kim", "cursor": "x.y"}).get_json()["error"]
    assert error["code"] == "invalid_cursor"


@pytest.mark.parametrize("interval, counts, expected", [
    ("day", [("2024-02-27", 1), ("2024-03-01", 2)],
     ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]),
    ("week", [("2023-12-25", 1), ("2024-01-08", 3)], ["2023-12-25", "2024-01-01", "2024-01-08"]),
    ("month", [("2023-11-01", 1), ("2024-02-01", 1)],
     ["2023-11-01", "2023-12-01", "2024-01-01", "2024-02-01"]),
    ("year", [("2019-01-01", 4), ("2021-01-01", 1)], ["2019-01-01", "2020-01-01", "2021-01-01"]),
])
def test_empty_date_buckets_between_the_first_and_the_last_are_filled_in(interval, counts,
                                                                         expected):
    buckets = query.date_buckets(counts, interval)
    assert [b["value"] for b in buckets] == expected
    assert {b["value"]: b["count"] for b in buckets} == {**dict.fromkeys(expected, 0),
                                                         **dict(counts)}


def test_date_buckets_are_not_filled_beyond_the_limit():
    assert query.date_buckets([], "day") == []
    assert query.date_buckets([("2023-01-01", 2)], "day") == [{"value": "2023-01-01", "count": 2}]
    far = [("1910-05-01", 1), ("2023-09-04", 5)]     # one stray date: ~41,000 days
    assert query.date_buckets(far, "day") == [{"value": v, "count": c} for v, c in far]
    assert len(query.date_buckets(far, "month")) == 113 * 12 + 5
    odd = [("-0001-01-01", 1), ("2023-01-01", 1)]   # Elasticsearch knows year -1, Python not
    assert query.date_buckets(odd, "year") == [{"value": v, "count": c} for v, c in odd]


def test_snippets_are_html_text_with_only_what_must_be_escaped():
    raw = {"hits": {"total": {"value": 1}, "hits": [{"_id": "a", "highlight": {
        "title": ["CDU&#x2F;CSU: &quot;<mark>Nein</mark>&quot;"],
        "body": ["Kim&#x27;s &lt;b&gt; &amp;quot; &amp; &amp;#x2F;"]}}]}}
    [result] = query.to_page(raw, {"size": 20}, SECRET)["results"]
    assert result["snippets"] == {"title": ['CDU/CSU: "<mark>Nein</mark>"'],
                                  "body": ["Kim's &lt;b&gt; &amp;quot; &amp; &amp;#x2F;"]}
