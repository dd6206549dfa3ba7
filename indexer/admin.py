"""Index administration: versioned index from ``mappings/articles-vN.json``
behind the ``{prefix}-articles`` alias. Every function takes the client.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError

from indexer.settings import DEFAULT_MAPPINGS_DIR

_MAPPING_FILE = re.compile(r"^articles-v(\d+)\.json$")


@dataclasses.dataclass(frozen=True)
class IndexState:
    alias: str
    index: str
    version: int | None
    created: bool = False


def alias_name(prefix: str) -> str:
    return f"{prefix}-articles"


def index_name(prefix: str, version: int) -> str:
    return f"{prefix}-articles-v{version}"


def latest_mapping(mappings_dir: Path = DEFAULT_MAPPINGS_DIR) -> tuple[int, Path]:
    """The highest ``articles-vN.json`` in the folder, as (N, path)."""
    found = [(int(m.group(1)), path) for path in Path(mappings_dir).iterdir()
             if (m := _MAPPING_FILE.match(path.name))]
    if not found:
        raise FileNotFoundError(f"no articles-vN.json in {mappings_dir}")
    return max(found)


def load_definition(path: Path) -> dict:
    """Settings and mappings of one index version, exactly as in the file."""
    definition = json.loads(Path(path).read_text(encoding="utf-8"))
    return {key: definition[key] for key in ("settings", "mappings") if key in definition}


def ensure_index(es: Elasticsearch, prefix: str, *,
                 mappings_dir: Path = DEFAULT_MAPPINGS_DIR,
                 definition: dict | None = None) -> IndexState:
    """Create the newest index version and point the alias at it, unless the
    alias exists already (then nothing changes: moving an alias to a new version
    is a migration, not this). Safe to run concurrently and repeatedly.

    ``definition`` overrides the file's settings/mappings (tests on a bare node).
    """
    alias = alias_name(prefix)
    current = alias_target(es, alias)
    if current is not None:
        return current
    version, path = latest_mapping(mappings_dir)
    name = index_name(prefix, version)
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
