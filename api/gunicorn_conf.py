"""gunicorn settings for every way the API is started (scripts/app.sh, the Dockerfile,
docker-compose.yml): ``gunicorn -c python:api.gunicorn_conf 'api:create_app()'``.

gunicorn answers an over-long request line itself with an HTML 414 page; the limit is
lifted here so the app answers it with the JSON error envelope instead
(``MAX_URL_CHARS`` in api/__init__.py).

Logs: every line is JSON (indexer/json_logging.py), at ``NEWSARCHIVE_LOG_LEVEL``, written to
stderr, which gunicorn points at its ``--error-logfile`` (``capture_output``): gunicorn's own
lines (logger ``gunicorn.error``), the app's, and the app's access line per request
(``api.requests``, api/observability.py), formatted and written by a thread of each worker
process (``post_worker_init``). gunicorn's own access log is off: it would write raw
URLs, cursors and all (``QuietAccessLogger`` does not even build its lines, which gunicorn
otherwise does for every request when ``logconfig_dict`` is set: ~0.15 ms of CPU).

Metrics: the worker processes share their metrics through files in ``PROMETHEUS_MULTIPROC_DIR``
(prometheus_client's multiprocess mode, api/metrics.py), so a scrape shows the totals of all
workers. The variable must name an existing directory before gunicorn starts (importing this
module imports the app, and with it prometheus_client, which reads it once): scripts/app.sh
and the Dockerfile set it; gunicorn empties it at start.
"""

import gc
import glob
import os

from gunicorn.glogging import Logger

from indexer import json_logging
from indexer.settings import Settings

limit_request_line = 0
# Threads, not the sync worker: a sync worker reports itself alive only between requests, so
# gunicorn would kill one streaming a long export after its 30 s timeout. It is gunicorn's
# gthread worker, except that a request gunicorn refuses to parse (a raw "ü" in the URL, say)
# gets the API's JSON error instead of gunicorn's HTML page (api/gunicorn_worker.py).
worker_class = "api.gunicorn_worker.JsonErrorsThreadWorker"
# Threads per worker process (scripts/config.sh sets 1 process with 24 threads). One process with
# one queue of connections keeps the tail short: at 20 concurrent clients on 2 cores
# (benchmarks/search.py) the p99 was 1.33-1.49x raw Elasticsearch's with 1 x 8, against
# 1.67-1.80x with 2 processes x 4 threads, whose connections queue unevenly. Since a thread
# keeps its kept-alive connection for the client's next request (api/gunicorn_worker.py),
# there are more threads than the benchmark's 20 connections: the p50 ratio was 1.33-1.37 with
# 24 threads against 1.46-1.54 with 8 (C parser in both). Machines with more cores raise
# NEWSARCHIVE_API_WORKERS.
_settings = Settings.from_env()
threads = _settings.api_threads

METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"

_level = _settings.log_level
loglevel = _level.lower()
capture_output = True
logconfig_dict = {
    **json_logging.dict_config(_level),
    "loggers": {
        "gunicorn.error": {"level": _level, "handlers": [], "propagate": True},
        "gunicorn.access": {"handlers": [], "propagate": False},
        # one line per Elasticsearch call would double the access lines: only from DEBUG on
        "elastic_transport": {"level": "WARNING" if _level == "INFO" else _level},
    },
}


class QuietAccessLogger(Logger):
    """gunicorn's logger without its access log (the app writes one line per request)."""

    def access(self, resp, req, environ, request_time):
        return None


logger_class = QuietAccessLogger


def on_starting(server):
    """Values of a previous run would be summed in: empty the metrics directory."""
    path = os.environ.get(METRICS_DIR)
    if not path:
        server.log.warning("%s is not set: /v1/metrics shows only the numbers of the worker "
                           "process that answers", METRICS_DIR)
        return
    os.makedirs(path, exist_ok=True)
    for name in glob.glob(os.path.join(path, "*.db")):
        os.remove(name)


def post_worker_init(worker):
    """Log lines are formatted and written by a thread of their own in each worker process
    (``json_logging.write_in_background``: request threads never queue for the stream).

    The app is loaded by now: ``gc.freeze()`` moves its ~100,000 objects (modules, schemas,
    routes) out of the collector's reach. Without it, each full collection walked them all,
    ~60 ms with every request thread stopped (9 in a short benchmark run: 0.56 s, against
    0.01 s for 10 with the freeze; gc.callbacks timings)."""
    json_logging.lean_records()
    json_logging.write_in_background()
    gc.freeze()


def child_exit(server, worker):
    if os.environ.get(METRICS_DIR):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)
