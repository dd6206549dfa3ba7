"""``/v1/export``: every article matching ``q`` and the filters of ``/v1/search``,
streamed as NDJSON or CSV.

``format=excel`` is CSV as German Excel opens it by double-click: UTF-8 with a byte-order
mark (without it Excel reads the file as Windows-1252, and "Müller" becomes "MÃ¼ller"),
fields separated by ``;`` (Excel's list separator where the decimal mark is a comma), and
a cell that starts with ``=``, ``+``, ``-``, ``@`` or a tab or carriage return gets a
leading ``'`` so Excel shows it as text instead of evaluating it ("+++ Eilmeldung +++" would
be a formula error; "=HYPERLINK(...)" in a scraped title could run). ``format=csv`` stays
RFC 4180 as written, for programs.

No 10,000 limit and constant memory: the view opens a point in time (PIT) on
the articles alias and walks it with ``search_after`` in pages of
``PAGE_SIZE``, newest first with ``_shard_doc`` as the tiebreaker (the PIT's
own, cheapest unique sort). Each page is written out before the next is asked
for. The first page is fetched before the response starts, so a bad query or
an unreachable Elasticsearch is still an error envelope (400/503); a failure
later cuts the stream short (the chunked response then has no final chunk, so
clients see it is incomplete). The PIT is closed at the end, on a failure and
when the client goes away (the WSGI server closes the generator:
``GeneratorExit``).

Completeness: the first page counts every match in the PIT (the snapshot the
export walks), announced before the body as ``X-Total-Count``. A complete
export is a chunked response that ends with its final (empty) chunk and holds
exactly ``X-Total-Count`` rows (NDJSON lines, each ending in a newline; CSV
records after the header row). A stream cut short (the API process killed, the
connection lost, Elasticsearch failing mid-way) has no final chunk, and what
arrived has fewer rows; its last line may be cut in the middle.

The query is the one of ``/v1/search`` (``api.query.build_body`` with the same
arguments, without facets); rows carry the result fields of a search plus the
body (by default NDJSON only; CSV rows leave it out and join lists with ``"; "``),
or the columns ``fields=`` names, in its order (only those are read from the index).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from elasticsearch import Elasticsearch
from flask import Response, g, request, stream_with_context
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate
from webargs.fields import DelimitedList

from api import access, archive_cache, export_slots, query
from api import extensions as ext
from api.errors import bad_param
from api.extensions import Blueprint
from api.query_syntax import QueryError
from api.search import resolve
from api.search_schemas import SearchArgsSchema

log = logging.getLogger(__name__)

blp = Blueprint("export", __name__, url_prefix="/v1/export",
                description="Export every article matching a search, as NDJSON or CSV.")

PAGE_SIZE = 500          # hits per PIT page; tests make it small to walk many pages
KEEP_ALIVE = "1m"        # the PIT lives this long after each page
SORT = [{"published_at": {"order": "desc", "missing": "_last"}}, {"_shard_doc": "asc"}]
ENTITY_FIELDS = ("persons", "organizations", "places")
ROW_FIELDS = ("id", "external_id", "title", "url", "outlet", "agencies", "language",
              "published_at", *ENTITY_FIELDS, "syndication_key", "body")
CSV_FIELDS = tuple(f for f in ROW_FIELDS if f != "body")
CSV_LIST_SEPARATOR = "; "


class Format(NamedTuple):
    content_type: str
    columns: tuple[str, ...]    # the default columns
    extension: str              # of the attachment's file name


FORMATS = {
    "ndjson": Format("application/x-ndjson; charset=utf-8", ROW_FIELDS, "ndjson"),
    "csv": Format("text/csv; charset=utf-8", CSV_FIELDS, "csv"),
    "excel": Format("text/csv; charset=utf-8", CSV_FIELDS, "csv"),
}
EXCEL_BOM = "\ufeff"
_EXCEL_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FILENAME = "newsarchive-export"


class ExportArgsSchema(SearchArgsSchema):
    """``q`` and the filters of ``/v1/search``, and the output format."""

    class Meta:
        exclude = ("facets", "facet_size", "interval", "sort", "size", "cursor")

    format = fields.String(load_default="ndjson", validate=validate.OneOf(list(FORMATS)),
                           metadata={"description": "`ndjson` (one JSON object a line, with "
                                                    "`body`), `csv` (RFC 4180: header row, "
                                                    "no `body`, lists joined by `; `) or "
                                                    "`excel` (the same CSV for Excel: UTF-8 "
                                                    "with byte-order mark, `;` between "
                                                    "fields, a cell starting with `=`, `+`, "
                                                    "`-` or `@` prefixed with `'`).",
                                     "examples": ["csv"]})
    # ``fields`` is the parameter; a schema attribute of that name would hide Schema.fields.
    columns = DelimitedList(
        fields.String(validate=validate.OneOf(ROW_FIELDS)), data_key="fields",
        validate=validate.Length(min=1, error="Name at least one field, or leave the "
                                              "parameter out."),
        metadata={"description": "Comma list of the columns to export, in this order, from: "
                                 + ", ".join(ROW_FIELDS) + ". Default: all of them (CSV: all "
                                 "but `body`).",
                  "examples": [["id", "published_at", "outlet", "title", "body"]]})


# --- pure pieces --------------------------------------------------------------

def export_body(args: dict, *, pit_id: str, size: int = PAGE_SIZE,
                search_after: list | None = None, count: bool = False) -> dict:
    """One page of the export: the search query of ``args`` (same parsing, same
    filters as ``/v1/search``) over the PIT ``pit_id``; ``count``: also count every
    match exactly (the first page). Raises ``QueryError``."""
    search = query.build_body({key: value for key, value in args.items()
                               if key not in ("facets", "search_after", "cursor")})
    body: dict = {
        "query": search["query"],
        "pit": {"id": pit_id, "keep_alive": KEEP_ALIVE},
        "size": size,
        "sort": SORT,
        "track_total_hits": count,
        "_source": list(args.get("columns") or ROW_FIELDS),
    }
    if search_after is not None:
        body["search_after"] = list(search_after)
    return body


def to_row(hit: dict, columns: Sequence[str] = ROW_FIELDS) -> dict:
    """A hit -> an export row of ``columns`` (entity lists as their canonical names)."""
    source = hit.get("_source") or {}
    row = {}
    for key in columns:
        if key == "id":
            row[key] = source.get("id") or hit.get("_id")
        elif key == "agencies":
            row[key] = list(source.get("agencies") or [])
        elif key in ENTITY_FIELDS:
            row[key] = [e["name"] if isinstance(e, dict) else str(e)
                        for e in source.get(key) or []]
        else:
            row[key] = source.get(key)
    return row


def ndjson_lines(rows: Iterable[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def csv_lines(rows: Iterable[dict], columns: Sequence[str] = CSV_FIELDS, *,
              header: bool = False, excel: bool = False) -> str:
    """CSV text of ``rows`` (``columns``; lists joined by ``CSV_LIST_SEPARATOR``);
    ``excel``: ``;`` between fields and formula-like cells quoted with ``'`` (module doc)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", delimiter=";" if excel else ",")
    if header:
        writer.writerow(columns)
    for row in rows:
        cells = [CSV_LIST_SEPARATOR.join(row[f]) if isinstance(row[f], list)
                 else ("" if row[f] is None else str(row[f])) for f in columns]
        writer.writerow([excel_text(cell) for cell in cells] if excel else cells)
    return out.getvalue()


def excel_text(cell: str) -> str:
    """``cell`` as Excel shows it as text: a leading ``'`` before ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return ("+++ Eilmeldung +++" -> "'+++ Eilmeldung +++")."""
    return "'" + cell if cell.startswith(_EXCEL_FORMULA_START) else cell


# --- the walk over the point in time ------------------------------------------

class PitWalk:
    """Pages of hits of one export: opened (PIT + first page) by ``start``, so
    errors come before the response; ``chunks`` yields text and always closes
    the PIT, also when the consumer stops early (``GeneratorExit``)."""

    def __init__(self, es: Elasticsearch, index: str, args: dict, page_size: int = PAGE_SIZE):
        self.es, self.index, self.args, self.page_size = es, index, args, page_size
        self.pit_id: str | None = None
        self.first: list[dict] = []
        self.total: int | None = None   # every match in the PIT, counted by the first page

    def start(self) -> PitWalk:
        self.pit_id = self.es.open_point_in_time(index=self.index, keep_alive=KEEP_ALIVE)["id"]
        try:
            self.first = self._page(None, count=True)
        except BaseException:
            self.close()
            raise
        return self

    def _page(self, search_after: list | None, *, count: bool = False) -> list[dict]:
        raw = self.es.search(body=export_body(self.args, pit_id=self.pit_id, size=self.page_size,
                                              search_after=search_after, count=count))
        self.pit_id = raw.get("pit_id") or self.pit_id
        if count:
            self.total = (raw["hits"].get("total") or {}).get("value")
        return raw["hits"]["hits"]

    def hits_pages(self) -> Iterator[list[dict]]:
        try:
            hits = self.first
            while hits:
                yield hits
                if len(hits) < self.page_size:
                    break
                hits = self._page(hits[-1]["sort"])
        finally:
            self.close()

    def chunks(self, fmt: str) -> Iterator[str]:
        columns = self.args.get("columns") or FORMATS[fmt].columns
        excel = fmt == "excel"
        if fmt in ("csv", "excel"):
            yield (EXCEL_BOM if excel else "") + csv_lines([], columns, header=True, excel=excel)
        for hits in self.hits_pages():
            rows = [to_row(hit, columns) for hit in hits]
            yield (ndjson_lines(rows) if fmt == "ndjson"
                   else csv_lines(rows, columns, excel=excel))

    def close(self) -> None:
        if self.pit_id is None:
            return
        pit_id, self.pit_id = self.pit_id, None
        try:
            self.es.close_point_in_time(id=pit_id)
        except Exception as exc:  # noqa: BLE001 - it expires after KEEP_ALIVE anyway
            log.warning("could not close the export's point in time: %s", exc)


# --- the view -----------------------------------------------------------------

EXPORT_RESPONSE = {
    "description": "Every matching article, newest first: NDJSON (one object a line: id, "
                   "external_id, title, url, outlet, agencies, language, published_at, "
                   "persons, organizations, places as names, syndication_key, body) or CSV "
                   "(the same columns without body, lists joined by `; `; `excel`: the same "
                   "for Excel, with byte-order mark and `;`); `fields` chooses "
                   "the columns and their order. Sent as an "
                   "attachment, chunked. A complete export ends with the final chunk and "
                   "has exactly `X-Total-Count` rows; one cut short (a failure mid-way) has "
                   "no final chunk and fewer rows, its last line possibly cut.",
    "content": {
        "application/x-ndjson": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
    },
    "headers": {"Content-Disposition": {"description": "attachment; filename=...",
                                        "schema": {"type": "string"}},
                "X-Total-Count": {"description": "Rows the complete export has (every match "
                                                 "in the snapshot it reads); fewer rows "
                                                 "received means the stream was cut short.",
                                  "schema": {"type": "integer", "minimum": 0}}},
}


def _export_lease() -> export_slots.Lease:
    """A slot for one more running export of this client, or a 429 (api/export_slots.py)."""
    settings = ext.settings()
    key = g.get("api_key")
    client = f"key:{key.id}" if key is not None else f"ip:{request.remote_addr}"
    try:
        return export_slots.acquire(ext.redis_conn(), settings.redis_prefix, client,
                                    settings.max_exports_per_client, settings.max_exports)
    except export_slots.NoSlot as exc:
        abort(429, message=f"Too many exports: {exc}", code="too_many_exports",
              headers={"Retry-After": "10"})


def _leased(chunks: Iterator[str], lease: export_slots.Lease) -> Iterator[str]:
    """The export's chunks, renewing its slot at each and giving it back at the end."""
    try:
        for chunk in chunks:
            lease.renew()
            yield chunk
    finally:
        lease.release()


@blp.route("")
class Export(MethodView):
    # The archive's last change, for the entity answers that resolve() keeps (archive_cache).
    @access.prefetch(lambda: [archive_cache.changed_key()])
    @blp.arguments(ExportArgsSchema, location="query", as_kwargs=False)
    @blp.doc(responses={"200": EXPORT_RESPONSE})
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    @blp.alt_response(503, response="UNAVAILABLE")
    def get(self, args):
        """Export search results

        Same `q` and filters as `/v1/search`; streams every match (no 10,000 limit).
        """
        fmt = args.pop("format")
        args["columns"] = tuple(dict.fromkeys(args.get("columns") or FORMATS[fmt].columns))
        try:
            resolve(args)
            export_body(args, pit_id="")   # a malformed q is a 400 before anything opens
        except QueryError as exc:
            bad_param("q", str(exc), "invalid_query")
        lease = _export_lease()
        try:
            walk = PitWalk(ext.es(), ext.settings().articles_alias, args, PAGE_SIZE).start()
        except BaseException:
            lease.release()
            raise
        response = Response(stream_with_context(_leased(walk.chunks(fmt), lease)), mimetype=None,
                            content_type=FORMATS[fmt].content_type)
        response.headers["Content-Disposition"] = \
            f'attachment; filename="{FILENAME}.{FORMATS[fmt].extension}"'
        response.headers["X-Accel-Buffering"] = "no"
        if walk.total is not None:
            response.headers["X-Total-Count"] = str(walk.total)
        return response
