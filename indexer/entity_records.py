"""Entity records for the entities index, built from article documents. Pure: no I/O.

One record per canonical entity id (``indexer.enrich.canonical``)::

    {"id": "per-kim-jong-un", "type": "PER", "name": "Kim Jong Un",
     "labels": ["Kim Jong Un"], "aliases": ["Kim", "Kim Jong-un"]}

- ``labels``: every display name an article gave the entity; ``name`` is the best of them by
  ``label_rank`` (a name can differ between articles, e.g. with and without a patronymic).
- ``aliases``: every other written form seen in any article ("Kim Jong-un", the bare "Kim"),
  but not a genitive of another form ("Angela Merkels" beside "Angela Merkel": an article that
  names her only so is joined to her by ``indexer.entity_links``, and a list of aliases that
  declines the name is noise in a front end). The article's ``entities`` keep the form it wrote.

``merge`` combines two records of one id. It is commutative, associative and idempotent (set
unions and a label chosen by a total order), so the stored record is the same whatever
order articles arrive in, however often a batch is retried, and however writes of concurrent
workers interleave (``indexer.entity_store`` retries on version conflicts). Nothing here counts
articles and nothing here dates them: a per-article counter cannot be kept exact without scripts
(a retried batch would count twice), and a first/last date kept here would outlive a deleted or
corrected article. Article counts and first/last publication dates come from the articles index
at query time (``indexer.entity_store.article_stats``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.enrich.canonical import entity_key, fold, genitive_stem

FIELDS = ("id", "type", "name", "labels", "aliases")
SHOUTED_LETTERS = 5   # a word in capitals this long is set in capitals, not an acronym


def record_for(entity: dict) -> dict:
    """The record of one canonical entity of one article."""
    record = {
        "id": entity["id"], "type": entity["type"], "name": entity["name"],
        "labels": [entity["name"]],
        "aliases": aliases({entity["name"], *(entity.get("aliases") or ())}, entity["name"],
                           entity["type"]),
    }
    return _drop_empty(record)


def records_from_articles(docs: Iterable[dict]) -> dict[str, dict]:
    """id -> record over every entity of the article documents, merged per id."""
    records: dict[str, dict] = {}
    for doc in docs:
        for entity in doc.get("entities") or ():
            record = record_for(entity)
            records[record["id"]] = (merge(records[record["id"]], record)
                                     if record["id"] in records else record)
    return records


def merge(a: dict, b: dict) -> dict:
    """One record with everything two records of the same id know."""
    if a["id"] != b["id"]:
        raise ValueError(f"cannot merge entity {a['id']!r} with {b['id']!r}")
    labels = set(a.get("labels") or ()) | set(b.get("labels") or ())
    labels |= {r["name"] for r in (a, b) if r.get("name")}
    name = best_label(labels, a["type"])
    forms = labels | set(a.get("aliases") or ()) | set(b.get("aliases") or ())
    return _drop_empty({
        "id": a["id"], "type": a["type"], "name": name,
        "labels": sorted(labels), "aliases": aliases(forms, name, a["type"]),
    })


def aliases(forms: set[str], name: str, entity_type: str) -> list[str]:
    """The forms other than ``name``, without the genitives of another form (by ``entity_key``:
    "Heinz-Christian Straches" is one of "Heinz Christian Strache"), sorted. A genitive stays
    while its base form is not known: it is the only way the archive has written the name."""
    keys = {entity_key(entity_type, form) for form in forms}
    return sorted(form for form in forms - {name}
                  if (stem := genitive_stem(form)) is None
                  or entity_key(entity_type, stem) not in keys)


def normalized(record: dict) -> dict:
    """A stored record in the form ``merge`` returns (known fields, sorted lists), for
    comparing what is stored with what would be written."""
    return _drop_empty({key: sorted(value) if isinstance(value, list) else value
                        for key, value in record.items() if key in FIELDS})


def label_rank(label: str, entity_type: str) -> tuple:
    """Sort key: the smallest label is the entity's name. Prefers the form the id is made of
    ("Wladimir Putin" over "Wladimir Wladimirowitsch Putin"), then fewer words in capitals
    that are too long for an acronym ("Grünen" over "GRÜNEN", "Spiegel Online" over "SPIEGEL
    ONLINE"; "NASA" and "Nasa" are both fine), then more words, spaced over hyphenated
    spellings ("Kim Jong Un" over "Kim Jong-un"), the original letters over transliterations
    ("Müller" over "Mueller"), the longer, and finally the alphabet."""
    folded = fold(label)
    shouted = sum(len(word) >= SHOUTED_LETTERS and word.isupper() for word in label.split())
    return (folded != entity_key(entity_type, label), shouted, -len(folded.split()),
            bool(re.search(r"-[a-zäöü]", label)), -sum(not c.isascii() for c in label),
            -len(label), label)


def best_label(labels: Iterable[str], entity_type: str) -> str:
    return min(labels, key=lambda label: label_rank(label, entity_type))


def _drop_empty(record: dict) -> dict:
    return {key: value for key, value in record.items() if value not in (None, [], "")}
