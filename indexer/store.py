"""Reading and writing article documents. Every function takes the client.

Writes go through the alias with ``require_alias=true``: if the alias is missing
Elasticsearch refuses the write instead of auto-creating an index with a guessed
mapping under the alias's name. While a reindex runs (and when its swap comes between a
write and the writer's look), every write and delete is then repeated in the new index
(``indexer/reindex.py``), so none is lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from indexer import reindex

# Per-document bulk statuses worth retrying (the cluster is busy or briefly unable).
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


class RetryableIndexError(Exception):
    """Elasticsearch could not take (some of) a batch now; try the batch again."""


@dataclasses.dataclass
class BulkResult:
    indexed: list[str]
    failed: dict[str, str]  # document id -> reason
    # Ids written only if unchanged (``expected``) that had changed or gone: not written.
    superseded: list[str] = dataclasses.field(default_factory=list)


def bulk_index(es: Elasticsearch, alias: str, docs: Iterable[dict], *,
               refresh: str = "false", chunk_size: int = 500,
               expected: dict[str, tuple[int, int]] | None = None) -> BulkResult:
    """Index documents by their ``id``; an existing document is overwritten.

    ``expected``: id -> (seq_no, primary_term) of the stored document that a document
    replaces (a re-enrichment): it is written only if that document is still there
    unchanged; otherwise it is left out and listed in ``superseded``.

    Raises ``RetryableIndexError`` when any document failed for a transient
    reason (or the alias is missing), connection errors propagate; both mean
    "run the whole batch again", which is safe because ids are deterministic.
    """
    docs = list(docs)
    expected = expected or {}
    actions = ({"_op_type": "index", "_index": alias, "_id": doc["id"], "_source": doc,
                **_condition(expected.get(doc["id"]))} for doc in docs)
    indexed: list[str] = []
    superseded: list[str] = []
    written: dict[str, tuple[str, int]] = {}   # id -> (index, version)
    failed: dict[str, str] = {}
    transient: list[str] = []
    try:
        outcomes = list(helpers.streaming_bulk(
            es, actions, chunk_size=chunk_size, raise_on_error=False, raise_on_exception=True,
            max_retries=0, require_alias=True, refresh=refresh))
    except ApiError as exc:
        if exc.status_code in RETRYABLE_STATUSES:
            raise RetryableIndexError(f"bulk request refused: {exc}") from exc
        raise
    for ok, item in outcomes:
        result = item["index"]
        if ok:
            indexed.append(result["_id"])
            written[result["_id"]] = (result["_index"], result["_version"])
            continue
        error = result.get("error") or {}
        reason = _reason(error)
        if result.get("status") == 409 and result["_id"] in expected:
            superseded.append(result["_id"])
        elif result.get("status") in RETRYABLE_STATUSES or _alias_missing(error):
            transient.append(f"{result['_id']}: {reason}")
        else:
            failed[result["_id"]] = reason
    if transient:
        raise RetryableIndexError("; ".join(transient[:3]))
    try:
        if written:
            reindex.mirror_index(es, alias, {doc["id"]: doc for doc in docs}, written)
    except Exception as exc:
        raise RetryableIndexError(f"could not repeat the batch in the reindex target: {exc}") \
            from exc
    return BulkResult(indexed=indexed, failed=failed, superseded=superseded)


def _condition(version: tuple[int, int] | None) -> dict:
    if version is None:
        return {}
    seq_no, primary_term = version
    return {"if_seq_no": seq_no, "if_primary_term": primary_term}


def get_article(es: Elasticsearch, alias: str, article_id: str) -> dict | None:
    try:
        return es.get(index=alias, id=article_id)["_source"]
    except NotFoundError as exc:
        if _is_missing_index(exc):
            raise
        return None


def delete_article(es: Elasticsearch, alias: str, article_id: str, *,
                   refresh: str = "false") -> bool:
    """True when the article existed and is gone."""
    try:
        response = es.delete(index=alias, id=article_id, refresh=refresh)
    except NotFoundError as exc:
        if _is_missing_index(exc):
            raise
        return False
    reindex.mirror_delete(es, alias, article_id, response["_index"], response["_version"])
    return True


def _reason(error) -> str:
    if isinstance(error, dict):
        text = f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
        cause = error.get("caused_by")
        return f"{text} (caused by {_reason(cause)})" if isinstance(cause, dict) else text
    return str(error)


def _alias_missing(error) -> bool:
    return isinstance(error, dict) and error.get("type") == "index_not_found_exception"


def _is_missing_index(exc: NotFoundError) -> bool:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    return isinstance(error, dict) and error.get("type") == "index_not_found_exception"
