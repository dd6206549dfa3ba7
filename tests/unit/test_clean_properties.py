"""Property tests: the cleaner never fails and cleaning twice changes nothing."""

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from indexer.clean import clean_html, clean_text

LINES = st.sampled_from([
    "Kommentar (0)", "[Anzeige_2]", "Quelle: dpa", "Foto: dpa", "Mehr zum Thema", "mit Video", "—", "CNN",
    "Die Regierung hat am Montag ein neues Gesetz beschlossen, das ab Mai gilt.",
    "Kritik aus der Opposition", "„Wir machen weiter“, sagte sie.", "Kim trifft Putin", "1:44 min",
    "und Porsche angekündigt. Die Manipulation sei geplant gewesen.", "-Abgas-Affäre der Konzerne",
    "30. August 2023, 18:36 Uhr", "Von Anna Schmidt", "", " ", "\t",
])
PAGES = st.lists(st.one_of(LINES, st.text(max_size=80)), max_size=30).map("\n".join)
TEXTS = st.one_of(st.text(), PAGES, st.text(alphabet=st.characters(codec="utf-8"), max_size=300))


@given(TEXTS)
@example("")
@example("\x00\x01\x02\r\n\x0b\x0c\x1c\u2028\u2029\x85")
@example("a" * 200_000)
@example("Wort " * 50_000)
@example("e\x00\u0301 e\u200b\u0301")
def test_clean_text_never_fails(text):
    cleaned = clean_text(text)
    assert isinstance(cleaned.body, str)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n" for ch in cleaned.body)


@given(TEXTS)
@example("Kim trifft\n[Anzeige]\nden Präsidenten")
@example("e\x00\u0301")
def test_cleaning_is_idempotent(text):
    body = clean_text(text).body
    assert clean_text(body).body == body


@given(st.one_of(st.text(max_size=500), PAGES.map(lambda page: "<html><body><p>" + page.replace("\n", "</p><p>")
                                                  + "</p></body></html>")))
@example("<")
@example("<?xml version='1.0'?><a/>")
@example("<html><head><script type='application/ld+json'>{bad json</script></head></html>")
def test_clean_html_never_fails(html):
    cleaned = clean_html(html)
    assert isinstance(cleaned.body, str) and isinstance(cleaned.metadata, dict)
