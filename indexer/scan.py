"""Reading every document of an index from one point in time, page by page."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from elasticsearch import Elasticsearch

log = logging.getLogger(__name__)

KEEP_ALIVE = "5m"
MATCH_ALL = {"match_all": {}}


class Snapshot:
    """A point in time on ``index``: ``total()`` documents, read by ``pages()`` in
    ``_shard_doc`` order. Use as a context manager; the PIT is closed on exit."""

    def __init__(self, es: Elasticsearch, index: str, *, keep_alive: str = KEEP_ALIVE):
        self.es, self.keep_alive = es, keep_alive
        self.pit_id = es.open_point_in_time(index=index, keep_alive=keep_alive)["id"]

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.es.close_point_in_time(id=self.pit_id)
        except Exception as error:  # noqa: BLE001 - it expires after keep_alive anyway
            log.warning("could not close a point in time: %s", error)

    def _search(self, body: dict) -> dict:
        raw = self.es.search(body={**body, "pit": {"id": self.pit_id,
                                                   "keep_alive": self.keep_alive}})
        self.pit_id = raw.get("pit_id") or self.pit_id
        return raw

    def total(self, query: dict | None = None) -> int:
        """The number of documents in the snapshot (matching ``query``), exact."""
        return self._search({"size": 0, "track_total_hits": True,
                             "query": query or MATCH_ALL})["hits"]["total"]["value"]

    def pages(self, page_size: int, query: dict | None = None,
              **options) -> Iterator[list[dict]]:
        """The hit of every document (matching ``query``), ``page_size`` at a time;
        ``options`` go into each search body (``version=True``, ``_source=[...]``,
        ``seq_no_primary_term=True``)."""
        search_after = None
        while True:
            body = {"size": page_size, "sort": [{"_shard_doc": "asc"}],
                    "query": query or MATCH_ALL, **options}
            if search_after is not None:
                body["search_after"] = search_after
            hits = self._search(body)["hits"]["hits"]
            if not hits:
                return
            yield hits
            search_after = hits[-1]["sort"]
