"""Fixtures for tests against the real stack (Elasticsearch, Redis, Celery worker, API).

Services are found through the same ``NEWSARCHIVE_*`` variables the stack uses
(``scripts/config.sh`` exports them for ``make test``), plus ``NEWSARCHIVE_API_URL``
(default ``http://127.0.0.1:$NEWSARCHIVE_API_PORT``). A service that cannot be
reached is a test *failure*, never a skip. The index prefix must start with
``test-``, so these tests never write into a stack that serves users.

``NEWSARCHIVE_TEST_PLAIN_ANALYSIS=1`` creates the index with the analysis section
replaced by standard analyzers: for a bare Elasticsearch node without our analysis
plugin (a developer's quick check). ``make test`` does not set it.
"""

from __future__ import annotations

import copy
import json
import os
import time
import uuid

import pytest
import requests

from indexer import admin, api_keys
from indexer.clients import elasticsearch_client, redis_client
from indexer.settings import Settings
from indexer.worker import make_celery

JOB_TIMEOUT = 60.0


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def settings() -> Settings:
    settings = Settings.from_env()
    if not settings.index_prefix.startswith("test-"):
        pytest.fail(f"NEWSARCHIVE_INDEX_PREFIX={settings.index_prefix!r}: integration tests "
                    f"need a prefix starting with 'test-' (make test sets test-newsarchive)")
    return settings


@pytest.fixture(scope="session")
def es(settings):
    client = elasticsearch_client(settings)
    try:
        status = client.options(request_timeout=10).cluster.health()["status"]
    except Exception as exc:  # noqa: BLE001 - any failure to reach it fails the run
        pytest.fail(f"Elasticsearch at {settings.es_url} unreachable: {exc}")
    if status == "red":
        pytest.fail(f"Elasticsearch at {settings.es_url} is red")
    return client


@pytest.fixture(scope="session")
def redis_conn(settings):
    client = redis_client(settings)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"Redis at {settings.redis_url} unreachable: {exc}")
    return client


@pytest.fixture(scope="session")
def celery_app(settings, redis_conn):
    return make_celery(settings)


@pytest.fixture(scope="session")
def worker(celery_app):
    replies = celery_app.control.ping(timeout=10.0, limit=1)
    if not replies:
        pytest.fail("no Celery worker answered a ping (is `celery -A indexer.worker worker` "
                    "running with the same NEWSARCHIVE_REDIS_URL?)")
    return sorted(name for reply in replies for name in reply)


def plain_analysis(definition: dict) -> dict:
    """The index definition with every analyzer standard: for a bare node only."""
    definition = copy.deepcopy(definition)
    analysis = definition["settings"].pop("analysis", {})
    definition["settings"]["analysis"] = {
        "analyzer": {name: {"type": "standard"} for name in analysis.get("analyzer", {})},
        "normalizer": {name: {"type": "custom", "filter": ["lowercase"]}
                       for name in analysis.get("normalizer", {})},
    }
    return definition


@pytest.fixture(scope="session")
def articles_index(es, settings) -> admin.IndexState:
    """The articles index (returned) and the entities index, behind their aliases."""
    definitions = {}
    if os.environ.get("NEWSARCHIVE_TEST_PLAIN_ANALYSIS") == "1":
        for kind in admin.KINDS:
            _, path = admin.latest_mapping(settings.mappings_dir, kind)
            definitions[kind] = plain_analysis(admin.load_definition(path))
    return admin.ensure_indices(es, settings.index_prefix, mappings_dir=settings.mappings_dir,
                                definitions=definitions)["articles"]


@pytest.fixture(scope="session")
def api_url(settings) -> str:
    return (os.environ.get("NEWSARCHIVE_API_URL") or f"http://127.0.0.1:{settings.api_port}").rstrip("/")


@pytest.fixture(scope="session")
def stack(es, redis_conn, worker, articles_index, api_url):
    """Everything up: ES, Redis, a worker that answers, the index, the API healthy."""
    deadline = time.monotonic() + 30
    last = None
    while time.monotonic() < deadline:
        try:
            last = requests.get(f"{api_url}/v1/health", timeout=5)
            if last.status_code == 200:
                return api_url
        except requests.RequestException as exc:
            last = exc
        time.sleep(0.5)
    pytest.fail(f"API at {api_url} not healthy: "
                f"{getattr(last, 'text', last)}")


@pytest.fixture(scope="session")
def api_key(redis_conn, settings) -> str:
    """An admin key for the whole run (writes, deletes and jobs need one)."""
    token, _ = api_keys.create(redis_conn, settings.redis_prefix, "integration tests", "admin")
    return token


@pytest.fixture
def api(stack, api_key):
    """A requests session bound to the API that sends the run's key: ``api.get("/v1/...")``."""
    return _Api(stack, api_key)


@pytest.fixture(scope="session")
def session_api(stack, api_key):
    """The same for session- and module-scoped fixtures."""
    return _Api(stack, api_key)


class _Api(requests.Session):
    def __init__(self, base: str, key: str | None = None):
        super().__init__()
        self.base = base
        if key:
            self.headers["Authorization"] = f"Bearer {key}"

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base + url, *args, **kwargs)

    def send_bulk(self, articles: list[dict]) -> str:
        """POST the articles as NDJSON to /v1/articles/bulk; the job id of the 202."""
        body = "\n".join(json.dumps(a) for a in articles) + "\n"
        response = self.post("/v1/articles/bulk", data=body.encode(),
                             headers={"Content-Type": "application/x-ndjson"})
        assert response.status_code == 202, response.text
        return response.json()["job_id"]

    def wait_for_job(self, job_id: str, timeout: float = JOB_TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(f"/v1/jobs/{job_id}").json()
            if job["counts"]["pending"] == 0:
                return job
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} not done after {timeout} s: {job}")
            time.sleep(0.2)


@pytest.fixture
def token() -> str:
    """A word no other article contains, to find this test's articles."""
    return "zq" + uuid.uuid4().hex[:10]
