"""``GET /v1/search`` sends ``query.to_page``'s page without a marshmallow dump (api/search.py):
the page must already be exactly what ``SearchPageSchema`` would make of it. And the view's
entity lookups (``search.entity_matches``), kept until the archive changes."""

from types import SimpleNamespace

from api import archive_cache, query, search
from api.search_schemas import SearchPageSchema

SECRET = b"test-secret"

HITS = [
    {"_id": "a1", "_score": 2.5, "sort": [2.5, "a1"],
     "_source": {"id": "a1", "external_id": "x-1", "title": "Kim trifft Putin",
                 "url": "https://example.org/a1", "outlet": "CNN", "agencies": ["dpa", "AFP"],
                 "language": "de", "published_at": "2023-09-04T10:00:00+02:00",
                 "persons": [{"id": "per-kim-jong-un", "name": "Kim Jong Un"}],
                 "organizations": [{"id": "org-nato", "name": "Nato"}],
                 "places": [{"id": "loc-moskau", "name": "Moskau"}]},
     "highlight": {"title": ["<mark>Kim</mark> trifft Putin"],
                   "body": ["<mark>Kim</mark> reist", "nach <mark>Moskau</mark>"]}},
    {"_id": "b2", "_score": None, "sort": [1693519200000, "b2"], "_source": {"id": "b2"}},
    {"_id": "c3", "_score": 0.7, "sort": [0.7, "c3", 12], "_source": {}},
]
RAW = {
    "hits": {"total": {"value": 42, "relation": "eq"}, "hits": HITS},
    "pit_id": "pit-1",
    "aggregations": {
        "persons": {"doc_count": 9, "values": {"buckets": [
            {"key": "per-kim-jong-un|Kim Jong Un", "doc_count": 5},
            {"key": "per-putin", "doc_count": 1}]}},
        "organizations": {"doc_count": 9, "values": {"buckets": []}},
        "places": {"doc_count": 9, "values": {"buckets": [
            {"key": "loc-moskau|Moskau", "doc_count": 2}]}},
        "outlets": {"doc_count": 9, "values": {"buckets": [{"key": "CNN", "doc_count": 3}]}},
        "agencies": {"doc_count": 9, "values": {"buckets": [{"key": "dpa", "doc_count": 4}]}},
        "languages": {"doc_count": 9, "values": {"buckets": [{"key": "de", "doc_count": 9}]}},
        "published": {"doc_count": 9, "values": {"buckets": [
            {"key": 1693519200000, "key_as_string": "2023-09-01", "doc_count": 7}]}}},
}


def test_to_page_is_already_in_the_response_schema_shape():
    for args in ({"q": "Kim", "size": 3}, {"q": "Kim", "size": 20}, {"sort": "newest", "size": 3}):
        page = query.to_page(RAW, args, SECRET)
        assert SearchPageSchema().dump(page) == page
        assert SearchPageSchema().validate(page) == {}
    assert query.to_page(RAW, {"q": "Kim", "size": 3}, SECRET)["next_cursor"]


def test_empty_page_is_in_the_schema_shape_too():
    raw = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
    page = query.to_page(raw, {"q": "nichts"}, SECRET)
    assert page == {"total": 0, "results": [], "facets": {}, "next_cursor": None,
                    "suggestion": None, "entity_filters": []}
    assert SearchPageSchema().dump(page) == page
    page["suggestion"] = {"q": "nicht", "total": 3}     # set by the view
    assert SearchPageSchema().dump(page) == page


def test_the_page_is_written_byte_for_byte_as_flask_jsonify_writes_it():
    from flask import jsonify

    from api import create_app, search
    from indexer.settings import Settings
    app = create_app({"NEWSARCHIVE_SETTINGS": Settings.from_env(), "TESTING": True})
    pages = [query.to_page(RAW, args, SECRET) for args in
             ({"q": "Kim", "size": 3}, {"sort": "newest", "size": 20})]
    pages.append({"total": 1, "results": [{"title": "Grüße \u2028 <b>&\"\\", "score": 12.5}],
                  "facets": {"outlets": [{"value": "Ö1", "count": 2}]}, "next_cursor": None})
    with app.app_context():
        for page in pages:
            fast, flask = search.json_response(page), jsonify(page)
            assert fast.get_data() == flask.get_data()
            assert fast.headers["Content-Type"] == flask.headers["Content-Type"]


def test_the_page_says_which_entities_each_entity_filter_found():
    args = {"q": "Kim", "size": 3, "person": ["Kim", "Nobody"], "place": ["loc-moskau"],
            "entity_matches": {
                ("person", "Kim"): query.EntityMatch(
                    ["per-kim-jong-un", "per-kim"], ["Kim Jong Un", "Kim", "Kim"],
                    ["Kim Jong Un", "Kim"]),
                ("person", "Nobody"): query.EntityMatch([], []),
                ("place", "loc-moskau"): query.EntityMatch(["loc-moskau"], ["Moskau"],
                                                           ["Moskau"])}}
    page = query.to_page(RAW, args, SECRET)
    assert page["entity_filters"] == [
        {"param": "person", "value": "Kim", "entities": [
            {"id": "per-kim-jong-un", "name": "Kim Jong Un"}, {"id": "per-kim", "name": "Kim"}]},
        {"param": "person", "value": "Nobody", "entities": []},
        {"param": "place", "value": "loc-moskau", "entities": [
            {"id": "loc-moskau", "name": "Moskau"}]}]
    assert SearchPageSchema().dump(page) == page and SearchPageSchema().validate(page) == {}


def test_an_entity_in_two_buckets_by_name_is_one_bucket_with_both_counts():
    """Articles keep the name the entities index had when they were stored: after a better
    label came, "GRÜNEN" and "Grünen" are buckets of one id. An article names an entity
    once, so the counts add up; the larger bucket's name is shown."""
    raw = {"hits": {"total": {"value": 90, "relation": "eq"}, "hits": []},
           "aggregations": {"organizations": {"doc_count": 90, "values": {"buckets": [
               {"key": "org-gruenen|Grünen", "doc_count": 75},
               {"key": "org-oevp|ÖVP", "doc_count": 37},
               {"key": "org-gruenen|GRÜNEN", "doc_count": 2},
               {"key": "org-spoe|SPÖ", "doc_count": 29}]}}}}
    page = query.to_page(raw, {"q": "Grünen"}, SECRET)
    assert page["facets"]["organizations"] == [
        {"value": "Grünen", "id": "org-gruenen", "count": 77},
        {"value": "ÖVP", "id": "org-oevp", "count": 37},
        {"value": "SPÖ", "id": "org-spoe", "count": 29}]


class LookupEs:
    """The entities index as ``search.entity_matches`` sees it: counts its searches."""

    def __init__(self, ids: dict[str, list[str]]):
        self.ids, self.bodies = ids, []

    def search(self, index, body):
        self.bodies.append(body)
        hits = []
        for n, clause in enumerate(body["query"]["bool"]["should"]):
            value = clause["bool"]["filter"][1]["bool"]["should"][0]["term"]["name.folded"]
            hits += [{"_id": i, "_source": {"id": i, "name": i}, "matched_queries": [str(n)]}
                     for i in self.ids.get(value, [])]
        return {"hits": {"hits": hits}}


def test_entity_lookups_are_kept_until_the_archive_changes(monkeypatch):
    es = LookupEs({"Kim": ["per-kim"], "Putin": ["per-wladimir-putin"]})
    changed = [1000.0]
    monkeypatch.setattr(search.ext, "es", lambda: es)
    monkeypatch.setattr(search.ext, "settings", lambda: SimpleNamespace(entities_alias="e"))
    monkeypatch.setattr(archive_cache, "last_change", lambda: changed[0])
    monkeypatch.setattr(search, "ENTITY_ANSWERS", archive_cache.ArchiveCache())
    assert search.entity_matches({"q": "Kim"}) == {} and es.bodies == []
    first = search.entity_matches({"person": ["Kim", "Nobody"]})
    assert first == {("person", "Kim"): (["per-kim"], ["per-kim"], ["per-kim"]),
                     ("person", "Nobody"): ([], [], ())}
    # the next page: nothing asked again; a new value alone is asked
    assert search.entity_matches({"person": ["Kim", "Nobody"]}) == first
    assert search.entity_matches({"person": ["Kim", "Putin"]})[("person", "Putin")].ids == [
        "per-wladimir-putin"]
    assert len(es.bodies) == 2 and len(es.bodies[1]["query"]["bool"]["should"]) == 1
    es.ids["Nobody"] = ["per-nobody"]         # a new alias counts once the archive changed
    assert search.entity_matches({"person": ["Nobody"]})[("person", "Nobody")].ids == []
    changed[0] = 1001.0
    assert search.entity_matches({"person": ["Nobody"]})[("person", "Nobody")].ids == [
        "per-nobody"]
    assert len(es.bodies) == 3
