"""Names in the genitive that the archive knows in the nominative: "Angela Merkels" is Angela Merkel.

``canonical.canonicalize`` cuts a genitive -s only when the base form occurs in the same
article; it sees nothing else. An article that names someone only in the genitive ("Angela
Merkels Politik", "Frank Stronachs Partei") therefore made an entity of its own, with a facet
bucket and an autocompletion entry of its own. Before a batch is stored, the worker asks the
batch itself and the entities index whether the base form of such a name is a known entity
(``resolve``); if it is, the name joins that entity and the genitive becomes one of its aliases.

Only names of two or more words end in a genitive here. Among single words, the base form is
too often another entity: "Jesus" and "Jesu", "Williams" and "William", "Reuters" and "Reuter",
"Times" and "Time" were all entities of 10kGNAD and Wikinews (1,878 articles, 10,554
entities). Their 21 multi-word names whose base form was an entity were all genitives ("Horst
Köhlers", "Chaos Computer Clubs", "Van der Bellens"; see ``tests/unit/test_entity_links.py``).

Order matters once: an article indexed before its base form was ever seen keeps its own entity
until it is re-enriched (``newsarchive reenrich``), which then finds the base form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from elasticsearch import Elasticsearch

from indexer import entity_store
from indexer.enrich.canonical import entity_id
from indexer.pipeline import set_entity_fields


def genitive_base(entity: dict) -> str | None:
    """The id the name would have without a genitive -s ("Angela Merkels" -> the id of
    "Angela Merkel"), or None: one word, no final s, or the same id."""
    words = entity["name"].split()
    if len(words) < 2 or not words[-1].endswith("s") or len(words[-1]) < 4 \
            or words[-1].endswith("ss"):
        return None
    base = entity_id(entity["type"], entity["name"][:-1])
    return base if base != entity["id"] else None


def resolve(es: Elasticsearch, alias: str, docs: Sequence[dict]) -> int:
    """Link the genitive names of ``docs`` to entities the batch or the entities index
    (``alias``) knows by their base form; returns how many were linked."""
    wanted = {base for doc in docs for e in doc.get("entities") or ()
              if (base := genitive_base(e))}
    if not wanted:
        return 0
    in_batch = {e["id"]: e["name"] for doc in docs for e in doc.get("entities") or ()}
    missing = sorted(wanted - in_batch.keys())
    stored = entity_store.stored_names(es, alias, missing) if missing else {}
    return link_genitives(docs, {**stored, **in_batch})


def link_genitives(docs: Sequence[dict], known: Mapping[str, str]) -> int:
    """Point each genitive name whose base id is in ``known`` (id -> name) at that entity, in
    the documents' ``entities`` and their entity fields; returns how many were linked. Pure."""
    linked = 0
    for doc in docs:
        entities = doc.get("entities") or []
        moved = {e["id"]: base for e in entities if (base := genitive_base(e)) in known}
        if not moved:
            continue
        linked += len(moved)
        groups: dict[str, list[dict]] = {}
        for e in entities:
            groups.setdefault(moved.get(e["id"], e["id"]), []).append(e)
        set_entity_fields(doc, sorted((_joined(new_id, members, known)
                                       for new_id, members in groups.items()),
                                      key=lambda e: e["mentions"][0]["start"]))
    return linked


def _joined(entity_id_: str, members: list[dict], known: Mapping[str, str]) -> dict:
    """One entity from an article's entities that are one: the base form's own name when the
    article has it, else the known name; every other form an alias."""
    own = [m for m in members if m["id"] == entity_id_]
    name = own[0]["name"] if own else known[entity_id_]
    forms = {form for m in members for form in (m["name"], *m.get("aliases", ()))}
    return {"id": entity_id_, "type": members[0]["type"], "name": name,
            "aliases": sorted(forms - {name}),
            "mentions": sorted((x for m in members for x in m["mentions"]),
                               key=lambda x: (x["start"], x["end"]))}
