"""Syndicated copies through the real stack: one agency story in two outlets (each with a
line of its own) gets one ``syndication_key``, which search results and exports carry and
which the ``syndication_key`` filter of search and export takes. (How near a copy must be:
tests/unit/test_enrich_syndication.py; the copies here share their whole core, so the test
never depends on which shingle hashes lowest.)"""

from __future__ import annotations

import csv
import io
import time

STORY = [
    "Nordkoreas Machthaber Kim Jong Un will sich nach Angaben der US-Regierung mit dem "
    "russischen Präsidenten Wladimir Putin treffen. Dabei soll es um Waffenlieferungen "
    "zwischen beiden Ländern gehen, sagte ein Sprecher des Nationalen Sicherheitsrats.",
    "Das Treffen könnte in der Hafenstadt Wladiwostok stattfinden, wo Anfang September ein "
    "Wirtschaftsforum geplant ist. Eine Bestätigung aus Moskau oder Pjöngjang gab es nicht.",
    "Die USA hatten Nordkorea zuvor aufgefordert, die Gespräche mit Russland einzustellen. "
    "Russland benötigt für den Krieg gegen die Ukraine dringend Munition und Artillerie.",
]


def copies(token: str) -> dict[str, dict]:
    """The story as two outlets have it (a source line, a short line of the outlet's own),
    and an unrelated text; the token ends each text's last paragraph."""
    story = [*STORY[:2], f"{STORY[2]} Stichwort {token}."]
    other = ["Die Bundesregierung hat in Berlin neue Regeln für den Wohnungsbau beschlossen.",
             f"Bauministerin und Finanzminister stellten die Pläne am Mittwoch vor. {token}."]
    return {
        "zdf": {"outlet": "ZDF", "text": "\n\n".join(story) + "\n\nQuelle: dpa"},
        "ntv": {"outlet": "ntv", "text": "\n\n".join(["Die Lage am Morgen", *story])},
        "other": {"outlet": "ntv", "text": "\n\n".join(other)},
    }


def test_copies_of_one_story_share_a_key_that_search_and_export_filter_by(api, token):
    articles = copies(token)
    ids = {}
    for name, article in articles.items():
        response = api.post("/v1/articles", json={**article, "external_id": f"{token}-{name}"})
        assert response.status_code == 202, response.text
        ids[response.json()["article_id"]] = name
        api.wait_for_job(response.json()["job_id"])
    deadline = time.monotonic() + 30
    while (page := api.get("/v1/search", params={"q": token}).json())["total"] < 3:
        assert time.monotonic() < deadline, "articles not searchable"
        time.sleep(0.3)
    keys = {ids[r["id"]]: r["syndication_key"] for r in page["results"]}
    assert keys["zdf"] == keys["ntv"] and keys["zdf"].startswith("mh1-")
    assert keys["other"] != keys["zdf"]

    found = api.get("/v1/search", params={"q": token, "syndication_key": keys["zdf"]}).json()
    assert sorted(ids[r["id"]] for r in found["results"]) == ["ntv", "zdf"]
    assert found["total"] == 2
    both = api.get("/v1/search", params=[("q", token), ("syndication_key", keys["zdf"]),
                                         ("syndication_key", keys["other"])]).json()
    assert both["total"] == 3                              # repeated = any

    export = api.get("/v1/export", params={"q": token, "syndication_key": keys["zdf"],
                                           "format": "csv"})
    assert export.status_code == 200, export.text
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert sorted(row["outlet"] for row in rows) == ["ZDF", "ntv"]
    assert {row["syndication_key"] for row in rows} == {keys["zdf"]}
