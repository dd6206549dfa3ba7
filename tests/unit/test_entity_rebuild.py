"""Names of rebuilt entities indices (the rebuild itself: tests/integration/test_entity_rebuild.py)."""

import datetime as dt

from indexer import entity_rebuild


def test_rebuild_index_names_carry_the_version_and_the_time():
    when = dt.datetime(2026, 11, 24, 9, 5, 7, 42_999, tzinfo=dt.UTC)
    assert entity_rebuild.target_name("news", 1, when) == "news-entities-v1-20261124090507042"
