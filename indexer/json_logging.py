"""Structured logs: one JSON object per line, for the API (gunicorn) and the worker (Celery).

    {"ts": "2025-05-01T09:30:00.123Z", "level": "INFO", "logger": "api.access",
     "message": "GET /v1/search 200", "request_id": "3f2a...", "status": 200, ...}

``ts`` is UTC, ``request_id`` / ``task_id`` / ``job_id`` come from the context bound with
``bind()`` (the API binds the request id per request, the worker the task and job per task),
then every ``extra={...}`` field of the call, then ``exception`` with the traceback. No Flask
here: the worker imports this module too.
"""

from __future__ import annotations

import atexit
import contextvars
import datetime as dt
import json
import logging
import logging.handlers
import queue
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


CONTEXT_ATTR = "_log_context"    # the bound fields, kept on a record handed to another thread


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
            **(getattr(record, CONTEXT_ATTR, None) or _context.get() or {}),
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


# --- writing in the background (the API) ---------------------------------------------------

class ContextQueueHandler(logging.handlers.QueueHandler):
    """Puts a record on a queue for ``QueueListener``'s thread, which formats and writes it.
    The record keeps what only the calling thread knows: the bound fields (``bind``), the
    message with its arguments filled in, and the traceback as text."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        setattr(record, CONTEXT_ATTR, _context.get())
        if record.args:
            record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = _PLAIN.formatException(record.exc_info)
            record.exc_info = None
        return record


_PLAIN = logging.Formatter()


class _Listener(logging.handlers.QueueListener):
    def stop(self) -> None:
        """Write out the queue and end the thread; once (at exit too) is enough."""
        if self._thread is not None:
            super().stop()


def write_in_background(logger: logging.Logger | None = None) -> logging.handlers.QueueListener:
    """Move ``logger``'s handlers (the root's by default) to a thread of their own, behind a
    queue: a thread that logs never waits for another's write. With the handler's lock,
    the API's 24 threads queued for the access line of each request: a thread holding
    the lock while it waited for the interpreter lock held up every other (py-spy: ~18 %
    of the request threads' samples in ``Handler.acquire`` at 20 clients; the API's CPU per
    search went from 1.63 and 1.75 to 1.37 and 1.50 ms in alternated runs). Lines keep their
    order; the listener is stopped (the queue written out) at exit. Call it in the process
    that logs, after any fork: the thread does not survive one."""
    logger = logger or logging.getLogger()
    handlers = list(logger.handlers)
    records: queue.SimpleQueue = queue.SimpleQueue()
    listener = _Listener(records, *handlers, respect_handler_level=True)
    for handler in handlers:
        logger.removeHandler(handler)
    logger.addHandler(ContextQueueHandler(records))
    listener.start()
    atexit.register(listener.stop)
    return listener
