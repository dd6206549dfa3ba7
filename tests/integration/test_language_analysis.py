"""Non-German articles are indexed with the neutral analyzer, never with the German one: sent
through the API, a French and an English article are found by their own words in ``title``/
``body`` and are not stemmed German-style; a German article is also in ``title_de``/``body_de``,
analyzed with the German analyzers."""

import time
import uuid

import pytest

ARTICLES = {
    "fr": ("Sanctions contre la Russie",
           "Le gouvernement a annoncé mercredi à Paris de nouvelles sanctions contre la Russie. "
           "Les maisons de l'armée seront fermées jusqu'à nouvel ordre."),
    "en": ("Sanctions against Russia",
           "The government announced new sanctions against Russia on Wednesday in London. "
           "The houses of the army will be closed until further notice."),
    "de": ("Sanktionen gegen Russland",
           "Die Bundesregierung hat am Mittwoch in Berlin neue Sanktionen gegen Russland "
           "beschlossen. Die Waffenlieferungen an die Ukraine werden fortgesetzt."),
}


@pytest.fixture(scope="module")
def languages(session_api, es, settings, worker):
    """language -> article id, all three sent once; plus a query helper restricted to them."""
    run = uuid.uuid4().hex[:10]
    ids = {}
    for language, (title, text) in ARTICLES.items():
        response = session_api.post("/v1/articles", json={
            "external_id": f"lang-{run}-{language}", "title": title, "text": text})
        assert response.status_code == 202, response.text
        ids[language] = response.json()["article_id"]
        _wait(session_api, response.json()["job_id"])
    es.indices.refresh(index=settings.articles_alias)
    return ids


def _wait(api, job_id: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while api.get(f"/v1/jobs/{job_id}").json()["counts"]["pending"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)


def found(es, settings, languages, field, word) -> set[str]:
    """Which of the three articles a match on ``field`` finds."""
    by_id = {article_id: language for language, article_id in languages.items()}
    hits = es.search(index=settings.articles_alias, size=10, query={"bool": {
        "must": [{"match": {field: word}}], "filter": [{"ids": {"values": list(by_id)}}]}})
    return {by_id[hit["_id"]] for hit in hits["hits"]["hits"]}


def test_every_article_keeps_its_language_and_body(es, settings, languages):
    for language, article_id in languages.items():
        source = es.get(index=settings.articles_alias, id=article_id)["_source"]
        assert source["language"] == language
        assert source["body"] == ARTICLES[language][1]


def test_only_the_german_article_has_german_fields(es, settings, languages):
    for field in ("title_de", "body_de"):
        hits = es.search(index=settings.articles_alias, query={"bool": {
            "filter": [{"exists": {"field": field}}, {"ids": {"values": list(languages.values())}}]}})
        assert [hit["_id"] for hit in hits["hits"]["hits"]] == [languages["de"]]


@pytest.mark.parametrize(("field", "word", "languages_found"), [
    ("body", "maisons", {"fr"}),
    ("body", "armée", {"fr"}),            # "l'armée": the elision is cut
    ("body", "armee", {"fr"}),            # accents folded
    ("body", "houses", {"en"}),
    ("title", "sanctions", {"fr", "en"}),
    ("body", "Sanktionen", {"de"}),       # German text is in the neutral fields too
])
def test_non_german_articles_are_found_by_their_words(es, settings, languages, field, word,
                                                      languages_found):
    assert found(es, settings, languages, field, word) == languages_found


@pytest.mark.parametrize(("field", "word"), [
    ("body", "maison"),    # German light stemming would make "maisons" -> "maison"
    ("body", "house"),     # ... and "houses" -> "hous"
    ("body_de", "maisons"),
    ("body_de", "houses"),
    ("title_de", "sanction"),
])
def test_non_german_articles_are_not_stemmed_german_style(es, settings, languages, field, word):
    assert found(es, settings, languages, field, word) - {"de"} == set()


@pytest.mark.parametrize(("field", "word"), [
    ("body_de", "Sanktion"),          # stemmed
    ("body_de", "Lieferung"),         # decompounded: Waffenlieferungen
    ("title_de", "sanktion"),
])
def test_the_german_article_uses_the_german_analyzer(es, settings, languages, field, word):
    assert found(es, settings, languages, field, word) == {"de"}


def test_the_neutral_field_does_not_stem_german_either(es, settings, languages):
    assert found(es, settings, languages, "body", "Sanktion") == set()
