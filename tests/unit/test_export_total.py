"""``X-Total-Count`` of ``GET /v1/export``: the first PIT page counts every match exactly,
later pages count nothing; the header announces the count before the body."""

from __future__ import annotations

from api import export


class CountingEs:
    """A PIT over ``n`` hits that reports ``hits.total`` when the body asks for it."""

    def __init__(self, n: int):
        self.n, self.bodies, self.closed = n, [], []

    def open_point_in_time(self, index, keep_alive):
        return {"id": "pit-0"}

    def search(self, body):
        self.bodies.append(body)
        start = body.get("search_after", [-1])[0] + 1
        hits = [{"_id": f"a{i}", "_source": {"id": f"a{i}"}, "sort": [i]}
                for i in range(start, min(start + body["size"], self.n))]
        raw = {"pit_id": "pit-0", "hits": {"hits": hits}}
        if body["track_total_hits"]:
            raw["hits"]["total"] = {"value": self.n, "relation": "eq"}
        return raw

    def close_point_in_time(self, id):
        self.closed.append(id)


def test_only_the_first_page_counts():
    assert export.export_body({}, pit_id="p", count=True)["track_total_hits"] is True
    assert export.export_body({}, pit_id="p", search_after=[1])["track_total_hits"] is False


def test_the_walk_knows_the_total_before_the_first_row():
    es = CountingEs(7)
    walk = export.PitWalk(es, "articles", {}, page_size=3).start()
    assert walk.total == 7
    assert sum(len(page) for page in walk.hits_pages()) == 7
    assert [b["track_total_hits"] for b in es.bodies] == [True, False, False]


def test_the_header_announces_the_total(client, monkeypatch, export_without_lookups):
    monkeypatch.setattr(export.ext, "es", lambda: CountingEs(12))
    monkeypatch.setattr(export, "PAGE_SIZE", 5)
    for fmt, rows in (("ndjson", 12), ("csv", 13)):
        response = client.get(f"/v1/export?format={fmt}")
        assert response.headers["X-Total-Count"] == "12"
        assert len(response.get_data(as_text=True).splitlines()) == rows
