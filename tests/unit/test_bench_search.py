"""The pure parts of benchmarks/search.py: sessions, requests, statistics. No services."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.search import (  # noqa: E402
    CURSOR_PAGES,
    SESSION_KINDS,
    Session,
    Summary,
    make_sessions,
    percentile,
    phase_order,
    raw_request,
    settled,
    warm_up,
)

VALUES = {"person": ["per-angela-merkel", "Olaf Scholz"], "organization": ["org-siemens"],
          "place": ["loc-berlin", "Wien"], "outlet": ["zeit.de", "faz.net"]}


def test_sessions_are_seeded_and_cover_every_kind():
    sessions = make_sessions(500, 1, VALUES)
    assert [s.params for s in sessions] == [s.params for s in make_sessions(500, 1, VALUES)]
    assert [s.params for s in sessions] != [s.params for s in make_sessions(500, 2, VALUES)]
    assert {s.kind for s in sessions} == set(SESSION_KINDS)
    assert 490 <= len(sessions) <= 510
    for session in sessions:
        if session.kind == "cursor":
            assert CURSOR_PAGES[0] <= session.pages <= CURSOR_PAGES[1]
        else:
            assert session.pages == 1
        assert session.query_string   # every session asks something


def test_raw_request_reads_relevance_from_the_pit_and_adds_search_after():
    session = Session("word", [("q", "Bahn")], body={"query": {"match_all": {}}, "size": 20},
                      pit=True)
    path, payload = raw_request(session, "test-bench-articles", "PIT", "2m", None)
    assert path == "/_search"
    assert json.loads(payload) == {**session.body, "pit": {"id": "PIT", "keep_alive": "2m"}}
    path, payload = raw_request(session, "test-bench-articles", "PIT", "2m", [1.5, "id", 7])
    assert json.loads(payload)["search_after"] == [1.5, "id", 7]
    session.pit = False
    path, payload = raw_request(session, "test-bench-articles", "PIT", "2m", None)
    assert path == "/test-bench-articles/_search" and "pit" not in json.loads(payload)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([3.0], 99) == 3.0
    assert percentile(list(reversed(values)), 95) == 95


def test_phases_alternate_abba():
    assert phase_order(1) == ["api", "raw"]
    assert phase_order(3) == ["api", "raw", "raw", "api", "api", "raw"]


def test_summary_in_milliseconds_and_per_second():
    summary = Summary.of([0.010, 0.020, 0.030, 0.040], errors=1, seconds=2.0, cpu=0.004)
    assert (summary.n, summary.errors, summary.p50, summary.p99) == (4, 1, 20.0, 40.0)
    assert summary.mean == 25.0 and summary.throughput == 2.0 and summary.cpu_ms == 1.0


def test_warm_up_repeats_until_raw_throughput_settles():
    assert not settled([]) and not settled([100.0])
    assert not settled([100.0, 140.0]) and settled([100.0, 140.0, 144.0])
    rates = iter([80, 120, 150, 155, 156])
    calls = []

    def phase(target, clients_n, seconds, quota, number):
        calls.append(target)
        count = next(rates) * 10 if target == "raw" else 0
        return {"results": [{"records": [None] * count}]}

    assert warm_up(phase, 20, 10.0, limit=600) == [80.0, 120.0, 150.0, 155.0]
    assert calls == ["api", "raw"] * 4


def test_warm_up_stops_at_its_time_limit():
    def phase(target, clients_n, seconds, quota, number):
        return {"results": [{"records": [None] * (10 if target == "raw" else 0)}]}

    assert warm_up(phase, 1, 1.0, limit=0) == [10.0]     # at least one round
