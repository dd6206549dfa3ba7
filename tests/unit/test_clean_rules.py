"""Line rules and context rules of the plain-text cleaner."""

import pytest

from indexer.clean import Label, clean_text
from indexer.clean.line_rules import classify_line

CLUTTER = [
    ("Kommentar (0)", Label.COMMENT_COUNTER), ("12 Kommentare", Label.COMMENT_COUNTER),
    ("Kommentare", Label.COMMENT_COUNTER), ("Die Kommentarfunktion wurde für diesen Artikel deaktiviert.",
                                            Label.COMMENT_COUNTER),
    ("[Anzeige_2]", Label.AD_MARKER), ("Anzeige", Label.AD_MARKER), ("- Anzeige -", Label.AD_MARKER),
    ("Artikel wird nach der Anzeige fortgesetzt", Label.AD_MARKER),
    ("Quellenlink", Label.SOURCE_LINK), ("https://www.tagesschau.de/ausland/x-100.html", Label.SOURCE_LINK),
    ("Quelle: https://www.reuters.com/world/", Label.SOURCE_LINK),
    ("Quelle: dpa", Label.SOURCE), ("Quelle: dpa, AFP", Label.SOURCE), ("(dpa)", Label.SOURCE),
    ("ntv.de, mli/dpa", Label.SOURCE), ("Mit Material von dpa und AFP", Label.SOURCE),
    ("Erhalten Sie kostenlose Updates zum Krieg in der Ukraine", Label.SUBSCRIPTION_PROMPT),
    ("Jetzt 4 Wochen für 1 € testen", Label.SUBSCRIPTION_PROMPT), ("SPIEGEL+", Label.SUBSCRIPTION_PROMPT),
    ("Foto: Susan Walsh/AP/dpa", Label.PHOTO_CREDIT), ("© Keystone/AP/Susan Walsh", Label.PHOTO_CREDIT),
    ("Bild: dpa", Label.PHOTO_CREDIT), ("Quelle: Reuters/Kim Hong-Ji (Archiv)", Label.PHOTO_CREDIT),
    ("Das Parlament in Athen. Foto: Simela Pantzartzi", Label.PHOTO_CREDIT),
    ("Auf Facebook teilen", Label.SHARE), ("Facebook Twitter WhatsApp E-Mail", Label.SHARE),
    ("Sie sind hier: Home > Nachrichten > Ausland >", Label.NAVIGATION), ("|", Label.NAVIGATION),
    ("Mehr zum Thema", Label.TEASER), ("mit Video", Label.TEASER), ("1:44 min", Label.TEASER),
    ("Nachrichten & Hintergründe :Krieg in der Ukraine", Label.TEASER),
    ("Lesen Sie auch: Was über den Kreml-Besuch bekannt ist", Label.TEASER),
    ("30. August 2023, 18:36 Uhr", Label.META), ("veröffentlicht: 30. August 2023 18:36", Label.META),
    ("Von Christoph Dernbach, dpa", Label.META), ("redaktion@radiocentral.ch", Label.META),
    ("CNN —", Label.META), ("Berlin (dpa) -", Label.META), ("vor 8 Stunden", Label.META),
]

# Real article lines that look a little like clutter: no rule may fire.
ARTICLE = [
    "Von Montag an gilt die neue Regel.",
    "Am 25. September wird gewählt.",
    "Die Anzeige ging am Dienstag bei der Polizei ein.",
    "Der Newsletter des Ministeriums erschien am Montag.",
    "Mit einem Abonnement für 49 Euro können Fahrgäste bundesweit fahren.",
    "Die Mieten stiegen um 2 Euro pro Quadratmeter im Jahr.",
    "Google News wird in Spanien eingestellt.",
    "Testen will die Regierung das Verfahren ab Mai.",
    "»Wir schaffen das«, sagte sie.",
    "Laut Reuters erklärte Sullivan, die Gespräche liefen positiv.",
    "Bericht: Putin hofft auf Panzerabwehrwaffen",
    "Treffen von Kim und Putin in Wladiwostok?",
    "Kommentare aus Moskau blieben zunächst aus.",
    "Die Quelle des Feuers ist noch unklar.",
]


@pytest.mark.parametrize(("line", "label"), CLUTTER)
def test_clutter_line_is_classified(line, label):
    assert classify_line(line) == label


@pytest.mark.parametrize("line", ARTICLE)
def test_article_line_fires_no_rule(line):
    assert classify_line(line) is None


ARTICLE_TEXT = (
    "Die Regierung hat am Montag ein neues Gesetz zur Förderung von Wärmepumpen beschlossen, "
    "das ab dem kommenden Jahr gelten soll.\n"
    "Kritik aus der Opposition\n"
    "Die Opposition kritisierte das Vorhaben als zu teuer und kündigte Widerstand im Bundesrat an.\n"
    "„Das ist ein schwarzer Tag“, sagte ein Sprecher.\n"
    "Die Länder wollen im Herbst über das Gesetz beraten, eine Mehrheit gilt als unsicher.\n"
)


def test_subheadings_and_short_quotes_in_the_article_are_kept():
    assert clean_text(ARTICLE_TEXT).body.split("\n\n") == ARTICLE_TEXT.strip().split("\n")


def test_trailing_list_of_other_stories_is_removed():
    teasers = "Bahnstreik legt Fernverkehr lahm\nHitzewelle: Was Ärzte jetzt raten\nNeuer Rekord an der Börse\n"
    cleaned = clean_text(ARTICLE_TEXT + teasers)
    assert "Bahnstreik" not in cleaned.body
    assert cleaned.texts(Label.TEASER) == teasers.strip().split("\n")


def test_teaser_list_after_a_heading_goes_even_with_a_description():
    text = ARTICLE_TEXT + ("Mehr zum Thema\nHeizungsgesetz: Was sich ändert\n"
                           "Die wichtigsten Fragen und Antworten zum neuen Gesetz.\n"
                           "Wärmepumpen im Test\nStreit in der Koalition geht weiter\n")
    body = clean_text(text).body
    assert body.endswith("eine Mehrheit gilt als unsicher.")


def test_headline_block_becomes_the_title():
    text = "Politik\nRegierung beschließt Wärmepumpen-Gesetz\nRegierung beschliesst Waermepumpen-Gesetz\n" + ARTICLE_TEXT
    cleaned = clean_text(text)
    assert cleaned.title == "Regierung beschließt Wärmepumpen-Gesetz"
    assert cleaned.texts(Label.TITLE) == ["Regierung beschließt Wärmepumpen-Gesetz",
                                          "Regierung beschliesst Waermepumpen-Gesetz"]
    assert cleaned.texts(Label.NAVIGATION) == ["Politik"]
    assert cleaned.body.startswith("Die Regierung hat am Montag")


def test_known_title_removes_its_repeats():
    cleaned = clean_text("Wärmepumpen-Gesetz beschlossen\n" + ARTICLE_TEXT, title="Wärmepumpen-Gesetz beschlossen")
    assert cleaned.title == "Wärmepumpen-Gesetz beschlossen"
    assert "Wärmepumpen-Gesetz beschlossen" not in cleaned.body


def test_hard_wrapped_lines_are_joined():
    text = ("NEW YORK (dpa-AFX) - In der VW\n-Abgas-Affäre haben mehrere US-Bundesstaaten weitere Klagen gegen "
            "Volkswagen\nund Porsche angekündigt. Die Manipulation sei geplant gewesen.")
    assert clean_text(text).body == ("NEW YORK (dpa-AFX) - In der VW-Abgas-Affäre haben mehrere US-Bundesstaaten "
                                     "weitere Klagen gegen Volkswagen und Porsche angekündigt. Die Manipulation "
                                     "sei geplant gewesen.")


def test_text_without_prose_keeps_everything_no_rule_claims():
    cleaned = clean_text("Kim trifft Putin\nAnzeige\nGipfel in Wladiwostok")
    assert cleaned.body == "Kim trifft Putin\n\nGipfel in Wladiwostok"
    assert cleaned.removed == [("Anzeige", "ad_marker")]


def test_result_lists_every_line_once():
    text = "Titel der Meldung hier\n\n" + ARTICLE_TEXT + "Quellenlink\n"
    cleaned = clean_text(text)
    assert len(cleaned.lines) == len([line for line in text.splitlines() if line.strip()])
    assert cleaned.kept_labels.count("article") == len(cleaned.body.split("\n\n"))
