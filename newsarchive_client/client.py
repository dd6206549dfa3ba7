"""``Client``: the API from Python, for researchers' scripts and notebooks.

    from newsarchive_client import Client
    api = Client("http://127.0.0.1:8000")              # key: api_key= or NEWSARCHIVE_API_KEY
    page = api.search("Kim Putin", person="Wladimir Putin", facets=["outlets", "published"])
    for result in api.search_all("Nordkorea", published_from="2023-08-01"):
        print(result["title"])
    rows = api.save_export("kim.csv", "Kim", format="csv")

Search parameters are passed through as keyword arguments, so the API's schema stays their
one definition: a misspelt ``persn=`` comes back as ``BadRequest`` saying "did you mean
'person'?". Lists are sent as repeated parameters (``place=["USA", "Russland"]``: all must
match), ``facets`` and ``fields`` as comma lists, dates as ISO dates, ``None`` is left out.

Errors are exceptions of ``newsarchive_client.errors`` carrying the API's envelope.
A 429 or 503 is waited out and sent again (``retries`` times, when its ``Retry-After`` is at
most ``max_wait`` seconds), as is a connection that fails; re-sending an article is safe, the
API overwrites it by its id. ``search_all`` follows ``next_cursor`` through every page,
``export`` and ``save_export`` stream an export and check that every row arrived.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import requests

from newsarchive_client import errors
from newsarchive_client.export_stream import ExportStream, save_stream

DEFAULT_URL = "http://127.0.0.1:8000"
USER_AGENT = "newsarchive-client/0.1"
COMMA_LISTS = ("facets", "fields")     # the API's comma-separated parameters
BULK_ARTICLES = 1_000                  # articles per bulk request of submit_many
BULK_BYTES = 32 * 1024 * 1024          # and at most this many bytes (the API takes 100 MiB)
BACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0)


def query_params(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Keyword arguments -> query parameters, in order: ``None`` left out, lists repeated
    (comma-joined for ``COMMA_LISTS``), dates ISO, booleans ``true``/``false``."""
    out: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            values = [_text(v) for v in value]
            if name in COMMA_LISTS:
                out.append((name, ",".join(values)))
            else:
                out.extend((name, v) for v in values)
        else:
            out.append((name, _text(value)))
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def ndjson_batches(articles: Iterable[Mapping[str, Any]], batch_size: int) -> Iterator[bytes]:
    """NDJSON bodies of at most ``batch_size`` articles and ``BULK_BYTES`` bytes each (an
    article larger than that alone makes a body, and the API answers it)."""
    lines: list[bytes] = []
    size = 0
    for article in articles:
        line = json.dumps(dict(article), ensure_ascii=False).encode("utf-8") + b"\n"
        if lines and (len(lines) >= batch_size or size + len(line) > BULK_BYTES):
            yield b"".join(lines)
            lines, size = [], 0
        lines.append(line)
        size += len(line)
    if lines:
        yield b"".join(lines)


def backoff_seconds(attempt: int) -> float:
    return BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)]


class Client:
    def __init__(self, url: str | None = None, api_key: str | None = None, *,
                 timeout: float = 60.0, retries: int = 3, max_wait: float = 60.0,
                 session: requests.Session | None = None):
        self.url = (url or os.environ.get("NEWSARCHIVE_API_URL") or DEFAULT_URL).rstrip("/")
        self.timeout, self.retries, self.max_wait = timeout, retries, max_wait
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        key = api_key if api_key is not None else os.environ.get("NEWSARCHIVE_API_KEY")
        if key:
            self.session.headers["Authorization"] = f"Bearer {key}"

    # --- HTTP ---------------------------------------------------------------------------

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                stream: bool = False, **kwargs) -> requests.Response:
        """One call, sent again after a 429/503 or a failed connection (see the module
        note); an error answer raises its ``ApiError``."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.session.request(
                    method, self.url + path, params=query_params(params or {}),
                    timeout=self.timeout, stream=stream, **kwargs)
            except (requests.ConnectionError, requests.Timeout):
                if last:
                    raise
                time.sleep(backoff_seconds(attempt))
                continue
            if response.status_code < 400:
                return response
            error = errors.from_answer(response.status_code, response.headers, response.content)
            wait = backoff_seconds(attempt) if error.retry_after is None else error.retry_after
            if (last or not isinstance(error, errors.RateLimited | errors.Unavailable)
                    or wait > self.max_wait):
                raise error
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _json(self, method: str, path: str, **kwargs) -> Any:
        return self.request(method, path, **kwargs).json()

    # --- search -------------------------------------------------------------------------

    def search(self, q: str | None = None, **params) -> dict:
        """One page of ``GET /v1/search``: ``{"total", "results", "facets", "next_cursor"}``."""
        return self._json("GET", "/v1/search", params={"q": q, **params})

    def pages(self, q: str | None = None, **params) -> Iterator[dict]:
        """Every page of a search, following ``next_cursor`` (no 10,000 limit; pages
        neither repeat nor skip an article while new ones arrive)."""
        return self._pages("/v1/search", {"q": q, **params})

    def _pages(self, path: str, params: dict) -> Iterator[dict]:
        cursor = params.pop("cursor", None)
        while True:
            page = self._json("GET", path, params={**params, "cursor": cursor})
            yield page
            cursor = page.get("next_cursor")
            if not cursor:
                return

    def search_all(self, q: str | None = None, *, size: int = 100, **params) -> Iterator[dict]:
        """Every result of a search, page after page (``size`` per request)."""
        for page in self.pages(q, size=size, **params):
            yield from page["results"]

    def export(self, q: str | None = None, *, format: str = "ndjson",
               **params) -> ExportStream:
        """``GET /v1/export`` as a stream of rows (dicts; CSV values as text). Iterate it
        to the end: it raises ``IncompleteExport`` when rows are missing. ``total`` is the
        number of rows the export has."""
        response = self.request("GET", "/v1/export", stream=True,
                                params={"q": q, "format": format, **params})
        return ExportStream(response, format)

    def save_export(self, path: str | os.PathLike, q: str | None = None, *,
                    format: str = "csv", **params) -> int:
        """An export written to ``path`` as the API sends it; the number of rows. The file
        appears only when every row arrived (``IncompleteExport`` otherwise)."""
        return save_stream(self.export(q, format=format, **params), path)

    # --- articles, entities, jobs --------------------------------------------------------

    def article(self, article_id: str) -> dict:
        return self._json("GET", f"/v1/articles/{article_id}")

    def delete_article(self, article_id: str) -> None:
        self.request("DELETE", f"/v1/articles/{article_id}")

    def entities(self, q: str | None = None, **params) -> dict:
        """``GET /v1/entities``: entities whose name or alias starts with ``q`` (else, with
        ``"fuzzy": true``, those spelt like it); without ``q``, one A-Z page of all."""
        return self._json("GET", "/v1/entities", params={"q": q, **params})

    def all_entities(self, q: str | None = None, *, size: int = 50,
                     **params) -> Iterator[dict]:
        """Every entity (``type=person`` ...; whose name or alias starts with ``q``), A-Z,
        page after page."""
        for page in self._pages("/v1/entities", {"q": q, "sort": "name", "size": size,
                                                 **params}):
            yield from page["results"]

    def entity(self, entity_id: str, **params) -> dict:
        return self._json("GET", f"/v1/entities/{entity_id}", params=params)

    def submit(self, article: Mapping[str, Any] | str, *, html: bool = False) -> dict:
        """``POST /v1/articles``: a dict as JSON (``text`` or ``html``, ``title``, ``url``,
        ``external_id``, ...), a str as the raw text (``html=True``: raw HTML).
        ``{"job_id", "article_id"}``."""
        if isinstance(article, str):
            kind = "text/html" if html else "text/plain"
            return self._json("POST", "/v1/articles", data=article.encode("utf-8"),
                              headers={"Content-Type": f"{kind}; charset=utf-8"})
        return self._json("POST", "/v1/articles", json=dict(article))

    def submit_many(self, articles: Iterable[Mapping[str, Any]], *,
                    batch_size: int = BULK_ARTICLES) -> list[str]:
        """Articles sent as NDJSON through ``POST /v1/articles/bulk``, ``batch_size`` (and at
        most ``BULK_BYTES``) per request: the job ids, one per request."""
        return [self._json("POST", "/v1/articles/bulk", data=body,
                           headers={"Content-Type": "application/x-ndjson"})["job_id"]
                for body in ndjson_batches(articles, batch_size)]

    def job(self, job_id: str) -> dict:
        return self._json("GET", f"/v1/jobs/{job_id}")

    def retry_job(self, job_id: str) -> dict:
        """Re-queue a job's failed articles: ``{"job_id", "requeued"}``."""
        return self._json("POST", f"/v1/jobs/{job_id}/retry")

    def wait(self, job_id: str, *, timeout: float = 600.0, poll: float = 0.5) -> dict:
        """The job once nothing of it is pending (state ``completed`` or
        ``completed_with_errors``; failed articles are in ``errors``)."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if job["counts"]["pending"] == 0:
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still has {job['counts']['pending']} "
                                   f"pending articles after {timeout:g} s")
            time.sleep(poll)

    def health(self) -> dict:
        return self._json("GET", "/v1/health")
