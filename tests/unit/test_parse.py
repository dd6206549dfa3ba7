import datetime as dt
import gzip
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.parse import (
    ParseError,
    html_title,
    html_to_text,
    list_files,
    parse_article,
    parse_published_at,
    read_file,
)


def test_text_article_keeps_raw_input_and_given_fields():
    doc = parse_article({"text": "Kim trifft Putin.\r\nZweite Zeile.", "title": " Titel ",
                         "external_id": "e1", "outlet": "CNN", "language": "de",
                         "published_at": "2023-08-30T18:36:00+02:00", "metadata": {"k": 1}})
    assert doc["body"] == "Kim trifft Putin.\nZweite Zeile."
    assert doc["title"] == "Titel"
    # raw: the input text and title, and the derivable fields as given (so a re-enrichment
    # derives again exactly what was derived: indexer/reenrich.py)
    assert doc["raw"] == {"text": "Kim trifft Putin.\r\nZweite Zeile.", "title": " Titel ",
                          "outlet": "CNN", "language": "de",
                          "published_at": "2023-08-30T18:36:00+02:00"}
    assert doc["published_at"] == "2023-08-30T18:36:00+02:00"
    assert (doc["external_id"], doc["outlet"], doc["language"], doc["metadata"]) == \
        ("e1", "CNN", "de", {"k": 1})


def test_html_article_gets_text_and_title_from_markup():
    markup = ("<html><head><title>USA &amp; Russland</title><style>p{}</style></head><body>"
              "<p>Erster Absatz.</p><script>track()</script><p>Zweiter&nbsp;Absatz.</p>"
              "</body></html>")
    doc = parse_article({"html": markup})
    assert doc["body"] == "Erster Absatz.\n\nZweiter Absatz."
    assert doc["title"] == "USA & Russland"
    assert doc["raw"] == {"html": markup, "outlet": None, "published_at": None, "language": None}


@pytest.mark.parametrize("raw, message", [
    ({}, "text: missing"),
    ({"text": "a", "html": "<p>b</p>"}, "text: give either text or html"),
    ({"text": 5}, "text: not a string"),
    ({"text": " \n "}, "text: no text content"),
    ({"html": "<script>x()</script>"}, "html: no text content"),
    ({"text": "a", "title": 3}, "title: not a string"),
    ({"text": "a", "metadata": []}, "metadata: not an object"),
    ({"text": "a", "published_at": "2023-08-30T18:36:00"}, "published_at: needs a time zone"),
    ({"text": "a", "published_at": "am Mittwoch"}, "published_at: not an ISO 8601"),
    ({"text": "a", "published_at": "9999-12-01T10:00:00+00:00"},
     "published_at: more than 7 days in the future"),
    ({"text": "a", "bogus": 1}, "unknown field(s): bogus"),
])
def test_invalid_raw_articles_name_the_field(raw, message):
    with pytest.raises(ParseError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_article(raw)


def test_published_at_accepts_z_and_offsets():
    assert parse_published_at("2023-08-30T16:36:00Z") == "2023-08-30T16:36:00+00:00"
    assert parse_published_at(" 2023-12-24 ") == "2023-12-24T00:00:00+01:00"   # local midnight
    assert parse_published_at(None) is None


def test_published_at_keeps_any_past_year_and_an_embargo_of_days():
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=6)).replace(microsecond=0)
    assert parse_published_at(soon.isoformat()) == soon.isoformat()
    assert parse_published_at("0001-01-01T00:00:00+00:00") == "0001-01-01T00:00:00+00:00"


def test_control_and_zero_width_characters_are_removed():
    assert parse_article({"text": "Kim\u200b Jong\x00 Un\ufeff"})["body"] == "Kim Jong Un"


def test_html_title_absent():
    assert html_title("<p>x</p>") is None
    assert html_to_text("<div>a<br>b</div>") == "a\nb"


def test_read_text_file_uses_stem_as_external_id(sample_paths):
    items = list(read_file(sample_paths[3]))
    assert len(items) == 1
    assert items[0].article["external_id"] == "003_35686e7d763b10ba"
    assert "Rüstungsgeschäfte" in items[0].article["text"]


def test_read_json_jsonl_gz_and_folders(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.json").write_text(json.dumps([{"text": "eins"}, {"text": "zwei"}, 3]))
    (tmp_path / "sub" / "b.jsonl").write_text('{"text": "drei"}\n\n{kaputt\n')
    (tmp_path / "c.ndjson.gz").write_bytes(gzip.compress(b'{"text": "vier"}\n'))
    (tmp_path / "d.html").write_text("<p>fuenf</p>")
    (tmp_path / "ignored.csv").write_text("x")
    files = list_files([tmp_path])
    assert [f.name for f in files] == ["a.json", "c.ndjson.gz", "d.html", "b.jsonl"]
    items = [item for f in files for item in read_file(f)]
    texts = [i.article.get("text") or i.article.get("html") for i in items if i.article]
    assert texts == ["eins", "zwei", "vier", "<p>fuenf</p>", "drei"]
    errors = [(i.origin.rsplit("/", 1)[-1], i.error.split(":")[0]) for i in items if i.error]
    assert errors == [("a.json[2]", "not a JSON object"), ("b.jsonl:3", "invalid JSON")]


def test_unreadable_gzip_is_reported(tmp_path):
    path = tmp_path / "x.txt.gz"
    path.write_bytes(b"not gzip")
    [item] = read_file(path)
    assert item.error.startswith("cannot read")


@given(st.text())
def test_html_to_text_never_crashes(markup):
    assert isinstance(html_to_text(markup), str)


@given(st.text(min_size=1))
def test_parse_article_either_parses_or_names_the_problem(text):
    try:
        doc = parse_article({"text": text})
    except ParseError as exc:
        assert str(exc).startswith("text:")
    else:
        assert doc["body"].strip()
