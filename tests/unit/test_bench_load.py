"""The pure parts of benchmarks/load.py: statistics and the report."""

from benchmarks import load

RECORDS = [("word", 1.0, 0.010, 200), ("word", 2.0, 0.030, 200), ("article", 61.0, 0.005, 200),
           ("cursor page", 62.0, 0.020, 503), ("error:ProtocolError", 70.0, 0.0, 0)]


def test_totals_per_kind_count_non_200_as_errors():
    by_kind = {t.kind: t for t in load.totals(RECORDS)}
    assert by_kind["all"].requests == 5 and by_kind["all"].errors == 2
    assert by_kind["word"].requests == 2 and by_kind["word"].errors == 0
    assert by_kind["cursor page"].errors == 1 and by_kind["error"].errors == 1
    assert by_kind["word"].p50 == 10.0 and by_kind["word"].p99 == 30.0


def test_per_minute_and_growth():
    assert load.per_minute(RECORDS, 120) == [(0, 2, 10.0, 30.0), (1, 3, 5.0, 20.0)]
    assert load.growth(100.0, 108.0) == 0.08


def test_report_marks_memory_growth_over_the_goal():
    text = load.report(RECORDS, 120, {"sent": 10, "indexed": 10, "failed": 0, "pending": 0},
                       {"API (gunicorn)": 100.0, "worker (Celery)": 300.0},
                       {"API (gunicorn)": 105.0, "worker (Celery)": 360.0})
    assert "+5.0%  ok" in text and "+20.0%  over 10%" in text
    assert "ingest while reading: sent 10, indexed 10" in text
