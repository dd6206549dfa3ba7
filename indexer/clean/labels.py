"""The line classes the cleaner assigns.

``ARTICLE`` lines make up the cleaned body. Every other class is clutter: it is
left out of the body but returned with the result, because several classes carry
facts enrichment needs (``SOURCE``: "Quelle: dpa, AFP"; ``META``: bylines,
datelines such as "CNN" + "—", time stamps, "redaktion@..." addresses; ``TITLE``:
the headline found at the top of the text).
"""

from enum import StrEnum


class Label(StrEnum):
    ARTICLE = "article"
    TITLE = "title"                      # headline, its repeats and sub-headline before the text
    NAVIGATION = "navigation"            # breadcrumbs, section labels, menus, page furniture, tags
    SHARE = "share"                      # social buttons, "Artikel per E-Mail empfehlen", print
    COMMENT_COUNTER = "comment_counter"  # "12 Kommentare", "Kommentar (0)", comment UI
    AD_MARKER = "ad_marker"              # "Anzeige", "[Anzeige_2]", affiliate notes
    SOURCE_LINK = "source_link"          # "Quellenlink", bare URLs, "Zum Originalartikel"
    SOURCE = "source"                    # who supplied the story: "Quelle: sda", "(dpa)"
    SUBSCRIPTION_PROMPT = "subscription_prompt"  # newsletters, abos, paywall, push prompts
    PHOTO_CREDIT = "photo_credit"        # "Foto: ...", "© ...", captions ending in a credit
    TEASER = "teaser"                    # other stories: "Mehr zum Thema", trailing headline lists
    META = "meta"                        # bylines, datelines, time stamps, contact, ids


CLUTTER = frozenset(label for label in Label if label is not Label.ARTICLE)
