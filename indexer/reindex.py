"""Zero-downtime reindex: the next index version from the next mapping file.

The minimal node has no ``_reindex``, so articles are copied from their stored
``_source``. Searches keep reading the old index through the alias until one
atomic alias swap; writes made during the copy are not lost:

1. Create the new index ``{prefix}-{kind}-vN`` from ``mappings/{kind}-vN.json``
   (refresh off while copying; ``index.gc_deletes`` long, so a delete made during
   the copy is remembered until the copy is done).
2. Point the *migration alias* ``{alias}-next`` at it. From then on every writer
   (``indexer/store.py``) repeats each write and delete there, after its own write
   through the alias, with ``version_type=external`` and the version the old index
   gave it. Writers look for the migration alias *after* their write: a write
   that finished before the alias existed is in the old index before step 3's
   refresh, so the copy reads it; any later one is repeated by its writer. A
   writer that looks after step 4's swap finds no migration alias, but finds the
   alias serving another index than the one its write went into, and repeats the
   write there (``repeat_targets``).
3. Refresh the old index, open a point in time on it and copy every document
   with its ``_version`` (``version_type=external``): where a writer has put a
   newer version (or a delete) there already, Elasticsearch refuses the older
   copy (409), which is counted as ``newer`` and skipped. Last writer wins by the
   old index's own version order, in any interleaving.
4. Swap in one ``_aliases`` request: the alias moves to the new index (also as
   its write index) and the migration alias goes away.
5. Restore the new index's refresh and ``gc_deletes``; keep the old index (a way
   back) unless ``delete_old``. Older ways back, left by earlier swaps, are
   deleted (``older_ways_back``): one way back is kept, not every index ever
   swapped out.

An interrupted run leaves the migration alias (writers keep repeating their
writes, harmless); running the reindex again resumes (copying is idempotent),
``abort`` removes the migration alias and the unfinished index.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path

from elasticsearch import Elasticsearch, NotFoundError, helpers

from indexer import admin
from indexer.scan import Snapshot
from indexer.settings import DEFAULT_MAPPINGS_DIR

log = logging.getLogger(__name__)

PAGE_SIZE = 500
COPY_SETTINGS = {"index.refresh_interval": "-1", "index.gc_deletes": "12h"}
RESTORED_SETTINGS = {"index.refresh_interval": None, "index.gc_deletes": None}


class ReindexError(RuntimeError):
    """The reindex cannot start or finish (the message says why)."""


@dataclasses.dataclass
class ReindexReport:
    alias: str
    source: str
    target: str
    version: int
    copied: int = 0
    newer: int = 0           # documents a writer had already replaced or deleted in the target
    source_count: int = 0    # documents in the old index just before the swap
    target_count: int = 0    # documents in the new index after the swap
    seconds: float = 0.0
    deleted_old: bool = False
    deleted_older: list[str] = dataclasses.field(default_factory=list)


def migration_alias(alias: str) -> str:
    return f"{alias}-next"


def migration_target(es: Elasticsearch, alias: str) -> str | None:
    """The index a running reindex of ``alias`` copies into, or None."""
    try:
        indices = es.indices.get_alias(name=migration_alias(alias))
    except NotFoundError:
        return None
    return sorted(indices)[-1] if indices else None


# --- what writers do while a reindex runs --------------------------------------

def repeat_targets(es: Elasticsearch, alias: str, written: str) -> list[str]:
    """The indices in which a write that went through ``alias`` into the index ``written``
    must be repeated (one request, made after the write):

    * the reindex target, while a reindex runs (its migration alias exists);
    * the index the alias serves now, when that is not ``written``: the swap came between
      the write and this look, after the copy had read its snapshot, so neither the copy
      nor a repeat into the migration alias (now gone) carries the write over.
    """
    found = es.indices.get_alias(name=f"{alias}*")   # a wildcard: no 404 when none exists
    targets = sorted(index for index, entry in found.items()
                     if migration_alias(alias) in entry["aliases"])
    serving = [index for index, entry in found.items() if alias in entry["aliases"]]
    write = [index for index in serving if found[index]["aliases"][alias].get("is_write_index")]
    current = sorted(write or serving)[-1:]
    return [index for index in dict.fromkeys(targets[-1:] + current) if index != written]


def mirror_index(es: Elasticsearch, alias: str, docs: dict[str, dict],
                 written: dict[str, tuple[str, int]]) -> None:
    """Repeat writes already made through ``alias`` (id -> doc; id -> the index it went
    into and the version that index gave it) where ``repeat_targets`` says."""
    targets = {index: repeat_targets(es, alias, index)
               for index in {index for index, _ in written.values()}}
    actions = ({"_op_type": "index", "_index": target, "_id": doc_id, "_source": docs[doc_id],
                "version": version, "version_type": "external"}
               for doc_id, (index, version) in written.items() for target in targets[index])
    for ok, item in helpers.streaming_bulk(es, actions, raise_on_error=False, max_retries=0):
        if not ok and item["index"].get("status") != 409:
            raise RuntimeError(f"could not repeat a write in {item['index'].get('_index')}: "
                               f"{item['index'].get('error')}")


def mirror_delete(es: Elasticsearch, alias: str, doc_id: str, written: str,
                  version: int) -> None:
    """Repeat a delete made through ``alias`` (in the index ``written``, at ``version``)
    where ``repeat_targets`` says."""
    for target in repeat_targets(es, alias, written):
        try:
            es.delete(index=target, id=doc_id, version=version, version_type="external")
        except NotFoundError:
            pass   # not copied yet: the delete is still recorded (a tombstone at ``version``)
        except Exception as exc:
            if getattr(exc, "status_code", None) != 409:
                raise


# --- the reindex ----------------------------------------------------------------

def next_mapping(es: Elasticsearch, prefix: str, kind: str = "articles", *,
                 mappings_dir: Path = DEFAULT_MAPPINGS_DIR) -> tuple[int, Path]:
    current = admin.alias_target(es, admin.alias_name(prefix, kind))
    if current is None:
        raise ReindexError(f"alias {admin.alias_name(prefix, kind)!r} does not exist; "
                           f"create the index first (newsarchive create-index)")
    version, path = admin.latest_mapping(mappings_dir, kind)
    if current.version is not None and version <= current.version:
        raise ReindexError(f"{current.alias} is at mapping version {current.version} and "
                           f"the newest file is {path.name}: add {kind}-v{current.version + 1}"
                           f".json to {mappings_dir} first")
    return version, path


def reindex(es: Elasticsearch, prefix: str, kind: str = "articles", *,
            mappings_dir: Path = DEFAULT_MAPPINGS_DIR, delete_old: bool = False,
            page_size: int = PAGE_SIZE,
            progress: Callable[[int], None] | None = None,
            before_swap: Callable[[], None] | None = None) -> ReindexReport:
    """Copy ``kind`` into the index of its next mapping file and swap the alias.
    ``progress(n)`` is called after each page; ``before_swap()`` (tests) just
    before the swap."""
    started = time.monotonic()
    alias = admin.alias_name(prefix, kind)
    version, path = next_mapping(es, prefix, kind, mappings_dir=mappings_dir)
    source = admin.alias_target(es, alias).index
    target = admin.index_name(prefix, version, kind)
    report = ReindexReport(alias=alias, source=source, target=target, version=version)

    open_target(es, alias, target, admin.load_definition(path))
    es.indices.refresh(index=source)

    report.copied, report.newer = _copy(es, source, target, page_size, progress)

    report.source_count, report.target_count, report.deleted_older = swap(
        es, alias, source, target, delete_old=delete_old, before_swap=before_swap)
    report.deleted_old = delete_old
    report.seconds = round(time.monotonic() - started, 2)
    return report


def open_target(es: Elasticsearch, alias: str, target: str, definition: dict) -> None:
    """Create ``target`` from ``definition`` to be filled (``COPY_SETTINGS``), or put those
    settings back on it when it exists (an interrupted run resumes), and point the migration
    alias of ``alias`` at it: from then on writers repeat their writes there."""
    if not es.indices.exists(index=target):
        es.indices.create(index=target, **{**definition, "settings": {
            **definition.get("settings", {}), **COPY_SETTINGS}})
    else:
        log.info("%s exists: resuming", target)
        es.indices.put_settings(index=target, settings=COPY_SETTINGS)
    es.indices.update_aliases(actions=[{"add": {"index": target,
                                                "alias": migration_alias(alias)}}])


def swap(es: Elasticsearch, alias: str, source: str, target: str, *, delete_old: bool,
         before_swap: Callable[[], None] | None = None) -> tuple[int, int, list[str]]:
    """Restore the filled ``target``'s settings and move ``alias`` from ``source`` to it in
    one request (the migration alias goes in the same one); delete ``source`` if
    ``delete_old``, and the older ways back in any case. Returns the document counts of
    ``source`` just before the swap and of ``target`` just after it, and the older ways
    back it deleted."""
    es.indices.put_settings(index=target, settings=RESTORED_SETTINGS)
    if before_swap is not None:
        before_swap()
    # Counted just before the swap (writes made meanwhile are in both indices anyway): counted
    # right after the copy, a write still arriving made the old index look smaller.
    es.indices.refresh(index=source)
    source_count = es.count(index=source)["count"]
    es.indices.update_aliases(actions=[
        {"remove": {"index": source, "alias": alias}},
        {"add": {"index": target, "alias": alias, "is_write_index": True}},
        {"remove": {"index": target, "alias": migration_alias(alias)}},
    ])
    es.indices.refresh(index=target)
    target_count = es.count(index=target)["count"]
    if delete_old:
        es.indices.delete(index=source)
    older = older_ways_back(es, alias, keep={source, target})
    if older:
        es.indices.delete(index=",".join(older))
    return source_count, target_count, older


def older_ways_back(es: Elasticsearch, alias: str, keep: set[str]) -> list[str]:
    """The indices of ``alias``'s kind (``{alias}-v...``) that no alias points to, other
    than ``keep``: ways back that an earlier swap kept, or the target of an aborted run.
    An index a migration alias points to (a run under way) is not one of them."""
    found = es.indices.get_alias(index=f"{alias}-v*", expand_wildcards="open,closed")
    return sorted(name for name, state in found.items()
                  if name not in keep and not state.get("aliases"))


def _copy(es: Elasticsearch, source: str, target: str, page_size: int,
          progress: Callable[[int], None] | None) -> tuple[int, int]:
    copied = newer = 0
    with Snapshot(es, source) as snapshot:
        for hits in snapshot.pages(page_size, version=True):
            actions = ({"_op_type": "index", "_index": target, "_id": hit["_id"],
                        "_source": hit["_source"], "version": hit["_version"],
                        "version_type": "external"} for hit in hits)
            for ok, item in helpers.streaming_bulk(es, actions, raise_on_error=False,
                                                   max_retries=3, chunk_size=page_size):
                if ok:
                    copied += 1
                elif item["index"].get("status") == 409:
                    newer += 1
                else:
                    raise ReindexError(f"copying {item['index'].get('_id')} into {target} "
                                       f"failed: {item['index'].get('error')}")
            if progress is not None:
                progress(copied + newer)
    return copied, newer


def abort(es: Elasticsearch, prefix: str, kind: str = "articles") -> str | None:
    """Stop an unfinished reindex: drop the migration alias and its index (never the
    index the alias serves). Returns the deleted index, or None."""
    alias = admin.alias_name(prefix, kind)
    target = migration_target(es, alias)
    if target is None:
        return None
    current = admin.alias_target(es, alias)
    es.indices.update_aliases(actions=[{"remove": {"index": target,
                                                   "alias": migration_alias(alias)}}])
    if current is None or current.index != target:
        es.indices.delete(index=target)
    return target
