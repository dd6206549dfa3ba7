"""Ingest throughput: the full pipeline through the API and a running worker, against a
plain bulk index of the same texts, measured in the same run.

    python benchmarks/ingest.py [--api URL] [--es URL] [--redis URL] [--limit 3000]
                                [--data DIR] [--sample 300] [--baseline-runs 3] [--timeout 1800]

Run against a running stack (``scripts/stack.sh up``) that serves nobody else while it runs;
the ``NEWSARCHIVE_*`` variables give the defaults (API, Elasticsearch and Redis URLs, index
prefix, worker batch size).

Articles (real German news from ``DIR/news``, read-only; nothing is trained here):
  * 10kGNAD test (1,028 DER STANDARD articles, title and body joined),
  * German Wikinews (998 articles, all splits: a load test fits nothing to them),
  * SmartData v1 train + test: news articles (779 distinct) and, only to fill up to
    ``--limit``, RSS items (short traffic and police notes). Tweets are left out.
The full articles are taken round-robin from the three article sources, then RSS items; the
same arguments always pick the same articles. Each gets an ``external_id`` starting with
``bench:``, so its id is deterministic and cannot collide with a real article.

Steps, in this order (Elasticsearch is warm when the two timed runs start):
  1. Stages, in this process, over an evenly spread sample (``--sample``): the worker's own
     ``tasks.run_batch`` on worker-sized batches, writing to ``bench-<prefix>-*`` indices and
     Redis keys. ``parse_article``, each step of ``CLEAN_STEPS`` and ``ENRICH_STEPS``,
     ``finish`` (validate) and ``process_batch`` are wrapped by timers (pipeline.py is not
     changed); the batch's tagging (``tag_entities``) counts to the entities stage, and
     ``ner_service.tag`` is shown as the NER service's share of it;
     ``store`` is the rest of ``run_batch``: whatever the worker writes per batch (articles,
     entities index, job records).
  2. Baseline: ``elasticsearch.helpers.streaming_bulk`` of every text as it comes (no
     cleaning, no enrichment: id, title, body and its German search copy, url, date, raw)
     into a ``bench-`` index with the same mapping file, chunks of the worker's batch size,
     ``refresh=false`` like the worker. It takes a few seconds, so it runs
     ``--baseline-runs`` times (each into a fresh index) and the median is reported.
  3. Pipeline: a warm-up (one single-article job per worker process, so model loading is not
     timed), then every article in one NDJSON ``POST /v1/articles/bulk`` (the API validates and
     queues batches to Celery); wall time from the request until the job has nothing pending.
Afterwards: the ``bench-`` indices and Redis keys are deleted; the benchmark's articles are
deleted from the articles alias by id (the minimal node has no delete_by_query), and so are the
entities they brought into the entities index that were not there before the run (an entity
that existed may keep an alias it learnt from a benchmark article). The article ids are also
deleted before the run, which clears what an interrupted run left behind.

Time is bounded by ``--timeout`` (waiting for the worker); on timeout the run fails, and
batches still queued may index articles afterwards: run the benchmark again (it deletes the
same ids first and last).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import gzip
import io
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
import requests  # noqa: E402
from elasticsearch import Elasticsearch, helpers  # noqa: E402

from indexer import admin, api_keys, identity, jobs, pipeline, tasks  # noqa: E402
from indexer.clients import redis_client  # noqa: E402
from indexer.enrich import ner_service  # noqa: E402
from indexer.settings import Settings  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
GNAD_FILE = "10kgnad_test.csv.gz"
WIKINEWS_FILE = "wikinews_de_quotation_attribution.jsonl.gz"
SMARTDATA_FILES = ("smartdata_v1_20180119_train.json.gz", "smartdata_v1_20180119_test.json.gz")
ID_PREFIX = "bench:"
POLL_SECONDS = 0.25
WARMUP_JOBS = 2  # one per worker process at the default concurrency
STAGES = ("parse", "clean", "enrich", "entities", "validate")  # timed inside process_batch()
OTHER = "other (ids, bookkeeping)"  # the part of process_batch() outside the steps
STORE = "store"  # the part of run_batch() outside process_batch()
NER_CALL = "  of which NER service"  # ner_service.tag, inside "entities" (not added again)

# Avro JSON wraps union values in a one-key object named after the type: {"string": "..."}.
AVRO_TYPES = frozenset({"string", "bytes", "int", "long", "float", "double", "boolean",
                        "map", "array"})
_WIKINEWS_NAME = re.compile(r"^\s*(?P<num>\d+)\s+-\s+(?P<title>.+?)\s*"
                            r"(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?\s*$")


class BenchError(RuntimeError):
    """The benchmark could not finish (service error, timeout)."""


# --- reading the data (pure) ---------------------------------------------------------

def unwrap_avro(value):
    """``{"string": "x"}`` -> ``"x"``, ``{"map": {...}}`` -> ``{...}``; anything else unchanged."""
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if key in AVRO_TYPES:
            return inner
    return value


def iter_json_objects(text: str) -> Iterator[dict]:
    """The objects of a file of concatenated (pretty-printed) JSON objects."""
    decoder = json.JSONDecoder()
    position, end = 0, len(text)
    while True:
        while position < end and text[position].isspace():
            position += 1
        if position >= end:
            return
        value, position = decoder.raw_decode(text, position)
        yield value


def gnad_articles(csv_text: str) -> list[dict]:
    """10kGNAD CSV (``;`` delimiter, ``'`` quote, rows ``label;text``) -> raw articles."""
    articles = []
    for number, row in enumerate(csv.reader(io.StringIO(csv_text), delimiter=";", quotechar="'")):
        if len(row) != 2 or not row[1].strip():
            continue
        articles.append({"text": row[1], "external_id": f"{ID_PREFIX}10kgnad:{number:05d}",
                         "metadata": {"bench_source": "10kgnad", "category": row[0]}})
    return articles


def wikinews_name(document_name: str) -> tuple[str | None, str | None, str | None]:
    """``"11059 - Titel (2005-08-20)"`` -> ("11059", "Titel", "2005-08-20"); Nones if unmatched."""
    match = _WIKINEWS_NAME.match(document_name or "")
    if not match:
        return None, None, None
    return match["num"], match["title"], match["date"]


def wikinews_articles(lines: Iterable[str]) -> list[dict]:
    """Wikinews quotation-attribution JSONL -> raw articles (title from the document name)."""
    articles = []
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        record = json.loads(line)
        text = record.get("originalText") or ""
        if not text.strip():
            continue
        num, title, date = wikinews_name(record.get("documentName", ""))
        article = {"text": text, "external_id": f"{ID_PREFIX}wikinews:{num or number}",
                   "metadata": {"bench_source": "wikinews", "split": record.get("split"),
                                "date": date}}
        if title:
            article["title"] = title
        articles.append(article)
    return articles


def smartdata_articles(text: str) -> dict[str, list[dict]]:
    """SmartData (concatenated Avro-JSON) -> raw articles by source kind (news, rss, tweet)."""
    kinds: dict[str, list[dict]] = {}
    for record in iter_json_objects(text):
        body = unwrap_avro(record.get("text"))
        if not isinstance(body, str) or not body.strip():
            continue
        refids = unwrap_avro(record.get("refids")) or {}
        kind = refids.get("source") or "unknown"
        article = {"text": body, "external_id": f"{ID_PREFIX}smartdata:{record['id']}",
                   "metadata": {"bench_source": f"smartdata-{kind}"}}
        url, date = unwrap_avro(record.get("uri")), unwrap_avro(record.get("date"))
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            article["url"] = url
        if isinstance(date, str) and date[:2] in ("19", "20") and "T" in date:
            article["published_at"] = date
        kinds.setdefault(kind, []).append(article)
    return kinds


def interleave(pools: Sequence[Sequence[dict]]) -> Iterator[dict]:
    """Round-robin over the pools until every one is exhausted."""
    for index in range(max((len(pool) for pool in pools), default=0)):
        for pool in pools:
            if index < len(pool):
                yield pool[index]


def select_articles(pools: Sequence[Sequence[dict]], fillers: Sequence[dict],
                    limit: int) -> list[dict]:
    """Up to ``limit`` articles: the pools round-robin, then fillers; first of each id wins."""
    chosen, seen = [], set()
    for article in [*interleave(pools), *fillers]:
        if len(chosen) >= limit:
            break
        if article["external_id"] not in seen:
            seen.add(article["external_id"])
            chosen.append(article)
    return chosen


def spread_sample(items: Sequence, size: int) -> list:
    """``size`` items spread evenly over the sequence (deterministic)."""
    if size >= len(items):
        return list(items)
    if size <= 0:
        return []
    return [items[index * len(items) // size] for index in range(size)]


def baseline_document(raw: dict) -> dict:
    """The text stored as it comes: no cleaning, no enrichment, the same deterministic id.

    The German search copies (``pipeline.GERMAN_COPIES``, e.g. body -> body_de) are filled as
    for a German article (the data is German), so both runs pay the same analysis in
    Elasticsearch and the ratio measures the pipeline, not a difference in indexing."""
    doc = {"id": identity.article_id(external_id=raw["external_id"]),
           "external_id": raw["external_id"], "url": raw.get("url"), "title": raw.get("title"),
           "body": raw["text"], "published_at": raw.get("published_at"),
           "raw": {key: raw[key] for key in ("text", "title") if raw.get(key)},
           "metadata": raw.get("metadata")}
    for field, copy in getattr(pipeline, "GERMAN_COPIES", {}).items():
        doc[copy] = doc[field]
    return {key: value for key, value in doc.items() if value not in (None, "", {})}


def stage_name(step: Callable) -> str:
    """``clean_step`` -> ``clean``."""
    return getattr(step, "__name__", "step").removesuffix("_step")


def median_run(runs: Sequence[tuple]) -> tuple:
    """The run with the median time (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda run: run[0])
    return ordered[(len(ordered) - 1) // 2]


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def comparison(pipeline_rate: float, baseline_rate: float) -> tuple[float, float]:
    """(pipeline throughput / baseline throughput, slowdown factor)."""
    ratio = pipeline_rate / baseline_rate if baseline_rate else float("nan")
    return ratio, (1 / ratio if ratio else float("inf"))


def render_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A plain aligned table: first column left, the others right."""
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(row, widths))) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# --- reading the files ---------------------------------------------------------------

def load_articles(data_dir: Path, limit: int) -> list[dict]:
    news = data_dir / "news"
    gnad = gnad_articles(gzip.open(news / GNAD_FILE, "rt", encoding="utf-8").read())
    with gzip.open(news / WIKINEWS_FILE, "rt", encoding="utf-8") as handle:
        wikinews = wikinews_articles(handle)
    smartdata: dict[str, list[dict]] = {}
    for name in SMARTDATA_FILES:
        for kind, items in smartdata_articles(
                gzip.open(news / name, "rt", encoding="utf-8").read()).items():
            smartdata.setdefault(kind, []).extend(items)
    chosen = select_articles([gnad, wikinews, smartdata.get("news", [])],
                             smartdata.get("rss", []), limit)
    return _valid_for_api(chosen)


def _valid_for_api(articles: list[dict]) -> list[dict]:
    """Drop what the API would reject (one bad line rejects a whole bulk request)."""
    from api.schemas import ArticleInSchema
    schema = ArticleInSchema()
    valid = [a for a in articles if not schema.validate(a)]
    if len(valid) < len(articles):
        print(f"left out {len(articles) - len(valid)} articles the API would reject",
              file=sys.stderr)
    return valid


# --- 1. stages, in process ------------------------------------------------------------

@contextlib.contextmanager
def timed_pipeline(totals: Counter):
    """Within the block ``pipeline.process_batch`` and its steps add their seconds to
    ``totals``, and so do the NER service's calls (``NER_CALL``, part of the entities stage:
    the batch's tagging and the entities step)."""
    saved = (pipeline.parse_article, list(pipeline.CLEAN_STEPS), list(pipeline.ENRICH_STEPS),
             pipeline.finish, pipeline.process_batch, ner_service.tag, pipeline.tag_entities)
    ner_service.tag = _timed(NER_CALL, saved[5], totals)
    pipeline.parse_article = _timed("parse", saved[0], totals)
    pipeline.CLEAN_STEPS[:] = [_timed(stage_name(step), step, totals) for step in saved[1]]
    pipeline.ENRICH_STEPS[:] = [_timed(stage_name(step), step, totals) for step in saved[2]]
    pipeline.finish = _timed("validate", saved[3], totals)
    pipeline.process_batch = _timed("process", saved[4], totals)
    pipeline.tag_entities = _timed("entities", saved[6], totals)
    try:
        yield totals
    finally:
        pipeline.parse_article, pipeline.finish, pipeline.process_batch = \
            saved[0], saved[3], saved[4]
        ner_service.tag, pipeline.tag_entities = saved[5], saved[6]
        pipeline.CLEAN_STEPS[:], pipeline.ENRICH_STEPS[:] = saved[1], saved[2]


def _timed(name: str, function: Callable, totals: Counter) -> Callable:
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - start
    timed.__name__ = getattr(function, "__name__", name)
    return timed


def report_rows() -> tuple[str, ...]:
    """The per-stage table's rows: the stages, the NER service's share right under "entities",
    then the rest of ``process``, the store and the total."""
    after = STAGES.index("entities") + 1
    return (*STAGES[:after], NER_CALL, *STAGES[after:], OTHER, STORE, "total")


def split_totals(totals: Counter) -> Counter:
    """Add ``OTHER`` and ``STORE`` from the measured ``process`` and ``total``."""
    totals = Counter(totals)
    totals[OTHER] = totals["process"] - sum(totals[stage] for stage in STAGES)
    totals[STORE] = totals["total"] - totals["process"]
    return totals


def time_stages(es: Elasticsearch, r: redis.Redis, bench: Settings,
                sample: list[dict]) -> tuple[Counter, int]:
    """Seconds per stage of the worker's ``run_batch`` over the sample, and the number of
    articles it rejected. ``bench`` points at the benchmark's own indices and Redis keys
    (``{bench prefix}-*``, ``{bench prefix}:*``), which ``clean_up`` deletes."""
    admin.ensure_index(es, bench.index_prefix, mappings_dir=bench.mappings_dir)
    job_id = jobs.create_job(r, bench.redis_prefix, len(sample), source="bench", ttl=3600)
    pipeline.process(dict(sample[0]))  # load the NER model and language detector untimed
    totals: Counter = Counter()
    rejected = 0
    with timed_pipeline(totals):
        for offset in range(0, len(sample), bench.batch_size):
            batch = [dict(raw) for raw in sample[offset:offset + bench.batch_size]]
            start = time.perf_counter()
            outcome = tasks.run_batch(es, r, bench, job_id, batch,
                                      list(range(offset, offset + len(batch))))
            totals["total"] += time.perf_counter() - start
            rejected += outcome["failed"]
    return split_totals(totals), rejected


# --- 2. baseline -----------------------------------------------------------------------

def create_bench_index(es: Elasticsearch, name: str, settings: Settings) -> None:
    _, path = admin.latest_mapping(settings.mappings_dir)
    es.indices.delete(index=name, ignore_unavailable=True)
    es.indices.create(index=name, **admin.load_definition(path))


def baseline_bulk(es: Elasticsearch, index: str, articles: list[dict],
                  chunk_size: int) -> tuple[float, int, int]:
    """(seconds, indexed, failed) of a plain streaming bulk of the raw texts."""
    docs = [baseline_document(raw) for raw in articles]
    actions = ({"_index": index, "_id": doc["id"], "_source": doc} for doc in docs)
    indexed = failed = 0
    start = time.perf_counter()
    for ok, _ in helpers.streaming_bulk(es, actions, chunk_size=chunk_size, raise_on_error=False,
                                        max_retries=3, refresh="false"):
        indexed += ok
        failed += not ok
    return time.perf_counter() - start, indexed, failed


# --- 3. pipeline through the API and the worker -----------------------------------------

def post_bulk(http: requests.Session, api: str, articles: Sequence[dict]) -> str:
    body = "\n".join(json.dumps(a, ensure_ascii=False) for a in articles).encode("utf-8")
    response = http.post(f"{api}/v1/articles/bulk", data=body, timeout=300,
                         headers={"Content-Type": "application/x-ndjson"})
    if response.status_code != 202:
        raise BenchError(f"bulk POST answered {response.status_code}: {response.text[:500]}")
    return response.json()["job_id"]


def wait_for_jobs(http: requests.Session, api: str, job_ids: Sequence[str],
                  deadline: float) -> list[dict]:
    pending = list(job_ids)
    done: dict[str, dict] = {}
    while pending:
        for job_id in list(pending):
            response = http.get(f"{api}/v1/jobs/{job_id}", timeout=30)
            if response.status_code != 200:
                raise BenchError(f"job {job_id}: {response.status_code} {response.text[:300]}")
            job = response.json()
            if job["counts"]["pending"] == 0:
                done[job_id] = job
                pending.remove(job_id)
        if pending:
            if time.monotonic() > deadline:
                raise BenchError(f"jobs {', '.join(pending)} still pending at the deadline; "
                                 f"queued batches may still index bench articles (run again "
                                 f"to delete them)")
            time.sleep(POLL_SECONDS)
    return [done[job_id] for job_id in job_ids]


def warm_up(http: requests.Session, api: str, articles: Sequence[dict],
            deadline: float) -> list[str]:
    """One single-article job per worker process (loads the models before timing)."""
    warm = [{**article, "external_id": f"{article['external_id']}:warmup"}
            for article in articles[:WARMUP_JOBS]]
    job_ids = [post_bulk(http, api, [article]) for article in warm]
    wait_for_jobs(http, api, job_ids, deadline)
    return job_ids


def run_pipeline(http: requests.Session, api: str, articles: list[dict], deadline: float,
                 job_ids: list[str]) -> tuple[float, float, dict]:
    """(submit seconds, wall seconds until done, the finished job); the job id is appended
    to ``job_ids`` as soon as it is known."""
    start = time.perf_counter()
    job_ids.append(post_bulk(http, api, articles))
    submitted = time.perf_counter() - start
    job, = wait_for_jobs(http, api, job_ids[-1:], deadline)
    return submitted, time.perf_counter() - start, job


# --- cleaning up ---------------------------------------------------------------------------

def bench_ids(articles: Iterable[dict]) -> list[str]:
    """Every id the benchmark may create in the articles alias (warm-up copies included)."""
    ids = []
    for article in articles:
        ids.append(identity.article_id(external_id=article["external_id"]))
        ids.append(identity.article_id(external_id=f"{article['external_id']}:warmup"))
    return ids


def delete_ids(es: Elasticsearch, index: str, ids: Iterable[str]) -> int:
    """Delete documents by id; returns how many existed."""
    actions = ({"_op_type": "delete", "_index": index, "_id": doc_id} for doc_id in ids)
    deleted = 0
    for ok, item in helpers.streaming_bulk(es, actions, chunk_size=500, raise_on_error=False):
        deleted += ok and item["delete"].get("result") == "deleted"
    return deleted


def count_ids(es: Elasticsearch, index: str, ids: Sequence[str]) -> int:
    es.indices.refresh(index=index)
    return es.count(index=index, query={"ids": {"values": list(ids)}})["count"]


def entity_ids(es: Elasticsearch, alias: str) -> set[str] | None:
    """Ids in the entities index; None when the stack has none."""
    if not es.indices.exists_alias(name=alias):
        return None
    es.indices.refresh(index=alias)
    return {hit["_id"] for hit in helpers.scan(es, index=alias, query={"_source": False})}


def mentioned_entities(es: Elasticsearch, alias: str, ids: Sequence[str]) -> set[str]:
    """Canonical entity ids named by the given articles."""
    es.indices.refresh(index=alias)
    query = {"query": {"ids": {"values": list(ids)}}, "_source": ["entities.id"]}
    return {entity["id"] for hit in helpers.scan(es, index=alias, query=query)
            for entity in hit["_source"].get("entities") or () if entity.get("id")}


def delete_bench_indices(es: Elasticsearch, prefix: str) -> list[str]:
    """Delete every index named ``{prefix}-*`` (the benchmark's own); returns their names."""
    names = sorted(es.indices.get(index=f"{prefix}-*", allow_no_indices=True,
                                  expand_wildcards="all"))
    for name in names:
        es.indices.delete(index=name, ignore_unavailable=True)
    return names


def forget_keys(r: redis.Redis, patterns: Iterable[str]) -> int:
    """Delete the Redis keys matching the patterns; returns how many."""
    keys = sorted({key for pattern in patterns for key in r.scan_iter(match=pattern)})
    return r.delete(*keys) if keys else 0


def clean_up(es: Elasticsearch, r: redis.Redis, settings: Settings, bench: Settings,
             ids: Sequence[str], entities_before: set[str] | None, job_ids: list[str]) -> str:
    entities_alias = f"{settings.index_prefix}-entities"
    entities = 0
    if entities_before is not None and es.indices.exists_alias(name=entities_alias):
        new = mentioned_entities(es, settings.articles_alias, ids) - entities_before
        entities = delete_ids(es, entities_alias, sorted(new))
    articles = delete_ids(es, settings.articles_alias, ids)
    es.indices.refresh(index=f"{settings.articles_alias},{entities_alias}", ignore_unavailable=True)
    indices = delete_bench_indices(es, bench.index_prefix)
    forget_keys(r, [f"{bench.redis_prefix}:*"]
                + [f"{settings.redis_prefix}:job:{job_id}*" for job_id in job_ids])
    return (f"cleaned up: {articles} bench articles and {entities} new entities deleted; "
            f"indices {', '.join(indices) or '-'} deleted; records of {len(job_ids)} API jobs "
            f"and of the stage run dropped from Redis")


# --- main ---------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings.from_env()
    api_default = (os.environ.get("NEWSARCHIVE_API_URL")
                   or f"http://127.0.0.1:{settings.api_port}")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", default=api_default, help=f"API base URL (default {api_default})")
    parser.add_argument("--es", default=settings.es_url,
                        help=f"Elasticsearch URL (default {settings.es_url})")
    parser.add_argument("--redis", default=settings.redis_url,
                        help=f"Redis URL (default {settings.redis_url})")
    parser.add_argument("--limit", type=int, default=3000, help="articles (default 3000)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"data folder holding news/ (default {DEFAULT_DATA})")
    parser.add_argument("--sample", type=int, default=300,
                        help="articles timed per stage in process (default 300)")
    parser.add_argument("--baseline-runs", type=int, default=3,
                        help="baseline repetitions, the median is reported (default 3)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds to wait for the worker (default 1800)")
    args = parser.parse_args(argv)
    if min(args.limit, args.sample, args.baseline_runs) < 1 or args.timeout <= 0:
        parser.error("--limit, --sample, --baseline-runs and --timeout must be positive")
    settings = dataclasses.replace(settings, es_url=args.es, redis_url=args.redis)
    bench = dataclasses.replace(settings, index_prefix=f"bench-{settings.index_prefix}")
    api = args.api.rstrip("/")

    articles = load_articles(args.data, args.limit)
    if not articles:
        raise BenchError(f"no articles found under {args.data / 'news'}")
    es = Elasticsearch(settings.es_url, request_timeout=120, max_retries=2, retry_on_timeout=True)
    r = redis_client(settings)
    http = requests.Session()
    # Writes need an API key: a temporary one without a rate limit, revoked afterwards.
    key, key_record = api_keys.create(r, settings.redis_prefix, "benchmarks/ingest.py", "write",
                                      rate_limit="1000000/60s")
    http.headers["Authorization"] = f"Bearer {key}"
    alias, batch = settings.articles_alias, settings.batch_size
    baseline_index = f"{bench.index_prefix}-baseline"
    ids = bench_ids(articles)
    deadline = time.monotonic() + args.timeout
    sources = Counter(a["metadata"]["bench_source"] for a in articles)
    chars = sum(len(a["text"]) for a in articles)
    print(f"{len(articles):,} articles ("
          + ", ".join(f"{name} {count:,}" for name, count in sources.items())
          + f"), {chars / 1e6:.2f} M chars, mean {chars / len(articles):,.0f} chars/article")
    print(f"worker batch = bulk chunk = {batch}; API {api}; Elasticsearch {settings.es_url}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (others' work "
          f"on the machine skews the numbers)", flush=True)
    job_ids: list[str] = []
    entities_before = entity_ids(es, f"{settings.index_prefix}-entities")
    try:
        cleared = delete_ids(es, alias, ids)
        if cleared:
            print(f"deleted {cleared} bench articles left by an earlier run", flush=True)
        delete_bench_indices(es, bench.index_prefix)
        sample = spread_sample(articles, args.sample)
        totals, rejected = time_stages(es, r, bench, sample)
        print(f"stages timed over {len(sample)} articles ({rejected} rejected)", flush=True)

        runs = []
        for _ in range(args.baseline_runs):
            create_bench_index(es, baseline_index, settings)  # fresh: every write a create
            runs.append(baseline_bulk(es, baseline_index, articles, batch))
        base_seconds, base_indexed, base_failed = median_run(runs)
        print(f"baseline: {base_indexed} indexed, {base_failed} failed; runs "
              + ", ".join(f"{run[0]:.2f}" for run in runs) + " s, median taken", flush=True)

        job_ids.extend(warm_up(http, api, articles, deadline))
        submit_seconds, pipe_seconds, job = run_pipeline(http, api, articles, deadline, job_ids)
        counts = job["counts"]
        stored = count_ids(es, alias, ids)
        print(f"pipeline: job {job['id']} {job['state']}: indexed {counts['indexed']}, "
              f"failed {counts['failed']}; {stored} bench documents in {alias} "
              f"(with {WARMUP_JOBS} warm-up copies)", flush=True)
    finally:
        print(clean_up(es, r, settings, bench, ids, entities_before, job_ids), flush=True)
        api_keys.revoke(r, settings.redis_prefix, key_record.id)

    pipe_rate = rate(counts["indexed"], pipe_seconds)
    base_rate = rate(base_indexed, base_seconds)
    ratio, slowdown = comparison(pipe_rate, base_rate)
    print()
    print(render_table(("run", "articles", "seconds", "articles/s"), [
        ("pipeline: API bulk + Celery worker", counts["indexed"], pipe_seconds, pipe_rate),
        (f"baseline: streaming_bulk, raw text (median of {len(runs)})", base_indexed,
         base_seconds, base_rate),
    ]))
    print(f"ratio pipeline/baseline throughput: {ratio:.4f}  (pipeline {slowdown:,.1f}x slower)")
    print(f"(pipeline wall time includes {submit_seconds:.1f} s for the bulk POST; "
          f"{counts['failed']} articles failed; load average now {os.getloadavg()[0]:.2f})")
    print()
    per = len(sample)
    print(f"Per stage, in one process (the worker's run_batch), {per} articles spread over "
          f"the set:")
    print(render_table(("stage", "ms/article", "% of total"), [
        (stage, f"{1000 * totals[stage] / per:.2f}", f"{100 * totals[stage] / totals['total']:.1f}")
        for stage in report_rows()]))
    return 0 if counts["failed"] == 0 and base_failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
