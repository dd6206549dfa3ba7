"""``GET /v1/export`` against a fake Elasticsearch: PIT paging, formats, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from api import export, query


def article(i: int) -> dict:
    return {"id": f"a{i:03d}", "external_id": f"ext-{i}", "title": f"Titel {i}, mit \"Komma\"",
            "url": None, "outlet": "CNN", "agencies": ["dpa", "AFP"] if i % 2 else [],
            "language": "de", "published_at": f"2023-09-{1 + i % 28:02d}T10:00:00+02:00",
            "persons": [{"id": "kim-jong-un", "name": "Kim Jong Un"}],
            "organizations": [], "places": [{"id": "moskau", "name": "Moskau"}],
            "body": f"Text {i}\nzweite Zeile"}


class FakeEs:
    """Serves ``docs`` through PIT pages as Elasticsearch would (sorted already)."""

    def __init__(self, docs: list[dict], fail_on_page: int | None = None):
        self.docs, self.fail_on_page = docs, fail_on_page
        self.opened: list[str] = []
        self.closed: list[str] = []
        self.bodies: list[dict] = []

    def open_point_in_time(self, index, keep_alive):
        assert keep_alive == export.KEEP_ALIVE
        self.opened.append(f"pit-{len(self.opened)}")
        return {"id": self.opened[-1]}

    def search(self, body):
        assert "index" not in body and body["pit"]["id"].startswith("pit-")
        self.bodies.append(body)
        if self.fail_on_page is not None and len(self.bodies) > self.fail_on_page:
            raise RuntimeError("node went away")
        start = body.get("search_after", [-1])[0] + 1
        page = self.docs[start:start + body["size"]]
        return {"pit_id": body["pit"]["id"], "hits": {"hits": [
            {"_id": d["id"], "_source": d, "sort": [start + n]} for n, d in enumerate(page)]}}

    def close_point_in_time(self, id):
        self.closed.append(id)


@pytest.fixture
def fake_es(monkeypatch, export_without_lookups):
    def install(docs, **kwargs):
        es = FakeEs(docs, **kwargs)
        monkeypatch.setattr(export.ext, "es", lambda: es)
        return es
    return install


def test_ndjson_walks_every_page_and_closes_the_pit(client, fake_es, monkeypatch):
    monkeypatch.setattr(export, "PAGE_SIZE", 7)
    es = fake_es([article(i) for i in range(30)])
    response = client.get("/v1/export?q=Kim")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="newsarchive-export.ndjson"'
    rows = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [r["id"] for r in rows] == [f"a{i:03d}" for i in range(30)]
    assert rows[1]["persons"] == ["Kim Jong Un"] and rows[1]["places"] == ["Moskau"]
    assert rows[1]["body"] == "Text 1\nzweite Zeile" and rows[1]["agencies"] == ["dpa", "AFP"]
    assert list(rows[0]) == list(export.ROW_FIELDS)
    assert len(es.bodies) == 5 and all(b["size"] == 7 for b in es.bodies)
    assert [b.get("search_after") for b in es.bodies] == [None, [6], [13], [20], [27]]
    assert es.closed == es.opened == ["pit-0"]


def test_exact_multiple_of_the_page_size_ends_with_an_empty_page(client, fake_es, monkeypatch):
    monkeypatch.setattr(export, "PAGE_SIZE", 5)
    es = fake_es([article(i) for i in range(10)])
    assert len(client.get("/v1/export").get_data(as_text=True).splitlines()) == 10
    assert len(es.bodies) == 3 and es.closed == ["pit-0"]


def test_csv_has_a_header_no_body_and_joined_lists(client, fake_es, monkeypatch):
    monkeypatch.setattr(export, "PAGE_SIZE", 4)
    fake_es([article(i) for i in range(9)])
    response = client.get("/v1/export?format=csv&outlet=CNN")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('filename="newsarchive-export.csv"')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 9 and tuple(rows[0]) == export.CSV_FIELDS
    assert rows[1]["title"] == 'Titel 1, mit "Komma"'
    assert rows[1]["agencies"] == "dpa; AFP" and rows[0]["agencies"] == ""
    assert rows[0]["url"] == "" and rows[0]["persons"] == "Kim Jong Un"


def test_excel_is_csv_with_a_byte_order_mark_semicolons_and_no_formulas(client, fake_es):
    docs = [article(i) for i in range(3)]
    docs[1]["title"] = "+++ Eilmeldung: Müller; Öl +++"
    docs[2]["title"] = '=HYPERLINK("http://example.org")'
    fake_es(docs)
    response = client.get("/v1/export?format=excel&fields=id,title,persons,agencies")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('filename="newsarchive-export.csv"')
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbfid;title;persons;agencies\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                               delimiter=";"))
    assert [r["title"] for r in rows] == ['Titel 0, mit "Komma"', "'+++ Eilmeldung: Müller; Öl +++",
                                          "'=HYPERLINK(\"http://example.org\")"]
    assert rows[1]["agencies"] == "dpa; AFP" and rows[1]["persons"] == "Kim Jong Un"


@pytest.mark.parametrize("cell, shown", [
    ("+++ Eilmeldung", "'+++ Eilmeldung"), ("=1+1", "'=1+1"), ("-Anzeige-", "'-Anzeige-"),
    ("@kanzler", "'@kanzler"), ("\tx", "'\tx"), ("Müller", "Müller"), ("", ""),
    ("2023-09-01", "2023-09-01"),
])
def test_excel_text(cell, shown):
    assert export.excel_text(cell) == shown


def test_fields_choose_the_columns_their_order_and_what_is_read(client, fake_es):
    es = fake_es([article(i) for i in range(3)])
    response = client.get("/v1/export?format=csv&fields=published_at,title,body,persons,title")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("published_at,title,body,persons\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[1] == {"published_at": "2023-09-02T10:00:00+02:00",
                       "title": 'Titel 1, mit "Komma"', "body": "Text 1\nzweite Zeile",
                       "persons": "Kim Jong Un"}
    assert es.bodies[0]["_source"] == ["published_at", "title", "body", "persons"]
    lines = client.get("/v1/export?fields=id,agencies").get_data(as_text=True).splitlines()
    assert json.loads(lines[1]) == {"id": "a001", "agencies": ["dpa", "AFP"]}
    assert es.bodies[-1]["_source"] == ["id", "agencies"]


def test_no_match_is_an_empty_body(client, fake_es):
    es = fake_es([])
    response = client.get("/v1/export?q=nichts")
    assert response.status_code == 200 and response.get_data() == b""
    assert client.get("/v1/export?q=nichts&format=csv").get_data(as_text=True) == \
        ",".join(export.CSV_FIELDS) + "\r\n"
    assert es.closed == es.opened


def test_a_client_that_stops_reading_closes_the_pit(fake_es, monkeypatch):
    monkeypatch.setattr(export, "PAGE_SIZE", 3)
    es = fake_es([article(i) for i in range(20)])
    walk = export.PitWalk(es, "articles", {}, 3).start()
    chunks = walk.chunks("ndjson")
    next(chunks)
    assert es.closed == []
    chunks.close()      # what the WSGI server does on a disconnect (GeneratorExit)
    assert es.closed == ["pit-0"] and len(es.bodies) == 1


def test_a_failing_page_closes_the_pit(fake_es):
    es = fake_es([article(i) for i in range(20)], fail_on_page=1)
    walk = export.PitWalk(es, "articles", {}, 3).start()
    with pytest.raises(RuntimeError):
        list(walk.chunks("ndjson"))
    assert es.closed == ["pit-0"]


def test_a_failing_first_page_closes_the_pit_before_the_response(fake_es):
    es = fake_es([article(i) for i in range(20)], fail_on_page=0)
    with pytest.raises(RuntimeError):
        export.PitWalk(es, "articles", {}, 3).start()
    assert es.closed == ["pit-0"]


def test_bad_parameters_are_400_before_anything_opens(client, fake_es):
    es = fake_es([article(0)])
    for url, field in (("/v1/export?format=xml", "format"), ("/v1/export?size=5", "size"),
                       ("/v1/export?facets=persons", "facets"), ("/v1/export?q=(Kim", "q"),
                       ("/v1/export?published_from=2023-09-02&published_to=2023-09-01",
                        "published_to"), ("/v1/export?fields=", "fields"),
                       ("/v1/export?fields=title,score", "fields.1")):
        response = client.get(url)
        assert response.status_code == 400, url
        assert field in response.get_json()["error"]["details"]["fields"], url
    assert es.opened == []


def test_export_body_is_the_search_query_over_the_pit():
    args = {"q": "Kim Putin", "person": ["Kim Jong Un"], "outlet": ["CNN"],
            "published_from": None, "compound_parts": {}}
    body = export.export_body(args, pit_id="p", size=7, search_after=[1, 2])
    assert body["query"] == query.build_body(args)["query"]
    assert body["pit"] == {"id": "p", "keep_alive": export.KEEP_ALIVE}
    assert body["size"] == 7 and body["search_after"] == [1, 2]
    assert body["sort"][-1] == {"_shard_doc": "asc"}
    assert "index" not in body and "aggs" not in body and "post_filter" not in body
    assert "search_after" not in export.export_body({}, pit_id="p")
    assert export.export_body({}, pit_id="p")["size"] == export.PAGE_SIZE


def test_rows_tolerate_missing_fields():
    row = export.to_row({"_id": "x", "_source": {}})
    assert row["id"] == "x" and row["persons"] == [] and row["agencies"] == []
    assert export.csv_lines([row]).startswith("x,,,,,,,,,,")
