"""Search latency through the API against the same Elasticsearch bodies sent straight to
Elasticsearch, in the same run.

    python benchmarks/search.py [--api URL] [--es URL] [--prefix test-bench] [--docs 100000]
        [--seed 1] [--clients 1,20] [--duration 10 | --queries N] [--rounds 4] [--warmup 10]
        [--warmup-max 180]
        [--sessions 500] [--no-load] [--any-prefix]

Defaults come from the ``NEWSARCHIVE_*`` variables (API and Elasticsearch URLs, index prefix).
Only a ``test-``/``bench-`` prefix is accepted (the corpus load replaces that index); with
``--no-load --any-prefix`` the benchmark only reads another index.

1. Corpus: ``benchmarks/corpus.py`` makes sure ``<prefix>-articles`` holds the N documents
   (reused when it does already).
2. Sessions: a fixed, seeded set (``--sessions``) of the kinds in ``SESSION_KINDS``: single
   words, several words, compounds, phrases, OR/NOT, prefixes, person/organisation/place
   filters, date ranges, facets (with a multi-select filter, and the published histogram),
   newest first, and deep cursors (20-30 pages of ``next_cursor``). Words come from a German
   vocabulary below, entities and outlets from the corpus's own most frequent values.
3. Bodies: each session's Elasticsearch body is made exactly as the API makes it: its query
   string parsed by the search blueprint's own parser and ``SearchArgsSchema`` in a request
   context of the app, then ``api.search.search_body`` (compound parts through ``_analyze``,
   ``query.build_body``). A later page adds ``search_after`` (the last hit's sort values), as
   the API does from its cursor. Relevance-sorted searches read from a point in time, as the
   API's do (``snapshots.with_pit``; one PIT per raw phase, the API shares one per second).
4. Check and warm-up: every session's first page through both targets; totals and result ids
   must be identical. Then warm-up at the highest concurrency: ``--warmup`` seconds of each
   target, repeated until raw Elasticsearch's throughput of two warm-up rounds in a row is
   within 5 % (a just-started node's JIT makes its first minutes ~40 % slower) or
   ``--warmup-max`` seconds have passed.
5. Runs: for each concurrency, ``--rounds`` rounds of two phases in ABBA order (api, raw, then
   raw, api ...), so drift and other work on the machine hit both. In a phase every client
   (a process of its own: no shared interpreter lock, the same client code for both targets:
   urllib3, one connection) replays its own seeded order of the sessions, back to back. A
   request's latency runs from sending it until its response is read completely (parsing
   the JSON for the next cursor comes after).

Prints per concurrency and target: requests, errors, p50/p95/p99/mean latency, throughput;
the API/raw ratios; latency by session kind at the highest concurrency; and the clients' own
CPU per request (equal for both targets when the client is fair).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import multiprocessing
import os
import random
import statistics
import sys
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import urllib3  # noqa: E402

from api import query, snapshots  # noqa: E402
from benchmarks import corpus  # noqa: E402

# Session kind -> share of the sessions. A cursor session is 20-30 requests, so its ~1 % of the
# sessions make about a fifth of the requests.
SESSION_KINDS = {
    "word": 14, "words": 10, "compound": 8, "phrase": 8, "boolean": 7, "prefix": 3,
    "entity": 10, "dates": 6, "mentioned": 2, "facets": 12, "multiselect": 4, "histogram": 4,
    "newest": 6, "browse": 3, "cursor": 1.2,
}
CURSOR_PAGES = (20, 30)
WORDS = (
    "Regierung", "Polizei", "Wahl", "Präsident", "Unternehmen", "Fußball", "Flüchtlinge", "Wien",
    "Berlin", "Österreich", "Deutschland", "Euro", "Stau", "Unfall", "Streik", "Krieg", "Ukraine",
    "Russland", "China", "Trump", "Merkel", "Klima", "Schule", "Gericht", "Minister", "Spiel",
    "Mannschaft", "Film", "Musik", "Studie", "Forscher", "Internet", "Google", "Bahn", "Auto",
    "Wetter", "Feuer", "Bank", "Börse", "Steuer", "Rente", "Gesundheit", "Wirtschaft", "Kinder",
    "Frauen", "Soldaten", "Opfer", "Angriff", "Energie", "Daten", "Preise", "Sieg", "Trainer",
)
COMPOUNDS = (
    "Bundesregierung", "Flüchtlingskrise", "Verteidigungsminister", "Fußballspieler",
    "Klimawandel", "Bundeskanzlerin", "Landesregierung", "Präsidentschaftswahl", "Innenminister",
    "Arbeitsmarkt", "Sicherheitsrat", "Polizeisprecher", "Autobahn", "Verkehrsunfall",
    "Nationalmannschaft", "Bürgermeister", "Staatsanwaltschaft", "Parteichef", "Außenminister",
    "Wirtschaftswachstum", "Asylwerber", "Grenzkontrollen", "Regierungschef", "Windenergie",
    "Elektroauto", "Gesundheitsministerium", "Weihnachtsmarkt", "Silvesternacht",
)
PHRASES = (
    "Europäische Union", "Vereinigten Staaten", "künstliche Intelligenz", "Angela Merkel",
    "Donald Trump", "Vereinten Nationen", "Wladimir Putin", "im vergangenen Jahr",
    "Champions League", "Deutsche Bahn", "Barack Obama", "Islamischen Staat", "neue Regierung",
    "am Montag", "nach Angaben der Polizei",
)
PREFIXES = ("Flücht*", "Regier*", "Wahlk*", "Klima*", "Polizei*", "Bahnh*", "Fußball*",
            "Wirtschafts*", "Energie*", "Kanzler*")
FACET_SETS = ("persons,organizations,places,outlets", "persons,places", "outlets,agencies",
              "organizations,published", "places,languages")
ENTITY_PARAMS = {"person": "facet_persons", "organization": "facet_organizations",
                 "place": "facet_places"}
JSON = {"Content-Type": "application/json"}
PERCENTILES = (50, 95, 99)
GOAL_P50_RATIO, GOAL_P99_MS = 1.3, 150.0


@dataclasses.dataclass
class Session:
    kind: str
    params: list[tuple[str, str]]      # query string of GET /v1/search, in order
    pages: int = 1
    body: dict | None = None           # the API's Elasticsearch body (filled by make_bodies)
    pit: bool = False                  # relevance sort: read from a point in time
    size: int = 20

    @property
    def query_string(self) -> str:
        return urllib.parse.urlencode(self.params)


# --- sessions (pure) ------------------------------------------------------------------------

def make_sessions(count: int, seed: int, values: dict[str, list[str]]) -> list[Session]:
    """``count`` sessions, each kind in proportion to ``SESSION_KINDS`` (at least one);
    ``values``: "person"/"organization"/"place" -> entity ids and names, "outlet" -> outlets."""
    rng = random.Random(f"sessions:{seed}")
    total = sum(SESSION_KINDS.values())
    sessions = []
    for kind, share in SESSION_KINDS.items():
        for _ in range(max(1, round(count * share / total))):
            sessions.append(make_session(kind, rng, values))
    rng.shuffle(sessions)
    return sessions


def make_session(kind: str, rng: random.Random, values: dict[str, list[str]]) -> Session:
    word = rng.choice(WORDS)
    other = rng.choice([w for w in WORDS if w != word])
    param = rng.choice(list(ENTITY_PARAMS))
    entity = rng.choice(values[param]) if values.get(param) else None
    year = rng.randint(corpus.FIRST_YEAR, corpus.LAST_YEAR - 1)
    q = [("q", word)]
    if kind == "words":
        params = [("q", " ".join(rng.sample(WORDS, rng.choice((2, 2, 3)))))]
    elif kind == "compound":
        params = [("q", rng.choice(COMPOUNDS))]
    elif kind == "phrase":
        phrase = f'"{rng.choice(PHRASES)}"'
        params = [("q", phrase if rng.random() < 0.7 else f"{phrase} {word}")]
    elif kind == "boolean":
        third = rng.choice(WORDS)
        params = [("q", rng.choice((f"{word} OR {other}", f"{word} -{other}",
                                    f"({word} OR {other}) {third}", f"{word} NOT {other}")))]
    elif kind == "prefix":
        params = [("q", rng.choice(PREFIXES))]
    elif kind == "entity":
        params = ([] if rng.random() < 0.4 else q) + [(param, entity)] if entity else q
    elif kind == "dates":
        params = q + [("published_from", f"{year}-01-01"),
                      ("published_to", f"{year + rng.randint(0, 2)}-12-31")]
    elif kind == "mentioned":
        params = q + [("mentioned_from", f"{year}-01-01"), ("mentioned_to", f"{year}-12-31")]
    elif kind == "facets":
        params = q + [("facets", rng.choice(FACET_SETS))]
    elif kind == "multiselect":
        params = q + ([(param, entity)] if entity else []) + [
            ("facets", "persons,organizations,places,outlets")]
    elif kind == "histogram":
        params = (q if rng.random() < 0.5 else []) + [
            ("facets", "published"), ("interval", rng.choice(("year", "month")))]
    elif kind == "newest":
        params = q + [("sort", "newest")]
    elif kind == "browse":
        outlet = rng.choice(values["outlet"]) if values.get("outlet") else None
        params = ([("outlet", outlet)] if outlet and rng.random() < 0.5 else []) + [
            ("sort", "newest")]
    elif kind == "cursor":
        params = rng.choice((q, q + [("sort", "newest")], [("sort", "newest")],
                             [(param, entity)] if entity else q))
        return Session(kind, params, pages=rng.randint(*CURSOR_PAGES))
    else:
        params = q
    return Session(kind, params)


def top_values(es, alias: str, size: int = 40) -> dict[str, list[str]]:
    """The corpus's most frequent entities (alternately by id and by name) and outlets."""
    aggs = {param: {"terms": {"field": field, "size": size}}
            for param, field in ENTITY_PARAMS.items()}
    aggs["outlet"] = {"terms": {"field": "outlet", "size": 20}}
    raw = es.search(index=alias, size=0, aggs=aggs)["aggregations"]
    values = {}
    for param, agg in raw.items():
        keys = [bucket["key"] for bucket in agg["buckets"]]
        if param in ENTITY_PARAMS:
            keys = [key.split("|", 1)[n % 2] for n, key in enumerate(keys)]
        values[param] = keys
    return values


# --- bodies, exactly as the API makes them -------------------------------------------------

def make_bodies(app, sessions: Sequence[Session]) -> None:
    """Fill each session's body: its query string through the search view's own parser and
    schema, then ``api.search.search_body``."""
    from api import search
    from api.search_schemas import SearchArgsSchema
    for session in sessions:
        with app.test_request_context(f"/v1/search?{session.query_string}"):
            args = search.blp.ARGUMENTS_PARSER.parse(SearchArgsSchema(), location="query")
            session.body = search.search_body(args)
            session.pit = query.sort_name(args) == "relevance"
            session.size = args.get("size", 20)
            later = search.search_body({**args, "search_after": ["x", "y"]})
            if later != {**session.body, "search_after": ["x", "y"]}:
                raise RuntimeError("build_body changed: a later page is no longer the first "
                                   "page's body plus search_after; update run_session")


# --- clients (one process each) -------------------------------------------------------------

def raw_request(session: Session, alias: str, pit: str | None, keep_alive: str,
                search_after: list | None) -> tuple[str, bytes]:
    body = session.body if search_after is None else {**session.body, "search_after": search_after}
    if session.pit and pit:
        return "/_search", json.dumps(snapshots.with_pit(body, pit, keep_alive)).encode()
    return f"/{alias}/_search", json.dumps(body).encode()


def run_session(http: urllib3.HTTPConnectionPool, target: str, session: Session, job: dict,
                records: list, stop_at: float, quota: int) -> None:
    """The session's pages through one target, each timed, until it ends, the phase ends or
    the client's request quota is used up."""
    position = None   # API: next_cursor; raw: the last hit's sort values
    for page in range(session.pages):
        if time.monotonic() >= stop_at or len(records) >= quota:
            return
        if target == "api":
            path = "/v1/search?" + session.query_string + (
                "&cursor=" + urllib.parse.quote(position) if position else "")
            start = time.perf_counter()
            response = http.request("GET", path)
        else:
            path, payload = raw_request(session, job["alias"], job.get("pit"), job["keep_alive"],
                                        position)
            start = time.perf_counter()
            response = http.request("POST", path, body=payload, headers=JSON)
        seconds = time.perf_counter() - start
        records.append((session.kind, page, seconds, response.status))
        if response.status != 200:
            return
        data = json.loads(response.data)
        if target == "api":
            position = data["next_cursor"]
        else:
            hits = data["hits"]["hits"]
            position = hits[-1]["sort"] if len(hits) == session.size else None
        if not position:
            return


def client_main(conn, number: int) -> None:
    """A client process: set-up once, then one phase per command until None."""
    sessions: list[Session] = []
    while (job := conn.recv()) is not None:
        if "sessions" in job:
            sessions = job["sessions"]
            conn.send("ready")
            continue
        if job["target"] == "check":
            conn.send(check_sessions(sessions, job))
            continue
        url = urllib.parse.urlsplit(job["urls"][job["target"]])
        http = urllib3.HTTPConnectionPool(url.hostname, url.port, maxsize=1, retries=False,
                                          timeout=urllib3.Timeout(connect=5, read=60))
        order = list(range(len(sessions)))
        random.Random(f"{job['seed']}:{number}:{job['round']}").shuffle(order)
        records: list = []
        quota = job["quota"] or math.inf
        while time.monotonic() < job["start_at"]:
            time.sleep(0.001)
        cpu = time.process_time()
        for turn in itertools.count():
            if time.monotonic() >= job["stop_at"] or len(records) >= quota:
                break
            try:
                run_session(http, job["target"], sessions[order[turn % len(order)]], job,
                            records, job["stop_at"], quota)
            except (urllib3.exceptions.HTTPError, OSError):
                records.append(("error", 0, 0.0, 0))
        conn.send({"records": records, "cpu": time.process_time() - cpu,
                   "ended": time.monotonic()})
        http.close()


def check_sessions(sessions: Sequence[Session], job: dict) -> list[tuple]:
    """Each session's first page through both targets: (api total, raw total, same ids)."""
    api = urllib.parse.urlsplit(job["urls"]["api"])
    raw = urllib.parse.urlsplit(job["urls"]["raw"])
    api_http = urllib3.HTTPConnectionPool(api.hostname, api.port, maxsize=1)
    raw_http = urllib3.HTTPConnectionPool(raw.hostname, raw.port, maxsize=1)
    out = []
    for session in sessions:
        page = api_http.request("GET", "/v1/search?" + session.query_string)
        path, payload = raw_request(session, job["alias"], job["pit"], job["keep_alive"], None)
        hits = raw_http.request("POST", path, body=payload, headers=JSON)
        if page.status != 200 or hits.status != 200:
            out.append((session.kind, page.status, hits.status, False, page.data[:300]))
            continue
        page, hits = json.loads(page.data), json.loads(hits.data)["hits"]
        same = [r["id"] for r in page["results"]] == [h["_id"] for h in hits["hits"]]
        out.append((session.kind, page["total"], hits["total"]["value"], same, b""))
    return out


class Clients:
    """``count`` client processes, forked before the parent makes any thread."""

    def __init__(self, count: int):
        context = multiprocessing.get_context("fork")
        self.conns, self.processes = [], []
        for number in range(count):
            parent, child = context.Pipe()
            process = context.Process(target=client_main, args=(child, number), daemon=True)
            process.start()
            self.conns.append(parent)
            self.processes.append(process)

    def setup(self, sessions: list[Session]) -> None:
        for conn in self.conns:
            conn.send({"sessions": sessions})
        for conn in self.conns:
            conn.recv()

    def run(self, clients: int, job: dict) -> list[dict]:
        for conn in self.conns[:clients]:
            conn.send(job)
        return [conn.recv() for conn in self.conns[:clients]]

    def close(self) -> None:
        for conn in self.conns:
            conn.send(None)
        for process in self.processes:
            process.join(timeout=10)


# --- server CPU (local stack only) ------------------------------------------------------------

SERVERS = ("elasticsearch", "api", "redis")   # pid files of scripts/*.sh in <state>/pids


def server_pids(state_dir: Path | None) -> dict[str, list[int]]:
    """The processes of the local stack from its pid files (the API: gunicorn and its
    workers); {} when there are none (a stack elsewhere)."""
    out: dict[str, list[int]] = {}
    for name in SERVERS:
        try:
            pid = int((Path(state_dir) / "pids" / f"{name}.pid").read_text().split()[0])
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except (OSError, ValueError, IndexError, TypeError):
            continue
        out[name] = [pid, *map(int, children)]
    return out


def cpu_seconds(pids: dict[str, list[int]]) -> dict[str, float]:
    """User + system CPU seconds so far of each group of processes."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for name, group in pids.items():
        total = 0.0
        for pid in group:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        out[name] = total
    return out


# --- statistics (pure) ----------------------------------------------------------------------

def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of unsorted values (nan when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclasses.dataclass
class Summary:
    n: int
    errors: int
    p50: float
    p95: float
    p99: float
    mean: float
    throughput: float
    cpu_ms: float       # the clients' own CPU per request

    @classmethod
    def of(cls, latencies: list[float], errors: int, seconds: float, cpu: float) -> Summary:
        ms = [value * 1000 for value in latencies]
        n = len(ms)
        return cls(n, errors, *(percentile(ms, p) for p in PERCENTILES),
                   statistics.fmean(ms) if ms else math.nan,
                   n / seconds if seconds > 0 else math.nan, 1000 * cpu / n if n else math.nan)


def summarise(phases: list[dict]) -> Summary:
    """One summary over the phases of one target at one concurrency."""
    latencies, errors, seconds, cpu = [], 0, 0.0, 0.0
    for phase in phases:
        for result in phase["results"]:
            for _kind, _page, latency, status in result["records"]:
                if status == 200:
                    latencies.append(latency)
                else:
                    errors += 1
            cpu += result["cpu"]
        seconds += max(r["ended"] for r in phase["results"]) - phase["start_at"]
    return Summary.of(latencies, errors, seconds, cpu)


def by_kind(phases: list[dict]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for phase in phases:
        for result in phase["results"]:
            for kind, _page, latency, status in result["records"]:
                if status == 200:
                    out[kind].append(latency * 1000)
    return out


def render_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    cells = [[str(h) for h in header]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:,.1f}" if value >= 10 else f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


# --- main -------------------------------------------------------------------------------------

def phase_order(rounds: int) -> list[str]:
    """ABBA: api, raw, raw, api, api, raw ..."""
    order = []
    for number in range(rounds):
        order += ["api", "raw"] if number % 2 == 0 else ["raw", "api"]
    return order


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    corpus.add_arguments(parser)
    api_default = os.environ.get("NEWSARCHIVE_API_URL") or (
        f"http://127.0.0.1:{os.environ.get('NEWSARCHIVE_API_PORT', '8000')}")
    parser.add_argument("--api", default=api_default, help=f"API base URL (default {api_default})")
    parser.add_argument("--clients", default="1,20", help="concurrency levels (default 1,20)")
    parser.add_argument("--duration", type=float, default=10.0,
                        help="seconds per phase (default 10)")
    parser.add_argument("--queries", type=int, default=0,
                        help="requests per phase instead of --duration (split over the clients)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="phases per target and concurrency, in ABBA order (default 4)")
    parser.add_argument("--warmup", type=float, default=10.0,
                        help="seconds of warm-up per target and round (default 10)")
    parser.add_argument("--warmup-max", type=float, default=180.0,
                        help="warm-up rounds end after this many seconds even when the raw "
                             "throughput has not settled (default 180)")
    parser.add_argument("--sessions", type=int, default=500, help="query sessions (default 500)")
    state = os.environ.get("NEWSARCHIVE_STATE_DIR")
    parser.add_argument("--state-dir", type=Path, default=Path(state) if state else None,
                        help="the local stack's state folder (its pids/ give the server CPU "
                             f"per request; default NEWSARCHIVE_STATE_DIR={state})")
    parser.add_argument("--no-load", action="store_true",
                        help="use the index as it is (no corpus check or load)")
    parser.add_argument("--any-prefix", action="store_true",
                        help="with --no-load: allow an index prefix other than test-/bench-")
    args = parser.parse_args(argv)
    levels = sorted({int(c) for c in args.clients.split(",") if c.strip()})
    if not levels or levels[0] < 1 or args.rounds < 1 or args.duration <= 0:
        parser.error("--clients, --rounds and --duration must be positive")
    if not (args.no_load and args.any_prefix):
        corpus.check_prefix(args.prefix)
    clients = Clients(levels[-1])   # fork first: the parent has no threads yet
    try:
        return run(args, levels, clients)
    finally:
        clients.close()


WARM_TOLERANCE = 0.05


def settled(rates: Sequence[float], tolerance: float = WARM_TOLERANCE) -> bool:
    """The last two warm-up throughputs are within ``tolerance`` of each other."""
    return len(rates) >= 2 and abs(rates[-1] - rates[-2]) <= tolerance * rates[-2]


def warm_up(phase, clients_n: int, seconds: float, limit: float) -> list[float]:
    """Rounds of ``seconds`` per target until the raw throughput settles or ``limit`` seconds
    have passed (at least one round); the raw requests per second of each round."""
    rates: list[float] = []
    started = time.monotonic()
    while not settled(rates) and (not rates or time.monotonic() - started < limit):
        phase("api", clients_n, seconds, 0, -1)
        raw = phase("raw", clients_n, seconds, 0, -1)
        rates.append(sum(len(r["records"]) for r in raw["results"]) / max(seconds, 1e-9))
    return rates


def run(args, levels: list[int], clients: Clients) -> int:
    from api import create_app
    from indexer.settings import Settings

    settings = dataclasses.replace(Settings.from_env(), es_url=args.es, index_prefix=args.prefix)
    es = corpus.elasticsearch(args.es)
    alias = settings.articles_alias
    docs = corpus.ensure_from_args(es, args)
    sessions = make_sessions(args.sessions, args.seed, top_values(es, alias))
    app = create_app({"NEWSARCHIVE_SETTINGS": settings})
    make_bodies(app, sessions)
    clients.setup(sessions)
    urls = {"api": args.api.rstrip("/"), "raw": args.es.rstrip("/")}
    keep_alive = settings.cursor_keep_alive
    print(f"{docs:,} documents in {alias}; {len(sessions)} sessions; API {urls['api']} "
          f"(NEWSARCHIVE_API_WORKERS={os.environ.get('NEWSARCHIVE_API_WORKERS', '?')}), "
          f"Elasticsearch {urls['raw']}; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}", flush=True)

    def phase(target: str, clients_n: int, seconds: float, quota: int, number: int) -> dict:
        pit = es.open_point_in_time(index=alias, keep_alive=keep_alive)["id"] \
            if target == "raw" else None
        start_at = time.monotonic() + 0.3
        job = {"target": target, "urls": urls, "alias": alias, "pit": pit,
               "keep_alive": keep_alive, "seed": args.seed, "round": number,
               "start_at": start_at, "stop_at": start_at + seconds if seconds else math.inf,
               "quota": quota}
        pids = server_pids(args.state_dir)
        before = cpu_seconds(pids)
        try:
            results = clients.run(clients_n, job)
            after = cpu_seconds(pids)
            return {"start_at": start_at, "results": results,
                    "server_cpu": {name: after[name] - before[name] for name in after}}
        finally:
            if pit:
                es.close_point_in_time(id=pit)

    pit = es.open_point_in_time(index=alias, keep_alive=keep_alive)["id"]
    checked = clients.run(1, {"target": "check", "urls": urls, "alias": alias, "pit": pit,
                              "keep_alive": keep_alive})[0]
    es.close_point_in_time(id=pit)
    bad = [c for c in checked if not c[3] or c[1] != c[2]]
    empty = sum(1 for c in checked if c[1] == 0)
    print(f"check: {len(checked) - len(bad)}/{len(checked)} sessions give the same total and "
          f"result ids through the API and raw; {empty} match nothing", flush=True)
    for kind, api_total, raw_total, _same, detail in bad[:5]:
        print(f"  differs: {kind}: API {api_total} raw {raw_total} {detail[:200]!r}")
    rates = warm_up(phase, levels[-1], args.warmup, args.warmup_max)
    print(f"warm-up: {len(rates)} rounds, raw requests/s "
          f"{' -> '.join(f'{rate:.0f}' for rate in rates)}"
          f"{'' if settled(rates) else ' (not settled: the node may still be warming up)'}",
          flush=True)

    results: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for clients_n in levels:
        quota = math.ceil(args.queries / clients_n) if args.queries else 0
        for number, target in enumerate(phase_order(args.rounds)):
            results[(clients_n, target)].append(
                phase(target, clients_n, 0 if args.queries else args.duration, quota, number // 2))
            print(f"  {clients_n} clients, {target}: done (load average "
                  f"{os.getloadavg()[0]:.2f})", flush=True)
    print(report(results, levels), flush=True)
    errors = sum(summarise(phases).errors for phases in results.values())
    return 0 if errors == 0 and not bad else 1


def report(results: dict[tuple[int, str], list[dict]], levels: list[int]) -> str:
    summaries = {key: summarise(phases) for key, phases in results.items()}
    rows = [(clients_n, target, s.n, s.errors, s.p50, s.p95, s.p99, s.mean, s.throughput, s.cpu_ms)
            for (clients_n, target), s in sorted(summaries.items())]
    lines = ["", render_table(("clients", "target", "n", "errors", "p50 ms", "p95 ms", "p99 ms",
                               "mean ms", "req/s", "client cpu ms/req"), rows), ""]
    for clients_n in levels:
        api, raw = summaries[(clients_n, "api")], summaries[(clients_n, "raw")]
        lines.append(f"ratio API/raw at {clients_n} clients: p50 {api.p50 / raw.p50:.2f}, "
                     f"p95 {api.p95 / raw.p95:.2f}, p99 {api.p99 / raw.p99:.2f}, "
                     f"throughput {api.throughput / raw.throughput:.2f}")
    top = levels[-1]
    api, raw = summaries[(top, "api")], summaries[(top, "raw")]
    lines.append(f"goal at {top} clients: p50 ratio <= {GOAL_P50_RATIO}: "
                 f"{'met' if api.p50 / raw.p50 <= GOAL_P50_RATIO else 'NOT met'} "
                 f"({api.p50 / raw.p50:.2f}); API p99 < {GOAL_P99_MS:.0f} ms: "
                 f"{'met' if api.p99 < GOAL_P99_MS else 'NOT met'} ({api.p99:.1f} ms)")
    lines += server_cpu_lines(results, summaries)
    api_kinds, raw_kinds = by_kind(results[(top, "api")]), by_kind(results[(top, "raw")])
    total = sum(len(v) for v in api_kinds.values()) or 1
    rows = []
    for kind in sorted(api_kinds, key=lambda k: -len(api_kinds[k])):
        a, r = api_kinds[kind], raw_kinds.get(kind, [])
        rows.append((kind, f"{100 * len(a) / total:.0f}%", percentile(a, 50), percentile(r, 50),
                     percentile(a, 50) / percentile(r, 50) if r else math.nan,
                     percentile(a, 99), percentile(r, 99)))
    lines += ["", f"by session kind at {top} clients (cursor: every page of a deep cursor):",
              render_table(("kind", "share", "api p50", "raw p50", "ratio", "api p99", "raw p99"),
                           rows)]
    return "\n".join(lines)


def server_cpu_lines(results: dict[tuple[int, str], list[dict]],
                     summaries: dict[tuple[int, str], Summary]) -> list[str]:
    """CPU milliseconds per request of each server process group and the clients: unlike
    latency, hardly moved by other work on the machine. Their total, API over raw, is the
    latency ratio to expect when the machine is saturated by this benchmark alone."""
    rows = []
    for key, phases in sorted(results.items()):
        if not all(phase.get("server_cpu") for phase in phases):
            return []
        total = summaries[key].n + summaries[key].errors
        cpu = {name: 1000 * sum(phase["server_cpu"].get(name, 0.0) for phase in phases) / total
               for name in SERVERS}
        rows.append((*key, *(cpu[name] for name in SERVERS), summaries[key].cpu_ms,
                     sum(cpu.values()) + summaries[key].cpu_ms))
    lines = ["", "CPU ms per request (the local stack's processes; clients included):",
             render_table(("clients", "target", *SERVERS, "clients", "total"), rows)]
    totals = {(row[0], row[1]): row[-1] for row in rows}
    for clients_n in sorted({row[0] for row in rows}):
        if (clients_n, "api") in totals and (clients_n, "raw") in totals:
            lines.append(f"CPU per request API/raw at {clients_n} clients: "
                         f"{totals[(clients_n, 'api')] / totals[(clients_n, 'raw')]:.2f}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
