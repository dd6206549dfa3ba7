"""The API's Elasticsearch client (libcurl node, orjson: indexer/clients.py) against the real
node: the same answers and the same exceptions as the standard client."""

from __future__ import annotations

import uuid

import pytest
from elasticsearch import BadRequestError, NotFoundError

from indexer.clients import elasticsearch_client
from indexer.curl_node import CurlHttpNode


@pytest.fixture
def fast(settings):
    client = elasticsearch_client(settings, fast=True)
    assert isinstance(client.transport.node_pool.all()[0], CurlHttpNode)
    yield client
    client.close()


@pytest.fixture
def index(es, settings):
    name = f"{settings.index_prefix}-curl-{uuid.uuid4().hex[:8]}"
    es.indices.create(index=name, mappings={"properties": {"t": {"type": "keyword"}}})
    yield name
    es.indices.delete(index=name, ignore_unavailable=True)


def test_writes_reads_and_searches_like_the_standard_client(fast, es, index):
    fast.index(index=index, id="a", document={"t": "Grüße 😀"}, refresh=True)
    fast.bulk(operations=[{"index": {"_index": index, "_id": "b"}}, {"t": "b"}], refresh=True)
    assert fast.get(index=index, id="a")["_source"] == es.get(index=index, id="a")["_source"]
    assert fast.exists(index=index, id="a") and not fast.exists(index=index, id="zz")
    body = {"query": {"match_all": {}}, "sort": [{"t": "asc"}]}
    left, right = fast.search(index=index, body=body), es.search(index=index, body=body)
    assert [h["_id"] for h in left["hits"]["hits"]] == [h["_id"] for h in right["hits"]["hits"]]
    assert [h["_source"]["t"] for h in left["hits"]["hits"]] == ["Grüße 😀", "b"]
    assert fast.count(index=index)["count"] == 2
    fast.delete(index=index, id="a", refresh=True)
    assert fast.count(index=index)["count"] == 1


def test_errors_are_the_same_exceptions(fast, index):
    with pytest.raises(NotFoundError):
        fast.get(index=index, id="missing")
    with pytest.raises(BadRequestError) as caught:
        fast.search(index=index, query={"range": {"t": {"gte": {"nested": "object"}}}})
    assert caught.value.meta.status == 400
    with pytest.raises(NotFoundError):
        fast.search(index=f"{index}-missing")


def test_a_point_in_time_round_trip(fast, index):
    fast.index(index=index, id="a", document={"t": "a"}, refresh=True)
    pit = fast.open_point_in_time(index=index, keep_alive="30s")["id"]
    try:
        hits = fast.search(body={"pit": {"id": pit, "keep_alive": "30s"}, "size": 5})
        assert [h["_id"] for h in hits["hits"]["hits"]] == ["a"]
    finally:
        fast.close_point_in_time(id=pit)
