"""Structured logs: one JSON object per line, for the API (gunicorn) and the worker (Celery).

    {"ts": "2025-05-01T09:30:00.123Z", "level": "INFO", "logger": "api.access",
     "message": "GET /v1/search 200", "request_id": "3f2a...", "status": 200, ...}

``ts`` is UTC, ``request_id`` / ``task_id`` / ``job_id`` come from the context bound with
``bind()`` (the API binds the request id per request, the worker the task and job per task),
then every ``extra={...}`` field of the call, then ``exception`` with the traceback. No Flask
here: the worker imports this module too.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from collections.abc import Iterable

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Fields of the current request or task, added to every line logged while it runs.
_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar("log_context", default=None)

# Attributes every LogRecord has: whatever else a record carries came from ``extra``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def bind(**fields) -> None:
    """Add ``fields`` to every line logged from now on in this context (thread)."""
    _context.set({**(_context.get() or {}), **fields})


def clear() -> None:
    _context.set(None)


class JsonFormatter(logging.Formatter):
    """``exclude`` names ``extra`` fields never to write (e.g. payloads a library attaches)."""

    def __init__(self, *args, exclude: Iterable[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.exclude = frozenset(exclude)

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
                    .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **(_context.get() or {}),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in self.exclude and not key.startswith("_"):
                line.setdefault(key, value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def dict_config(level: str, *, exclude: Iterable[str] = ()) -> dict:
    """``logging.config.dictConfig`` input: the root logger writes JSON lines to stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter, "exclude": list(exclude)}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"level": level, "handlers": ["stderr"]},
    }


def use_json(logger: logging.Logger, level: str, *, exclude: Iterable[str] = ()) -> None:
    """Switch the handlers another library set up on ``logger`` to JSON lines (Celery's)."""
    logger.setLevel(level)
    for handler in logger.handlers:
        handler.setFormatter(JsonFormatter(exclude=exclude))
