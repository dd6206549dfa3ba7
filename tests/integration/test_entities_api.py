"""/v1/entities on the real stack: articles sent through the API are found by a name prefix
with their article counts, and one entity shows aliases, co-occurring entities and a timeline."""

import uuid

import pytest

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
    assert nothing == {"results": [], "fuzzy": True}


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


def test_unknown_entity_is_404(api, stack):
    response = api.get("/v1/entities/per-niemand-bekanntes")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_parameter_is_400(api, stack):
    response = api.get("/v1/entities", params={"typ": "person"})
    assert response.status_code == 400
    assert "typ" in response.json()["error"]["details"]["fields"]
