"""Relevance evaluation: our index and query builder against a plain ``german`` baseline.

    python -m tests.relevance.evaluate --es URL [--prefix test-relevance] [--data DIR]
                                       [--reuse] [--keep] [--pool [QUERY_ID ...]]

Builds two indices on the given Elasticsearch (names ``<prefix>-ours`` and
``<prefix>-baseline``; the prefix must start with ``test-``) over the corpus of
``tests/relevance/corpus.py``, runs every query of ``judgments.yaml`` on both and prints nDCG@10
per query and the means (``metrics.py``). ``--pool`` prints, for judging, the top ``POOL_DEPTH``
of both systems with title and the start of the text, and each document's current grade.

OURS: ``mappings/articles-v1.json``; each document made in this process by the ingest pipeline
(``pipeline.prepare``, the ``ENRICH_STEPS`` except ``entities_step``, ``pipeline.finish``): the
named-entity step is left out for speed, it fills only entity and facet fields, which the text
query does not read. Queries: ``api.query.build_body`` with the arguments the API's
``SearchArgsSchema`` loads, and compound parts from ``api.search.index_compound_parts`` (the
``_analyze`` call the view makes). BASELINE: see ``baseline.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import math
import re
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import yaml
from elasticsearch import Elasticsearch, helpers

from api import query
from api.search import index_compound_parts
from api.search_schemas import SearchArgsSchema
from indexer import admin, pipeline
from indexer.settings import DEFAULT_MAPPINGS_DIR
from tests.relevance import metrics
from tests.relevance.baseline import baseline_definition, baseline_document, baseline_query
from tests.relevance.corpus import DEFAULT_DATA_DIR, load_corpus

JUDGMENTS_FILE = Path(__file__).with_name("judgments.yaml")
DEFAULT_PREFIX = "test-relevance"
K = 10
POOL_DEPTH = 20
JUDGE_CHARS = 350  # of each body shown when pooling
GRADES = (0, 1, 2)
OUR_MAPPING = "articles-v1.json"  # the mapping the judgments were pooled on
INGESTED_AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # fixed: documents are reproducible
_ARGS = SearchArgsSchema()


@dataclasses.dataclass(frozen=True)
class Query:
    id: str
    q: str
    kind: str
    need: str
    grades: dict[str, int]  # judged document id -> grade; unjudged documents count 0


@dataclasses.dataclass(frozen=True)
class Indices:
    ours: str
    baseline: str


@dataclasses.dataclass(frozen=True)
class Row:
    query: Query
    ours: list[str]       # ranked ids
    baseline: list[str]
    ours_ndcg: float
    baseline_ndcg: float


# --- judgments ------------------------------------------------------------------------

def load_queries(path: Path = JUDGMENTS_FILE) -> list[Query]:
    """``judgments.yaml``: a list of ``{id, q, kind, need, judged: {grade: [ids]}}``."""
    queries = []
    for item in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["queries"]:
        grades: dict[str, int] = {}
        for grade, ids in (item.get("judged") or {}).items():
            if int(grade) not in GRADES:
                raise ValueError(f"{item['id']}: grade {grade} not in {GRADES}")
            for doc_id in ids or []:
                if doc_id in grades:
                    raise ValueError(f"{item['id']}: {doc_id} judged twice")
                grades[doc_id] = int(grade)
        queries.append(Query(item["id"], item["q"], item["kind"], item.get("need", ""), grades))
    return queries


# --- indices ----------------------------------------------------------------------------

def our_document(raw: dict) -> dict:
    """The pipeline's document for one raw article, without the named-entity step."""
    doc = pipeline.prepare(dict(raw))
    for step in pipeline.ENRICH_STEPS:
        if step is not pipeline.entities_step:
            doc = step(doc)
    return pipeline.finish(doc, now=INGESTED_AT)


def index_names(prefix: str = DEFAULT_PREFIX) -> Indices:
    if not prefix.startswith("test-"):
        raise ValueError(f"index prefix {prefix!r} must start with 'test-'")
    return Indices(ours=f"{prefix}-ours", baseline=f"{prefix}-baseline")


def build_indices(es: Elasticsearch, indices: Indices, articles: Sequence[dict]) -> int:
    """(Re)create both indices and fill them; one refresh at the end. Returns the count."""
    docs = [our_document(raw) for raw in articles]
    definitions = {indices.ours: admin.load_definition(DEFAULT_MAPPINGS_DIR / OUR_MAPPING),
                   indices.baseline: baseline_definition()}
    delete_indices(es, indices)
    for name, definition in definitions.items():
        es.indices.create(index=name, **definition)
    actions = [{"_index": indices.ours, "_id": doc["id"], "_source": doc} for doc in docs]
    actions += [{"_index": indices.baseline, "_id": doc["id"], "_source": baseline_document(doc)}
                for doc in docs]
    _, errors = helpers.bulk(es, actions, chunk_size=500, raise_on_error=False, refresh=False)
    if errors:
        raise RuntimeError(f"{len(errors)} documents not indexed, e.g. {errors[0]}")
    es.indices.refresh(index=[indices.ours, indices.baseline])
    return len(docs)


def delete_indices(es: Elasticsearch, indices: Indices) -> None:
    es.options(ignore_status=404).indices.delete(index=[indices.ours, indices.baseline])


# --- searching --------------------------------------------------------------------------

def our_body(es: Elasticsearch, index: str, q: str, size: int = K) -> dict:
    """What ``GET /v1/search?q=...&size=...`` sends to Elasticsearch."""
    args = _ARGS.load({"q": q, "size": size})
    args["compound_parts"] = index_compound_parts(es, index, query.compound_words(q))
    return query.build_body(args)


def baseline_body(q: str, size: int = K) -> dict:
    return {"query": baseline_query(q), "size": size, "_source": False}


def ranked_ids(es: Elasticsearch, index: str, body: dict) -> list[str]:
    return [hit["_id"] for hit in es.search(index=index, body=body)["hits"]["hits"]]


def evaluate(es: Elasticsearch, indices: Indices, queries: Sequence[Query],
             depth: int = K) -> list[Row]:
    rows = []
    for item in queries:
        ours = ranked_ids(es, indices.ours, our_body(es, indices.ours, item.q, depth))
        base = ranked_ids(es, indices.baseline, baseline_body(item.q, depth))
        rows.append(Row(item, ours, base, _ndcg(ours, item), _ndcg(base, item)))
    return rows


def _ndcg(ranked: list[str], item: Query) -> float:
    """nan while a query has no relevant document judged yet (while pooling)."""
    return metrics.ndcg(ranked, item.grades, K) if any(item.grades.values()) else float("nan")


# --- reports ----------------------------------------------------------------------------

def summary(rows: Sequence[Row]) -> dict:
    rows = [r for r in rows if not math.isnan(r.ours_ndcg)]
    return {"queries": len(rows),
            "ours": metrics.mean([r.ours_ndcg for r in rows]),
            "baseline": metrics.mean([r.baseline_ndcg for r in rows]),
            "wins": sum(r.ours_ndcg > r.baseline_ndcg + 1e-9 for r in rows),
            "losses": sum(r.ours_ndcg < r.baseline_ndcg - 1e-9 for r in rows)}


def render_table(rows: Sequence[Row]) -> str:
    width = max(len(r.query.q) for r in rows)
    kind_width = max(len(r.query.kind) for r in rows)
    lines = [f"{'id':<4} {'kind':<{kind_width}} {'query':<{width}}  {'ours':>6} {'base':>6} {'diff':>6}"]
    for r in rows:
        lines.append(f"{r.query.id:<4} {r.query.kind:<{kind_width}} {r.query.q:<{width}}  "
                     f"{r.ours_ndcg:6.3f} {r.baseline_ndcg:6.3f} {r.ours_ndcg - r.baseline_ndcg:+6.3f}")
    s = summary(rows)
    lines.append(f"{'mean nDCG@10':<{5 + kind_width + width}}  {s['ours']:6.3f} {s['baseline']:6.3f} "
                 f"{s['ours'] - s['baseline']:+6.3f}")
    lines.append(f"{s['queries']} queries: ours better on {s['wins']}, baseline better on "
                 f"{s['losses']}, equal on {s['queries'] - s['wins'] - s['losses']}")
    return "\n".join(lines)


def render_pool(es: Elasticsearch, indices: Indices, row: Row) -> str:
    """Top ``POOL_DEPTH`` of both systems, for judging: rank in ours/baseline, current grade,
    id, title and the start of the body."""
    pool = list(dict.fromkeys([*row.ours[:POOL_DEPTH], *row.baseline[:POOL_DEPTH]]))
    docs = {d["_id"]: d.get("_source") or {} for d in es.mget(
        index=indices.ours, ids=pool, source=["title", "body"])["docs"]}
    out = [f"== {row.query.id} {row.query.q!r} ({row.query.kind}): {row.query.need}"]
    for doc_id in pool:
        source = docs.get(doc_id, {})
        ranks = [str(lst.index(doc_id) + 1) if doc_id in lst[:POOL_DEPTH] else "-"
                 for lst in (row.ours, row.baseline)]
        grade = row.query.grades.get(doc_id, "?")
        body = " ".join((source.get("body") or "").split())
        hits, where = _mentions(body[JUDGE_CHARS:], row.query.q)
        text = body[:JUDGE_CHARS] + (f" ... [{hits} more mentions: {where}]" if hits else "")
        out.append(f"[{grade}] {doc_id:<16} o={ranks[0]:>2} b={ranks[1]:>2} | "
                   f"{source.get('title') or ''}\n" + textwrap.indent(text, "      "))
    return "\n".join(out)


def _mentions(text: str, q: str) -> tuple[int, str]:
    """A judging aid: how often the query's words (their first 5 letters, any case) occur in
    ``text``, and the first two places (a few words around)."""
    stems = [w[:5].lower() for w in re.findall(r"\w+", q) if len(w) > 2 and w not in ("OR", "NOT")]
    if not stems:
        return 0, ""
    pattern = re.compile("|".join(re.escape(s) for s in stems), re.IGNORECASE)
    found = list(pattern.finditer(text))
    places = [text[max(0, m.start() - 60):m.end() + 60] for m in found[:2]]
    return len(found), " | ".join(places)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.relevance.evaluate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--es", required=True, help="Elasticsearch URL")
    parser.add_argument("--prefix", default=DEFAULT_PREFIX, help="index name prefix (test-...)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="../shared/data")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS_FILE)
    parser.add_argument("--reuse", action="store_true", help="use the indices if they exist (and keep them)")
    parser.add_argument("--keep", action="store_true", help="do not delete the indices")
    parser.add_argument("--pool", nargs="*", metavar="QUERY_ID",
                        help="print the judging pool of these queries (all if none given)")
    args = parser.parse_args(argv)
    es = Elasticsearch(args.es, request_timeout=120)
    indices = index_names(args.prefix)
    queries = load_queries(args.judgments)
    started = time.monotonic()
    if not (args.reuse and es.indices.exists(index=[indices.ours, indices.baseline])):
        count = build_indices(es, indices, load_corpus(args.data))
        print(f"indexed {count} documents into {indices.ours} and {indices.baseline} "
              f"in {time.monotonic() - started:.1f} s", file=sys.stderr)
    try:
        rows = evaluate(es, indices, queries, depth=POOL_DEPTH if args.pool is not None else K)
        if args.pool is not None:
            wanted = set(args.pool)
            for row in rows:
                if not wanted or row.query.id in wanted:
                    print(render_pool(es, indices, row) + "\n")
        print(render_table(rows))
    finally:
        if not (args.keep or args.reuse):
            delete_indices(es, indices)
    return 0


if __name__ == "__main__":
    sys.exit(main())
