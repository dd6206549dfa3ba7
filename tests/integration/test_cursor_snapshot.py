"""Cursors while articles arrive, against the real stack: relevance-sorted pages
come from one point-in-time snapshot (api/snapshots.py), so articles sent between
two pages neither repeat nor push out any article of the first listing; a cursor
whose snapshot is gone goes on from its position in the current index."""

from __future__ import annotations

import base64
import json
import time

import pytest


def _articles(token: str, prefix: str, count: int, weather_words: int) -> list[dict]:
    """Articles that all match "Wetter <token>", with different term counts (so
    different scores), one per line of an NDJSON bulk request."""
    return [{"external_id": f"{prefix}-{token}-{i}", "language": "de",
             "title": f"Meldung {i} " + "Wetter " * (weather_words if i % 2 else 1),
             "published_at": f"2022-03-{1 + i:02d}T08:00:00+01:00",
             "text": f"Kurzmeldung {i} über das Wetter in Hamburg und Bremen. "
                     + "Regen und Wind. " * (i % 4) + f"Stichwort {token}."}
            for i in range(count)]


def _send(api, articles: list[dict]) -> None:
    job = api.wait_for_job(api.send_bulk(articles), timeout=90)
    assert job["counts"]["indexed"] == len(articles), job


def _wait_searchable(api, token: str, total: int) -> None:
    deadline = time.monotonic() + 30
    while api.get("/v1/search", params={"q": token}).json()["total"] < total:
        assert time.monotonic() < deadline, "articles not searchable"
        time.sleep(0.3)


def _page(api, params: dict) -> dict:
    response = api.get("/v1/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _walk(api, params: dict, cursor: str | None) -> list[str]:
    seen = []
    while cursor:
        page = _page(api, {**params, "cursor": cursor})
        seen += [r["id"] for r in page["results"]]
        cursor = page["next_cursor"]
    return seen


@pytest.fixture
def listing(api, token):
    _send(api, _articles(token, "snap", 12, weather_words=3))
    _wait_searchable(api, token, 12)
    params = {"q": f"Wetter {token}", "size": 4}
    everything = _page(api, {**params, "size": 100})
    assert everything["total"] == 12
    return params, [r["id"] for r in everything["results"]]


def test_relevance_pages_keep_their_snapshot_while_articles_arrive(api, token, listing):
    params, everything = listing
    first = _page(api, params)
    assert [r["id"] for r in first["results"]] == everything[:4]
    # Ten new articles that score above most of the first listing, and change the
    # term statistics of every score.
    _send(api, _articles(token, "late", 10, weather_words=8))
    _wait_searchable(api, token, 22)
    seen = [r["id"] for r in first["results"]] + _walk(api, params, first["next_cursor"])
    assert seen == everything
    # A new search sees the new articles.
    assert _page(api, {**params, "size": 100})["total"] == 22


def test_date_sorted_pages_neither_repeat_nor_skip_while_articles_arrive(api, token, listing):
    params, _ = listing
    params = {**params, "sort": "newest"}
    first = _page(api, params)
    originals = {r["id"] for r in _page(api, {**params, "size": 100})["results"]}
    _send(api, _articles(token, "late", 10, weather_words=8))
    _wait_searchable(api, token, 22)
    seen = [r["id"] for r in first["results"]] + _walk(api, params, first["next_cursor"])
    assert len(seen) == len(set(seen)) and originals <= set(seen)


def test_a_cursor_whose_snapshot_is_gone_goes_on_from_its_position(api, es, token, listing):
    params, everything = listing
    first = _page(api, params)
    payload = first["next_cursor"].split(".")[0]  # signed, not secret: read its snapshot
    pit_id = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["p"]
    assert pit_id, "a relevance cursor carries its snapshot"
    es.close_point_in_time(id=pit_id)
    seen = [r["id"] for r in first["results"]] + _walk(api, params, first["next_cursor"])
    assert seen == everything
