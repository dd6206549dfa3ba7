"""News agencies from credit positions only: source lines, datelines, credit tokens, bylines."""

import pytest

from indexer.enrich.agencies import find_agencies

BODY = "Ein Absatz über die Lage, der lang genug ist, um kein Kredit zu sein, und nichts nennt."


@pytest.mark.parametrize("text, expected", [
    ("Quelle: dpa, AFP", ["dpa", "AFP"]),
    ("Quelle: sda", ["sda"]),
    ("Quellen: dpa/AFP/Reuters", ["dpa", "AFP", "Reuters"]),
    ("Quelle: Reuters", ["Reuters"]),
    ("Quelle: AP, dpa", ["AP", "dpa"]),
    ("Mit Material von Reuters", ["Reuters"]),
    ("(Mit Material der Nachrichtenagenturen dpa und AFP)", ["dpa", "AFP"]),
    ("mit Material von AFP und KNA", ["AFP", "KNA"]),
    ("Material: epd", ["epd"]),
    ("Text: APA", ["APA"]),
    ("dpa/AFP", ["dpa", "AFP"]),
    ("(dpa)", ["dpa"]),
    ("kna/epd", ["KNA", "epd"]),
    ("jki/dpa", ["dpa"]),
    ("mes/AFP/dpa", ["AFP", "dpa"]),
    ("AFP/dpa/jde", ["AFP", "dpa"]),
    ("© dpa-infocom, dpa:230830-99-012345/3", ["dpa"]),
    ("Von Anna Muster, dpa", ["dpa"]),
    ("Von Max Muster (AFP)", ["AFP"]),
    ("Von Anna Muster und Jan Beispiel, AP", ["AP"]),
    ("Quelle: Keystone-SDA", ["sda"]),
    ("Quelle: Deutsche Presse-Agentur", ["dpa"]),
    ("Quelle: dts Nachrichtenagentur", ["dts"]),
    ("Quelle: Bloomberg", ["Bloomberg"]),
    ("Quelle: Agence France-Presse", ["AFP"]),
    ("(Yonhap)", ["Yonhap"]),
])
def test_credit_lines(text, expected):
    assert find_agencies(BODY + "\n" + text) == expected


@pytest.mark.parametrize("first_paragraph, expected", [
    ("Berlin (dpa) - Die Bundesregierung hat am Mittwoch ein neues Gesetz beschlossen.", ["dpa"]),
    ("Washington (AFP) – Die USA haben Nordkorea gewarnt.", ["AFP"]),
    ("WASHINGTON (Reuters) - U.S. officials said on Tuesday ...", ["Reuters"]),
    ("Washington/Seoul (dpa/AFP) - Nordkoreas Machthaber will nach Russland reisen.", ["dpa", "AFP"]),
    ("Vatikanstadt (KNA) – Papst Franziskus hat ...", ["KNA"]),
    ("Zürich (sda) - Die Schweizer Börse schloss höher.", ["sda"]),
    ("Wien (APA) - Die Regierung hat ...", ["APA"]),
    ("Seoul (Yonhap) – Südkorea meldet einen Raketentest.", ["Yonhap"]),
    ("(dpa) - Die Bahn streikt wieder.", ["dpa"]),
])
def test_datelines(first_paragraph, expected):
    assert find_agencies(first_paragraph + "\n" + BODY) == expected


@pytest.mark.parametrize("text, expected", [
    ("Die Verhandlungen gehen weiter, sagte Kirby am Mittwoch. (dpa)", ["dpa"]),
    ("Die Regierung ließ Proteste niederschlagen. (Reuters, APA, red)", ["Reuters", "APA"]),
    ("Personal darf nun an Sonntagen beschäftigt werden. (stro, APA)", ["APA"]),
    ("Der Nationalrat stimmte zu. (APA, 4.9.2023)", ["APA"]),
    ("Die Sitzung dauerte bis in den Abend. (Ortszeit)", []),
])
def test_closing_parenthesis_credits_the_paragraph(text, expected):
    assert find_agencies(text) == expected


@pytest.mark.parametrize("text", [
    "Laut Reuters erklärte US-Sicherheitsberater Jake Sullivan, die Gespräche liefen positiv.",
    "Das berichtete die Nachrichtenagentur AFP unter Berufung auf Diplomaten.",
    "Wie die Nachrichtenagentur AFP berichtete, wurden drei Menschen verletzt.",
    "Südkorea meldete den Start, berichtete die Nachrichtenagentur Yonhap.",
    "Die staatliche Nachrichtenagentur KCNA meldete einen erfolgreichen Test.",
    "Er sagte der Nachrichtenagentur Reuters, er sehe keinen Grund zur Sorge.",
    "Nach Angaben von AP waren mehr als 200 Menschen auf dem Platz.",
    "Die Deutsche Presse-Agentur (dpa) berichtete zuerst über den Fall.",
    "Dies teilte die Nachrichtenagentur Associated Press (AP)",
    "Im November 2022 bestätigte ein Beamter laut Reuters, dass kein Deal geschlossen sei.",
    "Foto: Susan Walsh/AP/dpa",
    "© Keystone/AP/Susan Walsh",
    "Quelle: Korean Central News Agency/Korea News Service via AP (Archiv)",
    "Foto: picture alliance/dpa | Michael Kappeler",
    "Bild: Reuters/Evelyn Hockstein",
    "ARCHIV - John Kirby spricht im Weißen Haus. Foto: Susan Walsh/AP/dpa",
    "Washington (Ortszeit) – Die Gespräche dauern an.",
    "Quellenlink",
    "Quelle: Statistisches Bundesamt",
    "CNN",
    "News",
])
def test_citations_and_photo_credits_are_not_sources(text):
    assert find_agencies(text + "\n" + BODY) == []


def test_dateline_only_near_the_top():
    later = "\n".join([BODY] * 5 + ["Berlin (dpa) - Ein alter Absatz, der zitiert wird."])
    assert find_agencies(later) == []


def test_removed_lines_count_unless_clutter_class():
    removed = [("Quelle: dpa", "source_link"), ("Foto: AFP", "photo_credit"),
               ("Quelle: Reuters | Mehr Nachrichten", "teaser"), ("(AFP)", "byline")]
    assert find_agencies(BODY, removed) == ["dpa", "AFP"]


def test_photo_class_is_skipped_even_with_source_label():
    assert find_agencies(BODY, [("Quelle: dpa", "photo_credit")]) == []


def test_order_of_first_credit_and_no_duplicates():
    text = "Berlin (AFP) - Text.\n" + BODY + "\nQuelle: dpa, AFP\n(dpa)"
    assert find_agencies(text) == ["AFP", "dpa"]


def test_empty_inputs():
    assert find_agencies("") == []
    assert find_agencies("", None) == []
