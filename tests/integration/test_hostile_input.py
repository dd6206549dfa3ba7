"""Hostile input against the real stack (issue 6, item 4), beside the schemathesis run
over openapi.yaml (test_schemathesis.py):

* hypothesis over query strings, cursors, dates, entity names, facet names and sizes:
  every answer is below 500, JSON, and a 4xx carries the error envelope;
* Elasticsearch query injection through ``q`` and the filters: ``api/query_syntax.py``
  reads every query itself, so field syntax, fuzziness, boosts, ranges, regexes and
  scripts are words (or a clear 400 for a ``*`` that is not a word's end, an unclosed
  quote), never Elasticsearch syntax: the request body has no ``query_string``,
  ``regexp``, ``script`` or ``wildcard``, and the answers say so;
* HTML with scripts in an article comes back escaped in snippets (only ``<mark>`` is
  markup), and as JSON (never ``text/html``) from ``GET /v1/articles/{id}``.

``make test`` runs ``NEWSARCHIVE_FUZZ_EXAMPLES`` examples (default 20) per hypothesis
test, as test_schemathesis.py does; ``make fuzz`` raises it. With
``NEWSARCHIVE_FUZZ_REPORT`` set, the count of requests by status goes to the file of
that name with ``-hypothesis`` added before its extension.
"""

from __future__ import annotations

import collections
import html
import json
import os
import time
import uuid
from pathlib import Path

import hypothesis
import pytest
from elasticsearch import helpers
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from api import query
from api.query_syntax import InField, QueryError, Word, parse
from indexer import entity_store

EXAMPLES = int(os.environ.get("NEWSARCHIVE_FUZZ_EXAMPLES", "20"))
FUZZ = hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
FAST = 5.0   # seconds: hostile input must not make the API slow
TOKEN = "zq" + uuid.uuid4().hex[:10]

ARTICLES = {
    # For injection: what Elasticsearch syntax would match, and what the words match.
    "kim_title": {"title": "Kim trifft Putin",
                  "text": f"Kim trifft Putin\n\nDas Treffen in Wladiwostok {TOKEN} dauerte."},
    "literal": {"text": f"Die Notiz title:Kim steht so wörtlich hier {TOKEN}."},
    "fob": {"text": f"Das Wort fob steht hier {TOKEN}."},
    "foo2": {"text": f"Der Code foo 2 steht hier {TOKEN}."},
    # For escaping: markup in the text of an article, and in an HTML page's text.
    "script_text": {"title": f"Titel <b>fett</b> &lt;i&gt; {TOKEN}",
                    "text": f"Der Text {TOKEN} enthält <script>alert(1)</script> und "
                            f"<img src=x onerror=alert(2)> sowie &lt;b&gt; Entitäten "
                            f"und a < b > c Vergleich."},
    "script_html": {"html": f"<html><head><title>Seite {TOKEN}</title>"
                            f"<script>alert(4)</script></head><body><p>Die Seite {TOKEN} "
                            f"zeigt &lt;script&gt;alert(3)&lt;/script&gt; als Text und "
                            f"<b onmouseover=alert(5)>fett</b>.</p></body></html>"},
}


CALLS: collections.Counter = collections.Counter()


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    if path := os.environ.get("NEWSARCHIVE_FUZZ_REPORT"):
        path = Path(path)
        path.with_name(f"{path.stem}-hypothesis{path.suffix}").write_text(json.dumps(
            {"requests": sum(CALLS.values()), "by_status": dict(sorted(CALLS.items()))},
            indent=1))


# --- the articles ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def indexed(stack, session_api, es, settings):
    """Key -> article id of ``ARTICLES``, indexed and searchable; deleted afterwards."""
    lines = [json.dumps({**article, "external_id": f"hostile-{TOKEN}-{key}"},
                        ensure_ascii=False) for key, article in ARTICLES.items()]
    response = session_api.post("/v1/articles/bulk", data="\n".join(lines).encode("utf-8"),
                                headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 202, response.text
    job = session_api.wait_for_job(response.json()["job_id"])
    assert job["counts"]["indexed"] == len(ARTICLES), job
    es.indices.refresh(index=settings.articles_alias)
    hits = es.search(index=settings.articles_alias, query={"match": {"body": TOKEN}},
                     size=50, source=["external_id"])["hits"]["hits"]
    ids = {hit["_source"]["external_id"].rsplit("-", 1)[1]: hit["_id"] for hit in hits}
    assert set(ids) == set(ARTICLES), ids
    yield ids
    helpers.bulk(es, ({"_op_type": "delete", "_index": settings.articles_alias, "_id": aid}
                      for aid in ids.values()), raise_on_error=False, refresh=True)


@pytest.fixture(scope="module")
def real_cursor(session_api, indexed) -> str:
    page = session_api.get("/v1/search", params={"q": TOKEN, "size": 1}).json()
    assert page["next_cursor"], page
    return page["next_cursor"]


# --- what every answer must be ------------------------------------------------------

def checked(response, *, json_body: bool = True):
    """Below 500, fast enough, JSON (``json_body``) and, for a 4xx, the error envelope."""
    CALLS[str(response.status_code)] += 1
    assert response.status_code < 500, (response.status_code, response.request.url[:300],
                                        response.text[:500])
    assert response.elapsed.total_seconds() < FAST * 4, response.request.url[:300]
    if json_body or response.status_code >= 400:
        assert response.headers["Content-Type"].startswith("application/json"), response.headers
        body = response.json()
        if response.status_code >= 400:
            error = body["error"]
            assert error["status"] == response.status_code, body
            assert isinstance(error["code"], str) and error["code"], body
            assert isinstance(error["message"], str) and error["message"], body
            assert isinstance(error["details"], dict), body
    return response


def search(api, **params):
    return checked(api.get("/v1/search", params=params))


# --- hypothesis -----------------------------------------------------------------------

SYNTAX = ["OR", "AND", "NOT", "-", "+", "(", ")", '"', "„", "“", "”", "*", "?", "~", "^", ":",
          "\\", "/", "[", "]", "{", "}", "|", "&&", "||", "!", "Kim", "Putin*", "ab*", "a*b",
          "title:", "_exists_", "TO", "\x00", "\x1f", "\t", "\n", "\u200b", "\u202e", "ü",
          "ẞ", "🙂", "ﷺ", "%", "%00", "'", ";", "<", ">", " "]
queries = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=4)), max_size=60)
    .map(" ".join),
    st.lists(st.sampled_from(SYNTAX), max_size=120).map("".join),
    st.sampled_from(["(" * 600, ")" * 20, "-" * 1000, "a" * 1000, "ab* " * 250, '"' * 999,
                     "NOT " * 250, "x OR " * 200, "a " * 500, "ä" * 1001, "*" * 1000,
                     "(a " * 20 + ")" * 20, "- " * 400, "Rüstungsgeschäfte " * 55]),
)
texts = st.one_of(st.text(max_size=60), st.sampled_from(["", " ", "|", "||", "a|b", "*", "?*",
                                                         "per-x|X", "x" * 301, "\x00", "%",
                                                         "\\"]))
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["0000-01-01", "0001-01-01", "9999-12-31", "99999-01-01", "2023-02-30",
                     "2023-13-01", "-2023-01-01", "+2023-01-01", "2023-1-1", "20230101",
                     "2023-09-01T00:00:00", "2023-W35", "now", "now-1d", "", "null"]),
    st.text(max_size=20),
)
numbers = st.one_of(st.integers(-10**20, 10**20).map(str), st.text(max_size=6),
                    st.floats(allow_nan=True).map(str), st.sampled_from(["1e3", "0x10", "٣"]))


@FUZZ
@given(q=queries)
def test_any_query_string_gets_an_answer_below_500(session_api, indexed, q):
    response = search(session_api, q=q)
    if len(q) <= 1000:   # longer is a validation error (MAX_Q_CHARS)
        try:
            query.build_body({"q": q})
            expected = 200
        except QueryError:
            expected = 400
        assert response.status_code == expected, (q, response.text[:300])


@FUZZ
@given(q=queries)
def test_any_query_string_exports_or_answers_400(session_api, indexed, q):
    # An outlet no article has keeps every export empty: the query is what is tested.
    response = checked(session_api.get("/v1/export", params={"q": q, "outlet": TOKEN}),
                       json_body=False)
    if response.status_code == 200:
        assert response.headers["X-Total-Count"] == "0" and response.text == ""


def same_token(a: str, b: str) -> bool:
    """Two spellings of one cursor: base64 ignores padding and the unused low bits of a
    last character, so some changed strings decode to the very same signed bytes."""
    from api.cursor import _unb64
    try:
        return [_unb64(p) for p in a.split(".")] == [_unb64(p) for p in b.split(".")]
    except (ValueError, TypeError):
        return False


@FUZZ
@given(data=st.data())
def test_any_cursor_gets_an_answer_below_500(session_api, real_cursor, data):
    cursor = data.draw(st.one_of(
        st.text(max_size=200),
        st.integers(0, len(real_cursor) - 1).map(lambda n: real_cursor[:n]),
        st.tuples(st.integers(0, len(real_cursor) - 1), st.characters(codec="utf-8")).map(
            lambda t: real_cursor[:t[0]] + t[1] + real_cursor[t[0] + 1:]),
        st.text(max_size=20).map(lambda s: real_cursor + s),
        st.just(real_cursor.replace(".", "..")),
        st.just("x" * 5000),
    ))
    q = data.draw(st.sampled_from([TOKEN, f"{TOKEN} Kim", ""]))
    response = search(session_api, q=q, size=1, cursor=cursor)
    if not same_token(cursor, real_cursor) or q != TOKEN:
        assert response.status_code == 400, (cursor, response.text[:300])
        assert response.json()["error"]["code"] in ("invalid_cursor", "validation_error")


@FUZZ
@given(dates=st.dictionaries(st.sampled_from(["published_from", "published_to",
                                              "mentioned_from", "mentioned_to"]), dates,
                             min_size=1))
def test_any_dates_get_an_answer_below_500(session_api, indexed, dates):
    response = search(session_api, q=TOKEN, **dates)
    for name in ("published", "mentioned"):
        start, end = dates.get(f"{name}_from"), dates.get(f"{name}_to")
        if start and end and start[:4].isdigit() and end[:4].isdigit() and start > end \
                and len(start) == len(end) == 10:
            assert response.status_code == 400, (dates, response.text[:300])


@FUZZ
@given(filters=st.dictionaries(
    st.sampled_from(["person", "organization", "place", "outlet", "agency", "language"]),
    st.lists(texts, min_size=1, max_size=22), min_size=1))
def test_any_entity_names_and_filter_values_get_an_answer_below_500(session_api, indexed,
                                                                     filters):
    response = search(session_api, q=TOKEN, facets="persons,places,outlets", **filters)
    if response.status_code == 200:
        # No article of this module has any of these values: filters are exact terms.
        wanted = {v for values in filters.values() for v in values}
        if not wanted & {"de"}:
            assert response.json()["total"] == 0, (filters, response.json()["total"])


@FUZZ
@given(params=st.fixed_dictionaries({}, optional={
    "facets": st.one_of(texts, st.lists(st.sampled_from([*query.FACETS, "", "nope", "Persons",
                                                         "persons ", "*", "_all"]),
                                        max_size=9).map(",".join)),
    "facet_size": numbers, "size": numbers,
    "interval": st.one_of(texts, st.sampled_from([*query.INTERVALS, "1d", "hour", "quarter"])),
    "sort": st.one_of(texts, st.sampled_from([*query.SORTS, "_score", "-newest", "id"])),
}))
def test_any_facets_and_sizes_get_an_answer_below_500(session_api, indexed, params):
    search(session_api, q=TOKEN, **params)


@FUZZ
@given(q=st.one_of(texts, queries.filter(lambda s: len(s) <= 250)),
       kind=st.one_of(st.none(), texts, st.sampled_from(["person", "organization", "place"])),
       size=st.one_of(st.none(), numbers))
def test_any_entity_search_gets_an_answer_below_500(session_api, q, kind, size):
    params = {key: value for key, value in (("q", q), ("type", kind), ("size", size))
              if value is not None}
    checked(session_api.get("/v1/entities", params=params))


# --- injection ------------------------------------------------------------------------

# q -> the answer: 200 (read as words; "title:"/"body:" scope what follows) or 400 (a "*" not
# at a word's end or after fewer than 2 letters, an unclosed quote)
INJECTIONS = {
    "title:Kim": 200, "body:*": 400, "_exists_:title": 200, "NOT _exists_:body": 200,
    "foo~2": 200, "foo~": 200, '"Kim Putin"~5': 200, "Kim~0.5": 200, "foo^100": 200,
    "Kim^": 200, "[a TO z]": 200, "{a TO z}": 200, "published_at:[* TO *]": 200,
    "/ab/": 200, "/rege.*x/": 400, ".*": 400, '{"script": {"source": "Math.random()"}}': 200,
    '{"query": {"match_all": {}}}': 200, "script": 200, '\\" OR 1=1': 400, '" OR ""="': 400,
    "a*": 400, "*": 400, "**********": 400, "*foo": 400, "f*o": 400, "?oo": 200, "fo?": 200,
    "Kim AND (title:Putin OR body:*)": 400, "Kim AND (title:Putin OR body:x)": 200, "+title:Kim -body:x": 200,
    "Kim && Putin || Xi": 200, "!Kim": 200, "_id:1": 200, "id:*": 200, "${jndi:ldap://x}": 200,
    "<script>alert(1)</script>": 200, "Kim\\:Jong": 200, "\x00": 200,
}
FORBIDDEN_KEYS = {"query_string", "simple_query_string", "regexp", "script", "script_score",
                  "wildcard", "fuzzy", "fuzziness", "percolate", "more_like_this", "prefix"}


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def allowed_keys() -> set[str]:
    """Every key a body may hold: those of a body using every part of the syntax, every
    filter and facet; user text is only ever a value."""
    import datetime as dt
    rich = {"q": 'Rüstungsgeschäfte Kim OR Putin -Krieg "Jong Un" Nordk*', "size": 5,
            "compound_parts": {"Rüstungsgeschäfte": ["rüstung", "geschäft"]},
            "facets": list(query.FACETS), "search_after": [1.0, "x"],
            **{param: ["x"] for param in (*query.ENTITY_PARAMS, *query.ANY_OF_PARAMS)},
            **{f"{name}_{end}": dt.date(2023, 9, 1) for name in query.DATE_RANGES
               for end in ("from", "to")}}
    return keys_of(query.build_body(rich)) | keys_of(query.build_body({}))


def test_injected_syntax_never_reaches_elasticsearch_as_syntax():
    allowed = allowed_keys()
    assert not allowed & FORBIDDEN_KEYS
    for q, expected in INJECTIONS.items():
        try:
            body = query.build_body({"q": q, "person": [q], "outlet": [q], "agency": [q]})
        except QueryError:
            assert expected == 400, q
            continue
        assert expected == 200, q
        keys = keys_of(body)
        assert keys <= allowed, (q, keys - allowed)
        assert not keys & FORBIDDEN_KEYS, q
        assert q not in keys
    for q in INJECTIONS:   # the entities endpoint's prefix search: q is only a value
        keys = keys_of(entity_store.search_body(q, entity_type="PER"))
        assert not keys & FORBIDDEN_KEYS and q not in keys, q
    # Only the title:/body: scopes are syntax (parsed here); any other field syntax is one
    # word, searched as written.
    assert parse("title:Kim") == InField("title", Word("Kim"))
    assert parse("_exists_:title") == Word("_exists_:title")


def test_injected_syntax_gets_its_documented_answer_fast(api, indexed):
    for q, expected in INJECTIONS.items():
        started = time.monotonic()
        response = search(api, q=q)
        assert time.monotonic() - started < FAST, q
        assert response.status_code == expected, (q, response.text[:300])
        if expected == 400:
            assert response.json()["error"]["code"] == "invalid_query", q
    compounds = [f"{stem}{n:02d}x" for n in range(8) for stem in
                 ("Rüstungsgeschäft", "Grenzkontrolle", "Verteidigungsminister",
                  "Außenministerium", "Wirtschaftskrise", "Flüchtlingspolitik", "Sicherheitsrat",
                  "Bundesregierung")]   # 64 long words: 64 analyses, the most clauses allowed
    for huge in ("a" * 999, "ab* " * 64, "*" * 1000, "(" * 16 + "a" + ")" * 16,
                 " ".join(compounds)[:1000], " OR ".join(compounds)[:1000],
                 '"' + "der Kim und " * 80 + '"', "a.b.c.d.e.f.g.h.i.j.k.l.m." * 38):
        started = time.monotonic()
        search(api, q=huge)
        assert time.monotonic() - started < FAST, huge[:20]


def test_injected_syntax_matches_only_its_words(api, indexed):
    def found(q, **filters):
        response = search(api, q=f"{TOKEN} {q}", **filters)
        assert response.status_code == 200, (q, response.text[:300])
        keys = {aid: key for key, aid in indexed.items()}
        return {keys[r["id"]] for r in response.json()["results"]}

    # As field syntax these would match kim_title, every article, fob and foo2, ...
    assert found("title:Kim") == {"kim_title"}        # our scope: Kim in the headline
    assert found('"title:Kim"') == {"literal"}        # quoted: the text "title:kim"
    assert found("title:Wladiwostok") == set()        # only in kim_title's text
    assert found("body:Wladiwostok") == {"kim_title"}
    assert found("_exists_:title") == set()
    assert found("foo~2") == {"foo2"}                 # "foo" and "2", not fuzzy "fob"
    assert found("foo^100") == set()                  # "foo" and "100", no boost
    assert found("[a TO z]") == set()                 # the words a, to, z: no range
    assert found('{"script": "Math.random()"}') == set()
    assert found("Kim") == {"kim_title"}
    for name in ("person", "organization", "place", "outlet", "agency", "language"):
        for value in ("*", "?", "Kim*", "/.*/", "_all", '{"script": 1}'):
            assert found("", **{name: value}) == set(), (name, value)


# --- HTML and scripts ------------------------------------------------------------------

def unmarked(snippet: str) -> str:
    assert snippet.count("<mark>") == snippet.count("</mark>"), snippet
    return snippet.replace("<mark>", "").replace("</mark>", "")


def test_markup_in_articles_comes_back_escaped_in_snippets(api, indexed):
    snippets = []
    for q in ("alert", "script", "enthält", "Entitäten", "fett", "Titel", "Vergleich"):
        page = search(api, q=f"{TOKEN} {q}").json()
        assert page["results"], q
        for result in page["results"]:
            snippets += result["snippets"]["title"] + result["snippets"]["body"]
    text = " ".join(unmarked(s) for s in snippets)
    assert "<" not in text and ">" not in text, text
    shown = html.unescape(text)   # what a browser shows: the articles' text, as written
    assert "<script>alert(1)</script>" in shown
    assert "<img src=x onerror=alert(2)>" in shown
    assert "<script>alert(3)</script>" in shown        # written escaped in the HTML page
    assert "&lt;b&gt;" in shown and "&lt;i&gt;" in shown  # entities written in a text
    assert "<b>fett</b>" in shown and "a < b > c" in shown
    assert "alert(4)" not in shown and "onmouseover" not in shown  # the page's own markup


def test_an_article_with_markup_is_served_as_json(api, indexed):
    response = api.get(f"/v1/articles/{indexed['script_text']}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    if "X-Content-Type-Options" in response.headers:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    article = response.json()
    assert "<script>alert(1)</script>" in article["body"]   # the text, as data
    for path in (f"/v1/search?q={TOKEN}", f"/v1/entities?q={TOKEN}"):
        assert api.get(path).headers["Content-Type"] == "application/json"
