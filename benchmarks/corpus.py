"""A benchmark corpus: N documents in the exact shape of the articles index, made from real
German news texts, and its bulk load into ``<prefix>-articles``.

    python benchmarks/corpus.py [--es URL] [--prefix test-bench] [--docs 100000] [--seed 1]
                                [--data DIR] [--workers 2] [--force]

Used by ``benchmarks/search.py`` (and meant for ``benchmarks/load.py``). Only index prefixes
starting with ``test-`` or ``bench-`` are accepted: loading deletes the index behind the alias.

Base texts (read-only from ``DIR/news``, internal load test; nothing is trained on them):
10kGNAD test, German Wikinews (all splits), SmartData v1 news articles and RSS items, and the
front-page headlines with their teasers (18k). Each goes once through the real pipeline, in
process and niced: ``pipeline.prepare`` (parse, clean) and ``pipeline.enrich_step``, and the
named entities of ``extract_entities`` (the raw mentions, NER being the slow part: ~50 ms per
article). The results are cached in ``<cache>/bench/base-<key>.jsonl.gz`` (cache =
``NEWSARCHIVE_CACHE_DIR`` or ``~/.cache/newsarchive``); the key hashes the raw articles read,
the pipeline's code and NER model (``PIPELINE_CODE``), and ``BASE_FORMAT``.

Documents (pure and deterministic: document i depends only on the base texts, the seed and i):
each base text is cut into units (its paragraphs, or groups of sentences when it has few), and
document i is one of ``KINDS``: a front-page headline with its teaser, a short RSS item, a whole
article (as an agency text reprinted by several outlets), a section (consecutive units of one
article) or a mix (the lead of one article followed by units of another of the same source).
Published dates are spread over 2004-2025 (more recent years hold more), outlets follow a
long-tailed list. The raw NER mentions inside the chosen units move with their text, and the
entity fields come from the pipeline's own ``canonicalize`` over them; title, dates, agencies,
language and syndication key from ``indexer.enrich.enrich`` on the composed text (dates
relative to the new published date); ``pipeline.finish`` adds the German search copies, hash and
word count and validates the document against the mapping's fields.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gzip
import hashlib
import json
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from elasticsearch import Elasticsearch, NotFoundError, helpers  # noqa: E402

from benchmarks.ingest import (  # noqa: E402
    GNAD_FILE,
    SMARTDATA_FILES,
    WIKINEWS_FILE,
    gnad_articles,
    smartdata_articles,
    wikinews_articles,
)
from indexer import admin, identity, pipeline  # noqa: E402
from indexer.enrich import enrich  # noqa: E402
from indexer.enrich.canonical import canonicalize  # noqa: E402
from indexer.enrich.mentioned_dates import split_sentences  # noqa: E402
from indexer.parse import ParseError  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
FRONTPAGE_FILE = "frontpage_headlines_de_2025-12-29_2026-01-04.jsonl.gz"
BASE_FORMAT = 1          # bump when process_base's output changes
# What process_base runs (the cache key hashes these files): indexer/<name>, folders recursively.
PIPELINE_CODE = ("pipeline.py", "parse.py", "identity.py", "clean", "enrich", "models")
DEFAULT_DOCS = 100_000
DEFAULT_SEED = 1
SAFE_PREFIXES = ("test-", "bench-")
ID_PREFIX = "bench:"

UNIT_SENTENCES = 3       # sentences per unit when a text has fewer than MIN_PARAGRAPHS paragraphs
MIN_PARAGRAPHS = 3
TITLE_MAX_CHARS = 120
# kind -> share of the documents
KINDS = {"headline": 0.30, "brief": 0.05, "article": 0.15, "section": 0.30, "mix": 0.20}
LONG_SOURCES = ("10kgnad", "wikinews", "smartdata-news")
FIRST_YEAR, LAST_YEAR = 2004, 2025
UNDATED_SHARE = 0.02     # sections and mixes without a published date
INGESTED_AT = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)  # fixed: documents are reproducible
# Outlets of composed documents, most frequent first (weight 1/rank).
OUTLETS = (
    "spiegel.de", "zeit.de", "sueddeutsche.de", "faz.net", "welt.de", "tagesschau.de",
    "derstandard.at", "n-tv.de", "focus.de", "stern.de", "tagesspiegel.de", "handelsblatt.com",
    "taz.de", "nzz.ch", "fr.de", "rp-online.de", "ksta.de", "merkur.de", "bild.de", "orf.at",
    "srf.ch", "br.de", "ndr.de", "mdr.de", "swr.de", "wdr.de", "deutschlandfunk.de", "heise.de",
    "golem.de", "abendblatt.de", "volksstimme.de", "mz.de", "badische-zeitung.de",
    "stuttgarter-zeitung.de", "haz.de", "weser-kurier.de", "kurier.at", "diepresse.com",
    "tagblatt.ch", "aargauerzeitung.ch",
)


# --- base texts ---------------------------------------------------------------------------

def frontpage_articles(lines: Iterable[str]) -> list[dict]:
    """Front-page headline JSONL -> raw articles: the headline as title, the teaser (or the
    headline) as text, the outlet and first-seen time (UTC) as given."""
    articles = []
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        record = json.loads(line)
        title = (record.get("title") or "").strip()
        if not title:
            continue
        article = {"title": title, "text": (record.get("teaser") or "").strip() or title,
                   "external_id": f"{ID_PREFIX}frontpage:{number:05d}",
                   "metadata": {"bench_source": "frontpage", "section": record.get("section")}}
        for key, value in (("url", record.get("url")), ("outlet", record.get("outlet"))):
            if value:
                article[key] = value
        if record.get("first_seen"):
            article["published_at"] = record["first_seen"] + "+00:00"
        articles.append(article)
    return articles


def read_base_raws(data_dir: Path) -> list[dict]:
    """Every base text as a raw article (the API's input shape), in a fixed order."""
    news = Path(data_dir) / "news"
    raws = gnad_articles(_read(news / GNAD_FILE))
    raws += wikinews_articles(_read(news / WIKINEWS_FILE).splitlines())
    for name in SMARTDATA_FILES:
        kinds = smartdata_articles(_read(news / name))
        raws += kinds.get("news", []) + kinds.get("rss", [])
    raws += frontpage_articles(_read(news / FRONTPAGE_FILE).splitlines())
    unique = {raw["external_id"]: raw for raw in raws}   # SmartData repeats a few ids
    return list(unique.values())


def _read(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.read()


def text_units(body: str) -> list[tuple[int, int]]:
    """(start, end) spans of the pieces a text is recombined from: its non-empty lines
    (paragraphs), or groups of ``UNIT_SENTENCES`` sentences when it has fewer than
    ``MIN_PARAGRAPHS`` lines. Spans carry no surrounding whitespace."""
    spans, offset = [], 0
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            spans.append((start, start + len(stripped)))
        offset += len(line) + 1
    if len(spans) >= MIN_PARAGRAPHS:
        return spans
    sentences = split_sentences(body)
    groups = [sentences[i:i + UNIT_SENTENCES] for i in range(0, len(sentences), UNIT_SENTENCES)]
    units = []
    for group in groups:
        start, end = group[0][0], group[-1][1]
        text = body[start:end]
        lead = len(text) - len(text.lstrip())
        units.append((start + lead, start + len(text.rstrip())))
    return [unit for unit in units if unit[1] > unit[0]] or spans


def process_base(raw: dict, extract: Callable[[str], list[dict]] | None = None) -> dict | None:
    """One raw article through the real pipeline (prepare, enrich_step) and the NER:
    a base record, or None when the pipeline rejects it."""
    if extract is None:
        from indexer.enrich.entities import extract_entities as extract
    try:
        doc = pipeline.enrich_step(pipeline.prepare(dict(raw)))
    except ParseError:
        return None
    body = doc["body"]
    metadata = raw.get("metadata") or {}
    return {
        "key": raw["external_id"].removeprefix(ID_PREFIX),
        "source": metadata.get("bench_source", "unknown"),
        "group": metadata.get("category") or metadata.get("section") or doc.get("outlet"),
        "title": doc.get("title"), "body": body, "language": doc.get("language") or "und",
        "outlet": doc.get("outlet"), "url": doc.get("url"), "published_at": doc.get("published_at"),
        "units": text_units(body),
        "mentions": [{key: m[key] for key in ("text", "type", "start", "end")}
                     for m in extract(body)],
    }


def base_cache_key(raws: Sequence[dict]) -> str:
    """Hash of the raw base articles, the pipeline's code and model (``PIPELINE_CODE``) and
    ``BASE_FORMAT``."""
    digest = hashlib.sha256(f"base-format-{BASE_FORMAT}".encode())
    digest.update(json.dumps(list(raws), sort_keys=True, ensure_ascii=False).encode())
    code = sorted(p for name in PIPELINE_CODE for p in
                  ([ROOT / "indexer" / name] if name.endswith(".py") else
                   (ROOT / "indexer" / name).rglob("*"))
                  if p.is_file() and "__pycache__" not in p.parts)
    for path in code:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    base = os.environ.get("NEWSARCHIVE_CACHE_DIR") or Path.home() / ".cache" / "newsarchive"
    return Path(base) / "bench"


def base_texts(data_dir: Path = DEFAULT_DATA, *, workers: int = 2,
               log: Callable[[str], None] = print) -> list[dict]:
    """The processed base texts: from the cache, else made now (niced worker processes)."""
    raws = read_base_raws(data_dir)
    path = cache_dir() / f"base-{base_cache_key(raws)}.jsonl.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]
    log(f"processing {len(raws):,} base texts through the pipeline ({workers} niced processes; "
        f"cached afterwards in {path})")
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers, initializer=os.nice, initargs=(15,)) as pool:
        bases = [b for b in pool.imap(process_base, raws, chunksize=16) if b is not None]
    log(f"processed {len(bases):,} base texts in {time.perf_counter() - start:.0f} s")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as handle:
        for base in bases:
            handle.write(json.dumps(base, ensure_ascii=False) + "\n")
    partial.replace(path)
    return bases


# --- documents (pure) -------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Pools:
    """The base texts by the role they play in composed documents."""
    headlines: list[dict]
    briefs: list[dict]
    articles: list[dict]                        # long texts with at least two units
    by_group: dict[tuple, list[dict]]           # articles by (source, group): partners of a mix

    @classmethod
    def of(cls, bases: Sequence[dict]) -> Pools:
        articles = [b for b in bases if b["source"] in LONG_SOURCES and len(b["units"]) >= 2]
        by_group: dict[tuple, list[dict]] = {}
        for base in articles:
            by_group.setdefault((base["source"], base["group"]), []).append(base)
        return cls(headlines=[b for b in bases if b["source"] == "frontpage"],
                   briefs=[b for b in bases if b["source"] == "smartdata-rss"],
                   articles=articles, by_group=by_group)


def make_document(pools: Pools, index: int, seed: int = DEFAULT_SEED) -> dict:
    """Document ``index`` of the corpus for ``seed`` (see the module docstring)."""
    rng = random.Random(f"{seed}:{index}")
    kind = _choose_kind(rng, pools)
    published = random_published(rng)
    outlet = _weighted_outlet(rng)
    url = None
    if kind in ("headline", "brief"):
        base = rng.choice(pools.headlines if kind == "headline" else pools.briefs)
        body, mentions, parts = base["body"], base["mentions"], [base]
        title, url = base["title"], base["url"]
        outlet = base["outlet"] or outlet
    elif kind == "article":
        base = rng.choice(pools.articles)
        body, mentions, parts = base["body"], base["mentions"], [base]
        title = base["title"] or first_sentence(body)
        if base["published_at"] and rng.random() < 0.5:   # the original day, or a reprint
            published = base["published_at"]
        if base["outlet"] and rng.random() < 0.5:
            outlet = base["outlet"]
    else:
        base = rng.choice(pools.articles)
        units = len(base["units"])
        if kind == "section":
            length = rng.randint(1, min(6, units))
            first = rng.randrange(units - length + 1)
            runs = [(base, first, first + length)]
        else:
            partner = rng.choice(pools.by_group[(base["source"], base["group"])])
            lead = rng.randint(1, min(3, units))
            count = rng.randint(1, min(4, len(partner["units"])))
            start = rng.randrange(len(partner["units"]) - count + 1)
            runs = [(base, 0, lead), (partner, start, start + count)]
        body, mentions = compose(runs)
        parts = [run[0] for run in runs]
        title = base["title"] if runs[0][1] == 0 and base["title"] else first_sentence(body)
        if rng.random() < UNDATED_SHARE:
            published = None
    external_id = f"{ID_PREFIX}{seed}:{index:07d}"
    metadata = {"bench_kind": kind, "bench_base": [p["key"] for p in parts]}
    return build_document(external_id, body=body, title=title, language=parts[0]["language"],
                          outlet=outlet, url=url, published_at=published, mentions=mentions,
                          metadata=metadata)


def _choose_kind(rng: random.Random, pools: Pools) -> str:
    kinds = [k for k in KINDS if k not in ("headline", "brief")
             or (pools.headlines if k == "headline" else pools.briefs)]
    return rng.choices(kinds, weights=[KINDS[k] for k in kinds])[0]


def _weighted_outlet(rng: random.Random) -> str:
    return rng.choices(OUTLETS, weights=[1 / rank for rank in range(1, len(OUTLETS) + 1)])[0]


def random_published(rng: random.Random) -> str:
    """A local publication time in FIRST_YEAR..LAST_YEAR; year weights grow linearly."""
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    year = rng.choices(years, weights=[y - FIRST_YEAR + 1 for y in years])[0]
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    return f"{day.isoformat()}T{rng.randint(5, 22):02d}:{rng.randrange(60):02d}:00"


def compose(runs: Sequence[tuple[dict, int, int]]) -> tuple[str, list[dict]]:
    """(base, first unit, end unit) runs -> their units' text joined by blank lines, and the
    NER mentions inside those units with offsets into the new text."""
    texts: list[str] = []
    mentions: list[dict] = []
    offset = 0
    for base, first, end in runs:
        for start, stop in base["units"][first:end]:
            texts.append(base["body"][start:stop])
            mentions.extend({**m, "start": m["start"] - start + offset,
                             "end": m["end"] - start + offset}
                            for m in base["mentions"] if m["start"] >= start and m["end"] <= stop)
            offset += stop - start + 2
    return "\n\n".join(texts), mentions


def first_sentence(body: str) -> str:
    """The first sentence, cut at a word boundary to at most ``TITLE_MAX_CHARS``."""
    spans = split_sentences(body)
    text = " ".join((body[spans[0][0]:spans[0][1]] if spans else body).split())
    if len(text) <= TITLE_MAX_CHARS:
        return text
    return text[:TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:–-") + " …"


def entity_fields(entities: list[dict]) -> dict:
    """persons/organizations/places and facet_* from canonical entities, as
    ``pipeline.entities_step`` writes them (a unit test keeps the two in step)."""
    fields = {}
    for etype, field in pipeline.ENTITY_FIELDS.items():
        chosen = [e for e in entities if e["type"] == etype]
        fields[field] = [{"id": e["id"], "name": e["name"]} for e in chosen]
        fields[f"facet_{field}"] = [f"{e['id']}|{e['name']}" for e in chosen]
    return fields


def build_document(external_id: str, *, body: str, title: str | None, language: str,
                   outlet: str | None, url: str | None, published_at: str | None,
                   mentions: list[dict], metadata: dict) -> dict:
    """A finished document, as the pipeline would store it for this text and metadata."""
    doc = {"id": identity.article_id(external_id=external_id), "external_id": external_id,
           "url": url, "title": title, "body": body, "outlet": outlet, "language": language,
           "published_at": published_at, "metadata": metadata,
           "raw": {key: value for key, value in (("text", body), ("title", title)) if value}}
    doc.update(enrich(doc))
    doc["entities"] = canonicalize(mentions)
    doc.update(entity_fields(doc["entities"]))
    return pipeline.finish(doc, now=INGESTED_AT)


_POOLS: Pools | None = None   # per generator process (fork)


def _generate(job: tuple[int, int]) -> dict:
    index, seed = job
    return make_document(_POOLS, index, seed)


def iter_documents(bases: Sequence[dict], count: int, seed: int = DEFAULT_SEED) -> Iterator[dict]:
    """Documents ``0 .. count-1`` in order, in this process."""
    pools = Pools.of(bases)
    return (make_document(pools, index, seed) for index in range(count))


@contextlib.contextmanager
def generated(bases: Sequence[dict], count: int, seed: int = DEFAULT_SEED, *,
              workers: int = 2) -> Iterator[Iterator[dict]]:
    """``iter_documents`` made by ``workers`` niced processes (forked here, before the caller
    starts any thread); the order and content are the same."""
    global _POOLS
    if workers <= 1:
        yield iter_documents(bases, count, seed)
        return
    _POOLS = Pools.of(bases)
    with multiprocessing.get_context("fork").Pool(workers, initializer=os.nice, initargs=(15,)) as pool:
        yield pool.imap(_generate, ((index, seed) for index in range(count)), chunksize=100)


# --- loading --------------------------------------------------------------------------------

@dataclasses.dataclass
class LoadReport:
    alias: str
    index: str
    docs: int
    failed: int
    seconds: float
    reused: bool

    def __str__(self) -> str:
        if self.reused:
            return f"{self.alias} -> {self.index} already holds this corpus ({self.docs:,} documents)"
        rate = self.docs / self.seconds if self.seconds else float("inf")
        return (f"loaded {self.docs:,} documents into {self.alias} -> {self.index} in "
                f"{self.seconds:.0f} s ({rate:,.0f} docs/s, generation and bulk together), "
                f"{self.failed} failed")


def check_prefix(prefix: str) -> None:
    if not prefix.startswith(SAFE_PREFIXES):
        raise SystemExit(f"index prefix {prefix!r}: the benchmark only writes indices whose "
                         f"prefix starts with {' or '.join(SAFE_PREFIXES)}")


def holds_corpus(es: Elasticsearch, alias: str, bases: Sequence[dict], count: int,
                 seed: int) -> bool:
    """True when the alias holds exactly ``count`` documents and the first, middle and last
    document of this corpus are stored exactly as made now (every field: a changed pipeline
    or NER model changes the entities, not the text)."""
    try:
        if es.count(index=alias)["count"] != count:
            return False
    except NotFoundError:
        return False
    pools = Pools.of(bases)
    for index in sorted({0, count // 2, count - 1}):
        expected = make_document(pools, index, seed)
        try:
            stored = es.get(index=alias, id=expected["id"])
        except NotFoundError:
            return False
        if stored["_source"] != json.loads(json.dumps(expected)):
            return False
    return True


def load_corpus(es: Elasticsearch, prefix: str, bases: Sequence[dict], count: int = DEFAULT_DOCS,
                seed: int = DEFAULT_SEED, *, workers: int = 2, force: bool = False,
                log: Callable[[str], None] = print) -> LoadReport:
    """Make sure ``<prefix>-articles`` holds exactly this corpus: unless it does already (or
    ``force``), delete the index behind the alias, create it again with
    ``admin.ensure_indices`` and bulk-load the documents (refresh off while loading)."""
    check_prefix(prefix)
    alias = admin.alias_name(prefix)
    if not force and holds_corpus(es, alias, bases, count, seed):
        state = admin.alias_target(es, alias)
        return LoadReport(alias, state.index, count, 0, 0.0, reused=True)
    existing = admin.alias_target(es, alias)
    if existing is not None:
        log(f"deleting {existing.index} (behind {alias})")
        es.indices.delete(index=existing.index)
    state = admin.ensure_indices(es, prefix)["articles"]
    es.indices.put_settings(index=state.index, settings={"index": {"refresh_interval": "-1"}})
    indexed = failed = 0
    start = time.perf_counter()
    try:
        with generated(bases, count, seed, workers=workers) as docs:
            actions = ({"_index": state.index, "_id": doc["id"], "_source": doc} for doc in docs)
            outcomes = helpers.parallel_bulk(es, actions, thread_count=2, chunk_size=500,
                                             max_chunk_bytes=20 * 1024 * 1024, queue_size=4,
                                             raise_on_error=False, raise_on_exception=True)
            for ok, item in outcomes:
                indexed += ok
                if not ok:
                    failed += 1
                    if failed <= 3:
                        log(f"failed: {json.dumps(item, ensure_ascii=False)[:300]}")
                if (indexed + failed) % 10_000 == 0:
                    log(f"  {indexed + failed:,} / {count:,} ({time.perf_counter() - start:.0f} s)")
    finally:
        es.indices.put_settings(index=state.index, settings={"index": {"refresh_interval": None}})
    es.indices.refresh(index=state.index)
    seconds = time.perf_counter() - start
    wait_for_merges(es, state.index)
    return LoadReport(alias, state.index, indexed, failed, seconds, reused=False)


def wait_for_merges(es: Elasticsearch, index: str, timeout: float = 600) -> None:
    """Until no merge runs on the index (a merge would compete with a benchmark)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        merges = es.indices.stats(index=index, metric="merge")["_all"]["primaries"]["merges"]
        if merges["current"] == 0:
            return
        time.sleep(1)


def ensure_from_args(es: Elasticsearch, args) -> int:
    """The corpus of the command-line ``args`` loaded (unless ``--no-load``); the number of
    documents behind the alias. Shared by benchmarks/search.py and benchmarks/load.py."""
    if not args.no_load:
        bases = base_texts(args.data, workers=args.workers)
        print(load_corpus(es, args.prefix, bases, args.docs, args.seed, workers=args.workers),
              flush=True)
    return es.count(index=f"{args.prefix}-articles")["count"]


def elasticsearch(url: str) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=300, max_retries=3, retry_on_timeout=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--force", action="store_true", help="load again even if the index "
                        "already holds this corpus")
    args = parser.parse_args(argv)
    check_prefix(args.prefix)
    bases = base_texts(args.data, workers=args.workers)
    report = load_corpus(elasticsearch(args.es), args.prefix, bases, args.docs, args.seed,
                         workers=args.workers, force=args.force)
    print(report)
    return 0 if report.failed == 0 else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The corpus options, shared with benchmarks/search.py (defaults from NEWSARCHIVE_*)."""
    es_url = os.environ.get("NEWSARCHIVE_ES_URL") or "http://127.0.0.1:9200"
    prefix = os.environ.get("NEWSARCHIVE_INDEX_PREFIX") or "bench-newsarchive"
    parser.add_argument("--es", default=es_url, help=f"Elasticsearch URL (default {es_url})")
    parser.add_argument("--prefix", default=prefix,
                        help=f"index prefix, test-* or bench-* (default {prefix})")
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS,
                        help=f"documents in the corpus (default {DEFAULT_DOCS:,})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"corpus (and query) seed (default {DEFAULT_SEED})")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"data folder holding news/ (default {DEFAULT_DATA})")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="niced processes for the pipeline and the documents (default 2)")


if __name__ == "__main__":
    sys.exit(main())
