"""HTML through trafilatura, then the line classifier."""

from indexer.clean import Label, clean_html

PAGE = """<!DOCTYPE html>
<html lang="de"><head>
<title>Kim will Putin treffen | Beispiel-Zeitung</title>
<meta property="og:title" content="Kim will Putin in Russland treffen">
<meta property="article:published_time" content="2023-09-05T14:32:00+02:00">
<meta name="author" content="Anna Schmidt">
</head><body>
<nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav>
<article>
<h1>Kim will Putin in Russland treffen</h1>
<p>Nordkoreas Machthaber Kim Jong Un will nach US-Angaben bei einem Treffen mit Kremlchef Wladimir Putin
in Russland über Waffenlieferungen an Moskau verhandeln. Das sagte eine Sprecherin am Montag in Washington.</p>
<figure><img src="kim.jpg"><figcaption>Kim Jong Un bei einer Parade. Foto: KCNA via AP/dpa</figcaption></figure>
<p>Nach Informationen der New York Times will Kim, der nur selten ins Ausland reist, Putin im September in
Wladiwostok treffen. Demnach soll der Besuch am Rande eines Wirtschaftsforums stattfinden.</p>
<p>Anzeige</p>
<p>Moskau gehe es darum, sich Nachschub an Waffen und Munition für den Krieg gegen die Ukraine zu sichern,
berichtete die Zeitung unter Berufung auf Beamte.</p>
<p>Quelle: dpa, AFP</p>
</article>
<aside><h2>Mehr zum Thema</h2><ul><li><a href="/a">Bahnstreik legt Fernverkehr lahm</a></li>
<li><a href="/b">Hitzewelle: Was Ärzte raten</a></li></ul></aside>
<footer>© 2023 Beispiel-Zeitung. Alle Rechte vorbehalten.</footer>
</body></html>"""


def test_main_text_without_furniture_or_clutter():
    cleaned = clean_html(PAGE, url="https://www.beispiel-zeitung.de/politik/kim-putin-100.html")
    assert cleaned.body.startswith("Nordkoreas Machthaber Kim Jong Un")
    assert "Moskau gehe es darum" in cleaned.body
    for clutter in ("Startseite", "Anzeige", "Foto: KCNA", "Quelle: dpa", "Bahnstreik", "Alle Rechte"):
        assert clutter not in cleaned.body


def test_metadata_from_the_page():
    cleaned = clean_html(PAGE, url="https://www.beispiel-zeitung.de/politik/kim-putin-100.html")
    assert cleaned.title == "Kim will Putin in Russland treffen"
    assert cleaned.metadata["published_time"] == "2023-09-05T14:32:00+02:00"
    assert cleaned.metadata["date"] == "2023-09-05"
    assert cleaned.metadata["author"] == "Anna Schmidt"
    assert cleaned.metadata["hostname"] == "beispiel-zeitung.de"


def test_source_line_stays_available_for_enrichment():
    cleaned = clean_html(PAGE)
    assert ("Quelle: dpa, AFP", str(Label.SOURCE)) in cleaned.removed


def test_json_ld_publication_time():
    page = ('<html><head><script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            '"datePublished": "2023-08-30T18:36:00+02:00"}]}</script></head><body><p>Ein Satz mit genug '
            'Wörtern, damit er als Text gilt und bleibt.</p></body></html>')
    assert clean_html(page).metadata["published_time"] == "2023-08-30T18:36:00+02:00"


def test_not_html_still_gives_text():
    assert clean_html("Nur ein Satz ohne Auszeichnung, aber mit Inhalt.").body == \
        "Nur ein Satz ohne Auszeichnung, aber mit Inhalt."
    assert clean_html("").body == ""
