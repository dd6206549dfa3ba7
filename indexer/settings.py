"""Runtime settings read from ``NEWSARCHIVE_*`` environment variables.

One place for every variable name and default, shared by the API, the worker and
the CLI. ``Settings.from_env()`` never connects to anything.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path

DEFAULT_MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "mappings"
DEV_CURSOR_SECRET = "newsarchive-dev-cursor-secret"


@dataclasses.dataclass(frozen=True)
class Settings:
    es_url: str = "http://127.0.0.1:9200"
    redis_url: str = "redis://127.0.0.1:6379/0"
    ner_url: str = "http://127.0.0.1:9400"   # the NER service (ner-service/), used by the worker
    ner_timeout: float = 30.0         # seconds for one request to the NER service
    index_prefix: str = "newsarchive"
    api_port: int = 8000
    api_threads: int = 24             # threads per API process (api/gunicorn_conf.py)
    max_body_bytes: int = 5 * 1024 * 1024
    max_bulk_bytes: int = 100 * 1024 * 1024
    max_bulk_articles: int = 10_000
    cors_origins: tuple[str, ...] = ()
    es_timeout: float = 10.0
    batch_size: int = 50
    index_refresh: str = "false"
    job_ttl_seconds: int = 30 * 24 * 3600
    task_max_retries: int = 60
    visibility_timeout: int = 300
    article_max_age: int = 60
    mappings_dir: Path = DEFAULT_MAPPINGS_DIR
    # Key that signs search cursors; set it in production (the same for every API process).
    cursor_secret: str = DEV_CURSOR_SECRET
    cursor_keep_alive: str = "2m"     # a relevance cursor's snapshot lives this long after use
    pit_share_seconds: float = 1.0    # first pages share one snapshot for this long
    read_access: str = "public"       # "public", or "key": reads need a key with scope read
    rate_limit_anonymous: str = "600/60s"   # per IP address, for requests without a valid key
    rate_limit_key: str = "6000/60s"        # per API key (a key may carry its own)
    trusted_proxies: int = 0          # proxies in front whose X-Forwarded-For is believed
    max_exports_per_client: int = 2   # exports streaming at once per key or IP address
    max_exports: int = 8              # exports streaming at once in total
    swagger_ui_url: str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.18.2/"
    log_level: str = "INFO"           # DEBUG, INFO, WARNING, ERROR or CRITICAL (API and worker)

    @property
    def articles_alias(self) -> str:
        return f"{self.index_prefix}-articles"

    @property
    def entities_alias(self) -> str:
        return f"{self.index_prefix}-entities"

    @property
    def redis_prefix(self) -> str:
        """Prefix of every Redis key the project writes (jobs, heartbeats)."""
        return self.index_prefix

    @property
    def ingest_queue(self) -> str:
        return f"{self.index_prefix}.ingest"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values = {}
        for field in dataclasses.fields(cls):
            name = ENV_NAMES[field.name]
            raw = env.get(name)
            if raw is None or raw.strip() == "":
                continue
            values[field.name] = _convert(name, field.name, raw.strip())
        return cls(**values)


# Field -> environment variable. Every field is configurable.
ENV_NAMES = {f.name: f"NEWSARCHIVE_{f.name.upper()}" for f in dataclasses.fields(Settings)}

_INTS = {
    "api_port", "api_threads", "max_body_bytes", "max_bulk_bytes", "max_bulk_articles",
    "batch_size", "job_ttl_seconds", "task_max_retries", "visibility_timeout", "article_max_age",
    "trusted_proxies", "max_exports_per_client", "max_exports",
}
_FLOATS = {"es_timeout", "pit_share_seconds", "ner_timeout"}
_REFRESH_VALUES = ("false", "true", "wait_for")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _convert(env_name: str, field: str, raw: str):
    try:
        if field in _INTS:
            value = int(raw)
            if value < 0:
                raise ValueError("must not be negative")
            if field == "api_threads" and value < 1:
                raise ValueError("an API process needs at least 1 thread")
            return value
        if field in _FLOATS:
            return float(raw)
    except ValueError as exc:
        raise ValueError(f"{env_name}={raw!r}: {exc}") from None
    if field == "cors_origins":
        return tuple(origin.strip() for origin in raw.split(",") if origin.strip())
    if field == "mappings_dir":
        return Path(raw)
    if field in ("rate_limit_anonymous", "rate_limit_key") and not re.fullmatch(
            r"[1-9][0-9]*/[1-9][0-9]*s", raw):
        raise ValueError(f"{env_name}={raw!r}: use requests/seconds such as 600/60s")
    if field == "read_access" and raw not in ("public", "key"):
        raise ValueError(f"{env_name}={raw!r}: use public or key")
    if field == "cursor_keep_alive" and not re.fullmatch(r"[1-9][0-9]*[smh]", raw):
        raise ValueError(f"{env_name}={raw!r}: use a duration such as 90s, 2m or 1h")
    if field == "index_refresh" and raw not in _REFRESH_VALUES:
        raise ValueError(f"{env_name}={raw!r}: use one of {', '.join(_REFRESH_VALUES)}")
    if field == "log_level":
        if raw.upper() not in _LOG_LEVELS:
            raise ValueError(f"{env_name}={raw!r}: use one of {', '.join(_LOG_LEVELS)}")
        return raw.upper()
    if field == "index_prefix" and (raw != raw.lower() or any(c in raw for c in ' ,"*\\/<>|?#')):
        raise ValueError(f"{env_name}={raw!r}: must be a lower-case Elasticsearch index name")
    return raw
