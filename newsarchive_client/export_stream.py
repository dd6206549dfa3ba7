"""An export answer read as it streams, with the completeness check of ``/v1/export``.

The API announces the export's size in ``X-Total-Count`` and sends it chunked; a stream cut
short (the server failing mid-way, the connection lost) has no final chunk and fewer rows
(api/export.py). Reading to the end therefore either yields exactly ``total`` rows or raises
``IncompleteExport``: a researcher never analyses a silently truncated export.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import requests
import urllib3

from newsarchive_client.errors import IncompleteExport

STREAM_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


class ExportStream:
    """Rows of one export: NDJSON rows as dicts, CSV rows as dicts of text (lists joined
    by "; "; ``excel``: as Excel shows them, with the ``'`` before a formula-like cell).
    ``total``: the rows the export has; ``received``: the rows read so far."""

    def __init__(self, response: requests.Response, format: str):
        self.response, self.format = response, format
        count = response.headers.get("X-Total-Count")
        self.total = int(count) if count is not None and count.isdigit() else None
        self.received = 0

    def __iter__(self) -> Iterator[dict]:
        return self.rows()

    def __enter__(self) -> ExportStream:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.response.close()

    def rows(self, sink: Callable[[str], object] | None = None) -> Iterator[dict]:
        """The rows; ``sink`` is given every line of text as it arrives (``save_stream``
        writes them to the file). Raises ``IncompleteExport`` at the end when rows are
        missing."""
        lines = self._lines()
        if sink is not None:
            lines = _passing(lines, sink)
        try:
            if self.format in ("csv", "excel"):
                reader = csv.reader(lines, delimiter=";" if self.format == "excel" else ",")
                header = next(reader, None) or []
                if header:     # excel: the byte-order mark before the first name
                    header[0] = header[0].lstrip("\ufeff")
                for record in reader:
                    self.received += 1
                    yield dict(zip(header, record, strict=False))
            else:
                for line in lines:
                    if not line.endswith("\n"):
                        raise IncompleteExport(self.received, self.total, "the last row is cut")
                    self.received += 1
                    yield json.loads(line)
        finally:
            self.close()
        if self.total is not None and self.received != self.total:
            raise IncompleteExport(self.received, self.total)

    def _lines(self) -> Iterator[str]:
        self.response.raw.decode_content = True
        text = io.TextIOWrapper(self.response.raw, encoding="utf-8", newline="")
        try:
            yield from text
        except STREAM_ERRORS as exc:
            raise IncompleteExport(self.received, self.total, type(exc).__name__) from exc


def _passing(lines: Iterator[str], sink: Callable[[str], object]) -> Iterator[str]:
    for line in lines:
        sink(line)
        yield line


def save_stream(stream: ExportStream, path: str | os.PathLike) -> int:
    """``stream`` written to ``path`` as sent (through ``path.part``, renamed when complete;
    removed when not): the number of rows."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            for _ in stream.rows(sink=out.write):
                pass
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return stream.received
