import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.identity import ID_LENGTH, article_id, canonical_url, content_hash, text_fingerprint


def test_external_id_wins_over_url_and_text():
    by_ext = article_id(external_id="003_35686e7d763b10ba", url="https://a.example/x", text="t")
    assert by_ext == article_id(external_id="003_35686e7d763b10ba")
    assert by_ext == "2945faa13ab0e33ec4e9"  # the id the OpenAPI examples show


def test_url_wins_over_text_and_is_canonicalised():
    assert article_id(url="HTTPS://WWW.Example.org:443/news/a?utm_source=x&b=2&a=1#top", text="t") \
        == article_id(url="https://www.example.org/news/a?a=1&b=2")


def test_text_hash_ignores_whitespace_differences():
    assert article_id(text="Kim  trifft\nPutin ") == article_id(text="Kim trifft Putin")


def test_text_hash_uses_unicode_normal_form():
    assert article_id(text="Rüstung") == article_id(text="Ru\u0308stung")


def test_namespaces_keep_sources_apart():
    value = "https://www.example.org/a"
    assert article_id(external_id=value) != article_id(url=value)
    assert article_id(url=value) != article_id(text=value)


def test_blank_sources_fall_through():
    assert article_id(external_id="  ", url="", text="Text") == article_id(text="Text")


def test_no_source_is_an_error():
    with pytest.raises(ValueError):
        article_id(external_id=None, url=None, text="   ")


@pytest.mark.parametrize("url, canonical", [
    ("https://Example.org", "https://example.org/"),
    ("http://example.org:80/a", "http://example.org/a"),
    ("https://example.org:8443/a", "https://example.org:8443/a"),
    ("https://example.org/A/b/", "https://example.org/A/b/"),
    ("https://example.org/a?fbclid=1&gclid=2&utm_medium=x&id=7", "https://example.org/a?id=7"),
    ("https://example.org/a?b=2&a=1", "https://example.org/a?a=1&b=2"),
    ("https://example.org/a#kommentare", "https://example.org/a"),
    ("https://example.org./a", "https://example.org/a"),
])
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_content_hash_is_full_sha256_of_the_fingerprint():
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash("a b"))
    assert content_hash("a   b") == content_hash("a b")


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_ids_are_url_safe_and_fixed_length(text):
    for value in (article_id(external_id=text), article_id(text=text)):
        assert re.fullmatch(rf"[0-9a-f]{{{ID_LENGTH}}}", value)


@given(st.text())
def test_fingerprint_is_idempotent(text):
    assert text_fingerprint(text_fingerprint(text)) == text_fingerprint(text)
