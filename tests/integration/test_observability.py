"""Request ids, the JSON access log and /v1/metrics on the real stack (gunicorn with several
workers, so the metrics must add up across processes)."""

import json
import os
import re
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
HISTOGRAM = "newsarchive_http_request_duration_seconds"


def api_log() -> Path:
    """Where scripts/app.sh sends the API's JSON lines (gunicorn's --error-logfile)."""
    state = os.environ.get("NEWSARCHIVE_STATE_DIR") or \
        ROOT / "var" / os.environ.get("NEWSARCHIVE_PROFILE", "run")
    return Path(state) / "logs" / "api.log"


def scrape(api) -> dict:
    response = api.get("/v1/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return {family.name: family for family in text_string_to_metric_families(response.text)}


def value(families: dict, family: str, sample: str, **labels) -> float:
    return sum(s.value for s in families[family].samples
               if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items()))


@pytest.mark.parametrize(("path", "status"), [
    ("/v1/search?q=Nordkorea", 200), ("/v1/search?sizze=1", 400), ("/v1/nowhere", 404)])
def test_request_ids_are_echoed_given_or_generated(api, token, path, status):
    given = api.get(path, headers={"X-Request-ID": f"it.{token}"})
    assert given.status_code == status
    assert given.headers["X-Request-ID"] == f"it.{token}"
    generated = api.get(path, headers={"X-Request-ID": "not a sane id"})
    assert generated.status_code == status
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["X-Request-ID"])


def test_latency_histogram_counts_searches_under_their_route_across_workers(api):
    labels = {"method": "GET", "route": "/v1/search", "status": "2xx"}
    count = f"{HISTOGRAM}_count"
    before = scrape(api)
    for _ in range(6):      # spread over the gunicorn workers; any of them answers the scrape
        assert api.get("/v1/search", params={"q": "Nordkorea"}).status_code == 200
    after = scrape(api)
    assert value(after, HISTOGRAM, count, **labels) - value(before, HISTOGRAM, count, **labels) == 6
    assert value(after, HISTOGRAM, f"{HISTOGRAM}_bucket", le="+Inf", **labels) == \
        value(after, HISTOGRAM, count, **labels)
    assert value(after, "newsarchive_http_requests", "newsarchive_http_requests_total", **labels) == \
        value(after, HISTOGRAM, count, **labels)
    kinds = {s.labels["kind"] for s in after["newsarchive_elasticsearch_errors"].samples}
    assert kinds >= {"unavailable", "rejected", "timeout"}


def test_ingest_counts_grow_and_queue_depth_is_there(api, token):
    indexed = ("newsarchive_ingest_articles", "newsarchive_ingest_articles_total")
    before = scrape(api)
    assert value(before, "newsarchive_redis_up", "newsarchive_redis_up") == 1
    assert value(before, "newsarchive_ingest_queue_depth", "newsarchive_ingest_queue_depth") >= 0
    response = api.post("/v1/articles", json={"text": f"Metriken zählen diesen Artikel {token}."})
    assert response.status_code == 202, response.text
    assert api.wait_for_job(response.json()["job_id"])["counts"]["indexed"] == 1
    after = scrape(api)
    assert value(after, *indexed, outcome="indexed") >= value(before, *indexed, outcome="indexed") + 1


def test_the_api_log_has_a_json_access_line_with_the_request_id_and_no_key(api, token):
    path = api_log()
    if not path.exists():
        pytest.fail(f"{path} does not exist: the API was not started by scripts/app.sh here")
    request_id = f"log.{token}"
    response = api.get("/v1/search", params={"q": token, "cursor": "C" * 300},
                       headers={"X-Request-ID": request_id})
    assert response.headers["X-Request-ID"] == request_id
    deadline = time.monotonic() + 5
    while True:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = [json.loads(line) for line in text.splitlines() if request_id in line]
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    access = [line for line in lines if line["logger"] == "api.requests"]
    assert len(access) == 1, lines
    [line] = access
    assert line["route"] == "/v1/search" and line["status"] == response.status_code
    assert line["method"] == "GET" and line["duration_ms"] >= 0 and line["ts"].endswith("Z")
    assert "C" * 20 not in line["query"] and token in line["query"]
    key = api.headers["Authorization"].split()[-1]
    assert key not in text
