import pytest

from indexer import admin


def test_names_per_kind():
    assert admin.alias_name("news") == "news-articles"
    assert admin.alias_name("news", "entities") == "news-entities"
    assert admin.index_name("news", 2, "entities") == "news-entities-v2"


def test_latest_mapping_per_kind(tmp_path):
    for name in ("articles-v1.json", "articles-v2.json", "entities-v1.json", "articles-v10.txt"):
        (tmp_path / name).write_text("{}")
    assert admin.latest_mapping(tmp_path) == (2, tmp_path / "articles-v2.json")
    assert admin.latest_mapping(tmp_path, "entities") == (1, tmp_path / "entities-v1.json")
    with pytest.raises(FileNotFoundError, match="no places-vN.json"):
        admin.latest_mapping(tmp_path, "places")


def test_every_kind_has_a_mapping_file():
    for kind in admin.KINDS:
        version, path = admin.latest_mapping(kind=kind)
        definition = admin.load_definition(path)
        assert definition["mappings"]["_meta"]["version"] == version
        assert definition["mappings"]["dynamic"] == "strict"
