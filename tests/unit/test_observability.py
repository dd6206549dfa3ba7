"""Request ids, JSON log lines, the access line and the metrics endpoint (no services:
the backends are on a closed port)."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import elastic_transport
import pytest
import redis
from elasticsearch import ApiError
from prometheus_client.parser import text_string_to_metric_families

from api import observability
from indexer import ingest_metrics, json_logging, worker
from indexer.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SECRET = "nak_abc123_verysecretvalue"


def format_record(record: logging.LogRecord, **kwargs) -> dict:
    return json.loads(json_logging.JsonFormatter(**kwargs).format(record))


def make_record(message="hello %s", args=("world",), level=logging.INFO, **extra):
    record = logging.LogRecord("some.logger", level, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


@pytest.fixture(autouse=True)
def clean_log_context():
    json_logging.clear()
    yield
    json_logging.clear()


@pytest.fixture
def json_lines():
    """What the JSON handler writes (formatted as each line is logged, as in production)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_logging.JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lambda: [json.loads(text) for text in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def access_lines(json_lines):
    return lambda: [line for line in json_lines() if line["logger"] == "api.requests"]


# --- the JSON formatter ------------------------------------------------------------

def test_a_line_is_one_json_object_with_the_fields():
    line = format_record(make_record(status=200, route="/v1/search"))
    assert line["level"] == "INFO" and line["logger"] == "some.logger"
    assert line["message"] == "hello world"
    assert line["ts"].endswith("Z") and "T" in line["ts"]
    assert line["status"] == 200 and line["route"] == "/v1/search"
    assert "args" not in line and "msg" not in line


def test_bound_context_is_on_every_line_until_cleared():
    json_logging.bind(request_id="r-1")
    json_logging.bind(job_id="j-1")
    assert format_record(make_record())["request_id"] == "r-1"
    assert format_record(make_record())["job_id"] == "j-1"
    json_logging.clear()
    assert "request_id" not in format_record(make_record())


def test_exceptions_and_odd_values_still_make_valid_json():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed: %s", ("ü",),
                                   sys.exc_info())
    record.obj = object()
    line = format_record(record)
    assert line["message"] == "failed: ü"
    assert "ValueError: boom" in line["exception"]
    assert line["obj"].startswith("<object")


def test_excluded_extra_fields_are_never_written():
    line = format_record(make_record(data={"args": "the article"}), exclude=("data",))
    assert "data" not in line


def test_the_worker_binds_task_and_job_to_its_lines():
    task = SimpleNamespace(name=worker.INGEST_TASK)
    worker._bind_task(task_id="t-1", task=task, args=["job-7", []])
    line = format_record(make_record())
    assert (line["task_id"], line["task"], line["job_id"]) == ("t-1", worker.INGEST_TASK, "job-7")
    worker._unbind_task()
    assert "task_id" not in format_record(make_record())


def test_the_gunicorn_logging_config_writes_json_at_the_configured_level():
    code = ("import logging, logging.config, api.gunicorn_conf as c;"
            "logging.config.dictConfig(c.logconfig_dict);"
            "logging.getLogger('gunicorn.error').warning('up');"
            "logging.getLogger('api.requests').info('hidden at WARNING')")
    env = {**os.environ, "NEWSARCHIVE_LOG_LEVEL": "warning"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60, check=True)
    lines = [json.loads(text) for text in result.stderr.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [("gunicorn.error", "up")]


# --- settings ------------------------------------------------------------------------

def test_log_level_setting_is_validated():
    assert Settings.from_env({}).log_level == "INFO"
    assert Settings.from_env({"NEWSARCHIVE_LOG_LEVEL": "debug"}).log_level == "DEBUG"
    with pytest.raises(ValueError, match="NEWSARCHIVE_LOG_LEVEL"):
        Settings.from_env({"NEWSARCHIVE_LOG_LEVEL": "loud"})


# --- pure helpers ---------------------------------------------------------------------

@pytest.mark.parametrize("given", ["abc", "A-b_c.9", "x" * 128, "0f1e2d3c4b5a69788796a5b4c3d2e1f0"])
def test_a_sane_client_request_id_is_kept(given):
    assert observability.request_id_from(given) == given


@pytest.mark.parametrize("given", [None, "", "x" * 129, "has space", "a/b", "ümlaut", "a\nb", "id;drop"])
def test_any_other_request_id_is_replaced_by_a_new_one(given):
    new = observability.request_id_from(given)
    assert new != given and len(new) == 32 and int(new, 16) >= 0


@pytest.mark.parametrize(("rule", "template"), [
    ("/v1/articles/<article_id>", "/v1/articles/{article_id}"),
    ("/v1/jobs/<string:job_id>/retry", "/v1/jobs/{job_id}/retry"),
    ("/v1/search", "/v1/search"),
    (None, "unmatched"),
])
def test_route_templates(rule, template):
    assert observability.route_template(rule) == template


def test_logged_query_strings_hide_cursors_and_credentials():
    cursor = "eyJ" + "A" * 300
    logged = observability.safe_query(f"q=Nordkorea&cursor={cursor}&api_key=s3cret&token=t0k")
    assert logged == "q=Nordkorea&cursor=eyJAAAAAAAAA...&api_key=***&token=***"
    assert len(observability.safe_query("q=" + "x" * 5000)) <= observability.MAX_QUERY_CHARS + 3


def _api_error(status, error_type="x"):
    meta = SimpleNamespace(status=status)
    return ApiError(error_type, meta, {"error": {"type": error_type}})


@pytest.mark.parametrize(("error", "kind"), [
    (elastic_transport.ConnectionError("refused"), "unavailable"),
    (elastic_transport.ConnectionTimeout("slow"), "timeout"),
    (_api_error(400), "rejected"),
    (_api_error(404, "index_not_found_exception"), "unavailable"),
    (_api_error(429), "unavailable"),
    (_api_error(503), "unavailable"),
    (_api_error(504), "timeout"),
    (_api_error(500), "other"),
])
def test_elasticsearch_error_kinds(error, kind):
    assert observability.es_error_kind(error) == kind


# --- the app: request ids on every response, one access line per request ---------------

@pytest.fixture
def app(app):
    """The unit app plus two routes that fail the ways a view can: 500 and 413."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["MAX_CONTENT_LENGTH"] = 10

    @app.route("/v1/test-boom")
    def boom():
        raise RuntimeError("boom")

    @app.route("/v1/test-body", methods=["POST"])
    def body():
        from flask import request
        return {"size": len(request.get_data())}
    return app


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/v1/health", 503),          # backends unreachable
    ("get", "/v1/nowhere", 404),
    ("put", "/v1/health", 405),
    ("get", "/v1/search?sizze=3", 400),
    ("post", "/v1/articles", None),      # refused: no key, no body
    ("get", "/v1/test-boom", 500),
])
def test_every_response_echoes_a_given_request_id(client, method, path, status):
    response = getattr(client, method)(path, headers={"X-Request-ID": "given-1"})
    assert response.status_code == status if status else response.status_code >= 400
    assert response.headers["X-Request-ID"] == "given-1"


def test_a_body_over_the_limit_is_a_413_with_a_request_id(client):
    response = client.post("/v1/test-body", data=b"x" * 100)
    assert response.status_code == 413
    assert len(response.headers["X-Request-ID"]) == 32


def test_an_insane_request_id_is_replaced(client):
    response = client.get("/v1/nowhere", headers={"X-Request-ID": "not sane"})
    assert len(response.headers["X-Request-ID"]) == 32


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/v1/nowhere").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_cors_exposes_the_request_id(unit_settings):
    from dataclasses import replace

    from api import create_app
    app = create_app({"TESTING": True,
                      "NEWSARCHIVE_SETTINGS": replace(unit_settings, cors_origins=("https://a.example",))})
    response = app.test_client().get("/v1/nowhere", headers={"Origin": "https://a.example"})
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]


def test_one_access_line_per_request_with_the_route_template(client, access_lines):
    response = client.get("/v1/jobs/abc123?x=1", headers={"X-Request-ID": "req-9"})
    [line] = access_lines()
    assert line["request_id"] == "req-9" == response.headers["X-Request-ID"]
    assert line["route"] == "/v1/jobs/{job_id}" and "abc123" not in json.dumps(line)
    assert line["method"] == "GET" and line["status"] == response.status_code
    assert line["duration_ms"] >= 0 and line["bytes"] == len(response.data)
    assert line["remote_addr"] == "127.0.0.1"
    assert line["message"] == f"GET /v1/jobs/{{job_id}} {response.status_code}"


def test_lines_logged_during_a_request_carry_its_id(client, json_lines):
    client.get("/v1/search?q=x", headers={"X-Request-ID": "req-es"})   # ES unreachable: 503
    warnings = [line for line in json_lines() if line["logger"] == "api.errors"]
    assert warnings and all(w["request_id"] == "req-es" for w in warnings)
    client.get("/v1/nowhere")
    assert all(line.get("request_id") != "req-es" for line in json_lines()[-1:])


def test_credentials_and_bodies_never_reach_the_logs(client, json_lines):
    client.post(f"/v1/articles?api_key={SECRET}", json={"text": "Geheimer Artikeltext"},
                headers={"Authorization": f"Bearer {SECRET}"})
    client.get(f"/v1/search?q=x&cursor={'C' * 200}", headers={"Authorization": f"Bearer {SECRET}"})
    written = json.dumps(json_lines(), ensure_ascii=False)
    assert "api.requests" in written
    assert SECRET not in written and "verysecret" not in written
    assert "Geheimer" not in written and "Authorization" not in written
    assert "C" * 20 not in written


def test_unknown_methods_share_one_label(client, access_lines):
    client.open("/v1/search", method="BREW")
    assert access_lines()[-1]["method"] == "other"


# --- /v1/metrics -----------------------------------------------------------------------

def scrape(client) -> dict:
    response = client.get("/v1/metrics")
    assert response.status_code == 200
    assert response.content_type == "text/plain; version=0.0.4; charset=utf-8"
    return {family.name: family for family in text_string_to_metric_families(response.get_data(as_text=True))}


def sample_value(family, name, **labels):
    return sum(s.value for s in family.samples
               if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


def test_metrics_count_requests_by_route_template_and_status_class(client):
    before = scrape(client)["newsarchive_http_request_duration_seconds"]
    client.get("/v1/jobs/one")
    client.get("/v1/jobs/two")
    after = scrape(client)["newsarchive_http_request_duration_seconds"]
    labels = {"method": "GET", "route": "/v1/jobs/{job_id}", "status": "5xx"}   # Redis unreachable
    name = "newsarchive_http_request_duration_seconds_count"
    assert sample_value(after, name, **labels) - sample_value(before, name, **labels) == 2


def test_metrics_count_elasticsearch_errors_by_kind(client):
    name = "newsarchive_elasticsearch_errors_total"
    before = sample_value(scrape(client)["newsarchive_elasticsearch_errors"], name, kind="unavailable")
    client.get("/v1/search?q=x")
    after = scrape(client)["newsarchive_elasticsearch_errors"]
    assert sample_value(after, name, kind="unavailable") == before + 1
    assert {s.labels["kind"] for s in after.samples} >= set(observability.ES_ERROR_KINDS)


def test_metrics_answer_without_redis_and_say_so(client):
    families = scrape(client)
    assert families["newsarchive_redis_up"].samples[0].value == 0
    assert "newsarchive_ingest_articles" not in families


# --- ingest counts in Redis ---------------------------------------------------------------

class FakeRedis:
    def __init__(self):
        self.hashes, self.lists = {}, {}

    def pipeline(self):
        return FakePipeline(self)

    def hincrby(self, key, field, amount):
        self.hashes.setdefault(key, {})
        self.hashes[key][field] = self.hashes[key].get(field, 0) + amount

    def hmget(self, key, fields):
        return [self.hashes.get(key, {}).get(f) for f in fields]

    def llen(self, key):
        return len(self.lists.get(key, []))


class FakePipeline:
    def __init__(self, r):
        self.r, self.calls = r, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, args))

    def execute(self):
        return [getattr(self.r, name)(*args) for name, args in self.calls]


def test_ingest_outcomes_add_up():
    r = FakeRedis()
    assert ingest_metrics.outcome_counts(r, "p") == {"indexed": 0, "failed": 0}
    ingest_metrics.count_outcomes(r, "p", indexed=3, failed=1)
    ingest_metrics.count_outcomes(r, "p", indexed=2)
    assert ingest_metrics.outcome_counts(r, "p") == {"indexed": 5, "failed": 1}


def test_queue_depth_counts_every_priority_list():
    r = FakeRedis()
    r.lists = {"p.ingest": [1, 2], "p.ingest\x06\x169": [3], "other": [4]}
    assert ingest_metrics.queue_depth(r, "p.ingest") == 3


def test_counting_never_fails_an_ingest():
    class Down:
        def pipeline(self):
            raise redis.ConnectionError("down")
    ingest_metrics.count_outcomes(Down(), "p", indexed=1)


def test_gunicorn_builds_no_access_lines_of_its_own():
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    from api import gunicorn_conf
    assert issubclass(gunicorn_conf.logger_class, Logger)
    logger = gunicorn_conf.logger_class(Config())
    called = []
    logger.atoms = lambda *args: called.append(args)
    assert logger.access(None, None, {}, 0.0) is None and called == []


def test_lines_written_in_the_background_keep_the_callers_context_order_and_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_logging.JsonFormatter())
    logger = logging.getLogger("test.background")
    logger.propagate, logger.level = False, logging.INFO
    logger.addHandler(handler)
    listener = json_logging.write_in_background(logger)
    try:
        assert logger.handlers != [handler]          # the stream's handler is behind the queue
        json_logging.bind(request_id="r-7")
        items = ["a"]
        logger.info("first %s", items, extra={"status": 200})
        items.append("changed after the call")       # the line has the value at the call
        json_logging.clear()
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("second")
        logger.debug("below the level")
    finally:
        listener.stop()
        listener.stop()                              # at exit again: no error
        logger.handlers.clear()
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert [line["message"] for line in lines] == ["first ['a']", "second"]
    assert lines[0]["request_id"] == "r-7" and lines[0]["status"] == 200
    assert "request_id" not in lines[1]
    assert "ValueError: boom" in lines[1]["exception"]
    assert not any(key.startswith("_") for line in lines for key in line)
