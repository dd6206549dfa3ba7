"""The baseline: Elasticsearch's built-in ``german`` analyzer and a plain ``multi_match``.

Index: ``title`` and ``body`` as ``text`` with ``analyzer: german`` (stop words, Snowball
German stemmer; no decompounding, no synonyms, no boosts), holding the same title and body as
our documents, so the comparison is about analysis and query, not about the cleaner.

Query (``baseline_query``): the query string minus our syntax, as a user of a plain search box
would get it, but keeping the meaning of quotes, ``OR`` and ``-``:

* plain words -> one ``multi_match`` over ``title`` and ``body`` (default ``best_fields``,
  equal weights) with ``operator: and``;
* a phrase ``"..."`` -> ``multi_match`` of ``type: phrase``; a prefix ``word*`` ->
  ``type: phrase_prefix``;
* ``a OR b`` -> one ``multi_match`` with ``operator: or`` (mixed operands: a ``bool.should``);
* ``-word`` / ``NOT word`` -> ``bool.must_not`` of its ``multi_match``.
"""

from __future__ import annotations

from api.query_syntax import And, Node, Not, Or, Phrase, Prefix, Word, parse

FIELDS = ["title", "body"]


def baseline_definition() -> dict:
    text = {"type": "text", "analyzer": "german"}
    return {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
            "mappings": {"dynamic": "strict", "properties": {"title": text, "body": text}}}


def baseline_document(doc: dict) -> dict:
    return {key: doc[key] for key in FIELDS if doc.get(key)}


def baseline_query(q: str) -> dict:
    node = parse(q)
    if node is None:
        return {"match_all": {}}
    return _plain(node)


def _multi_match(text: str, **options) -> dict:
    return {"multi_match": {"query": text, "fields": FIELDS, **options}}


def _plain(node: Node) -> dict:
    if isinstance(node, Word):
        return _multi_match(node.text, operator="and")
    if isinstance(node, Phrase):
        return _multi_match(node.text, type="phrase")
    if isinstance(node, Prefix):
        return _multi_match(node.text, type="phrase_prefix")
    if isinstance(node, Not):
        return {"bool": {"must_not": [_plain(node.child)]}}
    if isinstance(node, Or):
        if all(isinstance(c, Word) for c in node.children):
            return _multi_match(" ".join(c.text for c in node.children), operator="or")
        return {"bool": {"should": [_plain(c) for c in node.children], "minimum_should_match": 1}}
    if isinstance(node, And):
        words = [c.text for c in node.children if isinstance(c, Word)]
        must = [_multi_match(" ".join(words), operator="and")] if words else []
        must += [_plain(c) for c in node.children if not isinstance(c, Word | Not)]
        must_not = [_plain(c.child) for c in node.children if isinstance(c, Not)]
        if len(must) == 1 and not must_not:
            return must[0]
        return {"bool": {key: value for key, value in (("must", must), ("must_not", must_not))
                         if value}}
    raise TypeError(f"not a query node: {node!r}")
