"""The API's Elasticsearch client writes and reads bodies with orjson (indexer/clients.py):
the same bytes as the standard serializer, and its answer where orjson refuses a value. It
keeps a connection open for each of the API's threads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import uuid
from decimal import Decimal

import pytest
from elasticsearch.serializer import JsonSerializer

from api import create_app
from api import extensions as ext
from indexer.clients import FastJsonSerializer, elasticsearch_client
from indexer.settings import Settings

BODIES = [
    {"query": {"bool": {"must": [{"match": {"body_de": {"query": "Grüße", "boost": 3.0}}}]}},
     "size": 20, "search_after": [7.3123455, "a1", 9223372036854775807, -9223372036854775808],
     "_source": ["id", "title"], "highlight": {"pre_tags": ["<mark>"]}},
    {"d": dt.date(2023, 9, 1), "t": dt.datetime(2023, 9, 1, 10, 0, tzinfo=dt.UTC),
     "u": uuid.UUID(int=1), "n": Decimal("1.5"), "s": "\u2028 \x00 \"\\ 😀"},
    {"lone": "\ud800", "big": 2 ** 70, "nan": math.nan},      # orjson refuses: stdlib answers
]


def test_bodies_are_the_bytes_the_standard_serializer_writes():
    fast, standard = FastJsonSerializer(), JsonSerializer()
    for body in BODIES:
        assert fast.dumps(body) == standard.dumps(body)


def test_answers_read_like_the_standard_serializer_reads_them():
    fast, standard = FastJsonSerializer(), JsonSerializer()
    for data in (b'{"hits":{"hits":[{"_score":1.5,"sort":[1.5,"x",12]}]}}', b"",
                 b'{"a":"\\ud800","b":NaN}'):
        left, right = fast.loads(data), standard.loads(data)
        assert repr(left) == repr(right)


def test_only_the_api_client_uses_it():
    settings = Settings.from_env()
    fast = elasticsearch_client(settings, fast=True)
    plain = elasticsearch_client(settings)
    assert isinstance(fast.transport.serializers.get_serializer("application/json"),
                      FastJsonSerializer)
    assert not isinstance(plain.transport.serializers.get_serializer("application/json"),
                          FastJsonSerializer)


def test_the_api_keeps_a_connection_for_each_of_its_threads():
    """With elastic-transport's 10, a burst of concurrent searches closed the connections
    above 10 after use and opened new ones for the next burst."""
    settings = dataclasses.replace(Settings.from_env(), api_threads=24)
    app = create_app({"NEWSARCHIVE_SETTINGS": settings, "TESTING": True})
    with app.app_context():
        (node,) = ext.es().transport.node_pool.all()
        assert node.config.connections_per_node == 24
    assert Settings.from_env({"NEWSARCHIVE_API_THREADS": "8"}).api_threads == 8
    with pytest.raises(ValueError, match="NEWSARCHIVE_API_THREADS"):
        Settings.from_env({"NEWSARCHIVE_API_THREADS": "0"})
