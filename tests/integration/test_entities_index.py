"""The entities index on the real stack: articles sent through the API (worker, pipeline, store)
make one entity per real person across articles, with every spelling as an alias, found by
prefix; the write path stays exact under retries and concurrent writers."""

import json
import threading
import uuid

import pytest

from indexer import admin, entity_records, entity_store
from indexer.enrich.canonical import entity_id
from indexer.store import RetryableIndexError
from tests.integration.test_ingest_api import post_and_wait

KIM_HYPHENATED = """Kim Jong-un reist nach Russland

Nordkoreas Machthaber Kim Jong-un will nach Angaben aus Washington in den kommenden Wochen nach \
Russland reisen und dort Präsident Wladimir Putin treffen. Kim werde vermutlich mit dem Zug fahren, \
hieß es am Dienstag. Das Treffen solle in Wladiwostok stattfinden. Stichwort {token}."""

KIM_SPACED = """Putin empfängt Kim

Der russische Präsident Wladimir Putin hat den nordkoreanischen Machthaber Kim Jong Un im \
Kosmodrom Wostotschny empfangen. Putin und Kim Jong Un sprachen nach Angaben des Kremls über \
militärische Zusammenarbeit. Kims Zug war am Morgen eingetroffen. Stichwort {token}."""


@pytest.fixture(scope="module")
def two_kim_articles(session_api, es, settings, worker):
    """Both articles sent once per module; (entities alias, articles alias, counts before)."""
    run = uuid.uuid4().hex[:10]
    before = _counts(entity_store.article_stats(es, settings.articles_alias,
                                                ["per-kim-jong-un", "per-wladimir-putin"]))
    for n, (text, published) in enumerate([(KIM_HYPHENATED, "2023-09-05T10:00:00+02:00"),
                                           (KIM_SPACED, "2023-09-13T18:00:00+02:00")]):
        _send(session_api, f"entities-{run}-{n}", text.format(token=f"zq{run}"),
              published_at=published)
    es.indices.refresh(index=[settings.articles_alias, settings.entities_alias])
    return settings.entities_alias, settings.articles_alias, before


def _send(api, external_id: str, text: str, **fields) -> None:
    post_and_wait(api, {"external_id": external_id, "text": text, **fields})


def _counts(stats: dict) -> dict:
    return {key: value["article_count"] for key, value in stats.items()}


def test_both_spellings_are_one_entity_with_both_as_names(es, two_kim_articles):
    entities, articles, _ = two_kim_articles
    kim = entity_store.get_entity(es, entities, articles, "per-kim-jong-un")
    assert kim["name"] == "Kim Jong Un"
    assert kim["type"] == "PER"
    assert {"Kim Jong-un", "Kim"} <= set(kim["aliases"])
    assert "Kim Jong Un" not in kim["aliases"]
    found = es.search(index=entities, query={"term": {"aliases": "Kim Jong-un"}})["hits"]["hits"]
    assert [hit["_id"] for hit in found] == ["per-kim-jong-un"]


def test_first_and_last_seen_span_the_articles(es, two_kim_articles):
    entities, articles, _ = two_kim_articles
    kim = entity_store.get_entity(es, entities, articles, "per-kim-jong-un")
    assert kim["first_seen"] <= "2023-09-05T08:00:00+00:00"
    assert kim["last_seen"] >= "2023-09-13T16:00:00+00:00"


def test_first_and_last_seen_follow_the_articles_naming_it_now(es, settings, token):
    """Counts and dates come from the articles as they are: deleting the oldest article
    moves first_seen (a date range stored with the entity would keep it), and an entity no
    article names any more is not offered by the name search."""
    entity_id, name = f"per-{token}-dates", f"Dora {token}"
    entities, articles = settings.entities_alias, settings.articles_alias
    entity_store.write_entities(es, entities, {entity_id: entity_records.record_for(
        {"id": entity_id, "type": "PER", "name": name, "aliases": []})}, refresh="true")
    ids = [f"{token}-dates-{n}" for n in range(3)]
    try:
        for article_id, published in zip(ids, ("2013-01-02T00:00:00+01:00",
                                               "2023-09-05T10:00:00+02:00", None)):
            es.index(index=articles, id=article_id, document={
                "id": article_id, "body": name, "language": "de",
                "persons": [{"id": entity_id, "name": name}],
                **({"published_at": published} if published else {})})
        es.indices.refresh(index=articles)
        stats = entity_store.article_stats(es, articles, [entity_id])[entity_id]
        assert stats == {"article_count": 3, "first_seen": "2013-01-01T23:00:00+00:00",
                         "last_seen": "2023-09-05T08:00:00+00:00"}
        es.delete(index=articles, id=ids[0], refresh=True)
        entity = entity_store.get_entity(es, entities, articles, entity_id)
        assert (entity["article_count"], entity["first_seen"], entity["last_seen"]) == \
            (2, "2023-09-05T08:00:00+00:00", "2023-09-05T08:00:00+00:00")
        es.delete(index=articles, id=ids[1], refresh=True)
        assert entity_store.article_stats(es, articles, [entity_id])[entity_id] == \
            {"article_count": 1, "first_seen": None, "last_seen": None}
        assert [e["id"] for e in entity_store.search_entities(es, entities, articles, name)] \
            == [entity_id]
        es.delete(index=articles, id=ids[2], refresh=True)   # no article names Dora now
        assert entity_store.search_entities(es, entities, articles, name) == []
    finally:
        for article_id in ids:
            es.options(ignore_status=404).delete(index=articles, id=article_id, refresh=True)


def test_a_short_prefix_finds_the_most_named_of_all_matches(es, settings, token, monkeypatch):
    """More entities match than the name search reads (CANDIDATES, here 2, by score and then
    name): the one most articles name still comes first, although it sorts last by name."""
    monkeypatch.setattr(entity_store, "CANDIDATES", 2)
    entities, articles = settings.entities_alias, settings.articles_alias
    word = f"Zq{token}"
    names = {f"per-{word.lower()}{c}-test": f"{word}{c} Test" for c in "abcd"}
    named = {"a": 1, "b": 1, "c": 1, "d": 3}           # "...d" sorts last, named most
    entity_store.write_entities(es, entities, {i: entity_records.record_for(
        {"id": i, "type": "PER", "name": n, "aliases": []}) for i, n in names.items()},
        refresh="true")
    ids = []
    try:
        for entity_id, name in names.items():
            for n in range(named[entity_id.split("-")[1][-1]]):
                ids.append(f"{entity_id}-{n}")
                es.index(index=articles, id=ids[-1], document={
                    "id": ids[-1], "body": name, "language": "de",
                    "persons": [{"id": entity_id, "name": name}]})
        es.indices.refresh(index=articles)
        found = entity_store.search_entities(es, entities, articles, word.lower(),
                                             entity_type="PER", size=2)
        assert [(e["name"], e["article_count"]) for e in found][0] == (f"{word}d Test", 3)
        assert entity_store.search_entities(es, entities, articles, word, size=1)[0]["name"] \
            == f"{word}d Test"                          # any type
    finally:
        for article_id in ids:
            es.options(ignore_status=404).delete(index=articles, id=article_id, refresh=True)


def test_article_counts_come_exactly_from_the_articles(es, two_kim_articles):
    entities, articles, before = two_kim_articles
    after = _counts(entity_store.article_stats(es, articles,
                                               ["per-kim-jong-un", "per-wladimir-putin"]))
    assert after == {key: count + 2 for key, count in before.items()}
    assert entity_store.get_entity(es, entities, articles, "per-kim-jong-un")["article_count"] == \
        after["per-kim-jong-un"]


@pytest.mark.parametrize(("q", "expected"), [
    ("kim j", "per-kim-jong-un"), ("Kim Jong-u", "per-kim-jong-un"), ("KIM JONG UN", "per-kim-jong-un"),
    ("putin", "per-wladimir-putin"), ("wlad put", "per-wladimir-putin"), ("Putin", "per-wladimir-putin"),
])
def test_prefix_search_over_names_and_aliases(es, two_kim_articles, q, expected):
    entities, articles, _ = two_kim_articles
    found = entity_store.search_entities(es, entities, articles, q, entity_type="PER", size=5)
    assert found and found[0]["id"] == expected, [(e["id"], e["name"]) for e in found]
    assert found[0]["article_count"] >= 2


def test_prefix_search_filters_by_type_and_needs_every_word(es, two_kim_articles):
    entities, articles, _ = two_kim_articles
    assert not [e for e in entity_store.search_entities(es, entities, articles, "kim j",
                                                        entity_type="LOC")]
    assert "per-kim-jong-un" not in [e["id"] for e in entity_store.search_entities(
        es, entities, articles, "kim putin")]


GENITIVE_ONLY = ("{name}s Pläne für die Stadtbahn stoßen in Freiburg auf Kritik. Der Gemeinderat "
                 "will am Dienstag entscheiden. Stichwort {token}.")
NOMINATIVE = ("Die Freiburger Oberbürgermeisterin {name} will eine neue Stadtbahn bauen. Sie sagte "
              "am Montag, der Gemeinderat solle zustimmen. Stichwort {token}.")


def _source_of(es, settings, external_id: str) -> dict:
    found = es.search(index=settings.articles_alias,
                      query={"term": {"external_id": external_id}})["hits"]["hits"]
    return found[0]["_source"]


def _persons_of(es, settings, external_id: str) -> list[dict]:
    return _source_of(es, settings, external_id)["persons"]


def test_a_genitive_name_joins_the_person_known_from_an_earlier_article(
        session_api, es, settings, worker, token):
    """"Ottilie Brandtners Pläne" alone is Ottilie Brandtner once an article named her."""
    name = "Ottilie Brandtner"
    for n, text in enumerate([NOMINATIVE, GENITIVE_ONLY]):
        _send(session_api, f"genitive-{token}-{n}", text.format(name=name, token=token))
    es.indices.refresh(index=[settings.articles_alias, settings.entities_alias])
    assert _persons_of(es, settings, f"genitive-{token}-1") == [
        {"id": "per-ottilie-brandtner", "name": name}]
    entity = entity_store.get_entity(es, settings.entities_alias, settings.articles_alias,
                                     "per-ottilie-brandtner")
    assert entity["article_count"] >= 2
    assert es.exists(index=settings.entities_alias, id="per-ottilie-brandtners").body is False
    # The declined form is the article's, not one of the entity's aliases.
    assert "Ottilie Brandtners" not in entity.get("aliases", [])
    [written] = [e for e in _source_of(es, settings, f"genitive-{token}-1")["entities"]
                 if e["id"] == "per-ottilie-brandtner"]
    assert written["aliases"] == ["Ottilie Brandtners"]
    # A reader who filters by the declined form finds her too, and is told whom it found.
    page = session_api.get("/v1/search", params={"person": "Ottilie Brandtners",
                                                 "q": token}).json()
    assert page["total"] == 2
    assert page["entity_filters"][0]["entities"] == [{"id": "per-ottilie-brandtner",
                                                      "name": name}]


def test_a_genitive_name_joins_the_person_named_in_the_same_batch(
        session_api, es, settings, worker, token):
    """The genitive article comes first in the batch; the base form is known from the other."""
    name = "Wendelin Quastorf"
    lines = [json.dumps({"external_id": f"genitive-batch-{token}-{n}",
                         "text": text.format(name=name, token=token)})
             for n, text in enumerate([GENITIVE_ONLY, NOMINATIVE])]
    response = session_api.post("/v1/articles/bulk", data="\n".join(lines).encode("utf-8"),
                                headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 202, response.text
    job = session_api.wait_for_job(response.json()["job_id"])
    assert job["state"] == "completed", job
    es.indices.refresh(index=settings.articles_alias)
    assert _persons_of(es, settings, f"genitive-batch-{token}-0") == [
        {"id": "per-wendelin-quastorf", "name": name}]


def test_an_acronym_joins_the_organisation_an_earlier_article_spelled_out(
        session_api, es, settings, worker, token):
    texts = ["Der Bund Deutscher Kaltblutzüchter (BDK) lädt nach Verden ein. Der BDK erwartet "
             f"300 Pferde. Stichwort {token}.",
             f"Der BDK erwartet in Verden 300 Pferde, sagte ein Sprecher des BDK. Stichwort {token}."]
    for n, text in enumerate(texts):
        _send(session_api, f"acronym-{token}-{n}", text)
        # Acronyms are found by a search: the entities index shows them after its refresh (1 s).
        es.indices.refresh(index=settings.entities_alias)
    es.indices.refresh(index=settings.articles_alias)
    for n in range(2):
        assert _source_of(es, settings, f"acronym-{token}-{n}")["organizations"] == [
            {"id": "org-bund-deutscher-kaltblutzuechter", "name": "Bund Deutscher Kaltblutzüchter"}]


def test_a_bare_surname_joins_the_person_the_archive_knows_by_it(session_api, es, settings,
                                                                 worker, token):
    """Three articles name "Ottokar Wendelbrink" in full and then "Wendelbrink": a fourth
    that says only "Wendelbrink" is his. In a fifth that names him and a "Jutta Wendelbrink",
    the bare name could be either, so it stays its own."""
    surname = "Wendel" + "".join(chr(ord("a") + int(c, 16)) for c in token[2:5]) + "brink"
    full = f"Ottokar {surname}"
    texts = [f"Der Bürgermeister {full} will in Verden eine neue Brücke bauen. {surname} sagte "
             f"am Montag, der Gemeinderat solle zustimmen. Stichwort {token}."] * 3 + [
             f"Die Brücke in Verden bleibt umstritten. {surname} sagte am Dienstag, er rechne "
             f"mit einer Mehrheit. Stichwort {token}.",
             f"Über die Brücke streiten {full} und die Stadträtin Jutta {surname}. {surname} "
             f"sagte am Dienstag, man rechne mit einer Mehrheit. Stichwort {token}."]
    for n, text in enumerate(texts):
        _send(session_api, f"surname-{token}-{n}", text)
        # Bearers are found by a search of the entities index and counted in the articles.
        es.indices.refresh(index=[settings.entities_alias, settings.articles_alias])
    owner = {"id": entity_id("PER", full), "name": full}
    persons = [_source_of(es, settings, f"surname-{token}-{n}")["persons"] for n in range(5)]
    assert persons[:4] == [[owner]] * 4
    assert {p["name"] for p in persons[4]} == {full, f"Jutta {surname}", surname}


def test_a_name_the_tagger_mistypes_joins_its_namesake_of_another_type(
        session_api, es, settings, worker, token):
    """The tagger makes a person of a town that opens a sentence ("Porto X sagte ..."). Once
    three articles name the town as a place, such a person is the place: a new article, and
    the first one sent again. Before that, the person stays a person."""
    town = "Porto Queve" + "".join(chr(ord("a") + int(c, 16)) for c in token[2:5]) + "dal"
    as_person = (f"{town} sagte am Montag, die Brücke werde gebaut. Stichwort {token}.")
    as_place = (f"Die Segler reisen nach {town}. In {town} ist das Wasser schmutzig. "
                f"Stichwort {token}.")

    def send(n: int, text: str) -> None:
        _send(session_api, f"namesake-{token}-{n}", text)
        es.indices.refresh(index=settings.articles_alias)   # namesakes are counted there

    send(0, as_person)
    assert _persons_of(es, settings, f"namesake-{token}-0") == [
        {"id": entity_id("PER", town), "name": town}]
    for n in (1, 2, 3):
        send(n, as_place)
    send(4, as_person)
    send(0, as_person)
    place = {"id": entity_id("LOC", town), "name": town}
    for n in range(5):
        source = _source_of(es, settings, f"namesake-{token}-{n}")
        assert (source.get("persons", []), source.get("places")) == ([], [place]), n


def test_a_later_spelling_joins_the_entity_the_archive_knows(session_api, es, settings, worker,
                                                             token):
    """Hyphenated first, closed compound second, hyphenated again: all three are the entity of
    the first article. The closed form has fewer words, but the hyphenated one is in an article
    already; had the closed form won, the first article would be a second entity until
    re-enriched. The second article sent again stays there."""
    closed = ("Nach Angaben des Deutschen Kaltblutzuchtverbands kamen 300 Pferde nach Verden. "
              f"Der Deutsche Kaltblutzuchtverband ist zufrieden. Stichwort {token}.")
    hyphenated = ("Der Deutsche Kaltblut-Zuchtverband lädt nach Verden ein. Der Verband erwartet "
                  f"300 Pferde, teilte der Deutsche Kaltblut-Zuchtverband mit. Stichwort {token}.")
    for n, text in [(0, hyphenated), (1, closed), (2, hyphenated), (1, closed)]:
        _send(session_api, f"spelling-{token}-{n}", text)
        # Other spellings are searched, and their articles counted.
        es.indices.refresh(index=[settings.entities_alias, settings.articles_alias])
    hyphen_org = {"id": "org-deutscher-kaltblut-zuchtverband",
                  "name": "Deutscher Kaltblut-Zuchtverband"}
    organizations = [_source_of(es, settings, f"spelling-{token}-{n}")["organizations"]
                     for n in range(3)]
    assert organizations == [[hyphen_org], [hyphen_org], [hyphen_org]]
    record = es.get(index=settings.entities_alias, id=hyphen_org["id"])["_source"]
    assert "Deutscher Kaltblutzuchtverband" in record["aliases"]
    assert not es.exists(index=settings.entities_alias, id="org-deutscher-kaltblutzuchtverband")


def test_a_retried_batch_changes_nothing(es, settings, token):
    entity_id = f"per-{token}-retry"
    records = {entity_id: entity_records.record_for(
        {"id": entity_id, "type": "PER", "name": f"Anna {token}", "aliases": ["Anna"]})}
    alias = settings.entities_alias
    assert entity_store.write_entities(es, alias, records).count == 1
    seq_no = es.get(index=alias, id=entity_id)["_seq_no"]
    assert entity_store.write_entities(es, alias, records).count == 0
    assert es.get(index=alias, id=entity_id)["_seq_no"] == seq_no


def test_concurrent_writers_lose_no_alias(es, settings, token):
    """Eight threads write the same entity at once, each with its own alias (each thread
    with its own connection pool, as separate worker processes would)."""
    from indexer.clients import elasticsearch_client

    entity_id = f"per-{token}-race"
    alias = settings.entities_alias
    start = threading.Barrier(8)
    errors = []

    def writer(n):
        client = elasticsearch_client(settings)
        record = entity_records.record_for(
            {"id": entity_id, "type": "PER", "name": f"Lee {token}", "aliases": [f"Lee {n}"]})
        start.wait()
        try:
            entity_store.write_entities(client, alias, {entity_id: record}, max_rounds=20)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stored = es.get(index=alias, id=entity_id)["_source"]
    assert stored["aliases"] == [f"Lee {n}" for n in range(8)]


def test_a_missing_entities_alias_is_a_retryable_error(es, token):
    record = entity_records.record_for({"id": "per-x", "type": "PER", "name": "X", "aliases": []})
    with pytest.raises(RetryableIndexError, match="index_not_found"):
        entity_store.write_entities(es, f"test-{token}-entities", {"per-x": record})
    assert not es.indices.exists(index=f"test-{token}-entities")


def test_create_index_makes_both_aliases_once(es, settings, token):
    prefix = f"test-{token}"
    try:
        first = admin.ensure_indices(es, prefix, mappings_dir=settings.mappings_dir)
        again = admin.ensure_indices(es, prefix, mappings_dir=settings.mappings_dir)
        assert {kind: (s.alias, s.index, s.version, s.created) for kind, s in first.items()} == {
            "articles": (f"{prefix}-articles", f"{prefix}-articles-v1", 1, True),
            "entities": (f"{prefix}-entities", f"{prefix}-entities-v2", 2, True)}
        assert [s.created for s in again.values()] == [False, False]
        assert [s.index for s in again.values()] == [s.index for s in first.values()]
    finally:
        es.indices.delete(index=f"{prefix}-articles-v1,{prefix}-entities-v2", ignore_unavailable=True)


def test_a_later_article_is_filed_under_the_stored_name_of_its_entity(session_api, es, settings,
                                                                      worker, token):
    """"Erdoğan" first, "Erdogan" second (10kGNAD and Wikinews have both): one id, and the
    second article's person field and facet bucket carry the stored name, so the facet has one
    bucket and the name filter finds both; its ``entities`` keep the form it wrote."""
    text = ("Der türkische Präsident Recep Tayyip {name} hat am Montag in Ankara Journalisten "
            "empfangen. {name} sprach über die Wirtschaft. Stichwort {token}.")
    for n, name in enumerate(["Erdoğan", "Erdogan"]):
        _send(session_api, f"stored-name-{token}-{n}", text.format(name=name, token=token))
    es.indices.refresh(index=settings.articles_alias)
    erdogan = {"id": "per-recep-tayyip-erdogan", "name": "Recep Tayyip Erdoğan"}
    later = _source_of(es, settings, f"stored-name-{token}-1")
    assert later["persons"] == [erdogan]
    assert later["facet_persons"] == ["per-recep-tayyip-erdogan|Recep Tayyip Erdoğan"]
    assert [e["name"] for e in later["entities"] if e["type"] == "PER"] == [
        "Recep Tayyip Erdogan"]
    page = session_api.get("/v1/search", params={"q": token, "person": erdogan["name"],
                                                 "facets": "persons"}).json()
    assert page["total"] == 2
    assert page["facets"]["persons"] == [{"value": erdogan["name"], "id": erdogan["id"],
                                          "count": 2}]
    # An alias finds the entity's articles too, case and accents ignored; not as a place.
    es.indices.refresh(index=settings.entities_alias)
    for alias in ("erdogan", "ERDOĞAN"):
        page = session_api.get("/v1/search", params={"q": token, "person": alias}).json()
        assert page["total"] == 2, alias
        export = session_api.get("/v1/export", params={"q": token, "person": alias,
                                                       "format": "ndjson"})
        assert len(export.text.splitlines()) == 2, alias
    assert session_api.get("/v1/search", params={"q": token, "place": "Erdogan"}).json()[
        "total"] == 0
