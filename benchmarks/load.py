"""Load and soak: 20 concurrent clients of mixed reads against 100,000 documents for 10
minutes while articles are being ingested, through the API.

    python benchmarks/load.py [--api URL] [--es URL] [--redis URL] [--prefix test-bench]
        [--docs 100000] [--clients 20] [--duration 600] [--ingest-rate 1.0] [--sessions 500]
        [--no-load]

Run it against a stack that serves nobody else (``scripts/stack.sh up`` with a ``test-`` or
``bench-`` index prefix: the corpus load replaces that index); defaults from ``NEWSARCHIVE_*``.

1. Corpus: ``benchmarks/corpus.py`` makes sure ``<prefix>-articles`` holds the N documents.
2. A temporary API key without a rate limit (the clients are one IP address), revoked at the end.
3. Clients: processes of their own (no shared interpreter lock), each with one keep-alive
   connection, looping over a seeded mix: a search session of ``benchmarks/search.py``
   (words, compounds, phrases, OR/NOT, entity and date filters, facets, histograms, newest,
   and cursor sessions that follow ``next_cursor`` 20-30 pages), or an article read
   (``GET /v1/articles/{id}`` of a result of the client's previous search), in the shares of
   ``MIX``. Every request is timed until its response is read completely.
4. Ingest meanwhile: a thread posts real articles from ``../shared/data/news``
   (``benchmarks/ingest.py``'s selection) in NDJSON bulk requests of 10 at ``--ingest-rate``
   articles per second; the worker cleans, enriches, tags and indexes them while the clients
   read. They get ``bench-load:`` external ids and are deleted afterwards.
5. Memory: resident set size (VmRSS from /proc) of the API (gunicorn master and workers) and
   of the worker (Celery main process and its pool), summed, at the start (after a warm-up
   minute) and at the end.

Prints per-minute throughput and latency, the totals (requests, errors, throughput, p50, p95,
p99 by request kind), the ingest counts, and the RSS table with the growth in per cent
(goal: no error, growth at most 10 %).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import random
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import urllib3  # noqa: E402

from benchmarks import corpus  # noqa: E402
from benchmarks.search import make_sessions, percentile, top_values  # noqa: E402

MIX = {"search": 0.75, "article": 0.25}       # share of a client's actions
INGEST_CHUNK = 10
WARMUP_SECONDS = 60
GOAL_RSS_GROWTH = 0.10


# --- clients ---------------------------------------------------------------------------------

def client_main(number: int, job: dict, out) -> None:
    """One client process: mixed reads until ``stop_at``; sends back its records."""
    url = urllib.parse.urlsplit(job["api"])
    http = urllib3.HTTPConnectionPool(url.hostname, url.port, maxsize=1, retries=False,
                                      timeout=urllib3.Timeout(connect=5, read=60),
                                      headers={"Authorization": f"Bearer {job['key']}"})
    rng = random.Random(f"{job['seed']}:load:{number}")
    sessions = job["sessions"]
    seen_ids: list[str] = []
    records = []   # (kind, start offset s, seconds, status)
    while time.monotonic() < job["start_at"]:
        time.sleep(0.01)
    while (now := time.monotonic()) < job["stop_at"]:
        try:
            if seen_ids and rng.random() < MIX["article"]:
                article_id = rng.choice(seen_ids)
                status, seconds, _ = _get(http, f"/v1/articles/{article_id}")
                records.append(("article", now - job["start_at"], seconds, status))
                continue
            session = sessions[rng.randrange(len(sessions))]
            cursor = None
            for _page in range(session["pages"]):
                path = "/v1/search?" + session["query"] + (
                    "&cursor=" + urllib.parse.quote(cursor) if cursor else "")
                status, seconds, data = _get(http, path)
                kind = "cursor page" if cursor else session["kind"]
                records.append((kind, time.monotonic() - job["start_at"] - seconds, seconds,
                                status))
                if status != 200 or time.monotonic() >= job["stop_at"]:
                    break
                page = json.loads(data)
                seen_ids = ([r["id"] for r in page["results"][:5]] + seen_ids)[:200]
                cursor = page.get("next_cursor")
                if not cursor:
                    break
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            records.append(("error:" + type(exc).__name__, now - job["start_at"], 0.0, 0))
    out.send(records)
    out.close()


def _get(http, path: str) -> tuple[int, float, bytes]:
    start = time.perf_counter()
    response = http.request("GET", path)
    return response.status, time.perf_counter() - start, response.data


# --- ingest while reading --------------------------------------------------------------------

class Ingest(threading.Thread):
    """Posts ``INGEST_CHUNK`` articles at a time at ``rate`` articles per second."""

    def __init__(self, api: str, key: str, articles: list[dict], rate: float, stop_at: float):
        super().__init__(daemon=True)
        self.api, self.articles, self.rate, self.stop_at = api, articles, rate, stop_at
        self.http = urllib3.PoolManager(headers={"Authorization": f"Bearer {key}",
                                                 "Content-Type": "application/x-ndjson"})
        self.sent, self.job_ids, self.errors = 0, [], []

    def run(self) -> None:
        started = time.monotonic()
        while time.monotonic() < self.stop_at and self.sent < len(self.articles):
            chunk = self.articles[self.sent:self.sent + INGEST_CHUNK]
            body = "\n".join(json.dumps(a, ensure_ascii=False) for a in chunk).encode()
            try:
                response = self.http.request("POST", f"{self.api}/v1/articles/bulk", body=body,
                                             timeout=60)
                if response.status == 202:
                    self.job_ids.append(json.loads(response.data)["job_id"])
                else:
                    self.errors.append(f"{response.status} {response.data[:200]!r}")
            except urllib3.exceptions.HTTPError as exc:
                self.errors.append(str(exc))
            self.sent += len(chunk)
            wait = started + self.sent / self.rate - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, max(0.0, self.stop_at - time.monotonic())))

    def outcome(self, http_get) -> dict:
        counts = defaultdict(int)
        for job_id in self.job_ids:
            job = http_get(f"/v1/jobs/{job_id}")
            for name in ("indexed", "failed", "pending"):
                counts[name] += job["counts"][name]
        return {"sent": self.sent, "jobs": len(self.job_ids), "post_errors": len(self.errors),
                **counts}


# --- memory ------------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` and all its descendants, in MB."""
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children[ppid].append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, ()))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def stack_pids(state_dir: Path) -> dict[str, int]:
    pids = {}
    for name, file in (("API (gunicorn)", "api.pid"), ("worker (Celery)", "worker.pid")):
        path = state_dir / "pids" / file
        if path.exists():
            pids[name] = int(path.read_text().strip())
    return pids


# --- statistics (pure) ----------------------------------------------------------------------

@dataclasses.dataclass
class Totals:
    kind: str
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    mean: float


def totals(records: Sequence[tuple], kinds: Sequence[str] | None = None) -> list[Totals]:
    """Per request kind (and "all"): count, non-200 answers, latency percentiles in ms."""
    groups = defaultdict(list)
    errors = defaultdict(int)
    for kind, _start, seconds, status in records:
        group = kind.split(":")[0] if kind.startswith("error") else kind
        groups[group].append(seconds * 1000)
        groups["all"].append(seconds * 1000)
        if status != 200:
            errors[group] += 1
            errors["all"] += 1
    names = list(kinds) if kinds else sorted(k for k in groups if k != "all") + ["all"]
    return [Totals(name, len(groups[name]), errors[name], percentile(groups[name], 50),
                   percentile(groups[name], 95), percentile(groups[name], 99),
                   sum(groups[name]) / len(groups[name]) if groups[name] else float("nan"))
            for name in names if name in groups]


def per_minute(records: Sequence[tuple], duration: float) -> list[tuple[int, int, float, float]]:
    """(minute, requests, p50 ms, p99 ms) for each minute of the run."""
    minutes = defaultdict(list)
    for _kind, start, seconds, _status in records:
        minutes[int(start // 60)].append(seconds * 1000)
    return [(m, len(minutes[m]), percentile(minutes[m], 50), percentile(minutes[m], 99))
            for m in range(int(-(-duration // 60))) if minutes[m]]


def growth(before: float, after: float) -> float:
    return (after - before) / before if before else float("nan")


# --- the run -----------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus.add_arguments(parser)
    api_default = os.environ.get("NEWSARCHIVE_API_URL") or (
        f"http://127.0.0.1:{os.environ.get('NEWSARCHIVE_API_PORT', '8000')}")
    redis_default = os.environ.get("NEWSARCHIVE_REDIS_URL") or "redis://127.0.0.1:6379/0"
    parser.add_argument("--api", default=api_default, help=f"API base URL (default {api_default})")
    parser.add_argument("--redis", default=redis_default,
                        help=f"Redis URL, for the temporary API key (default {redis_default})")
    parser.add_argument("--state-dir", type=Path,
                        default=Path(os.environ.get("NEWSARCHIVE_STATE_DIR", ROOT / "var" / "run")),
                        help="the stack's state folder (its pid files, for the RSS)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--duration", type=float, default=600.0,
                        help="seconds of load after the warm-up (default 600)")
    parser.add_argument("--warmup", type=float, default=WARMUP_SECONDS,
                        help=f"seconds of load before measuring (default {WARMUP_SECONDS})")
    parser.add_argument("--ingest-rate", type=float, default=1.0,
                        help="articles per second sent while reading (default 1.0)")
    parser.add_argument("--sessions", type=int, default=500, help="query sessions (default 500)")
    parser.add_argument("--no-load", action="store_true",
                        help="use the index as it is (no corpus check or load)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.duration <= 0 or args.ingest_rate <= 0:
        parser.error("--clients, --duration and --ingest-rate must be positive")
    corpus.check_prefix(args.prefix)
    return run(args)


def run(args) -> int:
    from benchmarks.ingest import delete_ids, load_articles
    from indexer import api_keys
    from indexer.identity import article_id
    from indexer.settings import Settings

    settings = dataclasses.replace(Settings.from_env(), es_url=args.es, redis_url=args.redis,
                                   index_prefix=args.prefix)
    es = corpus.elasticsearch(args.es)
    alias = settings.articles_alias
    docs = corpus.ensure_from_args(es, args)
    sessions = [{"kind": s.kind, "query": s.query_string, "pages": s.pages}
                for s in make_sessions(args.sessions, args.seed, top_values(es, alias))]
    articles = [{**a, "external_id": "bench-load:" + a["external_id"]}
                for a in load_articles(args.data, int(args.ingest_rate * (
                    args.duration + args.warmup)) + INGEST_CHUNK)]
    ingest_ids = [article_id(external_id=a["external_id"]) for a in articles]
    from indexer.clients import redis_client
    r = redis_client(settings)
    key, record = api_keys.create(r, settings.redis_prefix, "benchmarks/load.py", "write",
                                  rate_limit="1000000000/60s")
    api = args.api.rstrip("/")
    pool = urllib3.PoolManager(headers={"Authorization": f"Bearer {key}"})

    def api_get(path: str) -> dict:
        return json.loads(pool.request("GET", api + path, timeout=60).data)

    pids = stack_pids(args.state_dir)
    if len(pids) != 2:
        print(f"warning: no pid files for the API and worker in {args.state_dir}/pids: "
              f"no memory figures", flush=True)
    print(f"{docs:,} documents in {alias}; {args.clients} clients for {args.duration:.0f} s "
          f"after {args.warmup:.0f} s of warm-up; ingest {args.ingest_rate}/s; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
    try:
        delete_ids(es, alias, ingest_ids)
        start_at = time.monotonic() + 5 + args.warmup
        stop_at = start_at + args.duration
        job = {"api": api, "key": key, "sessions": sessions, "seed": args.seed,
               "start_at": time.monotonic() + 5, "stop_at": stop_at}
        context = multiprocessing.get_context("fork")
        pipes, processes = [], []
        for number in range(args.clients):
            parent, child = context.Pipe(duplex=False)
            process = context.Process(target=client_main, args=(number, job, child), daemon=True)
            process.start()
            pipes.append(parent)
            processes.append(process)
        ingest = Ingest(api, key, articles, args.ingest_rate, stop_at)
        ingest.start()
        while time.monotonic() < start_at:
            time.sleep(0.2)
        rss_start = {name: rss_mb(pid) for name, pid in pids.items()}
        print("warm-up done; RSS at the start: "
              + ", ".join(f"{n} {v:.0f} MB" for n, v in rss_start.items()), flush=True)
        records = [rec for pipe in pipes for rec in pipe.recv()]
        for process in processes:
            process.join(timeout=30)
        rss_end = {name: rss_mb(pid) for name, pid in pids.items()}
        ingest.join(timeout=60)
        deadline = time.monotonic() + 300
        while (outcome := ingest.outcome(api_get))["pending"] and time.monotonic() < deadline:
            time.sleep(2)
    finally:
        api_keys.revoke(r, settings.redis_prefix, record.id)
    measured = [(kind, start - args.warmup, seconds, status)
                for kind, start, seconds, status in records if start >= args.warmup]
    print(report(measured, args.duration, outcome, rss_start, rss_end), flush=True)
    removed = delete_ids(es, alias, ingest_ids)
    print(f"deleted the {removed} ingested benchmark articles", flush=True)
    errors = sum(1 for rec in measured if rec[3] != 200)
    return 0 if errors == 0 else 1


def report(records, duration: float, ingest: dict, rss_start: dict, rss_end: dict) -> str:
    lines = ["", "per minute: minute  requests  p50 ms  p99 ms"]
    for minute, count, p50, p99 in per_minute(records, duration):
        lines.append(f"  {minute:>4}  {count:>8}  {p50:>6.1f}  {p99:>6.1f}")
    lines += ["", f"{'kind':<12} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} "
                  f"{'p99 ms':>8} {'mean ms':>8}"]
    for t in totals(records):
        lines.append(f"{t.kind:<12} {t.requests:>9} {t.errors:>7} {t.p50:>8.1f} {t.p95:>8.1f} "
                     f"{t.p99:>8.1f} {t.mean:>8.1f}")
    everything = [t for t in totals(records) if t.kind == "all"]
    if everything:
        lines.append(f"throughput: {everything[0].requests / duration:.1f} requests/s over "
                     f"{duration:.0f} s")
    lines.append("ingest while reading: " + ", ".join(f"{k} {v}" for k, v in ingest.items()))
    lines += ["", f"{'process':<18} {'RSS start MB':>13} {'RSS end MB':>11} {'growth':>8}"]
    for name, before in rss_start.items():
        after = rss_end.get(name, float("nan"))
        change = growth(before, after)
        mark = "ok" if change <= GOAL_RSS_GROWTH else f"over {GOAL_RSS_GROWTH:.0%}"
        lines.append(f"{name:<18} {before:>13.0f} {after:>11.0f} {change:>+8.1%}  {mark}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
