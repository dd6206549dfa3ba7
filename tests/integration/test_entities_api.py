"""/v1/entities on the real stack: articles sent through the API are found by a name prefix
with their article counts, and one entity shows aliases, co-occurring entities and a timeline."""

import datetime as dt
import random
import uuid

import pytest
from elasticsearch import helpers

from indexer import entity_store
from tests.integration.test_ingest_api import post_and_wait

KIM_HYPHENATED = """Kim Jong-un reist nach Russland

Nordkoreas Machthaber Kim Jong-un will nach Angaben aus Washington in den kommenden Wochen nach \
Russland reisen und dort Präsident Wladimir Putin treffen. Kim werde vermutlich mit dem Zug fahren, \
hieß es am Mittwoch. Stichwort {token}."""

KIM_SPACED = """Putin empfängt Kim

Der russische Präsident Wladimir Putin hat den nordkoreanischen Machthaber Kim Jong Un im \
Kosmodrom Wostotschny empfangen. Putin und Kim Jong Un sprachen nach Angaben des Kremls über \
militärische Zusammenarbeit. Stichwort {token}."""


@pytest.fixture(scope="module")
def kim_articles(session_api, es, settings):
    """Two articles naming Kim (two spellings) and Putin, in August and September 2023."""
    api, run = session_api, uuid.uuid4().hex[:10]
    for n, (text, published) in enumerate([(KIM_HYPHENATED, "2023-08-30T18:36:00+02:00"),
                                           (KIM_SPACED, "2023-09-13T18:00:00+02:00")]):
        post_and_wait(api, {"external_id": f"entities-api-{run}-{n}",
                            "text": text.format(token=f"zq{run}"), "published_at": published})
    es.indices.refresh(index=settings.articles_alias)
    es.indices.refresh(index=settings.entities_alias)
    return run


def test_prefix_search_finds_kim_with_article_count(api, kim_articles):
    response = api.get("/v1/entities", params={"q": "kim j", "type": "person"})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    [kim] = [r for r in results if r["id"] == "per-kim-jong-un"]
    assert kim["type"] == "person"
    assert kim["article_count"] >= 2
    assert all(r["type"] == "person" for r in results)


def test_a_misspelt_name_finds_the_names_spelt_like_it(api, kim_articles):
    exact = api.get("/v1/entities", params={"q": "kim j", "type": "person"}).json()
    assert exact["fuzzy"] is False
    response = api.get("/v1/entities", params={"q": "kim jomg", "type": "person"})
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["fuzzy"] is True
    assert "per-kim-jong-un" in [r["id"] for r in found["results"]]
    assert all(r["type"] == "person" for r in found["results"])
    # The first letter is as typed: "Wladimir Putin" is no "ladimir".
    nothing = api.get("/v1/entities", params={"q": "ladimir putim"}).json()
    assert nothing == {"results": [], "fuzzy": True, "next_cursor": None}


def a_to_z(api, params):
    """Every page of ``params`` (sort=name) by ``next_cursor``: the ids, the number of pages."""
    ids, pages, params = [], 0, dict(params)
    while True:
        response = api.get("/v1/entities", params=params)
        assert response.status_code == 200, response.text
        found, pages = response.json(), pages + 1
        ids += [r["id"] for r in found["results"]]
        if not found["next_cursor"]:
            return ids, pages
        params["cursor"] = found["next_cursor"]


def test_without_q_every_entity_is_listed_a_to_z_page_by_page(api, es, settings, kim_articles):
    ids, pages = a_to_z(api, {"type": "person", "size": 1})
    assert len(ids) == len(set(ids)) and pages > 1
    persons = [hit["_id"] for hit in helpers.scan(
        es, index=settings.entities_alias, query={"query": {"term": {"type": "PER"}}})]
    counts = entity_store.article_stats(es, settings.articles_alias, persons)
    assert set(ids) == {i for i in persons if counts[i]["article_count"]}   # none missed
    # with q: every match, A-Z
    matches, _ = a_to_z(api, {"q": "kim", "sort": "name", "size": 2})
    assert "per-kim-jong-un" in matches and len(matches) == len(set(matches))


def test_cursors_belong_to_their_listing(api, kim_articles):
    first = api.get("/v1/entities", params={"type": "person", "size": 1}).json()
    token = first["next_cursor"]
    for params in ({"type": "place"}, {"type": "person", "sort": "articles"},
                   {"type": "person", "q": "kim"}):
        response = api.get("/v1/entities", params={**params, "size": 1, "cursor": token})
        assert response.status_code == 400, (params, response.text)
        assert response.json()["error"]["code"] == "invalid_cursor"
    tampered = api.get("/v1/entities", params={"type": "person", "cursor": token[:-2] + "xx"})
    assert tampered.status_code == 400


def test_sort_articles_without_q_lists_the_most_named(api, kim_articles):
    found = api.get("/v1/entities", params={"sort": "articles", "size": 50}).json()
    counts = [r["article_count"] for r in found["results"]]
    assert counts == sorted(counts, reverse=True) and found["next_cursor"] is None
    people = api.get("/v1/entities", params={"sort": "articles", "type": "person",
                                             "size": 50}).json()["results"]
    assert {r["type"] for r in people} == {"person"}
    assert "per-kim-jong-un" in [r["id"] for r in people]


def test_sort_articles_without_q_pages_through_the_ranking(api, kim_articles):
    def ranking(size):
        params, found = {"sort": "articles", "size": size}, []
        while True:
            answer = api.get("/v1/entities", params=params)
            assert answer.status_code == 200, answer.text
            found += [(r["id"], r["article_count"]) for r in answer.json()["results"]]
            if not (token := answer.json()["next_cursor"]):
                return found
            params["cursor"] = token

    whole = ranking(50)
    assert len(whole) > 3 and ranking(2) == whole
    assert [count for _, count in whole] == sorted((count for _, count in whole), reverse=True)
    first = api.get("/v1/entities", params={"sort": "articles", "size": 2}).json()
    for params in ({"sort": "articles", "size": 2, "q": "kim"},          # q: one page
                   {"sort": "articles", "size": 2, "type": "place"},    # a type
                   {"sort": "name", "size": 2}):                        # another sort
        answer = api.get("/v1/entities", params={**params, "cursor": first["next_cursor"]})
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["code"] == "invalid_cursor"


def test_search_by_type_excludes_other_types(api, kim_articles):
    response = api.get("/v1/entities", params={"q": "kim", "type": "place", "size": 50})
    assert response.status_code == 200, response.text
    assert all(r["type"] == "place" for r in response.json()["results"])


def test_entity_detail_has_aliases_related_and_timeline(api, kim_articles):
    response = api.get("/v1/entities/per-kim-jong-un")
    assert response.status_code == 200, response.text
    kim = response.json()
    assert kim["name"] in ("Kim Jong Un", "Kim Jong-un")
    assert {"Kim Jong-un", "Kim Jong Un"} <= {kim["name"], *kim["aliases"]}
    assert kim["article_count"] >= 2
    assert kim["first_seen"] <= "2023-08-30T16:36:00+00:00" <= kim["last_seen"]
    related = kim["related"]["persons"]
    assert "per-kim-jong-un" not in [r["id"] for r in related]
    putin = [r for r in related if "Putin" in r["name"]]
    assert putin and putin[0]["count"] >= 2 and putin[0]["type"] == "person"
    months = {bucket["month"]: bucket["count"] for bucket in kim["timeline"]}
    assert months.get("2023-08", 0) >= 1 and months.get("2023-09", 0) >= 1


def test_timeline_months_are_the_search_histograms_months(api, es, settings):
    """An article of 00:30 on 1 August in Berlin (22:30 UTC on 31 July) counts for August in
    the entity's timeline, as it does in the search's `published` histogram."""
    token = "zq" + uuid.uuid4().hex[:10]
    surname = "Zell" + "".join(random.Random(token).choices("aeiklmnorstu", k=6))
    post_and_wait(api, {"external_id": f"timeline-{token}", "language": "de",
                        "published_at": "2023-07-31T22:30:00+00:00",
                        "text": f"Der Politiker Olaf {surname} besuchte am Montag Hamburg. "
                                f"{surname} sagte, er sei zufrieden. Stichwort {token}."})
    es.indices.refresh(index=settings.articles_alias)
    es.indices.refresh(index=settings.entities_alias)
    response = api.get(f"/v1/entities/per-olaf-{surname.lower()}")
    assert response.status_code == 200, response.text
    assert response.json()["timeline"] == [{"month": "2023-08", "count": 1}]
    page = api.get("/v1/search", params={"q": token, "facets": "published",
                                         "interval": "month"}).json()
    assert [(b["value"], b["count"]) for b in page["facets"]["published"]] == [("2023-08-01", 1)]


def test_dates_of_any_year_keep_their_articles_and_timelines(api, es, settings):
    """A sender's date before 1800 is kept (an archive of old papers), and an entity named in
    articles of the years 1795, 1 and this year has a timeline, not an error: the months
    between are filled only while they are not too many for Elasticsearch. A date years
    ahead is refused, naming the field."""
    token = "zq" + uuid.uuid4().hex[:10]
    surname = "Zell" + "".join(random.Random(token).choices("aeiklmnorstu", k=6))
    text = (f"Der Kaufmann Anton {surname} reiste nach Hamburg. {surname} kaufte dort Tuch. "
            f"Stichwort {token}.")
    now = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    dates = ["1795-03-01T10:00:00+01:00", "1795-05-01T10:00:00+01:00",
             "0001-01-01T10:00:00+00:00", now.isoformat()]
    ids = [post_and_wait(api, {
        "external_id": f"years-{token}-{n}", "language": "de", "published_at": day,
        "text": text})[0]["article_id"] for n, day in enumerate(dates)]
    assert [api.get(f"/v1/articles/{i}").json()["published_at"] for i in ids] == dates
    refused = api.post("/v1/articles", json={"text": text,
                                             "published_at": "9999-12-01T10:00:00+00:00"})
    assert refused.status_code == 400
    assert "published_at" in refused.json()["error"]["details"]["fields"]
    es.indices.refresh(index=[settings.articles_alias, settings.entities_alias])
    response = api.get(f"/v1/entities/per-anton-{surname.lower()}")
    assert response.status_code == 200, response.text
    assert response.json()["timeline"] == [
        {"month": "0001-01", "count": 1}, {"month": "1795-03", "count": 1},
        {"month": "1795-05", "count": 1}, {"month": f"{now:%Y-%m}", "count": 1}]
    # Date sorts read no snapshot, so the refresh above is all the search needs.
    page = api.get("/v1/search", params={"q": token, "published_to": "1799-12-31",
                                         "sort": "oldest"}).json()
    assert [r["published_at"] for r in page["results"]] == [dates[2], dates[0], dates[1]]


def test_unknown_entity_is_404(api, stack):
    response = api.get("/v1/entities/per-niemand-bekanntes")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_parameter_is_400(api, stack):
    response = api.get("/v1/entities", params={"typ": "person"})
    assert response.status_code == 400
    assert "typ" in response.json()["error"]["details"]["fields"]
