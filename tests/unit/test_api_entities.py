"""/v1/entities: the request bodies (pure), the response shapes and the errors, with a fake
Elasticsearch client (the real node is in tests/integration/test_entities_api.py)."""

import pytest
from elasticsearch import NotFoundError

from api import entities
from api import extensions as ext

# As stored by an earlier version, with a date range that a deleted article had widened: the
# API shows the range of the articles naming Kim now (ARTICLE_DATES), never the stored one.
KIM = {"id": "per-kim-jong-un", "type": "PER", "name": "Kim Jong Un",
       "labels": ["Kim Jong Un"], "aliases": ["Kim", "Kim Jong-un"],
       "first_seen": "2012-12-29T23:00:00+00:00", "last_seen": "2023-09-04T08:00:00+00:00"}
KIM_SEEN = {"first_seen": "2023-08-30T16:36:00+00:00", "last_seen": "2023-09-04T08:00:00+00:00"}
# id -> (min, max) of published_at in epoch milliseconds, as the stats aggregation answers
ARTICLE_DATES = {"per-kim-jong-un": (1693413360000.0, 1693814400000.0),
                 "per-wladimir-putin": (None, None)}
PUTIN = {"id": "per-wladimir-putin", "type": "PER", "name": "Wladimir Putin",
         "labels": ["Wladimir Putin"], "aliases": ["Putin"]}
DETAIL_AGGS = {
    "persons": {"buckets": [{"key": "per-wladimir-putin", "doc_count": 2},
                            {"key": "per-unbekannt", "doc_count": 1}]},
    "organizations": {"buckets": []},
    "places": {"buckets": [{"key": "loc-washington", "doc_count": 1}]},
    "timeline": {"buckets": [{"key_as_string": "2023-08-01", "key": 1, "doc_count": 1},
                             {"key_as_string": "2023-09-01", "key": 2, "doc_count": 1}]},
}


class FakeES:
    """Answers the requests the entity views make; records them."""

    def __init__(self, docs):
        self.docs = {doc["id"]: doc for doc in docs}
        self.calls = []

    def search(self, index, body=None, **kwargs):
        body = body or kwargs
        self.calls.append((index, body))
        if index.endswith("-entities"):
            hits = [{"_id": i, "_source": d} for i, d in self.docs.items()]
            return {"hits": {"hits": hits}}
        if "timeline" in body.get("aggs", {}):
            return {"hits": {"total": {"value": 2}}, "aggregations": DETAIL_AGGS}
        counts = {"per-kim-jong-un": 2, "per-wladimir-putin": 3}
        wanted = body["aggs"]["persons.id"]["terms"]["include"]
        return {"aggregations": {"persons.id": {"buckets": [
            {"key": key, "doc_count": count, "first_seen": {"value": ARTICLE_DATES[key][0]},
             "last_seen": {"value": ARTICLE_DATES[key][1]}}
            for key, count in counts.items() if key in wanted]}}}

    def get(self, index, id):
        if id not in self.docs:
            raise NotFoundError(404, {"_id": id, "found": False}, {"_id": id, "found": False})
        return {"_id": id, "_source": self.docs[id]}

    def mget(self, index, ids):
        return {"docs": [{"_id": i, "found": i in self.docs,
                          **({"_source": self.docs[i]} if i in self.docs else {})} for i in ids]}


@pytest.fixture
def fake_es(monkeypatch):
    fake = FakeES([KIM, PUTIN, {"id": "loc-washington", "type": "LOC", "name": "Washington",
                                "labels": ["Washington"], "aliases": []}])
    monkeypatch.setattr(ext, "es", lambda: fake)
    return fake


def test_detail_body_filters_on_the_id_field_of_the_type_and_excludes_itself():
    body = entities.detail_body("per-kim-jong-un", "PER", related_size=5)
    assert body["query"] == {"bool": {"filter": [{"term": {"persons.id": "per-kim-jong-un"}}]}}
    assert body["size"] == 0
    for name, field in (("persons", "persons.id"), ("organizations", "organizations.id"),
                        ("places", "places.id")):
        assert body["aggs"][name] == {"terms": {"field": field, "size": 5,
                                                "exclude": ["per-kim-jong-un"]}}
    timeline = body["aggs"]["timeline"]["date_histogram"]
    assert timeline["field"] == "published_at"
    assert timeline["calendar_interval"] == "month"
    assert timeline["format"] == "yyyy-MM-dd" and timeline["min_doc_count"] == 1
    assert timeline["time_zone"] == "Europe/Berlin"     # the search histogram's months


def test_detail_body_of_an_unknown_type_looks_in_every_id_field():
    query = entities.detail_body("x-1", "MISC")["query"]["bool"]["filter"][0]
    assert len(query["bool"]["should"]) == 3


def test_the_timeline_fills_the_empty_months_unless_they_are_too_many():
    def timeline(*days):
        buckets = [{"key_as_string": day, "doc_count": n} for day, n in days]
        return entities.timeline_from({"timeline": {"buckets": buckets}})

    assert timeline(("2023-11-01", 2), ("2024-02-01", 1)) == [
        {"month": "2023-11", "count": 2}, {"month": "2023-12", "count": 0},
        {"month": "2024-01", "count": 0}, {"month": "2024-02", "count": 1}]
    assert timeline() == [] and timeline(("1795-03-01", 1)) == [{"month": "1795-03", "count": 1}]
    # an article of the year 1 and one of 9999: the months with articles only
    assert timeline(("0001-01-01", 1), ("9999-12-01", 1)) == [
        {"month": "0001-01", "count": 1}, {"month": "9999-12", "count": 1}]


def test_related_and_timeline_from_aggregations():
    related = entities.related_from(DETAIL_AGGS, {"per-wladimir-putin": "Wladimir Putin"})
    assert related["persons"] == [
        {"id": "per-wladimir-putin", "type": "person", "name": "Wladimir Putin", "count": 2},
        {"id": "per-unbekannt", "type": "person", "name": "per-unbekannt", "count": 1}]
    assert related["organizations"] == []
    assert related["places"][0]["type"] == "place"
    assert entities.timeline_from(DETAIL_AGGS) == [{"month": "2023-08", "count": 1},
                                                   {"month": "2023-09", "count": 1}]
    assert entities.related_ids(DETAIL_AGGS) == ["per-wladimir-putin", "per-unbekannt",
                                                 "loc-washington"]


def test_search_lists_entities_by_article_count(client, fake_es):
    response = client.get("/v1/entities?q=kim&type=person&size=5")
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    # Washington: no article names it any more (count 0), so it is left out
    assert [r["id"] for r in results] == ["per-wladimir-putin", "per-kim-jong-un"]
    assert (results[0]["first_seen"], results[0]["last_seen"]) == (None, None)   # no dates
    assert results[1] == {"id": "per-kim-jong-un", "type": "person", "name": "Kim Jong Un",
                          "aliases": ["Kim", "Kim Jong-un"], "article_count": 2,
                          **KIM_SEEN}
    index, body = fake_es.calls[0]
    assert index.endswith("-entities")
    assert {"term": {"type": "PER"}} in body["query"]["bool"]["filter"]


def test_entity_detail(client, fake_es):
    response = client.get("/v1/entities/per-kim-jong-un")
    assert response.status_code == 200, response.get_json()
    entity = response.get_json()
    assert entity["name"] == "Kim Jong Un" and entity["article_count"] == 2
    assert entity["aliases"] == ["Kim", "Kim Jong-un"]
    assert {key: entity[key] for key in KIM_SEEN} == KIM_SEEN
    assert entity["related"]["persons"][0] == {"id": "per-wladimir-putin", "type": "person",
                                               "name": "Wladimir Putin", "count": 2}
    assert entity["related"]["places"] == [{"id": "loc-washington", "type": "place",
                                            "name": "Washington", "count": 1}]
    assert entity["timeline"] == [{"month": "2023-08", "count": 1},
                                  {"month": "2023-09", "count": 1}]


def test_unknown_entity_is_a_404_envelope(client, fake_es):
    response = client.get("/v1/entities/per-niemand")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["status"] == 404 and error["code"] == "not_found"
    assert "per-niemand" in error["message"]


@pytest.mark.parametrize("url, field", [
    ("/v1/entities?typ=person", "typ"),
    ("/v1/entities?type=people", "type"),
    ("/v1/entities?size=51", "size"),
    ("/v1/entities?size=0", "size"),
    ("/v1/entities/per-kim-jong-un?q=kim", "q"),
    ("/v1/entities/per-kim-jong-un?related_size=0", "related_size"),
])
def test_bad_parameters_are_400_naming_them(client, fake_es, url, field):
    response = client.get(url)
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["error"]["details"]["fields"]
    assert fake_es.calls == []


def test_unreachable_elasticsearch_is_503(client):
    response = client.get("/v1/entities?q=kim")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
