"""API keys and rate limits (api/access.py, indexer/api_keys.py) on the real stack, and
with an in-process app on the real Redis where a setting must differ from the stack's."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
import requests
from click.testing import CliRunner

from api import create_app
from indexer import api_keys
from indexer.cli import main as cli


@pytest.fixture
def new_key(redis_conn, settings):
    made = []

    def make(scope="write", rate_limit=None):
        token, record = api_keys.create(redis_conn, settings.redis_prefix,
                                        f"test {uuid.uuid4().hex[:6]}", scope,
                                        rate_limit=rate_limit)
        made.append(record.id)
        return token, record
    yield make
    for key_id in made:
        api_keys.revoke(redis_conn, settings.redis_prefix, key_id)


def _error(response, status):
    body = response.json() if callable(response.json) else response.json  # requests or Flask
    assert response.status_code == status, body
    return body["error"]


ARTICLE = {"text": "Kurzmeldung über das Wetter in Hamburg.", "external_id": "access-test"}


def test_writes_need_a_key_and_401_says_how(stack):
    response = requests.post(f"{stack}/v1/articles", json=ARTICLE, timeout=30)
    error = _error(response, 401)
    assert error["code"] == "missing_api_key" and "Authorization: Bearer" in error["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    for method, path in (("DELETE", "/v1/articles/0000000000000000dead"),
                         ("GET", "/v1/jobs/00000000000000000000000000000000"),
                         ("POST", "/v1/jobs/00000000000000000000000000000000/retry"),
                         ("POST", "/v1/articles/bulk")):
        assert requests.request(method, f"{stack}{path}", timeout=30).status_code == 401


@pytest.mark.parametrize("header, code", [
    ("Basic dXNlcjpwdw==", "invalid_authorization"),
    ("Bearer", "invalid_authorization"),
    ("Bearer nak_000000000000_" + "A" * 43, "invalid_api_key"),
    ("Bearer not-a-key", "invalid_api_key"),
])
def test_malformed_or_unknown_keys_are_401(stack, header, code):
    response = requests.post(f"{stack}/v1/articles", json=ARTICLE, timeout=30,
                             headers={"Authorization": header})
    assert _error(response, 401)["code"] == code


def test_a_key_works_until_revoked_and_is_stored_hashed(stack, redis_conn, settings, new_key):
    token, record = new_key("write")
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.post(f"{stack}/v1/articles", json=ARTICLE, headers=headers, timeout=30)
    assert response.status_code == 202, response.text
    job = requests.get(f"{stack}/v1/jobs/{response.json()['job_id']}", headers=headers, timeout=30)
    assert job.status_code == 200
    stored = redis_conn.hgetall(f"{settings.redis_prefix}:apikey:{record.id}")
    secret = token.split("_", 2)[2]   # "nak_<id>_<secret>"; the secret may hold "_" itself
    assert stored and not any(secret in str(value) for value in stored.values())
    api_keys.revoke(redis_conn, settings.redis_prefix, record.id)
    response = requests.post(f"{stack}/v1/articles", json=ARTICLE, headers=headers, timeout=30)
    assert _error(response, 401)["code"] == "invalid_api_key"


def test_a_key_without_the_scope_is_403(stack, new_key):
    token, record = new_key("read")
    response = requests.post(f"{stack}/v1/articles", json=ARTICLE, timeout=30,
                             headers={"Authorization": f"Bearer {token}"})
    error = _error(response, 403)
    assert error["code"] == "insufficient_scope" and record.id in error["message"]
    assert error["details"] == {"required_scope": "write", "key_scope": "read"}


def test_reads_are_public_but_a_sent_key_is_checked(stack):
    assert requests.get(f"{stack}/v1/search", params={"q": "Kim"}, timeout=30).status_code == 200
    response = requests.get(f"{stack}/v1/search", params={"q": "Kim"}, timeout=30,
                            headers={"Authorization": "Bearer nak_000000000000_" + "B" * 43})
    assert response.status_code == 401
    assert requests.get(f"{stack}/v1/health", timeout=30).status_code == 200


def test_keys_never_reach_the_logs(stack, new_key, settings):
    import os
    from pathlib import Path
    token, _ = new_key("write")
    requests.post(f"{stack}/v1/articles", json={"text": ""}, timeout=30,
                  headers={"Authorization": f"Bearer {token}"})
    requests.post(f"{stack}/v1/articles", json={}, timeout=30,
                  headers={"Authorization": f"Bearer {token}x"})
    logs = Path(os.environ.get("NEWSARCHIVE_STATE_DIR", "var/test")) / "logs"
    files = list(logs.glob("*.log"))
    assert files, f"no log files in {logs}"
    secret = token.split("_", 2)[2]   # "nak_<id>_<secret>"; the secret may hold "_" itself
    for path in files:
        assert secret not in path.read_text(errors="replace"), path


def test_the_openapi_document_declares_the_scheme(stack):
    spec = requests.get(f"{stack}/openapi.json", timeout=30).json()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    post = spec["paths"]["/v1/articles"]["post"]
    assert post["security"] == [{"bearerAuth": []}] and "401" in post["responses"]
    assert "security" not in spec["paths"]["/v1/search"]["get"]


# --- rate limits ------------------------------------------------------------------------

def test_a_key_over_its_limit_gets_429_that_explains_itself(stack, new_key):
    token, record = new_key("read", rate_limit="3/60s")
    other, _ = new_key("read")
    headers = {"Authorization": f"Bearer {token}"}
    remaining = []
    for _ in range(3):
        response = requests.get(f"{stack}/v1/search", params={"q": "Kim"}, headers=headers,
                                timeout=30)
        assert response.status_code == 200
        remaining.append(int(response.headers["RateLimit-Remaining"]))
        assert response.headers["RateLimit-Limit"] == "3"
        assert response.headers["RateLimit-Policy"] == "3;w=60"
    assert remaining == [2, 1, 0]
    response = requests.get(f"{stack}/v1/search", params={"q": "Kim"}, headers=headers, timeout=30)
    error = _error(response, 429)
    assert error["code"] == "rate_limited"
    assert "3 requests per 60 s" in error["message"] and record.id in error["message"]
    retry = int(response.headers["Retry-After"])
    assert 1 <= retry <= 60 and f"Retry in {retry} s" in error["message"]
    assert response.headers["RateLimit-Remaining"] == "0"
    assert error["details"]["retry_after_seconds"] == retry
    # Another key is not affected.
    assert requests.get(f"{stack}/v1/search", params={"q": "Kim"}, timeout=30,
                        headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_a_request_is_counted_and_prefetched_keys_read_in_one_script(settings, redis_conn):
    from api.access import count_request
    prefix = f"{settings.redis_prefix}-count{uuid.uuid4().hex[:6]}"
    redis_conn.set(f"{prefix}:there", "pit-1", ex=30)
    windows = [count_request(redis_conn, prefix, "ip:192.0.2.9", 2, 60, "IP address x",
                             now=1_000_000.5, also_get=[f"{prefix}:there", f"{prefix}:none"])
               for _ in range(3)]
    assert [w.used for w, _ in windows] == [1, 2, 3] and windows[-1][0].remaining == 0
    assert all(values == ["pit-1", None] for _, values in windows)
    assert windows[0][0].reset == 20     # the window 999,960-1,000,020 ends in 20 s
    counter = f"{prefix}:ratelimit:ip:192.0.2.9:60:999960"
    assert 0 < redis_conn.ttl(counter) <= 61
    assert count_request(redis_conn, prefix, "ip:192.0.2.9", 2, 60, "x", now=1_000_000.5)[1] == []
    redis_conn.delete(counter, f"{prefix}:there")


def _local_app(settings, **changes):
    """The API in this process (its own settings) on the real Redis and Elasticsearch."""
    app = create_app({"NEWSARCHIVE_SETTINGS": dataclasses.replace(settings, **changes),
                      "TESTING": True})
    return app.test_client()


def test_anonymous_clients_are_limited_per_ip_address(settings, redis_conn):
    client = _local_app(settings, rate_limit_anonymous="2/60s",
                        index_prefix=f"{settings.index_prefix}-rl{uuid.uuid4().hex[:6]}")
    ip = {"REMOTE_ADDR": "192.0.2.7"}
    for _ in range(2):  # size=-1 is a 400 before any backend is asked: cheap requests
        assert client.get("/v1/search?size=-1", environ_base=ip).status_code == 400
    response = client.get("/v1/search?size=-1", environ_base=ip)
    error = _error(response, 429)
    assert "IP address 192.0.2.7" in error["message"] and "API key" in error["message"]
    assert client.get("/v1/search?size=-1",
                      environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 400


def test_reads_can_require_a_key(settings, redis_conn, new_key):
    client = _local_app(settings, read_access="key")
    error = _error(client.get("/v1/search?q=Kim"), 401)
    assert "scope 'read'" in error["message"]
    token, _ = new_key("read")
    assert client.get("/v1/search?size=-1",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 400
    assert client.get("/openapi.json").status_code == 200        # the docs stay public
    assert client.get("/v1/health").status_code in (200, 503)    # so does health


def test_the_keys_command(settings, redis_conn, monkeypatch):
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "--name", "cli test", "--scope", "read",
                                  "--rate-limit", "10/60s"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[0]
    key_id = token.split("_")[1]
    listed = runner.invoke(cli, ["keys", "list"])
    assert key_id in listed.output and "cli test" in listed.output and token not in listed.output
    assert runner.invoke(cli, ["keys", "check", "--key", token]).exit_code == 0
    assert runner.invoke(cli, ["keys", "revoke", key_id]).exit_code == 0
    assert runner.invoke(cli, ["keys", "check", "--key", token]).exit_code == 1
    assert runner.invoke(cli, ["keys", "revoke", key_id]).exit_code == 1
    bad = runner.invoke(cli, ["keys", "create", "--name", "x", "--rate-limit", "often"])
    assert bad.exit_code == 2 and "600/60s" in bad.output


# --- time limits ----------------------------------------------------------------------

def test_a_search_over_the_time_limit_is_a_504_and_is_not_left_running(settings, es):
    import time
    import warnings
    client = _local_app(settings, es_timeout=0.001)
    response = client.get("/v1/search?q=Kim+OR+Putin+OR+Nordkorea&facets=persons,places,published")
    error = _error(response, 504)
    assert error["code"] == "search_timeout" and "cancelled" in error["message"]
    deadline = time.monotonic() + 10
    while True:
        with warnings.catch_warnings():  # the tasks API is marked "technical preview"
            warnings.simplefilter("ignore")
            tasks = es.tasks.list(actions="indices:data/read/search*", detailed=True)
        running = [t for node in tasks["nodes"].values() for t in node["tasks"].values()
                   if "Kim" in t.get("description", "")]
        if not running:
            break
        assert time.monotonic() < deadline, running
        time.sleep(0.2)


def test_a_front_end_on_this_machine_may_call_the_stack_from_the_browser(api):
    """The local stacks allow browser origins of this machine (scripts/config.sh): the
    preflight of a search with a key passes, and the answer lets the page read the limits."""
    origin = "http://localhost:3000"
    preflight = api.options("/v1/search", headers={
        "Origin": origin, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    answer = api.get("/v1/search", params={"q": "Kim"}, headers={"Origin": origin})
    assert answer.headers["Access-Control-Allow-Origin"] == origin
    assert "RateLimit-Remaining" in answer.headers["Access-Control-Expose-Headers"]
    other = api.get("/v1/search", params={"q": "Kim"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
