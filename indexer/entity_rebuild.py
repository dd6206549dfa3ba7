"""Rebuild the entities index from the articles, without downtime and without losing writes.

Why. Entity records only grow (``indexer/entity_store.py``): a label or alias stays after
the articles that gave it are deleted or re-enriched. After the pipeline learned to strip
hashtags, "This Angela #Merkel" stayed the label of an entity whose articles now all say
"This Angela Merkel". The articles are what is true: the records of all of them
(``entity_records.records_from_articles``) are the entities index a fresh archive would have.
A rebuild also moves the entities index to a newer ``entities-vN.json`` (there is no copy of
entity documents: every field of them comes from the articles).

How, as ``indexer/reindex.py`` does it for articles:

1. Create ``{prefix}-entities-vN-{UTC time}`` from the newest entities mapping file (refresh
   off while it fills).
2. Point the migration alias ``{alias}-next`` at it. From then on the worker repeats each
   batch's entity records there, after the batch's articles are stored
   (``entity_store.mirror_records``): a batch stored before the alias existed is in the
   articles that step 3 reads; any later one is repeated by its worker. A worker that looks
   after step 4's swap finds the alias serving another index than the one it wrote to and
   repeats its records there.
3. Refresh the articles index and read every article's entities from one point in time; merge
   each page's records into the new index. Merges are idempotent and commutative, so the
   worker's repeats and this step may interleave in any order.
4. Swap the entities alias to the new index in one request; the migration alias goes.
5. Restore refresh; keep the old index (a way back) unless ``delete_old``; delete the older
   ways back (``reindex.older_ways_back``).

An interrupted run leaves the migration alias; running again resumes into the same index
(merging is idempotent), and ``reindex.abort(es, prefix, "entities")`` drops it. A label of an
article deleted while step 3 reads may stay until the next rebuild.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from elasticsearch import Elasticsearch

from indexer import admin, entity_records, entity_store, reindex
from indexer.scan import Snapshot
from indexer.settings import DEFAULT_MAPPINGS_DIR

KIND = "entities"
PAGE_SIZE = 500


class RebuildError(RuntimeError):
    """The rebuild cannot start (the message says why)."""


@dataclasses.dataclass
class RebuildReport:
    alias: str
    source: str
    target: str
    version: int
    articles: int = 0        # articles read
    source_count: int = 0    # entities in the old index just before the swap
    target_count: int = 0    # entities in the new index after the swap
    seconds: float = 0.0
    deleted_old: bool = False
    deleted_older: list[str] = dataclasses.field(default_factory=list)


def target_name(prefix: str, version: int, now: dt.datetime | None = None) -> str:
    """A new index name for each rebuild: the mapping version and the UTC time (ms)."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{admin.index_name(prefix, version, KIND)}-{now:%Y%m%d%H%M%S}{now.microsecond // 1000:03d}"


def rebuild(es: Elasticsearch, prefix: str, *, mappings_dir: Path = DEFAULT_MAPPINGS_DIR,
            delete_old: bool = False, page_size: int = PAGE_SIZE,
            progress: Callable[[int], None] | None = None,
            before_swap: Callable[[], None] | None = None) -> RebuildReport:
    """Fill a new entities index from the articles and swap the alias to it.
    ``progress(n)`` after each page of articles; ``before_swap()`` (tests) just before the swap."""
    started = time.monotonic()
    alias = admin.alias_name(prefix, KIND)
    articles = admin.alias_name(prefix, "articles")
    current = admin.alias_target(es, alias)
    if current is None or admin.alias_target(es, articles) is None:
        raise RebuildError(f"{alias} or {articles} does not exist; create the indices first "
                           f"(newsarchive create-index)")
    version, path = admin.latest_mapping(mappings_dir, KIND)
    if current.version is not None and version < current.version:
        raise RebuildError(f"{alias} is at mapping version {current.version}, newer than "
                           f"{path.name}, the newest file in {mappings_dir}")
    target = reindex.migration_target(es, alias)   # an interrupted run: resume
    if target is None:
        target = target_name(prefix, version)
        while es.indices.exists(index=target):   # a rebuild in the same millisecond
            time.sleep(0.001)
            target = target_name(prefix, version)
    reindex.open_target(es, alias, target, admin.load_definition(path))
    report = RebuildReport(alias=alias, source=current.index, target=target, version=version)

    es.indices.refresh(index=articles)
    with Snapshot(es, articles) as snapshot:
        for hits in snapshot.pages(page_size, _source=["entities"]):
            records = entity_records.records_from_articles(hit["_source"] for hit in hits)
            entity_store.write_entities(es, target, records, require_alias=False)
            report.articles += len(hits)
            if progress is not None:
                progress(report.articles)

    report.source_count, report.target_count, report.deleted_older = reindex.swap(
        es, alias, current.index, target, delete_old=delete_old, before_swap=before_swap)
    report.deleted_old = delete_old
    report.seconds = round(time.monotonic() - started, 2)
    return report
