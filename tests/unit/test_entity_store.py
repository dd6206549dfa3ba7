"""The entities index without a node: request bodies, and the optimistic-concurrency write loop
against an in-memory stand-in that behaves like Elasticsearch for mget/bulk with seq_no checks.
(The real thing: tests/integration/test_entities_index.py.)"""

import pytest

from indexer import entity_store
from indexer.entity_records import record_for
from indexer.store import RetryableIndexError


def kim(name="Kim Jong Un", aliases=()):
    return record_for({"id": "per-kim-jong-un", "type": "PER", "name": name, "aliases": list(aliases)})


class FakeEs:
    """mget + bulk (create / index with if_seq_no) over a dict; ``interfere`` runs between a
    worker's read and its write, like a second worker would."""

    def __init__(self, interfere=None):
        self.docs: dict[str, tuple[dict, int]] = {}
        self.seq_no = 0
        self.interfere = interfere
        self.bulks = 0

    def mget(self, index, ids):
        return {"docs": [{"_id": i, "found": True, "_source": self.docs[i][0], "_seq_no": self.docs[i][1],
                          "_primary_term": 1} if i in self.docs else {"_id": i, "found": False}
                         for i in ids]}

    def put(self, doc_id, source):
        self.seq_no += 1
        self.docs[doc_id] = (source, self.seq_no)

    def bulk(self, operations, require_alias, refresh):
        assert require_alias is True
        if self.interfere:
            self.interfere(self)
        self.bulks += 1
        items = []
        for action, source in zip(operations[::2], operations[1::2], strict=True):
            op, meta = next(iter(action.items()))
            doc_id = meta["_id"]
            if op == "create" and doc_id in self.docs:
                status = 409
            elif op == "index" and self.docs[doc_id][1] != meta["if_seq_no"]:
                status = 409
            else:
                self.put(doc_id, source)
                status = 201
            items.append({op: {"_id": doc_id, "status": status}})
        return {"items": items}


def test_new_entities_are_created():
    es = FakeEs()
    assert entity_store.write_entities(es, "a", {"per-kim-jong-un": kim(aliases=["Kim"])}).count == 1
    assert es.docs["per-kim-jong-un"][0]["aliases"] == ["Kim"]


def test_the_written_result_names_each_entity_as_stored():
    es = FakeEs()
    es.put("per-kim-jong-un", kim())
    org = record_for({"id": "org-gruenen", "type": "ORG", "name": "GRÜNEN"})
    written = entity_store.write_entities(es, "a", {"per-kim-jong-un": kim(name="Kim Jong-un"),
                                                    "org-gruenen": org})
    assert written.names == {"per-kim-jong-un": "Kim Jong Un", "org-gruenen": "GRÜNEN"}


def test_nothing_is_written_when_nothing_is_new():
    es = FakeEs()
    entity_store.write_entities(es, "a", {"per-kim-jong-un": kim(aliases=["Kim"])})
    assert entity_store.write_entities(es, "a", {"per-kim-jong-un": kim(aliases=["Kim"])}).count == 0
    assert es.bulks == 1


def test_a_concurrent_create_is_merged_not_overwritten():
    def other_worker(es):
        if "per-kim-jong-un" not in es.docs:
            es.put("per-kim-jong-un", kim(aliases=["Kim Jong-un"]))

    es = FakeEs(interfere=other_worker)
    entity_store.write_entities(es, "a", {"per-kim-jong-un": kim(aliases=["Kim"])})
    assert es.docs["per-kim-jong-un"][0]["aliases"] == ["Kim", "Kim Jong-un"]


def test_a_concurrent_update_is_merged_not_overwritten():
    es = FakeEs()
    es.put("per-kim-jong-un", kim())
    calls = []

    def other_worker(es):
        if not calls:
            calls.append(1)
            es.put("per-kim-jong-un", kim(name="Kim Jong-un"))

    es.interfere = other_worker
    entity_store.write_entities(es, "a", {"per-kim-jong-un": kim(aliases=["Kim"])})
    stored = es.docs["per-kim-jong-un"][0]
    assert stored["aliases"] == ["Kim", "Kim Jong-un"]
    assert stored["labels"] == ["Kim Jong Un", "Kim Jong-un"]


def test_endless_conflicts_ask_for_a_retry_of_the_batch():
    def always(es):
        es.put("per-kim-jong-un", kim(aliases=[f"Kim {es.seq_no}"]))

    with pytest.raises(RetryableIndexError, match="still conflicting"):
        entity_store.write_entities(FakeEs(interfere=always), "a",
                                    {"per-kim-jong-un": kim(aliases=["Kim"])}, max_rounds=3)


def test_search_body_matches_every_word_as_a_prefix_of_names_or_aliases():
    body = entity_store.search_body("kim j", entity_type="PER", size=5)
    must = body["query"]["bool"]["must"][0]["multi_match"]
    assert must == {"query": "kim j", "fields": ["name.prefix^2", "aliases.prefix"],
                    "type": "best_fields", "operator": "and"}
    assert body["query"]["bool"]["filter"] == [{"term": {"type": "PER"}}]
    assert body["size"] == 5


def test_fuzzy_search_body_matches_every_word_spelt_alike_in_whole_words():
    body = entity_store.search_body("merkle", entity_type="PER", size=5, fuzzy=True)
    must = body["query"]["bool"]["must"][0]["multi_match"]
    assert must == {"query": "merkle", "fields": ["name.words^3", "aliases.words^2"],
                    "type": "best_fields", "operator": "and", "fuzziness": "AUTO",
                    "prefix_length": 1}
    assert body["query"]["bool"]["filter"] == [{"term": {"type": "PER"}}]
    assert (body["size"], body["sort"]) == (5, ["_score", {"name": "asc"}])
    assert entity_store.search_body("  ", fuzzy=True) == entity_store.search_body("  ")


def test_search_body_without_words_lists_by_name():
    body = entity_store.search_body("  ")
    assert body["query"] == {"bool": {"filter": []}}
    assert body["sort"] == [{"name.folded": "asc"}, {"id": "asc"}]
    assert "search_after" not in body


def test_search_body_by_name_pages_matches_a_to_z():
    body = entity_store.search_body("kim", size=3, by_name=True,
                                    search_after=["kim jong un", "per-kim-jong-un"])
    assert body["query"]["bool"]["must"][0]["multi_match"]["query"] == "kim"
    assert body["sort"] == entity_store.BY_NAME and body["size"] == 3
    assert body["search_after"] == ["kim jong un", "per-kim-jong-un"]


class NameEs:
    """Entities index (three a page) and articles index for ``entities_by_name``."""

    def __init__(self, names, counts):
        self.names, self.counts = names, counts

    def search(self, index, **body):
        if index == "entities":
            after = (body.get("search_after") or [""])[0]
            page = [n for n in self.names if n > after][:body["size"]]
            return {"hits": {"hits": [{"_id": n, "_source": {"id": n, "name": n}, "sort": [n, n]}
                                      for n in page]}}
        include = body["aggs"]["persons.id"]["terms"]["include"]
        return {"aggregations": {"persons.id": {"buckets": [
            {"key": k, "doc_count": self.counts[k]} for k in include if self.counts.get(k)]}}}


def test_entities_by_name_pages_until_the_last_and_leaves_out_the_unnamed():
    es = NameEs(["per-a", "per-b", "per-c", "per-d"], {"per-a": 2, "per-c": 1, "per-d": 5})
    page, after = entity_store.entities_by_name(es, "entities", "articles", size=3)
    assert [e["id"] for e in page] == ["per-a", "per-c"] and after == ["per-c", "per-c"]
    page, after = entity_store.entities_by_name(es, "entities", "articles", size=3,
                                                search_after=after)
    assert [(e["id"], e["article_count"]) for e in page] == [("per-d", 5)] and after is None


def test_most_named_ranks_the_ids_the_articles_name_most():
    class TopEs:
        def search(self, index, **body):
            if "aggs" in body and "include" not in str(body):
                assert set(body["aggs"]) == {"persons.id"}
                return {"aggregations": {"persons.id": {"buckets": [
                    {"key": "per-b", "doc_count": 4}, {"key": "per-a", "doc_count": 4},
                    {"key": "per-gone", "doc_count": 1}]}}}
            include = body["aggs"]["persons.id"]["terms"]["include"]
            counts = {"per-a": 4, "per-b": 4, "per-gone": 1}
            return {"aggregations": {"persons.id": {"buckets": [
                {"key": k, "doc_count": counts[k]} for k in include]}}}

        def mget(self, index, ids):
            return {"docs": [{"_id": i, "found": i != "per-gone",
                              "_source": {"id": i, "name": i[-1].upper()}} for i in ids]}

    found, more = entity_store.most_named(TopEs(), "entities", "articles", entity_type="PER",
                                          size=3)
    assert [(e["name"], e["article_count"]) for e in found] == [("A", 4), ("B", 4)]
    assert not more
    # Pages of the ranking: ties in id order, and whether more follow.
    first, more = entity_store.most_named(TopEs(), "entities", "articles", entity_type="PER",
                                          size=1)
    assert [e["name"] for e in first] == ["A"] and more
    second, more = entity_store.most_named(TopEs(), "entities", "articles", entity_type="PER",
                                           size=1, offset=1)
    assert [e["name"] for e in second] == ["B"] and more


def test_stats_body_counts_and_dates_exactly_the_asked_ids_in_their_type_field():
    body = entity_store.stats_body(["per-kim-jong-un", "per-wladimir-putin"])
    assert body["aggs"] == {"persons.id": {
        "terms": {"field": "persons.id", "include": ["per-kim-jong-un", "per-wladimir-putin"],
                  "size": 2},
        "aggs": {"first_seen": {"min": {"field": "published_at"}},
                 "last_seen": {"max": {"field": "published_at"}}}}}
    assert body["size"] == 0
    assert set(entity_store.stats_body(["loc-berlin", "x"])["aggs"]) == \
        {"persons.id", "organizations.id", "places.id"}


class CannedSearch:
    def __init__(self, hits, counts):
        self.hits, self.counts, self.calls = hits, counts, []

    def search(self, index, **body):
        self.calls.append((index, body))
        if index == "entities":
            return {"hits": {"hits": [{"_id": h, "_source": {"id": h, "name": h}} for h in self.hits]}}
        buckets = [{"key": k, "doc_count": v} for k, v in self.counts.items()]
        return {"aggregations": {"persons.id": {"buckets": buckets}}}


def test_search_entities_orders_the_best_matches_by_article_count():
    es = CannedSearch(["per-putin", "per-wladimir-putin", "per-putina"],
                      {"per-putin": 1, "per-wladimir-putin": 7})
    found = entity_store.search_entities(es, "entities", "articles", "putin", size=2)
    assert [(e["id"], e["article_count"]) for e in found] == [("per-wladimir-putin", 7), ("per-putin", 1)]
    assert es.calls[0][1]["size"] == entity_store.CANDIDATES


def test_search_entities_adds_the_most_named_when_more_match_than_were_read(monkeypatch):
    """"m": more persons match than the CANDIDATES read by score; the most named of all
    matches (a terms aggregation over the articles' ids) are added before the ranking."""
    monkeypatch.setattr(entity_store, "CANDIDATES", 3)

    class ManyEs:
        def __init__(self):
            self.calls = []

        def search(self, index, **body):
            self.calls.append((index, body))
            if index == "entities":
                return {"hits": {"hits": [{"_id": i, "_source": {"id": i, "name": i}}
                                          for i in ("per-ma", "per-mb", "per-mc")]}}
            terms = body["aggs"]["persons.id"]["terms"]
            if isinstance(terms["include"], str):       # the most named matches
                return {"aggregations": {"persons.id": {"buckets": [
                    {"key": "per-angela-merkel", "doc_count": 42},
                    {"key": "per-ma", "doc_count": 2}]}}}
            counts = {"per-angela-merkel": 42, "per-ma": 2, "per-mb": 1, "per-mc": 1}
            return {"aggregations": {"persons.id": {"buckets": [
                {"key": k, "doc_count": counts[k]} for k in terms["include"]]}}}

        def mget(self, index, ids):
            assert ids == ["per-angela-merkel"]
            return {"docs": [{"_id": i, "found": True, "_source": {"id": i, "name": i}}
                             for i in ids]}

    es = ManyEs()
    found = entity_store.search_entities(es, "entities", "articles", "M", entity_type="PER",
                                         size=2)
    assert [e["id"] for e in found] == ["per-angela-merkel", "per-ma"]
    assert es.calls[1][1]["aggs"]["persons.id"]["terms"] == {
        "field": "persons.id", "size": 2, "include": "per-(.*-)?m.*"}


@pytest.mark.parametrize("q, word", [("Mü", "mue"), ("Erdoğ", "erdog"), ("  kim ", "kim"),
                                     ("kim j", None), ("o'neil", None), ("", None), ("-", None)])
def test_id_word(q, word):
    assert entity_store.id_word(q) == word


def test_most_named_ids_body_asks_every_type_field_without_a_type():
    body = entity_store.most_named_ids_body("wien", entity_type=None, size=5)
    assert {field: agg["terms"]["include"] for field, agg in body["aggs"].items()} == {
        "persons.id": "per-(.*-)?wien.*", "organizations.id": "org-(.*-)?wien.*",
        "places.id": "loc-(.*-)?wien.*"}
    assert entity_store.most_named_ids_body("kim j", entity_type="PER", size=5) is None


def test_search_entities_with_no_match_asks_for_no_counts():
    es = CannedSearch([], {})
    assert entity_store.search_entities(es, "entities", "articles", "zzz") == []
    assert len(es.calls) == 1


class StatsEs:
    def __init__(self, aggregations):
        self.aggregations = aggregations

    def search(self, index, **body):
        return {"aggregations": self.aggregations}


def test_article_stats_adds_up_each_id_over_the_fields_and_dates_it_in_utc():
    # An id of unknown type is looked up in every id field; its numbers are added up there.
    es = StatsEs({
        "persons.id": {"buckets": [{"key": "x-1", "doc_count": 2,
                                    "first_seen": {"value": 1693413360000.0},
                                    "last_seen": {"value": 1693413360000.0}}]},
        "places.id": {"buckets": [{"key": "x-1", "doc_count": 1,
                                   "first_seen": {"value": 1357081200000.0},
                                   "last_seen": {"value": 1693814400000.0}},
                                  {"key": "x-2", "doc_count": 1,
                                   "first_seen": {"value": None}, "last_seen": {"value": None}}]},
        "organizations.id": {"buckets": []}})
    assert entity_store.article_stats(es, "a", ["x-2", "x-1", "x-3", "x-1"]) == {
        "x-1": {"article_count": 3, "first_seen": "2013-01-01T23:00:00+00:00",
                "last_seen": "2023-09-04T08:00:00+00:00"},
        "x-2": {"article_count": 1, "first_seen": None, "last_seen": None},
        "x-3": {"article_count": 0, "first_seen": None, "last_seen": None},
    }
    assert entity_store.article_stats(es, "a", []) == {}
