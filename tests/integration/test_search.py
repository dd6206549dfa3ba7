"""GET /v1/search against the real stack: articles go in through the ingest path
(API -> worker -> Elasticsearch) once per module; every query carries the
module's token so other tests' articles never count."""

from __future__ import annotations

import random
import time
import uuid

import pytest
import requests

from indexer import archive_generation

TOKEN = "zq" + uuid.uuid4().hex[:10]

ARTICLES = {
    "a": {"title": "Kim Jong Un trifft Wladimir Putin", "outlet": "CNN", "language": "de",
          "published_at": "2023-09-04T10:00:00+02:00",
          "text": "Der nordkoreanische Machthaber Kim Jong Un will den russischen Präsidenten "
                  "Wladimir Putin in Wladiwostok treffen. Es geht um Rüstungsgeschäfte und "
                  "Munition."},
    "b": {"title": "Nordkorea liefert Munition an Russland", "outlet": "ntv", "language": "de",
          "published_at": "2023-08-30T18:36:00+02:00",
          "text": "Nordkorea und Russland verhandeln über die Rüstung. Die Geschäfte laufen "
                  "gut, sagte John Kirby in Washington."},
    "c": {"title": "Putin spricht in Moskau", "outlet": "Tagesschau", "language": "de",
          "published_at": "2023-07-15T09:00:00+02:00",
          "text": "Wladimir Putin sprach am 15. Juli 2023 in Moskau über den Krieg in der "
                  "Ukraine."},
    "d": {"title": "North Korea sends a delegation", "outlet": "CNN", "language": "en",
          "published_at": "2023-09-05T08:00:00+00:00",
          "text": "The delegation meets officials in Pyongyang this week, reports say."},
    "e": {"title": "Preise im Supermarkt", "outlet": "ntv", "language": "de",
          "published_at": "2023-06-01T12:00:00+02:00",
          "text": "Der Preis liegt bei < 5 Euro & mehr \"pro Kilo/Stück\", sagen Händler in "
                  "Hamburg."},
}
# Filler for paging: two share a publication time, so the id tiebreaker matters.
for i in range(7):
    ARTICLES[f"p{i}"] = {"outlet": "dpa-Ticker", "language": "de",
                         "title": f"Meldung Nummer {i}",
                         "published_at": f"2023-05-{10 + min(i, 5):02d}T08:00:00+02:00",
                         "text": f"Kurzmeldung Nummer {i} aus dem Ticker über das Wetter."}


@pytest.fixture(scope="module")
def indexed(stack, session_api):
    """External key -> article id, after every article is indexed and searchable."""
    ids, jobs = {}, []
    for key, article in ARTICLES.items():
        body = {**article, "external_id": f"search-{TOKEN}-{key}",
                "text": f"{article['text']} Stichwort {TOKEN}."}
        response = session_api.post("/v1/articles", json=body)
        assert response.status_code == 202, response.text
        ids[key] = response.json()["article_id"]
        jobs.append(response.json()["job_id"])
    deadline = time.monotonic() + 90
    for job_id in jobs:
        while session_api.get(f"/v1/jobs/{job_id}").json()["counts"]["pending"]:
            assert time.monotonic() < deadline, f"job {job_id} not done"
            time.sleep(0.2)
    deadline = time.monotonic() + 30  # the index refreshes on its own schedule
    while search_total(stack, {"q": TOKEN}) < len(ARTICLES):
        assert time.monotonic() < deadline, "articles not searchable"
        time.sleep(0.3)
    return ids


def search_total(base, params):
    return requests.get(f"{base}/v1/search", params=params, timeout=30).json()["total"]


@pytest.fixture
def search(api, indexed):
    keys = {article_id: key for key, article_id in indexed.items()}

    def run(q="", expect=200, **params):
        response = api.get("/v1/search", params={"q": f"{q} {TOKEN}".strip(), **params})
        assert response.status_code == expect, response.text
        page = response.json()
        if expect == 200:
            page["keys"] = [keys[r["id"]] for r in page["results"]]
        return page
    return run


def test_words_are_anded_and_title_ranks_first(search):
    page = search("Putin")
    assert set(page["keys"]) == {"a", "c"} and page["total"] == 2
    assert search("Putin Moskau")["keys"] == ["c"]
    result = search("Putin Wladiwostok")["results"][0]
    assert result["snippets"]["title"] == ["Kim Jong Un trifft Wladimir <mark>Putin</mark>"]
    assert result["outlet"] == "CNN" and result["language"] == "de"
    assert result["external_id"] == f"search-{TOKEN}-a" and result["score"] > 0
    assert {"id": "per-wladimir-putin", "name": "Wladimir Putin"} in result["persons"]


def test_stemmed_and_decompounded_forms_are_found_and_marked(search):
    page = search("Geschäft")  # b has "Geschäfte", a has "Rüstungsgeschäfte"
    assert set(page["keys"]) == {"a", "b"}
    snippets = {key: " ".join(r["snippets"]["body"]) for key, r in
                zip(page["keys"], page["results"])}
    assert "<mark>Geschäfte</mark>" in snippets["b"]
    assert "<mark>Rüstungsgeschäfte</mark>" in snippets["a"]


def test_a_compound_query_finds_its_parts_ranked_below_the_compound(search):
    page = search("Rüstungsgeschäfte")
    assert page["keys"] == ["a", "b"]
    body_b = " ".join(page["results"][1]["snippets"]["body"])
    assert "<mark>Rüstung</mark>" in body_b and "<mark>Geschäfte</mark>" in body_b
    [result] = search("Supermarktpreise")["results"]  # "Preise im Supermarkt"
    assert result["snippets"]["title"] == ["<mark>Preise</mark> im <mark>Supermarkt</mark>"]


def test_every_positive_part_is_marked_wherever_it_occurs(search, api):
    # The title holds one of the two words: it is marked there all the same.
    [result] = search("Putin Rüstungsgeschäfte")["results"]
    assert result["snippets"]["title"] == ["Kim Jong Un trifft Wladimir <mark>Putin</mark>"]
    body = " ".join(result["snippets"]["body"])
    assert "<mark>Putin</mark>" in body and "<mark>Rüstungsgeschäfte</mark>" in body
    # Phrases and prefixes are marked in their exact form, OR parts where they occur.
    [result] = search('"Wladimir Putin" Wladiw* -Moskau')["results"]
    body = " ".join(result["snippets"]["body"])
    assert "<mark>Wladimir Putin</mark>" in body and "<mark>Wladiwostok</mark>" in body
    [result] = search("(Moskau OR Pjöngjang) -Rüstung")["results"]
    assert result["snippets"]["title"] == ["Putin spricht in <mark>Moskau</mark>"]
    # Nothing positive to mark: the body's first words, unmarked.
    page = api.get("/v1/search", params={"q": "-Wladiwostok", "outlet": "dpa-Ticker"}).json()
    assert page["results"] and all(r["snippets"]["body"] and "<mark>" not in str(r["snippets"])
                                   for r in page["results"])


def test_compound_parts_must_be_near_each_other(search):
    assert len(search("Wetter")["keys"]) == 7  # "Kurzmeldung ... über das Wetter"
    assert search("Wettermeldung")["keys"] == []  # parts 7 words apart
    assert search("Geschäftsmunition")["keys"] == ["a"]  # "...geschäfte und Munition"


def test_other_languages_are_found_by_their_own_words(search):
    assert search("delegation meets", language="en")["keys"] == ["d"]
    assert search("meets")["keys"] == ["d"]


def test_exact_phrases_or_not_and_prefixes(search):
    assert set(search('"Wladimir Putin"')["keys"]) == {"a", "c"}
    assert search('"Wladimir Putins"')["keys"] == []
    assert search('"Putin Wladimir"')["keys"] == []
    assert set(search("Moskau OR Wladiwostok")["keys"]) == {"a", "c"}
    assert search("Putin -Moskau")["keys"] == ["a"]
    assert search("Putin NOT (Moskau OR Kim)")["keys"] == []
    assert set(search("Rüst*")["keys"]) == {"a", "b"}


def test_entity_filters_by_name_or_id_all_must_match(search):
    assert set(search(person="Wladimir Putin")["keys"]) == {"a", "c"}
    assert set(search(person="per-wladimir-putin")["keys"]) == {"a", "c"}
    assert set(search(person="wladimir putin")["keys"]) == {"a", "c"}  # folded names
    assert search(person=["Wladimir Putin", "Kim Jong Un"])["keys"] == ["a"]
    assert search(person="Wladimir Putin", place="Moskau")["keys"] == ["c"]
    # The page says what each value found: folded, by id, or nothing.
    page = search(person=["wladimir putin", "Niemand Bekanntes"], place="loc-moskau")
    assert page["entity_filters"] == [
        {"param": "person", "value": "wladimir putin",
         "entities": [{"id": "per-wladimir-putin", "name": "Wladimir Putin"}]},
        {"param": "person", "value": "Niemand Bekanntes", "entities": []},
        {"param": "place", "value": "loc-moskau",
         "entities": [{"id": "loc-moskau", "name": "Moskau"}]}]
    assert search("Putin")["entity_filters"] == []


def test_a_new_article_counts_for_an_entity_filter_at_once(api, indexed, redis_conn, settings):
    """The API keeps which entities a value names until the archive changes: a name no
    entity had finds the article that brings it as soon as that article is searchable."""
    token = "zq" + uuid.uuid4().hex[:10]    # not the module's: its totals stay as they are
    surname = "Zell" + "".join(random.Random(token).choices("aeiklmnorstu", k=6))
    changed = archive_generation.key(settings.redis_prefix)

    def find(value):
        params = {"q": token, "person": value}
        return api.get("/v1/search", params=params).json()

    assert find(surname)["total"] == 0 and find(surname)["entity_filters"][0]["entities"] == []
    before = redis_conn.get(changed)
    response = api.post("/v1/articles", json={
        "external_id": f"search-{token}", "language": "de",
        "text": f"Der Politiker Olaf {surname} besuchte am Montag Hamburg. {surname} sagte, "
                f"er sei zufrieden. Stichwort {token}."})
    assert response.status_code == 202, response.text
    job_id, article_id = response.json()["job_id"], response.json()["article_id"]
    deadline = time.monotonic() + 60
    while api.get(f"/v1/jobs/{job_id}").json()["counts"]["pending"]:
        assert time.monotonic() < deadline, "job not done"
        time.sleep(0.2)
    assert redis_conn.get(changed) != before       # the worker recorded its change
    deadline = time.monotonic() + 15               # both indices refresh on their own
    while (page := find(surname))["total"] != 1:
        assert time.monotonic() < deadline, page
        time.sleep(0.3)
    assert page["entity_filters"][0]["entities"] == [
        {"id": f"per-olaf-{surname.lower()}", "name": f"Olaf {surname}"}]
    before = redis_conn.get(changed)
    assert api.delete(f"/v1/articles/{article_id}").status_code == 204
    assert redis_conn.get(changed) != before       # so does a delete


def test_an_entity_filter_marks_where_the_article_names_the_entity(search, api, indexed):
    page = search(person="per-wladimir-putin")
    snippets = {key: r["snippets"] for key, r in zip(page["keys"], page["results"])}
    assert "<mark>Wladimir Putin</mark>" in snippets["c"]["body"][0]
    assert snippets["a"]["title"] == ["Kim Jong Un trifft <mark>Wladimir Putin</mark>"]
    # without q, the snippet is the sentence that names him, not the first words
    page = api.get("/v1/search", params={
        "person": "Wladimir Putin", "published_from": "2023-07-15",
        "published_to": "2023-07-15", "size": 100}).json()
    ours = [r for r in page["results"] if r["id"] == indexed["c"]]
    assert "<mark>Wladimir Putin</mark> sprach" in ours[0]["snippets"]["body"][0]


def test_outlet_language_and_date_filters(search):
    assert set(search(outlet="cnn")["keys"]) == {"a", "d"}
    assert set(search(outlet=["CNN", "Tagesschau"])["keys"]) == {"a", "c", "d"}
    assert search(language="en")["keys"] == ["d"]
    assert set(search(published_from="2023-08-30", published_to="2023-09-04")["keys"]) == \
        {"a", "b"}
    assert set(search(published_from="2023-09-05")["keys"]) == {"d"}
    assert search(mentioned_from="2023-07-15", mentioned_to="2023-07-15")["keys"] == ["c"]


def test_facets_are_multi_select(search):
    page = search(outlet="CNN", facets="outlets,persons,languages,published", interval="month")
    assert set(page["keys"]) == {"a", "d"}
    outlets = {b["value"]: b["count"] for b in page["facets"]["outlets"]}
    assert outlets == {"dpa-Ticker": 7, "CNN": 2, "ntv": 2, "Tagesschau": 1}  # own filter off
    persons = {b["id"]: (b["value"], b["count"]) for b in page["facets"]["persons"]}
    assert persons["per-kim-jong-un"] == ("Kim Jong Un", 1)  # other filters on
    assert "per-john-kirby" not in persons
    assert {b["value"]: b["count"] for b in page["facets"]["languages"]} == {"de": 1, "en": 1}
    assert {b["value"]: b["count"] for b in page["facets"]["published"]} == {"2023-09-01": 2}


def test_the_published_histogram_has_its_empty_buckets_too(search):
    # ntv: e on Thursday 2023-06-01, b on Wednesday 2023-08-30; weeks start on Monday
    weeks = search(outlet="ntv", facets="published", interval="week")["facets"]["published"]
    assert (weeks[0], weeks[-1]) == ({"value": "2023-05-29", "count": 1},
                                     {"value": "2023-08-28", "count": 1})
    assert len(weeks) == 14 and sum(b["count"] for b in weeks) == 2
    months = search(outlet="ntv", facets="published")["facets"]["published"]
    assert [(b["value"], b["count"]) for b in months] == [
        ("2023-06-01", 1), ("2023-07-01", 0), ("2023-08-01", 1)]


def test_size_0_answers_the_total_and_facets_only(search):
    full = search("Kim", outlet="CNN", facets="outlets,persons", size=100)
    counts = search("Kim", outlet="CNN", facets="outlets,persons", size=0)
    assert counts["results"] == [] and counts["next_cursor"] is None
    assert counts["total"] == full["total"] > 0
    assert counts["facets"] == full["facets"]


def test_a_field_scope_searches_the_headline_or_the_text_only(search):
    assert set(search("Munition")["keys"]) == {"a", "b"}
    [in_title] = search("title:Munition")["results"]
    assert search("title:Munition")["keys"] == ["b"] and search("text:Munition")["keys"] == ["a"]
    assert in_title["snippets"]["title"] == ["Nordkorea liefert <mark>Munition</mark> an Russland"]
    assert "<mark>Munition" not in " ".join(in_title["snippets"]["body"])
    assert search('titel:"Wladimir Putin"')["keys"] == ["a"]     # c's title: "Putin" alone
    assert search("title:Wladiwostok")["keys"] == []              # in a's text only
    assert set(search("title:(Putin OR Russland) -title:Moskau")["keys"]) == {"a", "b"}


def test_snippets_are_html_text(search):
    [result] = search("Preis")["results"]
    body = " ".join(result["snippets"]["body"])
    # &, < and > escaped; quotes and "/" as they are (no "&quot;pro Kilo&#x2F;Stück&quot;")
    assert "<mark>Preis</mark>" in body and '&lt; 5 Euro &amp; mehr "pro Kilo/Stück"' in body
    assert "<" not in body.replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize("sort", ["newest", "oldest", "relevance"])
def test_cursor_pages_never_repeat_or_skip(search, sort):
    everything = search(sort=sort, size=100)
    assert everything["total"] == len(ARTICLES) and everything["next_cursor"] is None
    seen, cursor, pages = [], None, 0
    while True:
        page = search(sort=sort, size=3, **({"cursor": cursor} if cursor else {}))
        seen.extend(page["keys"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert seen == everything["keys"] and len(set(seen)) == len(ARTICLES)
    if sort == "newest":
        assert seen[0] == "d" and seen[-1] in {"p0", "p1"}
        dates = [r["published_at"] for r in everything["results"]]
        assert dates == sorted(dates, key=lambda d: d[:10], reverse=True)


def test_no_query_lists_newest_first(api, indexed):
    page = api.get("/v1/search", params={"outlet": "dpa-Ticker", "size": 2}).json()
    assert page["results"][0]["score"] is None or page["results"][0]["score"] >= 0
    assert page["results"][0]["published_at"] >= page["results"][1]["published_at"]


def test_tampered_or_foreign_cursors_are_400(search):
    cursor = search(size=2)["next_cursor"]
    payload, signature = cursor.split(".")
    tampered = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + signature
    for bad in (tampered, cursor + "x", "nonsense"):
        error = search(size=2, cursor=bad, expect=400)["error"]
        assert error["code"] == "invalid_cursor" and "cursor" in error["details"]["fields"]
    error = search("Putin", size=2, cursor=cursor, expect=400)["error"]
    assert "another query" in error["message"]


@pytest.mark.parametrize("params, field", [
    ({"q": '"Kim Jong'}, "q"), ({"q": "(Kim"}, "q"), ({"q": "Kim OR"}, "q"), ({"q": "*"}, "q"),
    ({"persn": "Kim"}, "persn"), ({"size": "-1"}, "size"), ({"size": "101"}, "size"),
    ({"size": "0", "cursor": "abc"}, "cursor"),
    ({"published_from": "gestern"}, "published_from"), ({"interval": "hour"}, "interval"),
    ({"facets": "persons,colors"}, "facets.1"), ({"sort": "random"}, "sort"),
    ({"published_from": "2023-09-02", "published_to": "2023-09-01"}, "published_to"),
])
def test_bad_parameters_are_400_naming_them(api, stack, params, field):
    response = api.get("/v1/search", params=params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["status"] == 400 and field in error["details"]["fields"], error


def test_a_misspelt_word_gets_a_corrected_query_that_finds_something(search):
    page = search("Wladiwostock")
    assert page["total"] == 0
    assert page["suggestion"] == {"q": f"Wladiwostok {TOKEN}", "total": 1}
    assert search(page["suggestion"]["q"].removesuffix(TOKEN))["keys"] == ["a"]
    # The syntax stays as typed; the phrase finds a and c.
    assert search('"Wladimir Putln" -Moskva')["suggestion"] == {
        "q": f'"Wladimir Putin" -Moskva {TOKEN}', "total": 2}
    # A scoped word too ("title:Wladimri" is one token to Elasticsearch's word rules).
    assert search("title:Wladimri")["suggestion"] == {"q": f"title:Wladimir {TOKEN}", "total": 1}
    # Offered only when it finds something with the same filters, and only for no results.
    assert search("Wladiwostock", outlet="ntv")["suggestion"] is None
    assert search("Wladiwostok")["suggestion"] is None
    assert search("Xqzvwtk")["suggestion"] is None
