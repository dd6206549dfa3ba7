"""The pure helpers of benchmarks/ingest.py: data readers, selection, table. No services, no timing."""

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.ingest import (  # noqa: E402
    NER_CALL,
    baseline_document,
    bench_ids,
    comparison,
    gnad_articles,
    interleave,
    iter_json_objects,
    median_run,
    render_table,
    report_rows,
    select_articles,
    smartdata_articles,
    split_totals,
    spread_sample,
    stage_name,
    timed_pipeline,
    unwrap_avro,
    wikinews_articles,
    wikinews_name,
)
from indexer import identity, pipeline  # noqa: E402
from indexer.enrich import ner_service  # noqa: E402


def test_unwrap_avro_unwraps_type_wrappers_only():
    assert unwrap_avro({"string": "Berlin"}) == "Berlin"
    assert unwrap_avro({"map": {"source": "news"}}) == {"source": "news"}
    assert unwrap_avro({"source": "news"}) == {"source": "news"}
    assert unwrap_avro(None) is None
    assert unwrap_avro("x") == "x"


def test_iter_json_objects_reads_concatenated_pretty_json():
    text = '{\n  "id" : "a"\n}\n{\n  "id" : "b", "n": {"string": "x"}\n}\n  \n'
    assert [o["id"] for o in iter_json_objects(text)] == ["a", "b"]
    assert list(iter_json_objects("  \n")) == []


def test_gnad_articles_uses_semicolon_and_single_quote():
    text = "Sport;'Wien – Der SK Rapid; ein Klub.'\nKultur;Ein Film läuft an.\nInland;  \n"
    articles = gnad_articles(text)
    assert [a["text"] for a in articles] == ["Wien – Der SK Rapid; ein Klub.", "Ein Film läuft an."]
    assert articles[0]["metadata"] == {"bench_source": "10kgnad", "category": "Sport"}
    assert [a["external_id"] for a in articles] == ["bench:10kgnad:00000", "bench:10kgnad:00001"]


def test_wikinews_name_splits_number_title_and_date():
    assert wikinews_name("11059 - Passagierflugzeug landete in Guam (2005-08-20)") == (
        "11059", "Passagierflugzeug landete in Guam", "2005-08-20")
    assert wikinews_name("7 - Titel ohne Datum") == ("7", "Titel ohne Datum", None)
    assert wikinews_name("kein Muster") == (None, None, None)


def test_wikinews_articles_take_title_and_text():
    lines = [json.dumps({"split": "dev", "documentName": "12 - Wahl in Bayern (2008-09-28)",
                         "originalText": "Am Sonntag wurde gewählt."}),
             json.dumps({"split": "train", "documentName": "13 - Leer", "originalText": " "}),
             ""]
    (article,) = wikinews_articles(lines)
    assert article["title"] == "Wahl in Bayern"
    assert article["text"] == "Am Sonntag wurde gewählt."
    assert article["external_id"] == "bench:wikinews:12"
    assert article["metadata"]["date"] == "2008-09-28"


def _smartdata(id_, text, source, uri=None, date=None):
    return json.dumps({"id": id_, "text": {"string": text}, "uri": uri and {"string": uri},
                       "date": date and {"string": date},
                       "refids": {"map": {"source": source, "fileName": "x.xml"}}}, indent=2)


def test_smartdata_articles_grouped_by_source_with_url_and_date():
    text = "\n".join([
        _smartdata("n1", "Die Bahn streikt.", "news", "https://www.ndr.de/a", "2016-04-12T13:47:17Z"),
        _smartdata("r1", "A27 gesperrt.", "rss", "http://www.ndr.de/v#22", "2016-04-04T18:20:36Z"),
        _smartdata("610137661295214592", "tweet text", "tweet", None, "610137661295214592"),
        _smartdata("e1", "", "news"),
    ])
    kinds = smartdata_articles(text)
    assert sorted(kinds) == ["news", "rss", "tweet"]
    (news,) = kinds["news"]
    assert news == {"text": "Die Bahn streikt.", "external_id": "bench:smartdata:n1",
                    "metadata": {"bench_source": "smartdata-news"},
                    "url": "https://www.ndr.de/a", "published_at": "2016-04-12T13:47:17Z"}
    (tweet,) = kinds["tweet"]
    assert "published_at" not in tweet and "url" not in tweet


def _a(name):
    return {"external_id": name, "text": name}


def test_interleave_is_round_robin_until_all_pools_end():
    pools = [[_a("a1"), _a("a2"), _a("a3")], [_a("b1")], [_a("c1"), _a("c2")]]
    assert [a["text"] for a in interleave(pools)] == ["a1", "b1", "c1", "a2", "c2", "a3"]
    assert list(interleave([])) == []


def test_select_articles_fills_from_fillers_dedupes_and_is_deterministic():
    pools = [[_a("a1"), _a("a2")], [_a("b1"), _a("a1")]]
    fillers = [_a("r1"), _a("r2")]
    chosen = [a["text"] for a in select_articles(pools, fillers, 5)]
    assert chosen == ["a1", "b1", "a2", "r1", "r2"]
    assert [a["text"] for a in select_articles(pools, fillers, 2)] == ["a1", "b1"]
    assert select_articles(pools, fillers, 5) == select_articles(pools, fillers, 5)


def test_spread_sample_spreads_evenly():
    assert spread_sample(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert spread_sample([1, 2], 5) == [1, 2]
    assert spread_sample([1, 2], 0) == []


def test_baseline_document_keeps_text_as_given_with_the_pipeline_id():
    raw = {"text": "  Roh mit Werbung [Anzeige_2]\n", "external_id": "bench:x:1",
           "metadata": {"bench_source": "x"}}
    doc = baseline_document(raw)
    assert doc["id"] == identity.article_id(external_id="bench:x:1")
    assert doc["body"] == raw["text"]
    assert doc["raw"] == {"text": raw["text"]}
    assert set(doc) <= set(pipeline.DOCUMENT_FIELDS)
    assert "url" not in doc and "title" not in doc
    for field, copy in getattr(pipeline, "GERMAN_COPIES", {}).items():
        assert doc.get(copy) == doc.get(field)


def test_bench_ids_include_the_warmup_copies():
    ids = bench_ids([_a("bench:x:1")])
    assert ids == [identity.article_id(external_id="bench:x:1"),
                   identity.article_id(external_id="bench:x:1:warmup")]


def test_stage_names_come_from_the_pipeline_steps():
    assert [stage_name(s) for s in pipeline.CLEAN_STEPS + pipeline.ENRICH_STEPS] == [
        "clean", "enrich", "entities"]


def test_timed_pipeline_wraps_and_restores_the_steps():
    names = ("parse_article", "CLEAN_STEPS", "ENRICH_STEPS", "finish", "process_batch",
             "tag_entities")
    before = {name: getattr(pipeline, name) for name in names}
    steps_before = (list(pipeline.CLEAN_STEPS), list(pipeline.ENRICH_STEPS))
    tag_before = ner_service.tag
    totals = Counter()
    with timed_pipeline(totals):
        assert pipeline.CLEAN_STEPS[0] is not steps_before[0][0]
        assert pipeline.process_batch is not before["process_batch"]
        assert pipeline.tag_entities is not before["tag_entities"]
        assert ner_service.tag is not tag_before
        pipeline.parse_article({"text": "Ein kurzer Text."})
        ner_service.tag([])    # no sentences: answered without a request
    assert "parse" in totals and NER_CALL in totals
    assert ner_service.tag is tag_before
    for name in ("parse_article", "finish", "process_batch", "tag_entities"):
        assert getattr(pipeline, name) is before[name]
    assert pipeline.CLEAN_STEPS is before["CLEAN_STEPS"]
    assert (pipeline.CLEAN_STEPS, pipeline.ENRICH_STEPS) == steps_before


def test_report_rows_put_the_ner_service_under_entities():
    rows = report_rows()
    assert rows[rows.index("entities") + 1] == NER_CALL
    assert rows[-3:] == ("other (ids, bookkeeping)", "store", "total")


def test_split_totals_derives_other_and_store():
    totals = split_totals(Counter({"parse": 1.0, "clean": 2.0, "enrich": 3.0, "entities": 4.0,
                                   "validate": 0.5, "process": 11.0, "total": 15.0}))
    assert totals["other (ids, bookkeeping)"] == 0.5
    assert totals["store"] == 4.0
    assert totals["total"] == 15.0


def test_comparison_gives_ratio_and_slowdown():
    assert comparison(10.0, 100.0) == (0.1, 10.0)


def test_render_table_aligns_columns():
    table = render_table(("run", "articles/s"), [("pipeline", 37.7), ("baseline", 792.9)])
    lines = table.splitlines()
    assert lines[0].startswith("run") and set(lines[1]) <= {"-", " "}
    assert lines[2].endswith("37.7") and lines[3].endswith("792.9")
    assert len({len(line) for line in lines}) == 1


def test_median_run_picks_the_middle_time():
    assert median_run([(3.0, "c"), (1.0, "a"), (2.0, "b")]) == (2.0, "b")
    assert median_run([(2.0, "b"), (1.0, "a")]) == (1.0, "a")
    assert median_run([(5.0, "x")]) == (5.0, "x")
