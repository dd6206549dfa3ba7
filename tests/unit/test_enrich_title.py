"""Title: the explicit one, else a headline-like line before the body starts."""

import pytest

from indexer.enrich.title import find_title, tidy_title

PARAGRAPH = ("Russland und Nordkorea verhandeln inmitten des Ukraine-Kriegs nach Angaben der US-Regierung "
             "über Rüstungsgeschäfte, sagte der Kommunikationsdirektor des Nationalen Sicherheitsrats.")


def test_explicit_title_wins_and_is_tidied():
    assert find_title(PARAGRAPH, given="  USA:  Kim will\nPutin treffen ") == "USA: Kim will Putin treffen"


@pytest.mark.parametrize("head, expected", [
    ("Nordkoreas Kim plant, Putin zu besuchen, um über Waffenverkäufe zu sprechen, sagen die USA",
     "Nordkoreas Kim plant, Putin zu besuchen, um über Waffenverkäufe zu sprechen, sagen die USA"),
    ("News\nInternational\n\nUSA: Russland und Nordkorea verhandeln über Rüstungsgeschäfte\n\nNordkorea",
     "USA: Russland und Nordkorea verhandeln über Rüstungsgeschäfte"),
    ("Update\nGespräche über Waffenlieferungen:USA: Kim will Putin in Russland treffen\n|",
     "Gespräche über Waffenlieferungen: USA: Kim will Putin in Russland treffen"),
    ("Krieg in Nahost\nIsrael kündigt neue Angriffe im Gazastreifen an",
     "Israel kündigt neue Angriffe im Gazastreifen an"),
    ("Wer stoppt die Inflation?", "Wer stoppt die Inflation?"),
    ("30. August 2023, 18:36 Uhr\nVon Anna Muster, dpa\nBahn streikt ab Montag erneut",
     "Bahn streikt ab Montag erneut"),
    ("Startseite > Politik > Ausland\nKim reist mit dem Panzerzug nach Russland",
     "Kim reist mit dem Panzerzug nach Russland"),
])
def test_headline_found_at_the_top(head, expected):
    assert find_title(head + "\n" + PARAGRAPH) == expected


@pytest.mark.parametrize("body", [
    "CNN\n—\n" + PARAGRAPH,                                  # outlet label, then the lead
    PARAGRAPH + "\nDer nordkoreanische Machthaber Kim Jong-un auf einer Waffenausstellung in Pjöngjang",
    "Quelle: dpa\n" + PARAGRAPH,
    "Foto: Susan Walsh/AP/dpa\n" + PARAGRAPH,
    "[Anzeige_2]\n" + PARAGRAPH,
    "Mehr zum Thema unter https://example.org/kim\n" + PARAGRAPH,
    "",
])
def test_no_title_when_none_looks_like_a_headline(body):
    assert find_title(body) is None


def test_removed_clutter_lines_are_not_titles():
    body = "Erhalten Sie kostenlose Updates zum Krieg in der Ukraine\n" + PARAGRAPH
    assert find_title(body, removed_lines=[("Erhalten Sie kostenlose Updates zum Krieg in der Ukraine",
                                            "subscription_prompt")]) is None


def test_tidy_title():
    assert tidy_title("Gespräche:USA  sagt") == "Gespräche: USA sagt"
    assert tidy_title("Uhrzeit 18:36 Uhr") == "Uhrzeit 18:36 Uhr"
