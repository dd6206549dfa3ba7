"""Outlet: given, from the URL host, or from the site's own cues in the text."""

import pytest

from indexer.enrich.outlet import find_outlet, outlet_from_url, registrable_domain

PARAGRAPH = "Die New York Times berichtete zuerst über das mögliche Treffen zwischen Kim und Putin."


@pytest.mark.parametrize("url, expected", [
    ("https://www.spiegel.de/ausland/nordkorea-a-123.html", "Der Spiegel"),
    ("https://www.zeit.de/politik/ausland/2023-09/kim", "Die Zeit"),
    ("https://www.faz.net/aktuell/politik/kim.html", "FAZ"),
    ("https://www.sueddeutsche.de/politik/kim-1.123", "Süddeutsche Zeitung"),
    ("https://www.tagesschau.de/ausland/asien/kim-putin-100.html", "tagesschau"),
    ("https://www.n-tv.de/politik/Kim-article1.html", "n-tv"),
    ("https://m.welt.de/politik/ausland/article1/Kim.html", "Welt"),
    ("https://www.t-online.de/nachrichten/ausland/id_1/kim.html", "t-online"),
    ("https://www.zdf.de/nachrichten/politik/ausland/kim-putin-100.html", "ZDF"),
    ("https://www.derstandard.at/story/1/kim", "Der Standard"),
    ("https://www.nzz.ch/international/kim-ld.1", "NZZ"),
    ("https://www.srf.ch/news/international/kim", "SRF"),
    ("https://news.orf.at/stories/3330000/", "ORF"),
    ("https://edition.cnn.com/2023/09/05/politics/kim", "CNN"),
    ("https://www.dw.com/de/kim/a-1", "Deutsche Welle"),
    ("https://www.bbc.co.uk/news/world-asia-1", "BBC"),
    ("https://www.radiocentral.ch/news/kim", "radiocentral.ch"),
    ("www.example-zeitung.de/artikel/1", "example-zeitung.de"),
    ("http://localhost:5000/x", None),
    ("http://192.168.1.10/x", None),
])
def test_from_url(url, expected):
    assert outlet_from_url(url) == expected
    assert find_outlet(url=url, body=PARAGRAPH) == expected


def test_given_outlet_wins_over_url_and_text():
    assert find_outlet("Tagesspiegel", "https://www.spiegel.de/x", "CNN —\n" + PARAGRAPH) == "Tagesspiegel"


@pytest.mark.parametrize("body, expected", [
    ("CNN\n—\nUS-Beamte haben Nordkorea gewarnt.", "CNN"),
    ("WASHINGTON (CNN) — US-Beamte haben Nordkorea gewarnt.", "CNN"),
    (PARAGRAPH + "\nQuelle: sda\nredaktion@radiocentral.ch", "radiocentral.ch"),
    (PARAGRAPH + "\nHinweise an: online-redaktion@faz.net", "FAZ"),
    (PARAGRAPH + "\n© SPIEGEL ONLINE 2023", "Der Spiegel"),
    (PARAGRAPH + "\nCopyright © 2023 ZEIT ONLINE", "Die Zeit"),
    (PARAGRAPH + "\nNachrichten | heute 19:00 Uhr :EU-Gipfel in Brüssel", "ZDF"),
])
def test_text_cues(body, expected):
    assert find_outlet(body=body) == expected


def test_cues_in_removed_lines():
    removed = [("Nachrichten | heute :Krisengipfel in Brüssel", "teaser")]
    assert find_outlet(body=PARAGRAPH, removed_lines=removed) == "ZDF"


def test_leading_label_the_cleaner_removed():
    # "CNN" and "—" stand on lines of their own; the cleaner keeps only the paragraph
    assert find_outlet(body=PARAGRAPH, removed_lines=[("CNN", "meta"), ("—", "meta")],
                       input_lines=["CNN", "", "—", PARAGRAPH]) == "CNN"
    # removed lines alone do not say where they stood: a "CNN —" at the end is no label
    assert find_outlet(body=PARAGRAPH, removed_lines=[("CNN", "meta"), ("—", "meta")]) is None
    assert find_outlet(body=PARAGRAPH, input_lines=[PARAGRAPH, "x", "y", "CNN —"]) is None


@pytest.mark.parametrize("body", [
    PARAGRAPH,                                            # an outlet cited, not the outlet
    "Laut CNN hat Kim die Reise bestätigt.",
    "Berlin (dpa) - Die Bahn streikt.",                   # an agency dateline
    "Foto: © Keystone/AP/Susan Walsh\n" + PARAGRAPH,
    "Im ZDF – so heißt es – wurde das bestätigt.",
    "Anmeldung unter info@verein-beispiel.de\n" + PARAGRAPH,
    "",
])
def test_no_outlet(body):
    assert find_outlet(body=body) is None


def test_registrable_domain():
    assert registrable_domain("www.m.spiegel.de") == "spiegel.de"
    assert registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("localhost") is None
