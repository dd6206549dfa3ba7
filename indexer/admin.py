"""Index administration: one versioned index per kind behind an alias.

Kinds: ``articles`` (``mappings/articles-vN.json`` behind ``{prefix}-articles``) and
``entities`` (``mappings/entities-vN.json`` behind ``{prefix}-entities``, see
``indexer/entity_store.py``). Every function takes the client.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError

from indexer.settings import DEFAULT_MAPPINGS_DIR

KINDS = ("articles", "entities")
_MAPPING_FILE = re.compile(r"^(?P<kind>[a-z]+)-v(?P<version>\d+)\.json$")


@dataclasses.dataclass(frozen=True)
class IndexState:
    alias: str
    index: str
    version: int | None
    created: bool = False


def alias_name(prefix: str, kind: str = "articles") -> str:
    return f"{prefix}-{kind}"


def index_name(prefix: str, version: int, kind: str = "articles") -> str:
    return f"{prefix}-{kind}-v{version}"


def latest_mapping(mappings_dir: Path = DEFAULT_MAPPINGS_DIR,
                   kind: str = "articles") -> tuple[int, Path]:
    """The highest ``{kind}-vN.json`` in the folder, as (N, path)."""
    found = [(int(m["version"]), path) for path in Path(mappings_dir).iterdir()
             if (m := _MAPPING_FILE.match(path.name)) and m["kind"] == kind]
    if not found:
        raise FileNotFoundError(f"no {kind}-vN.json in {mappings_dir}")
    return max(found)


def load_definition(path: Path) -> dict:
    """Settings and mappings of one index version, exactly as in the file."""
    definition = json.loads(Path(path).read_text(encoding="utf-8"))
    return {key: definition[key] for key in ("settings", "mappings") if key in definition}


def ensure_index(es: Elasticsearch, prefix: str, *,
                 mappings_dir: Path = DEFAULT_MAPPINGS_DIR,
                 definition: dict | None = None,
                 entities_definition: dict | None = None) -> IndexState:
    """Create every kind's index (articles and entities) behind its alias; returns the
    articles state. ``definition``/``entities_definition`` override the files' settings and
    mappings (tests on a bare node)."""
    states = ensure_indices(es, prefix, mappings_dir=mappings_dir,
                            definitions={"articles": definition, "entities": entities_definition})
    return states["articles"]


def ensure_indices(es: Elasticsearch, prefix: str, *,
                   mappings_dir: Path = DEFAULT_MAPPINGS_DIR,
                   definitions: dict[str, dict | None] | None = None) -> dict[str, IndexState]:
    """``ensure_alias`` for every kind, in ``KINDS`` order: kind -> state."""
    definitions = definitions or {}
    return {kind: ensure_alias(es, prefix, kind, mappings_dir=mappings_dir,
                               definition=definitions.get(kind))
            for kind in KINDS}


def ensure_alias(es: Elasticsearch, prefix: str, kind: str, *,
                 mappings_dir: Path = DEFAULT_MAPPINGS_DIR,
                 definition: dict | None = None) -> IndexState:
    """Create the newest index version of ``kind`` and point its alias at it, unless the
    alias exists already (then nothing changes: moving an alias to a new version is a
    migration, not this). Safe to run concurrently and repeatedly."""
    alias = alias_name(prefix, kind)
    current = alias_target(es, alias)
    if current is not None:
        return current
    version, path = latest_mapping(mappings_dir, kind)
    name = index_name(prefix, version, kind)
    body = definition if definition is not None else load_definition(path)
    created = _create_if_missing(es, name, body)
    if es.indices.exists(index=alias) and not es.indices.exists_alias(name=alias):
        raise RuntimeError(
            f"an index named {alias!r} exists where the alias should be; delete it "
            f"(it was probably auto-created by a write before the alias existed)")
    es.indices.update_aliases(actions=[
        {"add": {"index": name, "alias": alias, "is_write_index": True}}])
    return IndexState(alias=alias, index=name, version=version, created=created)


def alias_target(es: Elasticsearch, alias: str) -> IndexState | None:
    """The index behind the alias and its mapping version, or None."""
    try:
        indices = es.indices.get_alias(name=alias)
    except NotFoundError:
        return None
    names = sorted(indices)
    write = [n for n in names if indices[n]["aliases"][alias].get("is_write_index")]
    index = (write or names)[-1]
    mapping = es.indices.get_mapping(index=index)[index]["mappings"]
    version = (mapping.get("_meta") or {}).get("version")
    return IndexState(alias=alias, index=index, version=version)


def _create_if_missing(es: Elasticsearch, name: str, body: dict) -> bool:
    try:
        es.indices.create(index=name, **body)
    except BadRequestError as exc:
        if exc.error == "resource_already_exists_exception":
            return False
        raise
    return True
