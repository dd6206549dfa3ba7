"""Fixtures shared by unit and integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from indexer.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# No per-example deadline: a busy 2-core CI machine must not turn slowness into failures.
hypothesis_settings.register_profile("newsarchive", deadline=None)
hypothesis_settings.load_profile("newsarchive")

# Backends on a closed port: a unit test that reaches for Elasticsearch, Redis or NER gets
# "connection refused" at once (and the API its 503), never a hang or a real service.
UNREACHABLE = Settings(es_url="http://127.0.0.1:9", redis_url="redis://127.0.0.1:9/0",
                       ner_url="http://127.0.0.1:9",
                       index_prefix="unit-newsarchive", es_timeout=2.0)


@pytest.fixture
def unit_settings() -> Settings:
    return UNREACHABLE


@pytest.fixture
def app(unit_settings):
    from api import create_app
    return create_app({"TESTING": True, "NEWSARCHIVE_SETTINGS": unit_settings})


UNIT_KEY = "unit-test-key"


@pytest.fixture
def client(app, monkeypatch):
    """A test client that sends an admin key; the key store (Redis) is stubbed to know
    only that key (tests/integration/test_access.py tests the real one)."""
    from api import access
    from indexer.api_keys import ApiKey
    admin = ApiKey(id="000000000000", name="unit tests", scope="admin", created="")
    monkeypatch.setattr(access.api_keys, "verify",
                        lambda r, prefix, token: admin if token == UNIT_KEY else None)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {UNIT_KEY}"
    return client


@pytest.fixture
def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))
