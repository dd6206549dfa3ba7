"""Reliability against the real stack: a Celery worker killed with SIGKILL in the
middle of a 500-article bulk job, and Elasticsearch stopped during ingest, lose no
article and duplicate none.

The tests stop and start parts of the stack they run against with the stack's own
scripts (``scripts/app.sh``, ``scripts/elasticsearch.sh``) and the same
``NEWSARCHIVE_*`` environment, so they work on any ports and state folder. Each
leaves the whole stack running and healthy again, also when it fails. They take
about a minute each: a killed worker's messages come back after
``NEWSARCHIVE_VISIBILITY_TIMEOUT`` (30 s in the test profile), and Elasticsearch
takes 30-45 s to start.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from elasticsearch import helpers

from indexer import jobs
from indexer.identity import article_id

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
RECOVERY_TIMEOUT = 240.0   # seconds a job may take to finish once the stack is whole again
SCRIPT_TIMEOUT = 300.0     # seconds a stack script may take (an ES start builds its config)
CLEANUP_TIMEOUT = 120.0    # seconds a failed test's job may still run before its articles go


# --- the stack's own scripts ----------------------------------------------------------

def run_script(name: str, action: str) -> str:
    """``scripts/<name> <action>`` with this process's environment; its log on failure."""
    result = subprocess.run([str(SCRIPTS / name), action], env=os.environ.copy(), cwd=ROOT,
                            capture_output=True, text=True, timeout=SCRIPT_TIMEOUT, check=False)
    if result.returncode != 0:
        raise AssertionError(f"scripts/{name} {action} exited {result.returncode}:\n"
                             f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stderr


def state_dir() -> Path:
    """The stack's state folder, found as ``scripts/config.sh`` finds it."""
    profile = os.environ.get("NEWSARCHIVE_PROFILE") or "run"
    return Path(os.environ.get("NEWSARCHIVE_STATE_DIR") or ROOT / "var" / profile)


def wait_until(what: str, check: Callable[[], object], timeout: float,
               interval: float = 0.2):
    """Poll ``check`` until it returns something truthy; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{what}: not reached after {timeout:.0f} s (last: {last!r})")


def healthy(api) -> bool:
    """``GET /v1/health`` answers 200."""
    try:
        return api.get("/v1/health", timeout=5).status_code == 200
    except OSError:
        return False


@pytest.fixture
def sent(es, redis_conn, settings):
    """The jobs a test sends (job id -> article ids), deleted afterwards: hundreds of copies
    of the samples would crowd the samples out of other tests' searches. A job still
    running (the test failed) gets a while to finish first, or it would index them again.
    ``restore_stack`` depends on this fixture, so this runs once the stack is back."""
    sent: dict[str, list[str]] = {}
    yield sent
    deadline = time.monotonic() + CLEANUP_TIMEOUT
    for job_id in sent:
        while time.monotonic() < deadline:
            job = jobs.get_job(redis_conn, settings.redis_prefix, job_id)
            if job is None or job["counts"]["pending"] == 0:
                break
            time.sleep(1)
    actions = ({"_op_type": "delete", "_index": settings.articles_alias, "_id": aid}
               for ids in sent.values() for aid in ids)
    helpers.bulk(es, actions, raise_on_error=False, refresh=True)


@pytest.fixture
def restore_stack(api, sent):
    """After the test, whatever happened: Elasticsearch, the NER service, worker and API up,
    health 200."""
    yield
    run_script("elasticsearch.sh", "start")   # idempotent: returns at once when running
    run_script("ner.sh", "start")
    pid = worker_pid()
    if pid is not None and not alive(pid):     # killed: app.sh must see it gone to restart it
        wait_until("killed worker reaped", lambda: reaped(pid), 60)
    run_script("app.sh", "start")             # starts what is missing, waits for health
    wait_until("a worker process running", lambda: alive(worker_pid() or 0), 60)
    wait_until("API health 200 after the test", lambda: healthy(api), 60, interval=0.5)


# --- processes ----------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    by_parent: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        by_parent.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return by_parent


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    by_parent, tree, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(by_parent.get(current, []))
    return tree


def alive(pid: int) -> bool:
    """Running: a zombie (killed, not yet reaped by its parent) is not."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def reaped(pid: int) -> bool:
    """Gone from the process table: what ``kill -0`` in the scripts and Celery's own
    pid-file check see. An orphaned zombie lingers until init reaps it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def worker_pid_file() -> Path:
    return state_dir() / "pids" / "worker.pid"


def worker_pid() -> int | None:
    try:
        return int(worker_pid_file().read_text().strip())
    except (OSError, ValueError):
        return None


def kill_worker() -> list[int]:
    """SIGKILL the Celery worker's main process and its pool children at once."""
    pid = worker_pid()
    assert pid is not None and alive(pid), (
        f"no running worker in {worker_pid_file()} (not started by scripts/app.sh?)")
    tree = process_tree(pid)
    for member in tree:
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            pass
    wait_until("killed worker processes dead", lambda: not any(alive(p) for p in tree), 10)
    return tree


def restart_worker(killed: list[int]) -> int:
    """``scripts/app.sh start`` once the killed processes are reaped; the new worker's pid.

    app.sh may return before the new worker wrote its pid file (the stale file is still
    there and the dead worker's last heartbeat still fresh), so wait for a new pid too.
    """
    wait_until("killed worker processes reaped", lambda: all(reaped(p) for p in killed), 60)
    run_script("app.sh", "start")
    return wait_until("a new worker process running",
                      lambda: (pid := worker_pid()) not in killed and pid and alive(pid) and pid,
                      60)


# --- articles -----------------------------------------------------------------------

def make_articles(token: str, count: int) -> list[dict]:
    """``count`` distinct realistic articles from the sample texts, clutter included: one
    sample's body paragraphs in a rotated order, the test's token and the article's number
    at the end of its longest paragraph (never clutter), a unique external_id. No extra
    date or name: the entities index (which only grows) sees nothing the samples lack."""
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES]
    articles = []
    for n in range(count):
        lines = texts[n % len(texts)].split("\n")
        paragraphs = [i for i, line in enumerate(lines) if len(line) > 200]
        shift = (n // len(texts)) % len(paragraphs)
        moved = [lines[i] for i in paragraphs[shift:] + paragraphs[:shift]]
        for i, line in zip(paragraphs, moved, strict=True):
            lines[i] = line
        longest = max(paragraphs, key=lambda i: len(lines[i]))
        lines[longest] += f" Meldung {n} im Archivtest {token}."
        articles.append({"external_id": f"{token}-{n:04d}", "text": "\n".join(lines)})
    return articles


def post_bulk(api, articles: list[dict], sent: dict[str, list[str]]) -> str:
    body = "\n".join(json.dumps(article, ensure_ascii=False) for article in articles)
    response = api.post("/v1/articles/bulk", data=body.encode("utf-8"),
                        headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == len(articles)
    job_id = response.json()["job_id"]
    sent[job_id] = [article_id(external_id=article["external_id"]) for article in articles]
    return job_id


def post_partly_indexed_job(api, articles: list[dict], sent: dict[str, list[str]], fault: str) -> str:
    """Post the bulk job and return its id once its first articles are indexed, before all are."""
    job_id = post_bulk(api, articles, sent)
    counts = wait_until("first articles indexed",
                        lambda: (c := job_counts(api, job_id))["indexed"] > 0 and c, 180)
    assert counts["indexed"] < len(articles), f"job finished before {fault}: {counts}"
    return job_id


def job_counts(api, job_id: str) -> dict:
    return api.get(f"/v1/jobs/{job_id}").json()["counts"]


def assert_all_indexed_once(api, es, redis_conn, settings, job_id: str, articles: list[dict],
                            token: str):
    """The job counts every article indexed, none failed, each position under its article's
    id; Elasticsearch holds exactly one document per article, under that id."""
    job = api.wait_for_job(job_id, timeout=RECOVERY_TIMEOUT)
    n = len(articles)
    assert job["state"] == "completed", job
    assert job["counts"] == {"accepted": n, "indexed": n, "failed": 0, "pending": 0,
                             "retried": 0}, job
    ids = [article_id(external_id=article["external_id"]) for article in articles]
    assert jobs.indexed_ids(redis_conn, settings.redis_prefix, job_id) == dict(enumerate(ids))
    es.indices.refresh(index=settings.articles_alias)
    query = {"match": {"body": token}}
    assert es.count(index=settings.articles_alias, query=query)["count"] == n
    hits = es.search(index=settings.articles_alias, query=query, size=n + 10,
                     source=["external_id"])["hits"]["hits"]
    assert {hit["_id"]: hit["_source"]["external_id"] for hit in hits} == {
        aid: article["external_id"] for aid, article in zip(ids, articles, strict=True)}


# --- the tests ----------------------------------------------------------------------

def test_worker_killed_mid_job_loses_and_duplicates_nothing(api, es, redis_conn, settings,
                                                            token, sent, restore_stack):
    articles = make_articles(token, 500)
    started = time.monotonic()
    # Kill as soon as the first batches are recorded: batches are in flight and queued.
    job_id = post_partly_indexed_job(api, articles, sent, "the kill")
    killed = kill_worker()
    killed_at = time.monotonic()
    at_kill = job_counts(api, job_id)
    print(f"\nSIGKILL to worker processes {killed} at {killed_at - started:.1f} s: "
          f"{at_kill['indexed']} of {len(articles)} indexed")
    assert at_kill["pending"] > 0

    new_pid = restart_worker(killed)   # the API still runs; only the worker is started
    restarted_at = time.monotonic()
    assert_all_indexed_once(api, es, redis_conn, settings, job_id, articles, token)
    done = time.monotonic()
    print(f"worker restarted (pid {new_pid}) {restarted_at - killed_at:.1f} s after the kill; "
          f"job complete {done - killed_at:.1f} s after the kill; test {done - started:.1f} s; "
          f"{len(articles)}/{len(articles)} indexed once, 0 failed")


def stopped_during_ingest(api, es, redis_conn, settings, token, sent, *, script: str,
                          name: str, while_stopped=None) -> list[dict]:
    """Stop a service (``scripts/<script> stop``) while a 300-article job runs, check that
    articles wait (none failed), start it again and check that every article is indexed once."""
    articles = make_articles(token, 300)
    started = time.monotonic()
    job_id = post_partly_indexed_job(api, articles, sent, "the stop")
    run_script(script, "stop")
    stopped_at = time.monotonic()
    at_stop = job_counts(api, job_id)
    print(f"\n{name} stopped at {stopped_at - started:.1f} s: "
          f"{at_stop['indexed']} of {len(articles)} indexed")
    if while_stopped is not None:
        while_stopped()

    time.sleep(10)   # the worker meets the outage and retries with backoff
    during = job_counts(api, job_id)
    assert during["pending"] > 0 and during["failed"] == 0, during

    run_script(script, "start")
    restarted_at = time.monotonic()
    assert_all_indexed_once(api, es, redis_conn, settings, job_id, articles, token)
    done = time.monotonic()
    print(f"{name} down {restarted_at - stopped_at:.1f} s; job complete "
          f"{done - restarted_at:.1f} s after it was back; test {done - started:.1f} s; "
          f"{len(articles)}/{len(articles)} indexed once, 0 failed")
    return articles


def test_elasticsearch_stopped_during_ingest_delays_but_loses_nothing(api, es, redis_conn,
                                                                      settings, token,
                                                                      sent, restore_stack):
    def health_names_elasticsearch():
        health = api.get("/v1/health")
        assert health.status_code == 503, health.text
        error = health.json()["error"]
        assert error["details"]["failing"] == ["elasticsearch"], health.text
        assert "elasticsearch" in error["message"]

    stopped_during_ingest(api, es, redis_conn, settings, token, sent, script="elasticsearch.sh",
                          name="Elasticsearch", while_stopped=health_names_elasticsearch)


def test_ner_service_stopped_during_ingest_delays_but_loses_nothing(api, es, redis_conn,
                                                                     settings, token,
                                                                     sent, restore_stack):
    """Without the NER service an article cannot get its entities: the worker retries the batch
    (``NerUnavailable``), it neither indexes the article without entities nor makes it a dead
    letter."""
    def health_names_ner():
        health = api.get("/v1/health")
        assert health.status_code == 503, health.text
        error = health.json()["error"]
        assert error["details"]["failing"] == ["ner"], health.text
        assert "wait" in error["details"]["checks"]["ner"]["error"]

    articles = stopped_during_ingest(api, es, redis_conn, settings, token, sent,
                                     script="ner.sh", name="NER service",
                                     while_stopped=health_names_ner)
    last = es.search(index=settings.articles_alias, size=1,
                     query={"term": {"external_id": articles[-1]["external_id"]}})["hits"]["hits"]
    assert last and last[0]["_source"].get("persons"), "indexed without its entities"
