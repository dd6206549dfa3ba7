"""Enrichment: the fields the indexer derives from one cleaned article.

`enrich(doc, removed_lines, input_lines)` composes the small modules of this package. `doc` is
the draft document after cleaning (`body`, and the given `title`, `url`, `outlet`, `published_at`,
`language`, `metadata`); `removed_lines` are the clutter lines the cleaner took out, as
(text, class) pairs ("Quelle: dpa", "source_link"): agencies, the outlet and the publication
date can hide there, while teaser, photo and ad lines are never used for dates or agencies.
`input_lines` are all lines as they came in, in order: an outlet label such as "CNN —" opens
the text on lines of its own, which the cleaner removes.
Returns only the derived fields; the caller merges them into the document. Pure: no I/O.
"""

from __future__ import annotations

from indexer.enrich.agencies import find_agencies
from indexer.enrich.language import detect_language
from indexer.enrich.mentioned_dates import find_mentioned_dates, mentioned_days
from indexer.enrich.outlet import find_outlet
from indexer.enrich.published import published_at as find_published_at
from indexer.enrich.syndication import syndication_key
from indexer.enrich.title import find_title

RemovedLines = list[tuple[str, str]]


def enrich(doc: dict, removed_lines: RemovedLines | None = None,
           input_lines: list[str] | None = None) -> dict:
    """Derived fields: title, outlet, agencies, published_at, dates_mentioned,
    mentioned_dates, language, syndication_key."""
    body = doc.get("body") or doc.get("text") or ""
    removed = list(removed_lines or ())
    published = find_published_at(
        body, given=doc.get("published_at"), metadata=doc.get("metadata"), removed_lines=removed)
    mentions = find_mentioned_dates(body, published)
    return {
        "title": find_title(body, given=doc.get("title"), removed_lines=removed),
        "outlet": find_outlet(doc.get("outlet"), doc.get("url"), body, removed, input_lines),
        "agencies": find_agencies(body, removed),
        "published_at": published,
        "dates_mentioned": mentions,
        "mentioned_dates": mentioned_days(mentions),
        "language": detect_language(body, given=doc.get("language")),
        "syndication_key": syndication_key(body),
        # NER HOOK: named entities (persons, organizations, places, facet_* and entities) are
        # added here by the coordinator from indexer/enrich/entities*.py; not part of this step.
    }
