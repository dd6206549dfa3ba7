def test_health_is_200_with_every_part_up(api, es, settings, articles_index):
    from indexer import admin
    current = admin.alias_target(es, settings.articles_alias)  # a reindex test may have moved it
    response = api.get("/v1/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    es = body["checks"]["elasticsearch"]
    assert es["status"] == "up"
    assert es["cluster_status"] in ("green", "yellow")
    assert es["alias"] == settings.articles_alias
    assert es["index"] == current.index
    assert es["mapping_version"] == current.version
    assert es["documents"] >= 0
    entities = es["entities"]
    assert entities["alias"] == settings.entities_alias
    assert entities["index"].startswith(settings.entities_alias)
    assert entities["mapping_version"] >= 1 and entities["documents"] >= 0
    assert body["checks"]["redis"] == {"status": "up"}
    assert body["checks"]["worker"]["status"] == "up"
    assert body["checks"]["worker"]["workers"]
    assert body["checks"]["ner"] == {"status": "up"}
