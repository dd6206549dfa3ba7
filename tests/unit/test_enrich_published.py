"""Publication date with time zone: metadata first, then stamps in the text, never clutter."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.enrich.german_calendar import is_timestamp_line
from indexer.enrich.published import (
    MAX_DAYS_AHEAD,
    parse_timestamp,
    published_at,
    too_far_ahead,
)

PARAGRAPH = "Russland und Nordkorea verhandeln nach Angaben der US-Regierung über Rüstungsgeschäfte."


@pytest.mark.parametrize("text, expected", [
    ("30. August 2023, 18:36 Uhr", "2023-08-30T18:36:00+02:00"),
    ("veröffentlicht: 30.08.2023 18:36", "2023-08-30T18:36:00+02:00"),
    ("Veröffentlicht am 30. August 2023 um 18:36 Uhr", "2023-08-30T18:36:00+02:00"),
    ("Stand: 30.08.2023 18:36 Uhr", "2023-08-30T18:36:00+02:00"),
    ("Aktualisiert am 5. Januar 2024, 07:05 Uhr", "2024-01-05T07:05:00+01:00"),
    ("Erstellt: 05.01.2024, 07:05 Uhr MEZ", "2024-01-05T07:05:00+01:00"),
    ("Mittwoch, 30. August 2023, 18:36 Uhr", "2023-08-30T18:36:00+02:00"),
    ("Berlin, 30.08.2023 | 18:36 Uhr", "2023-08-30T18:36:00+02:00"),
    ("30. Aug. 2023", "2023-08-30T00:00:00+02:00"),
    ("Publiziert: 2023-08-30 18:36", "2023-08-30T18:36:00+02:00"),
    ("30.08.23, 18:36 Uhr", "2023-08-30T18:36:00+02:00"),
    ("30. Oktober 2023, 10:00 Uhr", "2023-10-30T10:00:00+01:00"),   # winter time after 29 Oct
])
def test_stamp_at_the_top(text, expected):
    assert published_at(text + "\n" + PARAGRAPH) == expected


def test_sample_003_stamp_and_labels():
    body = ("USA: Russland und Nordkorea verhandeln über Rüstungsgeschäfte\n\n30. August 2023, 18:36 Uhr\n"
            + PARAGRAPH + "\nQuelle: sda\nveröffentlicht: 30. August 2023 18:36\n"
            "aktualisiert: 31. August 2023 09:00")
    assert published_at(body) == "2023-08-30T18:36:00+02:00"


def test_published_label_beats_update_label_and_update_is_fallback():
    assert published_at(PARAGRAPH + "\nStand: 31.08.2023 09:00 Uhr\nVeröffentlicht: 30.08.2023 18:36") \
        == "2023-08-30T18:36:00+02:00"
    assert published_at(PARAGRAPH + "\nStand: 31.08.2023 09:00 Uhr") == "2023-08-31T09:00:00+02:00"


def test_explicit_and_metadata_win():
    body = "30. August 2023, 18:36 Uhr\n" + PARAGRAPH
    assert published_at(body, given="2023-09-05T10:00:00+00:00") == "2023-09-05T10:00:00+00:00"
    assert published_at(body, metadata={"datePublished": "2023-09-04T08:00:00Z"}) == "2023-09-04T08:00:00+00:00"
    assert published_at(body, metadata={"article:published_time": "Tue, 05 Sep 2023 10:00:00 GMT"}) \
        == "2023-09-05T10:00:00+00:00"
    assert published_at(PARAGRAPH, metadata={"dateModified": "2023-09-06"}) == "2023-09-06T00:00:00+02:00"


def test_the_senders_date_is_kept_whatever_its_year():
    # An archive of old papers: the sender's date is not checked against MIN_YEAR, which only
    # keeps numbers of the text ("im Jahr 1750") and metadata from being taken for dates.
    assert published_at(PARAGRAPH, given="1795-03-01T10:00:00+01:00") == \
        "1795-03-01T10:00:00+01:00"
    assert published_at(PARAGRAPH, given="0001-01-01T00:00:00+00:00") == \
        "0001-01-01T00:00:00+00:00"
    assert published_at("Veröffentlicht: 01.03.1795\n" + PARAGRAPH) is None
    assert published_at(PARAGRAPH, metadata={"datePublished": "1795-03-01"}) is None


def test_a_derived_date_far_in_the_future_is_passed_over():
    # A CMS placeholder in the metadata, or a misread stamp, would sort first under
    # sort=newest forever: the next source is asked, and without one the date is unknown.
    body = "30. August 2023, 18:36 Uhr\n" + PARAGRAPH
    assert published_at(body, metadata={"datePublished": "2099-01-01T00:00:00Z"}) == \
        "2023-08-30T18:36:00+02:00"
    assert published_at(PARAGRAPH, metadata={"datePublished": "2099-01-01T00:00:00Z"}) is None
    assert published_at("Veröffentlicht: 01.03.2099\n" + PARAGRAPH) is None
    soon = datetime.now(UTC) + timedelta(days=2)
    assert published_at(PARAGRAPH, metadata={"datePublished": soon.isoformat()}) == \
        soon.isoformat()                                  # an embargo of days is kept


def test_too_far_ahead_is_more_than_max_days_after_now():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert not too_far_ahead(now + timedelta(days=MAX_DAYS_AHEAD), now)
    assert too_far_ahead(now + timedelta(days=MAX_DAYS_AHEAD, seconds=1), now)
    assert not too_far_ahead(datetime(1, 1, 1, tzinfo=UTC), now)


def test_not_from_sentences_or_teasers_or_clutter():
    assert published_at("Am 4. September 2023 erklärte Watson, dass ein Treffen geplant sei.\n" + PARAGRAPH) is None
    assert published_at(PARAGRAPH + "\nNachrichten | heute 19:00 Uhr :EU-Gipfel in Brüssel") is None
    teaser = [("12.03.2024 | Politik: Kanzler reist nach Paris", "teaser"),
              ("30.08.2023, 19:02 Uhr", "comment"), ("31.08.2023 08:00", "related_teaser")]
    assert published_at(PARAGRAPH, removed_lines=teaser) is None
    assert published_at(PARAGRAPH, removed_lines=[("veröffentlicht: 30.08.2023 18:36", "dateline")]) \
        == "2023-08-30T18:36:00+02:00"


def test_unlabelled_stamp_only_in_the_head():
    late = "\n".join([PARAGRAPH] * 15 + ["30. August 2023, 18:36 Uhr"])
    assert published_at(late) is None


def test_unknown_is_none():
    assert published_at("") is None
    assert published_at(PARAGRAPH) is None
    assert published_at("Im November 2022 bestätigte ein Beamter ...") is None


@pytest.mark.parametrize("value, expected", [
    ("2023-08-30T18:36:00Z", datetime(2023, 8, 30, 18, 36, tzinfo=UTC)),
    ("2023-08-30T18:36:00", "2023-08-30T18:36:00+02:00"),
    ("Wed, 30 Aug 2023 18:36:00 GMT", datetime(2023, 8, 30, 18, 36, tzinfo=UTC)),
    ("30. August 2023, 18:36 Uhr", "2023-08-30T18:36:00+02:00"),
    ("Sept. 5, 2023 4:12 PM", "2023-09-05T16:12:00+02:00"),     # dateparser fallback
    (date(2023, 8, 30), "2023-08-30T00:00:00+02:00"),
    (datetime(2023, 8, 30, 18, 36), "2023-08-30T18:36:00+02:00"),
    (1693413360, "2023-08-30T18:36:00+02:00"),
    ("gestern", None), ("heute", None), ("", None), (None, None), ("kein Datum", None), (True, None),
    ("31.02.2023", None),
])
def test_parse_timestamp(value, expected):
    parsed = parse_timestamp(value)
    if expected is None:
        assert parsed is None
    elif isinstance(expected, datetime):
        assert parsed == expected
    else:
        assert parsed.isoformat() == expected


@pytest.mark.parametrize("line, stamp", [
    ("30. August 2023, 18:36 Uhr", True),
    ("veröffentlicht: 30. August 2023 18:36", True),
    ("aktualisiert: 30.08.2023", True),
    ("Am 4. September 2023 war es ruhig.", False),
    ("Der Gipfel ist vom 10. bis 13. September 2023 geplant, teilte das Ministerium am Montag mit.", False),
])
def test_is_timestamp_line(line, stamp):
    assert is_timestamp_line(line) is stamp


@given(st.text(max_size=400))
def test_never_crashes_on_arbitrary_text(text):
    result = published_at(text)
    assert result is None or datetime.fromisoformat(result).tzinfo is not None


@given(st.text(alphabet="0123456789.:-/ ,UhrMärzAugustStand", max_size=80))
def test_never_crashes_on_date_like_noise(text):
    published_at(text)
    parse_timestamp(text)
