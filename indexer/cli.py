"""``newsarchive``: import articles, create the index, write the OpenAPI file.

Configuration comes from the same ``NEWSARCHIVE_*`` variables as the API and
the worker (see ``indexer/settings.py``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
import marshmallow as ma
import requests

from indexer import parse
from indexer.batching import batches
from indexer.settings import Settings

API_CHUNK_ARTICLES = 500
API_CHUNK_BYTES = 20 * 1024 * 1024
POLL_SECONDS = 1.0


@click.group()
def main():
    """Newsarchive: ingest and administration commands."""


@main.command("import")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--api", "api_url", metavar="URL",
              help="POST to this API (e.g. http://127.0.0.1:8000) instead of queueing "
                   "directly through Redis.")
@click.option("--api-key", envvar="NEWSARCHIVE_API_KEY", metavar="KEY",
              help="API key with scope write, for --api (default: NEWSARCHIVE_API_KEY).")
@click.option("--wait/--no-wait", default=False, show_default=True,
              help="Wait until the worker has indexed everything; exit 1 if any article failed.")
@click.option("--timeout", default=900, show_default=True, help="Seconds to wait with --wait.")
def import_command(paths, api_url, api_key, wait, timeout):
    """Import .txt, .html, .json, .jsonl, .ndjson files (also .gz) and folders.

    A .txt or .html file is one article whose external_id is the file name
    without extension (samples/003_35686e7d763b10ba.txt -> 003_35686e7d763b10ba).
    """
    articles, problems = read_articles(parse.list_files(list(paths)))
    for origin, problem in problems:
        click.echo(f"skipped {origin}: {problem}", err=True)
    if not articles:
        raise click.ClickException("no valid article found")
    send = _ApiSender(api_url, api_key) if api_url else _QueueSender(Settings.from_env())
    job_ids = send.submit(articles)
    click.echo(f"queued {len(articles)} articles as job(s): {', '.join(job_ids)}")
    if wait:
        failed = sum(_wait_for(send, job_id, timeout) for job_id in job_ids)
        if failed or problems:
            sys.exit(1)


def read_articles(files: list[Path]) -> tuple[list[dict], list[tuple[str, str]]]:
    """Valid raw articles and (origin, problem) for everything skipped."""
    from api.schemas import ArticleInSchema  # the API's own rules, so both ways agree
    schema = ArticleInSchema()
    articles, problems = [], []
    with click.progressbar(files, label="Reading", show_pos=True, file=sys.stderr) as bar:
        for path in bar:
            for item in parse.read_file(path):
                if item.error:
                    problems.append((item.origin, item.error))
                    continue
                try:
                    schema.load(item.article)
                except ma.ValidationError as exc:
                    problems.append((item.origin, json.dumps(exc.messages, ensure_ascii=False)))
                    continue
                articles.append(item.article)
    return articles, problems


class _QueueSender:
    """Creates one job in Redis and queues its batches for the worker."""

    def __init__(self, settings: Settings):
        from indexer.clients import redis_client
        from indexer.worker import make_celery
        self.settings = settings
        self.redis = redis_client(settings)
        self.celery = make_celery(settings)

    def submit(self, articles: list[dict]) -> list[str]:
        from indexer import tasks
        return [tasks.submit(self.celery, self.redis, self.settings, articles, source="cli")]

    def job(self, job_id: str) -> dict:
        from indexer import jobs
        return jobs.get_job(self.redis, self.settings.redis_prefix, job_id)


class _ApiSender:
    """POSTs NDJSON chunks to ``/v1/articles/bulk``; one job per chunk."""

    def __init__(self, api_url: str, api_key: str | None = None):
        self.base = api_url.rstrip("/")
        self.http = requests.Session()
        if api_key:
            self.http.headers["Authorization"] = f"Bearer {api_key}"

    def submit(self, articles: list[dict]) -> list[str]:
        job_ids = []
        with click.progressbar(length=len(articles), label="Sending", show_pos=True,
                               file=sys.stderr) as bar:
            for chunk in batches(articles, API_CHUNK_ARTICLES, API_CHUNK_BYTES):
                body = "\n".join(json.dumps(a, ensure_ascii=False) for a in chunk).encode("utf-8")
                response = self.http.post(f"{self.base}/v1/articles/bulk", data=body,
                                          headers={"Content-Type": "application/x-ndjson"},
                                          timeout=120)
                _raise_for_api_error(response)
                job_ids.append(response.json()["job_id"])
                bar.update(len(chunk))
        return job_ids

    def job(self, job_id: str) -> dict:
        response = self.http.get(f"{self.base}/v1/jobs/{job_id}", timeout=30)
        _raise_for_api_error(response)
        return response.json()


def _raise_for_api_error(response: requests.Response) -> None:
    if response.status_code < 400:
        return
    try:
        error = response.json()["error"]
        detail = f"{error['message']} {json.dumps(error.get('details') or {}, ensure_ascii=False)}"
    except (ValueError, KeyError, TypeError):
        detail = response.text[:500]
    raise click.ClickException(f"API answered {response.status_code}: {detail}")


def _wait_for(sender, job_id: str, timeout: float) -> int:
    """Poll a job until nothing is pending; print its counts; return failures."""
    deadline = time.monotonic() + timeout
    job = sender.job(job_id)
    with click.progressbar(length=job["counts"]["accepted"], label=f"Job {job_id[:8]}",
                           show_pos=True, file=sys.stderr) as bar:
        done = 0
        while True:
            counts = job["counts"]
            bar.update(counts["indexed"] + counts["failed"] - done)
            done = counts["indexed"] + counts["failed"]
            if counts["pending"] == 0:
                break
            if time.monotonic() > deadline:
                raise click.ClickException(f"job {job_id} still has {counts['pending']} "
                                           f"pending articles after {timeout} s")
            time.sleep(POLL_SECONDS)
            job = sender.job(job_id)
    counts = job["counts"]
    click.echo(f"job {job_id}: {job['state']}, indexed {counts['indexed']}, "
               f"failed {counts['failed']}")
    for error in job["errors"]:
        click.echo(f"  failed #{error['position']} ({error.get('external_id') or '-'}): "
                   f"{error['reason']}", err=True)
    return counts["failed"]


@main.command("create-index")
def create_index_command():
    """Create the newest articles and entities index versions and their aliases (idempotent)."""
    from indexer import admin
    from indexer.clients import elasticsearch_client
    settings = Settings.from_env()
    states = admin.ensure_indices(elasticsearch_client(settings), settings.index_prefix,
                                  mappings_dir=settings.mappings_dir)
    for state in states.values():
        verb = "created" if state.created else "exists:"
        click.echo(f"{verb} {state.alias} -> {state.index} (mapping version {state.version})")


def alias_swap_options(run: str):
    """The options of a command that fills a new index and swaps an alias to it."""
    def decorate(command):
        for option in reversed([
            click.option("--mappings-dir", default=None,
                         type=click.Path(exists=True, file_okay=False, path_type=Path),
                         help="Folder of the mapping files (default: NEWSARCHIVE_MAPPINGS_DIR)."),
            click.option("--delete-old", is_flag=True, help="Delete the old index after the "
                         "swap (default: keep it as a way back; older ways back are deleted)."),
            click.option("--abort", "abort_", is_flag=True,
                         help=f"Stop an unfinished {run}: drop its migration alias and new index."),
        ]):
            command = option(command)
        return command
    return decorate


@main.command("reindex")
@alias_swap_options("reindex")
def reindex_command(mappings_dir, delete_old, abort_):
    """Copy the articles into the index of the next mapping file (articles-vN+1.json)
    and swap the alias, without downtime and without losing writes made meanwhile."""
    from indexer import reindex
    from indexer.clients import elasticsearch_client
    settings = Settings.from_env()
    es = elasticsearch_client(settings, timeout=120)
    if abort_:
        dropped = reindex.abort(es, settings.index_prefix)
        click.echo(f"aborted: deleted {dropped}" if dropped else "no reindex is running")
        return
    try:
        report = reindex.reindex(
            es, settings.index_prefix, mappings_dir=mappings_dir or settings.mappings_dir,
            delete_old=delete_old, progress=_progress("copied {}"))
    except reindex.ReindexError as exc:
        raise click.ClickException(str(exc)) from None
    _echo_swap(report, f"{report.copied} copied, {report.newer} already newer in the target")


@main.command("rebuild-entities")
@alias_swap_options("rebuild")
def rebuild_entities_command(mappings_dir, delete_old, abort_):
    """Build the entities index anew from the articles and swap the alias, without downtime
    and without losing writes made meanwhile: labels and aliases that no stored article holds
    any more (after a re-enrichment or deletes) are gone."""
    from indexer import entity_rebuild, reindex
    from indexer.clients import elasticsearch_client
    settings = Settings.from_env()
    es = elasticsearch_client(settings, timeout=120)
    if abort_:
        dropped = reindex.abort(es, settings.index_prefix, entity_rebuild.KIND)
        click.echo(f"aborted: deleted {dropped}" if dropped else "no rebuild is running")
        return
    _rebuild_entities(es, settings, mappings_dir or settings.mappings_dir, delete_old)


def _rebuild_entities(es, settings: Settings, mappings_dir: Path, delete_old: bool) -> None:
    from indexer import archive_generation, entity_rebuild
    try:
        report = entity_rebuild.rebuild(
            es, settings.index_prefix, mappings_dir=mappings_dir, delete_old=delete_old,
            progress=_progress("read {} articles"))
    except entity_rebuild.RebuildError as exc:
        raise click.ClickException(str(exc)) from None
    archive_generation.mark_changed(*_redis(settings))
    _echo_swap(report, f"{report.articles} articles read", counted=" entities")


def _progress(template: str):
    """A progress callback: ``template`` filled with its counts, on stderr. On a terminal it
    is one line written over in place; in a log file, a line per call (a page of articles),
    so the counts do not run together."""
    def show(*counts) -> None:
        text = template.format(*counts)
        if sys.stderr.isatty():
            click.echo("\r" + text, nl=False, err=True)
        else:
            click.echo(text, err=True)
    return show


def _end_progress() -> None:
    """Ends the line ``_progress`` writes over on a terminal."""
    if sys.stderr.isatty():
        click.echo("", err=True)


def _echo_swap(report, filled: str, counted: str = "") -> None:
    """The last line of ``reindex`` and ``rebuild-entities`` (after their progress line):
    what the new index was filled with, the documents on both sides of the swap, the time."""
    _end_progress()
    click.echo(f"{report.alias}: {report.source} -> {report.target} (mapping version "
               f"{report.version}): {filled}, {report.source_count}{counted} in the old index "
               f"at the swap, {report.target_count} in the new one, {report.seconds} s"
               + ("; old index deleted" if report.deleted_old else "; old index kept")
               + (f"; older ones deleted: {', '.join(report.deleted_older)}"
                  if report.deleted_older else ""))


@main.command("reenrich")
@click.option("--id", "ids", multiple=True, metavar="ARTICLE_ID",
              help="Only this article (repeatable; default: every article).")
@click.option("--wait/--no-wait", default=False, show_default=True,
              help="Wait until the worker is done; exit 1 if any article failed.")
@click.option("--timeout", default=3600, show_default=True, help="Seconds to wait with --wait.")
@click.option("--rebuild-entities", "rebuild", is_flag=True,
              help="Wait, then rebuild the entities index from the articles (as "
                   "'newsarchive rebuild-entities'), so names the new pipeline no longer "
                   "gives are gone from GET /v1/entities.")
def reenrich_command(ids, wait, timeout, rebuild):
    """Run every stored article through the current pipeline again (after the cleaner or the
    enrichment rules changed), as one job. Ids and the fields given on input are kept; an
    article re-sent or deleted meanwhile is left as it is."""
    from indexer import reenrich
    from indexer.clients import elasticsearch_client
    settings = Settings.from_env()
    sender = _QueueSender(settings)
    es = elasticsearch_client(settings, timeout=120)
    job_id, total = reenrich.reenrich(
        es, sender.redis, sender.celery, settings,
        ids=list(ids) or None,
        progress=_progress("queued {}/{}"))
    _end_progress()
    click.echo(f"queued {total} articles for re-enrichment as job {job_id}")
    failed = bool((wait or rebuild) and total and _wait_for(sender, job_id, timeout))
    if rebuild:
        _rebuild_entities(es, settings, settings.mappings_dir, delete_old=False)
    if failed:
        sys.exit(1)


@main.group("keys")
def keys_group():
    """API keys: writes, deletes, jobs and reindexing need one (stored hashed in Redis)."""


def _keys_redis():
    return _redis(Settings.from_env())


def _redis(settings: Settings):
    """(Redis client, key prefix) of ``settings``."""
    from indexer.clients import redis_client
    return redis_client(settings), settings.redis_prefix


@keys_group.command("create")
@click.option("--name", required=True, help="Who or what uses the key (shown in lists and logs).")
@click.option("--scope", type=click.Choice(["read", "write", "admin"]), default="write",
              show_default=True, help="read < write (send/delete articles, jobs) < admin (reindex).")
@click.option("--rate-limit", default=None, metavar="N/Ss",
              help="This key's own limit, e.g. 100/60s (default: NEWSARCHIVE_RATE_LIMIT_KEY).")
def keys_create(name, scope, rate_limit):
    """Create a key and print it (it is shown only this once)."""
    from indexer import api_keys
    r, prefix = _keys_redis()
    try:
        token, record = api_keys.create(r, prefix, name, scope, rate_limit=rate_limit)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(token)
    click.echo(f"created key {record.id} '{record.name}' (scope {record.scope}); store it now: "
               f"only its hash is kept", err=True)


@keys_group.command("list")
def keys_list():
    """The keys: id, scope, created, rate limit, name (never the secret)."""
    from indexer import api_keys
    r, prefix = _keys_redis()
    for key in api_keys.list_keys(r, prefix):
        click.echo(f"{key.id}  {key.scope:<5}  {key.created}  {key.rate_limit or '-':<10}  "
                   f"{key.name}")


@keys_group.command("check")
@click.option("--key", envvar="NEWSARCHIVE_API_KEY", required=True,
              help="The key to check (default: NEWSARCHIVE_API_KEY).")
def keys_check(key):
    """Exit 0 when the key is valid (not revoked), 1 otherwise."""
    from indexer import api_keys
    r, prefix = _keys_redis()
    record = api_keys.verify(r, prefix, key.strip())
    if record is None:
        raise click.ClickException("the key is unknown or revoked")
    click.echo(f"valid: {record.id} '{record.name}' (scope {record.scope})")


@keys_group.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id):
    """Revoke a key by its id (the next request with it is a 401)."""
    from indexer import api_keys
    r, prefix = _keys_redis()
    if not api_keys.revoke(r, prefix, key_id):
        raise click.ClickException(f"no key with id {key_id!r}")
    click.echo(f"revoked {key_id}")


@main.command("openapi")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: print to stdout).")
def openapi_command(output):
    """Write the OpenAPI document (YAML) generated from the code."""
    from api.openapi import default_app, spec_yaml
    text = spec_yaml(default_app())
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command("wait-ready")
@click.option("--api", "api_url", default=None, metavar="URL",
              help="API base URL (default: http://127.0.0.1:$NEWSARCHIVE_API_PORT).")
@click.option("--timeout", default=120, show_default=True, help="Seconds to wait.")
def wait_ready_command(api_url, timeout):
    """Wait until GET /v1/health answers 200 (Elasticsearch, Redis, worker up)."""
    url = f"{(api_url or f'http://127.0.0.1:{Settings.from_env().api_port}').rstrip('/')}/v1/health"
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            response = requests.get(url, timeout=5)
            if response.status_code == 200:
                click.echo("ready")
                return
            last = f"{response.status_code} {response.text[:300]}"
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(POLL_SECONDS)
    raise click.ClickException(f"not ready after {timeout} s: {last}")


if __name__ == "__main__":
    main()
