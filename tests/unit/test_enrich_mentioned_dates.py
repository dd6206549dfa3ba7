"""Dates mentioned in the text, absolute and relative, resolved against the publication date."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.enrich.mentioned_dates import find_mentioned_dates, mentioned_days, split_sentences

# Tuesday, 5 September 2023 (the day the samples' story broke)
REF = "2023-09-05T12:00:00+02:00"


def only(text, ref=REF):
    mentions = find_mentioned_dates(text, ref)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize("text, start, end, matched", [
    ("Watson erklärte am 4. September, ein Treffen sei geplant.", "2023-09-04", None, "4. September"),
    ("Das Forum ist für die Zeit vom 10. bis 13. September anberaumt.", "2023-09-10", "2023-09-13",
     "vom 10. bis 13. September"),
    ("Die Messe läuft vom 28. Dezember bis 3. Januar 2024.", "2023-12-28", "2024-01-03",
     "vom 28. Dezember bis 3. Januar 2024"),
    ("Der Termin am 4.9. wurde abgesagt.", "2023-09-04", None, "am 4.9."),
    ("Am 04.09.2023 kam es zu Protesten.", "2023-09-04", None, "04.09.2023"),
    ("Der Vertrag trat am 1. Jan. 2020 in Kraft.", "2020-01-01", None, "1. Jan. 2020"),
    ("Die Frist endet am Freitag, 8. September.", "2023-09-08", None, "am Freitag, 8. September"),
    ("Laut Plan (Stand 2023-09-01) bleibt alles.", "2023-09-01", None, "2023-09-01"),
    # year inferred as the nearest to the reference: 2023-12-28 is 114 days away, 2022-12-28 251
    ("Die Wahl ist am 28. Dezember.", "2023-12-28", None, "28. Dezember"),
    ("Die Wahl war am 2. Januar.", "2023-01-02", None, "2. Januar"),
])
def test_absolute_days(text, start, end, matched):
    mention = only(text)
    assert (mention["date"], mention["end"], mention["text"]) == (start, end, matched)
    assert mention["relative"] is False and mention["granularity"] == "day"
    assert mention["sentence"] == text


@pytest.mark.parametrize("text, start, end, granularity", [
    ("Schoigu besuchte Pjöngjang im Juli.", "2023-07-01", "2023-07-31", "month"),
    ("Schoigu war Ende Juli nach Nordkorea gereist.", "2023-07-21", "2023-07-31", "month"),
    ("Im November 2022 bestätigte ein Beamter das.", "2022-11-01", "2022-11-30", "month"),
    ("Anfang 2024 soll das Gesetz kommen.", "2024-01-01", "2024-04-30", "year"),
    ("Im Jahr 2022 gab es keine Tests.", "2022-01-01", "2022-12-31", "year"),
])
def test_months_and_years(text, start, end, granularity):
    mention = only(text)
    assert (mention["date"], mention["end"], mention["granularity"]) == (start, end, granularity)


@pytest.mark.parametrize("text, start, end", [
    ("Er sagte das gestern in Berlin.", "2023-09-04", None),
    ("Heute beginnt der Gipfel.", "2023-09-05", None),
    ("Die Delegation reist morgen ab.", "2023-09-06", None),
    ("Vorgestern hatte es geregnet.", "2023-09-03", None),
    ("Letzte Woche sagte John Kirby das.", "2023-08-28", "2023-09-03"),
    ("Kim wolle in der nächsten Woche nach Russland reisen.", "2023-09-11", "2023-09-17"),
    ("Diese Woche ist Ruhe.", "2023-09-04", "2023-09-10"),
    ("Letzten Monat reiste Schoigu nach Nordkorea.", "2023-08-01", "2023-08-31"),
    ("Das Treffen soll diesen Monat stattfinden.", "2023-09-01", "2023-09-30"),
    ("Nächsten Monat wird gewählt.", "2023-10-01", "2023-10-31"),
    ("Im vergangenen Jahr stiegen die Preise.", "2022-01-01", "2022-12-31"),
    ("Nordkorea lieferte Ende letzten Jahres Raketen.", "2022-09-01", "2022-12-31"),
    ("Im Vorjahr waren es weniger.", "2022-01-01", "2022-12-31"),
    ("Das geschah vor drei Tagen.", "2023-09-02", None),
    ("Die Wahl findet in zwei Wochen statt.", "2023-09-18", "2023-09-24"),
])
def test_relative_expressions(text, start, end):
    mention = only(text)
    assert (mention["date"], mention["end"]) == (start, end)
    assert mention["relative"] is True


@pytest.mark.parametrize("text, expected", [
    # bare weekday, past or reporting clause: the most recent such day, publication day included
    ("Ein hochrangiger Beamter sagte am Montag, Kim wolle reisen.", "2023-09-04"),
    ("Sullivan sagte auf einer Pressekonferenz am Dienstag, das sei klar.", "2023-09-05"),
    ("Erst am Mittwoch hatte Kirby das gesagt.", "2023-08-30"),
    ("Am Sonntag war Ruhe.", "2023-09-03"),
    ("Die Gespräche am Mittwochabend blieben ohne Ergebnis.", "2023-08-30"),
    # future tense in the clause: the next such day
    ("Kim wird am Freitag nach Wladiwostok reisen.", "2023-09-08"),
    ("Das Treffen soll am Montag stattfinden.", "2023-09-11"),
    # explicit modifiers
    ("Vergangenen Dienstag gab es Proteste.", "2023-08-29"),
    ("Am kommenden Dienstag beginnt der Prozess.", "2023-09-12"),
    ("Nächsten Donnerstag wird abgestimmt.", "2023-09-07"),
    # "diesen": the publication week's day, unless the tense points across the publication day
    ("Diesen Donnerstag beginnt der Prozess.", "2023-09-07"),
    ("Merkel hat diesen Samstag ihren Rückzug angekündigt.", "2023-09-02"),
    ("Diesen Montag wird abgestimmt.", "2023-09-11"),
    ("Diesen Montag wurde abgestimmt.", "2023-09-04"),
])
def test_weekday_rule(text, expected):
    assert only(text)["date"] == expected


def test_sample_003_wednesday_is_the_publication_day():
    text = "Das sagte Kirby am Mittwoch in Washington."
    assert only(text, "2023-08-30T18:36:00+02:00")["date"] == "2023-08-30"


@pytest.mark.parametrize("text", [
    "Das gilt bis heute.",                       # "to this day"
    "Am Morgen war es kalt.",                    # morning, not tomorrow
    "Juli Zeh liest aus ihrem neuen Roman.",     # a name, not a month
    "August Bebel gründete die Partei.",
    "Die Montagsdemonstrationen gehen weiter.",
    "In den letzten Monaten gab es viele Tests.",   # no specific period
    "Das sei in einer Woche vorbei gewesen.",       # a duration
    "Der 70. Jahrestag des Kriegsendes.",
    "Er gewann 3:1 im Spiel 4.9 gegen 2.1 Punkte.",
    "Tabelle 4.9. zeigt die Werte.",
])
def test_not_dates(text):
    assert find_mentioned_dates(text, REF) == []


def test_without_reference_relative_and_yearless_are_kept_unresolved():
    mentions = find_mentioned_dates("Am Montag sagte Watson, das Forum sei vom 10. bis 13. September. "
                                    "Im November 2022 war es anders.")
    assert [(m["text"], m["date"]) for m in mentions] == [
        ("Am Montag", None), ("vom 10. bis 13. September", None), ("Im November 2022", "2022-11-01")]
    assert mentioned_days(mentions) == []


def test_publication_stamp_lines_are_not_mentions():
    body = "30. August 2023, 18:36 Uhr\nKirby sagte am Mittwoch, man verhandle.\nveröffentlicht: 30. August 2023 18:36"
    mentions = find_mentioned_dates(body, "2023-08-30T18:36:00+02:00")
    assert [m["text"] for m in mentions] == ["am Mittwoch"]


def test_mentioned_days_expands_day_ranges_only():
    mentions = find_mentioned_dates("Am 4. September und vom 10. bis 13. September, nicht im Juli.", REF)
    assert mentioned_days(mentions) == ["2023-09-04", "2023-09-10", "2023-09-11", "2023-09-12", "2023-09-13"]


def test_each_mention_has_its_sentence():
    body = "Erster Satz am 4. September. Zweiter Satz am 5. September.\nDritter am Montag."
    mentions = find_mentioned_dates(body, REF)
    assert [m["sentence"] for m in mentions] == [
        "Erster Satz am 4. September.", "Zweiter Satz am 5. September.", "Dritter am Montag."]


def test_sentence_splitter_keeps_ordinals_and_abbreviations():
    text = "Am 4. September sagte Dr. Müller, z.B. das. Danach 2023. Neuer Satz."
    pieces = [text[s:e].strip() for s, e in split_sentences(text)]
    assert pieces == ["Am 4. September sagte Dr. Müller, z.B. das.", "Danach 2023.", "Neuer Satz."]


def test_reference_as_date_or_datetime():
    assert only("Heute.", date(2023, 9, 5))["date"] == "2023-09-05"


MENTION_KEYS = {"date", "end", "text", "sentence", "relative", "granularity"}


@given(st.text(max_size=500), st.one_of(st.none(), st.dates().map(str)))
def test_never_crashes_and_results_are_well_formed(text, reference):
    for mention in find_mentioned_dates(text, reference):
        assert set(mention) == MENTION_KEYS
        assert mention["text"] and mention["text"] in mention["sentence"]
        if mention["end"]:
            assert mention["date"] and mention["end"] > mention["date"]
    mentioned_days(find_mentioned_dates(text, reference))


WORDS = ["am", "Montag", "4.", "September", "bis", "13.", "gestern", "vor", "zwei", "Wochen", "letzte",
         "Woche", "im", "Juli", "2023", "Ende", "29.", "Februar", "31.", "12.", "0.", "00.00.", "Jahr"]


@given(st.lists(st.sampled_from(WORDS), max_size=30), st.dates(min_value=date(1, 1, 10),
                                                             max_value=date(9998, 12, 20)))
def test_date_like_word_salad_never_crashes(words, reference):
    find_mentioned_dates(" ".join(words), reference)
