"""Context-free rules: which clutter class a single line belongs to, if any.

Each rule is a whole-line pattern written from real German news pages (the five
samples, the smartdata pages, and the furniture of Spiegel, Zeit, FAZ, SZ, Welt,
t-online, n-tv, tagesschau, ZDF). A rule must not fire on a sentence of an
article, so patterns are anchored at both ends and kept short; lines longer than
``MAX_RULE_CHARS`` are never clutter by rule (they are prose).

``classify_line(line)`` returns a ``Label`` or None (no rule fired). The order of
the checks matters where classes overlap: a "Quelle:" line with a URL is a
source link, with picture words it is a photo credit, otherwise it names the
source (agency); "© dpa-infocom, dpa:230830-99-1234/2" is the dpa source tag,
other "©" lines are credits.
"""

from __future__ import annotations

import re

from indexer.clean.labels import Label

MAX_RULE_CHARS = 400

_I = re.IGNORECASE

# Agencies and their usual spellings in bylines and source lines.
AGENCY = (
    r"(?:dpa(?:-AFX|-infocom|/[a-z]{2,3})?|AFX|AFP|AP|Reuters|rtr|sda|Keystone-SDA|SDA|KNA|epd|"
    r"dts|ots|APA|ANSA|EFE|Xinhua|TASS|Interfax|Bloomberg|Dow Jones|DJ|SID|sid|idea|AWP|"
    r"Kyodo|Yonhap|AA|Agenturen|lhe|lby|lnw|lsw|lno|lni|lsn|lbn|lmv|lth|lsa)"
)
_AGENCY_RE = re.compile(rf"(?<![\w-]){AGENCY}(?![\w-])")
_MONTH = (
    r"(?:Januar|Jan|Februar|Feb|März|Mär|Mrz|April|Apr|Mai|Juni|Jun|Juli|Jul|August|Aug|"
    r"September|Sept|Sep|Oktober|Okt|November|Nov|Dezember|Dez)\.?"
)
_WEEKDAY = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Mo|Di|Mi|Do|Fr|Sa|So)\.?"
_DATE_TOKEN = re.compile(
    rf"\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\d{{1,2}}\s*\.\s*\d{{1,2}}\s*\.\s*(?:\d{{4}}|\d{{2}})?"
    rf"|\d{{1,2}}\s*\.?\s*{_MONTH}(?:\s*\d{{4}})?"
    rf"|\d{{1,2}}\s*/\s*\d{{1,2}}(?:\s*/\s*\d{{2,4}})?"
    rf"|\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?\s*(?:Uhr|h)?"
    rf"|{_WEEKDAY}(?=[\s,])"
    rf"|\b(?:vor|seit)\s+\d+\s*(?:Sekunden|Sek\.?|Minuten|Min\.?|Stunden|Std\.?|Tagen|Wochen)"
    rf"|\b(?:heute|gestern|vorgestern)\b",
    _I,
)
# A time stamp has a year, a time of day, or is relative ("vor 8 Stunden").
_STAMP = re.compile(r"\d{4}|\d[:.]\d{2}(?!\.)|\d{1,2}\.\d{1,2}\.\d{2}|vor |seit |heute|gestern|\d\s*/\s*\d", _I)
_META_WORDS = re.compile(
    r"\b(?:Stand|Veröffentlicht|Publiziert|Aktualisiert|Zuletzt|Erstellt|Geändert|"
    r"Update|Datum|Pressemitteilung|Pressemeldung|Meldung|vom|am|um|Uhr|MEZ|MESZ|CET|CEST|UTC|"
    r"Lesezeit|Lesedauer|Min|Minuten|ca|mal gelesen|gelesen|und|von|aktualisiert)\b\.?",
    _I,
)


def _any(*patterns: str, flags: int = _I) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


_DECORATION = re.compile(r"^[\s>»›•·*|\-–—_#]+|[\s<>«»‹›•·*|\-–—_#]+$")

COMMENT = _any(
    r"\d+\s*(?:Leser)?(?:Kommentare?|Comments?|Antworten|Reaktionen|Beiträge)",
    r"(?:Leser)?Kommentare?\s*\(\s*\d+\s*\)",
    r"(?:Leser)?Kommentare?|Kommentieren|Jetzt kommentieren|Kommentar (?:schreiben|verfassen|abgeben)",
    r"(?:Alle\s+)?Kommentare\s+(?:anzeigen|lesen|einblenden|ausblenden|öffnen|schließen|laden)",
    r"Zu(?:m|r)?\s+(?:den\s+)?Kommentar(?:en|bereich|spalte)|Kommentarbereich|Leserdebatte|Leserforum",
    r"Schreiben? (?:Sie )?einen Kommentar|Schreib(?:e|en Sie)? (?:uns )?(?:einen|Ihren|deinen) Kommentar",
    r"Diskutieren Sie mit|Diskutiere mit|Mitdiskutieren|Zur Diskussion|Diskussion(?:en)?(?:\s*\(\d+\))?",
    r"Ihre Meinung(?: ist gefragt| zählt)?|Was (?:meinen|denken) Sie\?",
    r"(?:Die )?Kommentar(?:funktion|spalte|bereich) (?:ist|wurde|bleibt) .{0,80}",
    r"(?:Es gibt|Bisher gibt es) (?:noch )?keine Kommentare.{0,60}",
    r"Seien? (?:Sie )?(?:der|die) (?:erste|Erste).{0,60}(?:kommentier|Kommentar).{0,20}",
    r"(?:Antworten|Melden|Gefällt mir|Zitieren|Empfehlen \(\d+\))",
    r"(?:Alle\s+)?(?:\d+\s+)?(?:Leser)?Kommentare?\s*(?:\(\d+\)\s*)?(?:anzeigen|ansehen|lesen|einblenden|öffnen|laden|"
    r"zum Artikel)?\s*(?:\(\d+\))?|(?:Zu den|Zu allen)\s+(?:\d+\s+)?Kommentaren(?:\s*\(\d+\))?|"
    r"Kommentar(?:bereich|spalte|funktion)\s*(?:öffnen|anzeigen|deaktiviert|geschlossen)?|"
    r"Kommentieren Sie (?:den|diesen) (?:Artikel|Beitrag)|Leser(?:debatte|forum|briefe?)\s*(?:\(\d+\))?|"
    r"(?:Es gibt|Bisher gibt es|Noch) (?:bisher |noch )?keine Kommentare.{0,60}|Diskutieren Sie mit!?",
    r"\d{1,4}",
)

AD = _any(
    r"[\[(]?\s*(?:Anzeige|Werbung|Advertisement|Advertorial|Sponsored(?: Content| Post)?|Gesponsert|"
    r"Promotion|Paid (?:Content|Post)|Partnerinhalt|Partner-Inhalt|Werbeanzeige|Ad)"
    r"(?:[\s_-]*\d+)?\s*[\])]?",
    r"(?:Anzeige|Werbung)\s*(?:schließen|ausblenden|überspringen|entfernen)",
    r"(?:Weiter(?:lesen)?|Lesen Sie weiter|(?:Der )?Artikel (?:wird )?(?:geht )?(?:weiter|fortgesetzt))"
    r"\s+(?:nach|unter) (?:der|dieser) (?:Anzeige|Werbung)",
    r"(?:Anzeige|Werbung|Advertorial|Promotion|Sponsored|Gesponsert)\s*[:|–-]\s*.{1,100}",
    r"(?:Der |Dieser )?(?:Artikel|Text|Beitrag) (?:wird|geht) (?:nach|unter) (?:der|dieser) (?:Anzeige|Werbung)"
    r"(?: (?:fortgesetzt|weiter))?",
    r"(?:Sponsored|Gesponsert|Präsentiert|Unterstützt) (?:by|von) .{1,60}|Gesponserte[rs]? (?:Beitrag|Inhalt|Artikel)",
    r".{0,120}\b(?:Affiliate-?Links?|Provisions?-?Links?|Werbelinks?)\b.{0,160}",
    r"\*?\s*(?:Wir erhalten|erhalten wir) (?:ggf\. |gegebenenfalls |eine )?(?:eine )?Provision.{0,160}",
    r"(?:Zum|Jetzt zum) Angebot.{0,40}",
)

URL = r"(?:https?://|www\.)\S+"
SOURCE_LINK = _any(
    URL,
    r"Quellen?(?:link|angabe)?s?|Quelle\(n\)|Zur Quelle|Original(?:quelle|beitrag|meldung|text)|"
    r"Original-?Artikel(?:\s+(?:lesen|ansehen|öffnen))?|Zum Original(?:artikel|beitrag)?",
    r"Links?(?:\s+zu(?:m|r)?\s+(?:diesem\s+)?(?:Original)?(?:Artikel|Thema|Beitrag|Meldung))?",
    r"Zu(?:m|r)\s+(?:vollständigen\s+)?(?:Artikel|Beitrag|Meldung|Pressemitteilung|Website|Webseite)",
    r"(?:Hier\s+)?(?:Den |Die )?(?:vollständigen?|ganzen?|kompletten?)\s+(?:Artikel|Beitrag|Text|Meldung)"
    r"\s+(?:lesen|finden Sie hier|gibt es hier|hier)\s*(?:\.\.\.|…)?",
    r"(?:Weiter|Mehr)\s*lesen(?:\s*(?:\.\.\.|…|»|›|>))?|Artikel lesen|Weiterlesen auf .{1,40}",
    r"Hier (?:geht'?s|gelangen Sie|kommen Sie) zu(?:m|r)? .{1,60}",
    r"(?:Weitere|Mehr) (?:Infos?|Informationen)(?: (?:finden Sie|gibt es|erhalten Sie))?(?: (?:unter|hier|auf))?"
    r"\s*:?\s*(?:" + URL + r"|hier\.?|unter .{1,60})?",
    r"(?:Quellen?|Links?|Mehr|Infos?|Informationen|Website|Webseite|Homepage|Internet|Online|Mehr dazu)"
    r"\s*:?\s*(?:unter\s*:?\s*)?" + URL + r".{0,40}",
    r"(?:Pressemitteilung|Mitteilung|Studie|Bericht|Dokument|Meldung)\s+(?:als\s+)?(?:PDF|herunterladen|"
    r"im Original)(?:\s*\(.{1,30}\))?",
    r"(?:PDF|Download)(?:\s*\(.{1,30}\))?",
    r"(?:Zur|Zum|Link zur|Link zum|Links zur|Links zum)\s+(?:Studie|Bericht|Dokument|Quelle|Original\w*|Beitrag|"
    r"Artikel|Meldung|Pressemitteilung|Website|Webseite|Seite|Video|Text)(?:\s*\(.{1,30}\))?",
    r"Hier (?:geht es|geht's|gibt es|finden Sie|lesen Sie) (?:zu(?:m|r)? |den |die |das )?(?:vollständigen |ganzen |kompletten )?"
    r"(?:Artikel|Beitrag|Bericht|Studie|Original\w*|Pressemitteilung|Meldung|Text)\.?",
)

QUELLE = re.compile(r"^(?:Quellen?|Source)\s*:\s*(?P<rest>.{1,160})$", _I)
_PHOTO_WORDS = re.compile(
    r"\b(?:Archiv|Archivbild|Archivfoto|Foto|Fotos|Bild|Bilder|Symbolbild|Screenshot|picture[- ]alliance|"
    r"imago|IMAGO|Getty|Shutterstock|iStock|Keystone(?!-SDA)|EPA|Photo|via|Instagram|Facebook|Twitter|X\.com|"
    r"YouTube|TikTok|Telegram|Handout|Pool|Grafik|Illustration|KI-generiert|Video)\b",
    _I,
)

SOURCE = _any(
    rf"\(?\s*{AGENCY}(?:\s*(?:[/,|+]|und|and|&)\s*(?:{AGENCY}|[a-z]{{2,4}}))*\s*\)?\.?",
    rf"\(?\s*[a-zäöü]{{2,4}}(?:\s*/\s*[a-zäöü]{{2,4}})*\s*/\s*{AGENCY}(?:\s*/\s*[\w]{{2,4}})*\s*\)?",
    rf"(?:[\w.-]+\.(?:de|at|ch|com)|ntv\.de|tagesschau\.de|ZDFheute|ZEIT ONLINE|SPIEGEL)\s*,\s*"
    rf"[\w/ ,]{{0,40}}{AGENCY}.{{0,20}}",
    rf"{AGENCY}\s*[-–]\s*Deutsche Presse-Agentur(?: GmbH)?",
    r"Deutsche Presse-Agentur(?: GmbH)?|Agence France-Presse|Associated Press|Thomson Reuters",
    r"(?:©\s*)?dpa-infocom.{0,40}dpa:\d{6}-\d{2}-\d+(?:/\d+)?",
    r"dpa:\d{6}-\d{2}-\d+(?:/\d+)?",
    r"(?:Mit|mit) (?:Material|Informationen|Inhalten) (?:von|der|des|aus)\s.{1,80}",
    r"(?:Unter Mitarbeit|Mitarbeit) von\s.{1,60}",
    r"Original-?Content von\s*:?.{1,160}",
    r"(?:Quelle|Agentur|Agenturen)\s*:\s*" + AGENCY + r".{0,60}",
)

PHOTO = _any(
    r"(?:Fotos?|Bild(?:er)?|Bildquelle|Bildrechte|Bildnachweis|Fotonachweis|Fotograf(?:in)?|Titelbild|"
    r"Titelfoto|Archivbild|Archivfoto|Symbolbild|Symbolfoto|Grafik|Illustration|Screenshot|Credits?|"
    r"Photo|Video|Foto\s*&\s*Video)\s*(?:[:©]|\(c\)).{1,140}",
    r"(?!.*(?:Alle Rechte vorbehalten|All rights reserved))(?:©|\(c\)|Copyright\s*(?:©|\(c\))?)\s*.{1,140}",
    r"(?:picture[- ]alliance|imago(?: images)?|IMAGO|Getty Images|AFP via Getty Images|dpa-Bildfunk|"
    r"Keystone|EPA-EFE|EPA|AP Photo|Reuters Pictures?|Shutterstock\.com|Shutterstock|iStock(?:photo)?|"
    r"Anadolu)(?:\s*[/|,:.].{0,100})?",
    r"(?:Symbolbild|Archivbild|Archivfoto|Symbolfoto|Handout|Fotostrecke|Bildergalerie|Galerie|"
    r"Zur (?:Foto(?:show|strecke)|Bildergalerie|Galerie)|Alle (?:Bilder|Fotos)(?: anzeigen| ansehen)?|"
    r"Bild(?:er)? (?:vergrößern|ansehen|anzeigen)|Foto vergrößern|Vergrößern|Fullscreen|Vollbild|"
    r"Bild \d+ (?:von|/) \d+|\d+ (?:Bilder|Fotos)|Mehr Bilder|Fotos ansehen)",
    r"(?:ARCHIV|HANDOUT|dpa-Bildfunk|FILE PHOTO|Archiv)\s*[-–—:]\s*.{5,400}",
    r".{5,400}?[\s.(\[]\s*(?:Fotos?|Bild(?:er)?|Bildquelle)\s*:\s*[^.!?:]{1,90}[)\]]?",
    r".{5,400}?\s(?:©|\(c\))\s*[^.!?]{1,90}",
)

# A prompt speaks to the reader; article sentences that merely mention a newsletter,
# an app or a price do not match because these words are required as well.
_PROMPT = (r"(?=.*\b(?:abonn\w*|Abo\w*|aktivier\w*|anmeld\w*|Melden Sie|registrier\w*|installier\w*|"
           r"herunterlad\w*|Laden Sie|kostenlos\w*|gratis|jetzt|Jetzt|hier|Hier|Ihr\w*|dich|dein\w*|"
           r"testen|Testen|weiterlesen|Weiterlesen|erhalten Sie|Erhalten Sie)\b)")

SUBSCRIPTION = _any(
    r"(?:Erhalten|Bekommen|Abonnieren) Sie .{0,80}(?:Updates|Newsletter|Benachrichtigungen|Nachrichten|"
    r"Neuigkeiten|Push|Briefing).{0,80}",
    _PROMPT + r".{0,80}\b(?:Newsletter|Briefing|Push-?(?:Nachrichten|Mitteilungen|Benachrichtigungen|Dienst)|"
    r"Eilmeldungen aufs Handy|WhatsApp-Kanal|Telegram-Kanal|Google News|News-?App|unsere App|RSS-Feed)\b.{0,120}",
    r"(?:Jetzt|Hier|Gleich)\s+(?:kostenlos\s+|gratis\s+|unverbindlich\s+)?(?:abonnieren|registrieren|anmelden|"
    r"testen|weiterlesen|freischalten|bestellen|Abo abschließen|Mitglied werden|upgraden|lesen|sichern|"
    r"entdecken)\b.{0,100}",
    r"(?:kostenlos |gratis )?(?:abonnieren|registrieren|Abo abschließen|Mitglied werden|freischalten)(?:\s+\S+){0,2}",
    r"(?:Jetzt|Hier|Gleich)\s+.{0,60}\b(?:abonnieren|registrieren|testen|lesen|weiterlesen|bestellen|sichern|"
    r"freischalten)\b(?:[^.]{0,80}[^.])?",
    r".{0,120}\b(?:jetzt|hier|kostenlos|gratis)\s+(?:abonnieren|anmelden|registrieren|bestellen)\b.{0,20}",
    r"(?:SZ Plus|F\+|Z\+|SPIEGEL\+|WELTplus|FAZ\+|BILDplus|Digital|Plus|Premium)[- ]Abo(?:nnement)?",
    r"(?:Melden|Registrieren|Abonnieren|Testen|Sichern|Entdecken) Sie (?:sich|jetzt|hier|unser|unsere|"
    r"unseren) .{0,100}",
    r"(?:Lesen|Hören) Sie (?:jetzt |hier )?(?:weiter|alle|den vollständigen|mehr) .{0,80}"
    r"(?:Abo|Abonnement|Plus|\+|Monat|Woche|registrier|Zugang|kostenlos).{0,60}",
    r".{0,60}(?:Sie haben|Du hast) (?:bereits|schon) (?:ein|einen) (?:\w+-)?(?:Abo|Abonnement|Konto|"
    r"Account|Zugang).{0,60}",
    r"(?:Bereits|Schon) (?:Abonnent|Abonnentin|Kunde|Kundin|registriert|Mitglied).{0,60}",
    r"(?:Dieser|Der|Dieses) (?:Artikel|Beitrag|Inhalt|Text|Angebot) (?:ist|steht) (?:nur |exklusiv |ausschließlich )?"
    r"(?:für (?:Abonnent|Plus|Digital|registrierte|Mitglieder|zahlende)|Abonnenten|Abonnentinnen).{0,100}",
    r".{0,80}\b(?:exklusiv|nur) für (?:Abonnent\w*|Plus-\w+|Digital-?Abonnent\w*|Mitglieder|registrierte).{0,80}",
    r"(?=.*\b(?:testen|lesen|Abo|abonn\w*|Zugang|weiterlesen|kündbar|danach|statt)\b)"
    r".{0,80}\d+(?:,\d+)?\s*(?:€|Euro)\b.{0,40}\b(?:Monat|Woche|Wochen|Jahr|Tage).{0,80}",
    r"(?:SPIEGEL\+|Z\+|F\+|SZ Plus|SZ\+|WELTplus|WELT\+|FAZ\+|FAZ\.NET\+|Plus|BILDplus|BILD\+|Premium|"
    r"[A-Z]\w*\s?\+|[A-Z]+plus|Abo|Abonnement|Digital-?Abo|Zum Abo|Ihr Abo|Alle Abos|Angebot wählen|"
    r"Abo-?Angebote?|Abo-?Shop|Jetzt Abo)",
    r"Mit (?:einem |Ihrem |dem )?(?:\w+-)?(?:Abo|Abonnement)\b.{0,60}(?:lesen|Zugriff|Zugang|Artikel|Inhalte)\b.{0,60}",
    r"(?:Unterstützen|Unterstütze) (?:Sie |du )?(?:uns|unseren Journalismus|unabhängigen Journalismus|"
    r"unsere Arbeit).{0,100}",
    r"(?:Anmelden|Einloggen|Login) (?:und|&) (?:weiterlesen|weiter lesen|mitreden|kommentieren).{0,40}",
)

SHARE = _any(
    r"(?:(?:Teilen|Twittern|Tweet|Tweeten|Posten|Facebook|Twitter|X|WhatsApp|LinkedIn|Xing|XING|Pinterest|"
    r"Reddit|Threads|Bluesky|Mastodon|Telegram|Messenger|Flipboard|Pocket|E-Mail|E-mail|Email|Mail|"
    r"Drucken|Druckversion|Link kopieren|Link kopiert|Kopieren|Merken|Gemerkt|Speichern|Versenden|"
    r"Empfehlen|Verschicken|Share|Feedback|Vorlesen|Anhören)[\s|,·•/]*){1,12}",
    r"(?:Auf|Bei|Via|Über|Per|Mit) (?:Facebook|Twitter|X|WhatsApp|LinkedIn|Xing|XING|Pinterest|Reddit|"
    r"Threads|Bluesky|Mastodon|Telegram|Messenger|Flipboard|E-Mail|Mail|SMS)\s*(?:teilen|versenden|"
    r"verschicken|senden|empfehlen|posten|folgen)?",
    r"(?:Diesen |Den |Dieses |Den ganzen )?(?:Artikel|Beitrag|Seite|Inhalt|Video|Link)\s+(?:per (?:E-Mail|Mail|"
    r"WhatsApp)\s+)?(?:teilen|versenden|verschicken|empfehlen|drucken|merken|speichern|kopieren)",
    r"Teilen Sie (?:diesen|den|diese|dieses) .{1,40}",
    r"(?:Teilen|Posten|Senden|Versenden|Empfehlen|Folgen)\s+(?:auf|via|per|bei|über|mit|in)\s+[\w.-]+(?:\s+[\w.-]+)?",
    r"(?:Jetzt )?(?:Folgen|Folge) (?:Sie )?(?:uns|dem|der|@).{0,80}",
    r"(?:Empfänger(?:-| )?(?:E-?Mail|Adresse)|Absender(?:-| )?(?:E-?Mail|Adresse)?|Ihr(?:e)? (?:Name|"
    r"E-?Mail-?Adresse)|Persönliche Nachricht ?\(?optional\)?|Nachricht ?\(?optional\)?|Sicherheitscode|"
    r"Captcha|Abschicken|Senden)",
    r"Tipp: (?:mehrere E-?Mail-?Adressen|das Bild anklicken).{0,80}",
    r"Bitte (?:tragen|geben) Sie (?:den|diesen) (?:Code|Sicherheitscode).{0,60}",
    r"Drucken per Mail|Artikel per E-Mail empfehlen|Versenden|Artikel versenden",
)

NAVIGATION = _any(
    r"(?:Sie sind|Du bist) hier\s*:.{0,200}",
    r"[^>»›]{1,60}(?:\s+[>»›]\s+[^>»›]{1,100}){2,8}(?:\s+[>»›])?|[^>»›]{1,60}\s+[>»›]\s+[^>»›]{1,100}\s+[>»›]",
    r"(?:Startseite|Home|Zurück|Zur Startseite|Zurück zur (?:Startseite|Übersicht)|Weiter|Nach oben|"
    r"Zum Seitenanfang|Seitenanfang|Menü|Menu|Navigation|Suche|Suchen|Anmelden|Abmelden|Login|Logout|"
    r"Mein Konto|Mein \w+|Mehr|Mehr anzeigen|Weniger anzeigen|Alle anzeigen|Schließen|Inhalt|"
    r"Inhaltsverzeichnis|Artikel anhören|Audio|Übersicht|Impressum|Datenschutz(?:erklärung)?|Kontakt|AGB|"
    r"Nutzungsbedingungen|Cookies?|Cookie-Einstellungen|Privatsphäre(?:-Einstellungen)?|Barrierefreiheit|"
    r"Hilfe|FAQ|Sitemap|Mediadaten|Jobs|Karriere|Archiv|RSS(?:-Feeds?)?|Newsticker|Update|Live|Liveblog|"
    r"Liveticker|Eilmeldung|Exklusiv|Analyse|Meinung|Kolumne|Interview|Reportage|Hintergrund|Video|Videos|"
    r"Podcast|Audio|Play|Abspielen|Video abspielen|Pause|Wiedergabe|Ton an|Ton aus|Nächster Artikel|Zurück nach oben|"
    r"News|Nachrichten|International|Ausland|Inland|Deutschland|Welt|Politik|Wirtschaft|Finanzen|Sport|Kultur|"
    r"Panorama|Wissen|Wissenschaft|Digital|Netzwelt|Regional|Lokales|Gesellschaft|Leben|Reise|Auto|Mobilität|"
    r"Gesundheit|Karriere|Stil|Feuilleton|Vermischtes|Boulevard|Unterhaltung|Technik|Klima|Börse|Vorheriger Artikel|Nächste Seite|Vorherige Seite|Weiter zu Seite \d+|Seite \d+(?: von \d+)?|"
    r"(?:\d+\s*){2,}(?:Weiter|»|›)?|Top|Anzeigen|Dossier|Spezial|Themen|Ressorts?)",
    r"(?:Empfohlener |Externer )+(?:externer )?Inhalt.{0,60}",
    r".{0,40}(?:externe[rn]? Inhalte?|Drittanbieter|Inhalte von Drittanbietern).{0,40}"
    r"(?:angezeigt|einverstanden|zustimmen|aktivieren|laden|freigeben|nachladen).{0,200}",
    r"(?:Ich bin damit einverstanden|Mehr (?:dazu|Informationen) in (?:unserer|der) Datenschutz).{0,200}",
    r"(?:Inhalt|Video|Grafik|Karte) (?:nicht verfügbar|laden|wird geladen|anzeigen).{0,60}",
    r"(?:Bitte )?(?:aktivieren Sie|erlauben Sie) (?:JavaScript|Cookies).{0,120}",
    r".{0,60}\bist ein Angebot (?:der|des|von) .{1,80}",
    r"(?:©\s*)?\d{4}(?:\s*[-–]\s*\d{4})?\s.{0,60}(?:Alle Rechte vorbehalten|All rights reserved).{0,40}",
    r".{0,80}(?:Alle Rechte vorbehalten|All rights reserved).{0,40}",
    r"[\W_]{1,20}",
)

TEASER_HEADERS = _any(
    r"(?:Mehr|Noch mehr|Alles) (?:zum|zu diesem) Thema|Mehr zu(?:m|r)? [\w-]+(?: [\w-]+){0,3}|"
    r"Das könnte (?:Sie|dich) (?:auch )?interessieren|Auch interessant(?: für Sie)?|Auch lesenswert|"
    r"Lesen Sie (?:auch|mehr|dazu|hier)|Lesetipps?|Lese-Tipps?|Leseempfehlungen?|Empfehlungen?(?: der Redaktion)?|"
    r"Redaktionsempfehlungen?|Unsere Empfehlungen?|Weitere (?:Artikel|Nachrichten|Meldungen|News|Themen|"
    r"Beiträge|Videos|Informationen zum Thema)(?: zu(?:m|r)? .{1,50}| aus .{1,40})?|"
    r"Aktuelle (?:Nachrichten|News|Meldungen|Artikel|Videos|Themen|Beiträge)(?: zu(?:m|r)? .{1,50}| aus .{1,40})?|"
    r"Neueste (?:Artikel|Nachrichten|Meldungen|Videos)|Top-?(?:Nachrichten|Themen|Artikel|News|Videos|Meldungen)|"
    r"Unsere wichtigsten Themen|Meistgelesen(?:e Artikel)?|Meist(?:gelesen|gesehen|kommentiert)|"
    r"Am meisten gelesen|Beliebte (?:Artikel|Beiträge)|Ähnliche (?:Artikel|Beiträge|Themen)|"
    r"Verwandte (?:Artikel|Themen|Beiträge)|Zum Thema|Thema|Schlagzeilen|Weiterführende (?:Artikel|Links)|"
    r"Mehr (?:aus|von) (?:der |dem |unserem |unserer )?[\w-]+(?: [\w-]+){0,3}|Alle (?:Artikel|News|Nachrichten|"
    r"Beiträge) zu(?:m|r)? .{1,40}|Sie könnten auch mögen|Empfohlene Artikel|Passend zum Thema|"
    r"Nachrichten & Hintergründe|Hintergründe|Mehr Nachrichten|Weitere News|Auch spannend|Videos zum Thema",
)

TEASER = _any(
    TEASER_HEADERS.pattern,
    r"mit (?:Video|Audio|Bildergalerie|Videos|Grafik|Karte|Liveblog|Podcast)",
    r"(?:Video|Audio|Podcast)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:min|Min\.?|Minuten|Std\.?)",
    r"(?:Video|Audio|Podcast)\s*[|:•·]?\s*\d{1,3}\s*(?:min|Min\.?|Minuten)|\d{1,3}\s*(?:min|Min\.?|Minuten)\s*(?:Video|Audio)",
    r"[^:]{2,60}\s:\S.{2,160}",  # "Kicker :Headline" (teaser markup flattened)
    r"[^|]{2,40}\|\s*(?:heute|tagesschau|ZDFheute|Video|Audio|Podcast)[^:]{0,30}:.{2,160}",
    r"(?:Lesen Sie (?:auch|mehr|dazu|hier)|Auch interessant|Lesetipp|Lese-Tipp|Mehr zum Thema|Zum Thema|"
    r"Passend zum Thema|Auch lesenswert|Empfehlung|Hier lesen Sie|Mehr dazu|Siehe auch)\s*[:\-–—|]\s*\S.{1,200}",
)

META = _any(
    r"(?:Von|VON|von|Ein (?:Kommentar|Gastbeitrag|Essay|Interview|Bericht|Kommentar|Beitrag|Meinungsbeitrag|"
    r"Analyse|Kolumne|Porträt) von|Autor(?:in)?|Autoren|Text|Texte|Recherche|Redaktion|Fotos und Text|"
    r"Interview|Gespräch|Moderation|Aufgezeichnet von|Ein Artikel von)\s*:?\s+"
    r"(?:(?:Dr\.|Prof\.)\s+)?[A-ZÄÖÜ][\w'’.-]+(?:\s+(?:[A-ZÄÖÜ][\w'’.-]+|von|van|de|der|den|und|,|&|"
    r"[A-ZÄÖÜ]\.)){0,10}(?:\s*(?:[,/|(]|Quelle:)\s*[\w./ ()-]{1,40})?",
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    r"(?:E-?Mail|Mail|Kontakt|Tel\.?|Telefon|Fax|Redaktion)\s*:?\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[+\d][\d /()-]{5,}).{0,40}",
    r"[a-z]{2,6}(?:-[a-z0-9]{1,6}){1,3}-?\d{1,6}",  # tracking ids such as "ttn-de-58"
    r"(?:ISIN|WKN|Ticker|Symbol)\b\s*:?\s*[\w ]{2,80}",
    r"\(\s*[\w.]{1,8}(?:\s*/\s*[\w.]{1,8}){0,3}\s*\)",  # author sigle "(as)", "(ReCa)"
    r"/\s*[\w.]{1,6}(?:\s*/\s*[\w.]{1,6}){1,5}\s*/?",  # "/ dm / DP / jha"
    r"(?:Lesezeit|Lesedauer)\s*:?\s*(?:ca\.\s*)?\d+\s*(?:Min\.?|Minuten).{0,10}|\d+\s*(?:Min\.?|Minuten) Lesezeit",
    r"\d+\s*mal gelesen",
    r"(?:\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}:\d{2})[^|]{0,30}\|[^|]{0,60}\|.{0,300}",  # "10.03.16 | 15:45 Uhr | ..."
    r"[A-ZÄÖÜ][\w .-]{1,40}\s*\(\s*[\w/ -]{2,25}\s*\)\s*[-–—:]?",  # "Washington (dpa) -"
    r"(?:[A-ZÄÖÜ][\w-]+(?:\s*/\s*[A-ZÄÖÜ][\w-]+)*)\s*,\s*(?:den\s+)?\d{1,2}\.\s*(?:" + _MONTH + r"|\d{1,2}\.)"
    r"\s*\d{2,4}\s*[.:]?",  # "Dormagen, 26. Januar 2016."
    flags=0,
)

# A dateline alone on its line, checked before decoration is stripped: "CNN —",
# "WASHINGTON -", "Berlin (dpa) -".
DATELINE = re.compile(r"[A-ZÄÖÜ][\w.]*(?:[ -][A-ZÄÖÜ][\w.]*){0,3}(?:\s*\([\w/ -]{2,25}\))?\s*[-–—]")


def _strip_decoration(line: str) -> str:
    return _DECORATION.sub("", line)


def _is_date_meta(line: str) -> bool:
    """A line that is a time stamp with at most a few words around it."""
    if len(line) > 160 or not re.search(r"\d|heute|gestern", line, _I):
        return False
    stamps = [match.group(0) for match in _DATE_TOKEN.finditer(line)]
    if not any(_STAMP.search(stamp) for stamp in stamps):
        return False  # "am 25. September" in a headline is not a time stamp
    rest = _DATE_TOKEN.sub(" ", line)
    rest = _META_WORDS.sub(" ", rest)
    rest = _AGENCY_RE.sub(" ", rest)
    rest = re.sub(r"[\W\d_]+", " ", rest).strip()
    words = rest.split()
    lowercase = sum(1 for word in words if word[0].islower())
    return len(words) <= 3 and len(rest) <= 30 and lowercase <= 1 and not (lowercase and line.endswith("."))


def quelle_class(rest: str) -> Label:
    """The class of a "Quelle: <rest>" line taken on its own."""
    if re.search(URL, rest, _I):
        return Label.SOURCE_LINK
    if _PHOTO_WORDS.search(rest):
        return Label.PHOTO_CREDIT
    return Label.SOURCE


def classify_line(line: str) -> Label | None:
    """The clutter class of one normalised line by rule, or None."""
    if not line or len(line) > MAX_RULE_CHARS:
        return None
    core = _strip_decoration(line) or line
    quelle = QUELLE.match(core)
    if quelle:
        return quelle_class(quelle["rest"])
    for label, pattern in _ORDER:
        if pattern.fullmatch(core):
            return label
    if _is_date_meta(core) or DATELINE.fullmatch(line):
        return Label.META
    return None


_ORDER: tuple[tuple[Label, re.Pattern], ...] = (
    (Label.SOURCE, SOURCE),
    (Label.AD_MARKER, AD),
    (Label.COMMENT_COUNTER, COMMENT),
    (Label.SOURCE_LINK, SOURCE_LINK),
    (Label.PHOTO_CREDIT, PHOTO),
    (Label.TEASER, TEASER),
    (Label.SUBSCRIPTION_PROMPT, SUBSCRIPTION),
    (Label.SHARE, SHARE),
    (Label.NAVIGATION, NAVIGATION),
    (Label.META, META),
)
