"""Schemathesis over the committed openapi.yaml against the running API: every
operation gets generated valid and invalid requests, and none may answer 5xx or
break its own documented contract (status codes, content types, response
schemas). ``make test`` runs a bounded sample (``NEWSARCHIVE_FUZZ_EXAMPLES``
examples per operation and mode, default 20); ``make fuzz`` runs many more and
prints the counts (``NEWSARCHIVE_FUZZ_REPORT``: file for the count of requests by
status)."""

from __future__ import annotations

import collections
import json
import os
from pathlib import Path

import pytest
import schemathesis
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    negative_data_rejection,
    positive_data_acceptance,
)

from indexer.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("NEWSARCHIVE_FUZZ_EXAMPLES", "20"))
BASE_URL = (os.environ.get("NEWSARCHIVE_API_URL")
            or f"http://127.0.0.1:{Settings.from_env().api_port}").rstrip("/")

schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml")
schema.config.update(base_url=BASE_URL, request_timeout=60)
# An over-long URL is a 414 (api/__init__.py), a valid way to reject invalid data too.
schema.config.checks.negative_data_rejection.expected_statuses = [
    *schema.config.checks.negative_data_rejection.expected_statuses, "413", "414"]
schema.config.generation.update(max_examples=EXAMPLES, database="none",
                                modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@schemathesis.serializer("application/x-ndjson")
def ndjson_body(ctx, value) -> bytes:
    """The bulk body is documented as text (NDJSON lines); anything else generated for it
    is sent as its JSON text."""
    return value.encode("utf-8") if isinstance(value, str) else json.dumps(value).encode("utf-8")


CALLS: collections.Counter = collections.Counter()


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    if path := os.environ.get("NEWSARCHIVE_FUZZ_REPORT"):
        Path(path).write_text(json.dumps({"requests": sum(CALLS.values()),
                                          "by_status": dict(sorted(CALLS.items()))}, indent=1))


@schema.parametrize()
def test_generated_requests_get_no_5xx_and_match_the_document(case, stack, api_key):
    # With the run's key, so the write endpoints are exercised beyond their 401.
    response = case.call(headers={"Authorization": f"Bearer {api_key}"})
    CALLS[str(response.status_code)] += 1
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}")
    case.validate_response(response, excluded_checks=excluded_checks(case))


def excluded_checks(case) -> list:
    """Checks that cannot hold for this API, and why:
    * positive_data_acceptance: a schema-valid request may still be a 400 for rules a
      JSON schema does not express: the query syntax of ``q`` ("(Kim"), signed cursors,
      ``published_from`` after ``published_to``, both ``text`` and ``html``.
    * allow_header_conformance: Flask answers OPTIONS (CORS preflights need it) with
      the methods of every route the path matches: ``/v1/articles/bulk`` also matches
      ``/v1/articles/{id}`` (GET/DELETE of an article named "bulk", a 404).
    * negative_data_rejection for a raw text/plain or text/html article body: any text
      is an article, so no "wrong type" exists for it (the JSON body's types are checked).
    """
    checks = [positive_data_acceptance, allow_header_conformance]
    if (case.media_type or "").startswith("text/"):
        checks.append(negative_data_rejection)
    return checks
