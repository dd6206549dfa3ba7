"""``/v1/admin/reindex``: move the articles to the next mapping version without downtime
(the same as ``newsarchive reindex``, run by the worker; needs an admin key)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate

from api import extensions as ext
from api.access import requires
from api.extensions import Blueprint
from indexer import reindex, reindex_runs

blp = Blueprint("admin", __name__, url_prefix="/v1/admin",
                description="Administration: zero-downtime reindex (API key with scope admin).")

EXAMPLE_RUN_ID = "5a0c6f2e9b1d4c7f8e3a2b1c0d9e8f7a"


class ReindexArgsSchema(ma.Schema):
    delete_old = fields.Boolean(load_default=False, metadata={
        "description": "Delete the old index after the swap (default: keep it as a way "
                       "back; older ways back are deleted in any case).",
        "examples": [False]})


class ReindexReportSchema(ma.Schema):
    alias = fields.String(metadata={"examples": ["newsarchive-articles"]})
    source = fields.String(metadata={"examples": ["newsarchive-articles-v1"]})
    target = fields.String(metadata={"examples": ["newsarchive-articles-v2"]})
    version = fields.Integer(metadata={"examples": [2]})
    copied = fields.Integer(metadata={"examples": [5]})
    newer = fields.Integer(metadata={"description": "Documents a write made during the copy had "
                                                    "already replaced or deleted.",
                                     "examples": [0]})
    source_count = fields.Integer(metadata={"examples": [5]})
    target_count = fields.Integer(metadata={"examples": [5]})
    seconds = fields.Float(metadata={"examples": [1.2]})
    deleted_old = fields.Boolean(metadata={"examples": [False]})
    deleted_older = fields.List(fields.String(), metadata={
        "description": "Older ways back (indices of this kind no alias pointed to) deleted "
                       "at the swap: one way back is kept, not every index ever swapped out.",
        "examples": [[]]})


class ReindexRunSchema(ma.Schema):
    id = fields.String(required=True, metadata={"examples": [EXAMPLE_RUN_ID]})
    state = fields.String(required=True, validate=validate.OneOf(
        ["queued", "running", "completed", "failed"]), metadata={"examples": ["completed"]})
    created_at = fields.String(metadata={"examples": ["2023-09-05T10:00:00+00:00"]})
    started_at = fields.String(metadata={"examples": ["2023-09-05T10:00:01+00:00"]})
    finished_at = fields.String(metadata={"examples": ["2023-09-05T10:00:03+00:00"]})
    copied = fields.Integer(metadata={"description": "Articles copied so far.", "examples": [5]})
    error = fields.String(metadata={"examples": ["ReindexError: add articles-v2.json first"]})
    report = fields.Nested(ReindexReportSchema)


RUN_ID = {"in": "path", "name": "run_id", "examples": {"run": {"value": EXAMPLE_RUN_ID}},
          "description": "Reindex run id, as returned by `POST /v1/admin/reindex`."}


@blp.route("/reindex")
class Reindex(MethodView):
    @requires(blp, "admin")
    @blp.arguments(ReindexArgsSchema, location="query", as_kwargs=False)
    @blp.response(202, ReindexRunSchema)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(503, response="UNAVAILABLE")
    def post(self, args):
        """Start a zero-downtime reindex into the next mapping version

        Fails early with 409 when no newer mapping file exists or a reindex runs already.
        """
        settings = ext.settings()
        try:
            reindex.next_mapping(ext.es(), settings.index_prefix, mappings_dir=settings.mappings_dir)
        except reindex.ReindexError as exc:
            abort(409, message=str(exc), code="nothing_to_reindex")
        try:
            run_id = reindex_runs.create_run(ext.redis_conn(), settings.redis_prefix)
        except reindex_runs.AlreadyRunning as exc:
            abort(409, message=str(exc), code="reindex_running")
        ext.celery().send_task(reindex_runs.REINDEX_TASK, args=[run_id],
                               kwargs={"delete_old": args["delete_old"]},
                               queue=settings.ingest_queue)
        return reindex_runs.get_run(ext.redis_conn(), settings.redis_prefix, run_id)


@blp.route("/reindex/<string:run_id>", parameters=[RUN_ID])
class ReindexRun(MethodView):
    @requires(blp, "admin")
    @blp.response(200, ReindexRunSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(503, response="UNAVAILABLE")
    def get(self, run_id):
        """State of a reindex run, with its report when completed"""
        run = reindex_runs.get_run(ext.redis_conn(), ext.settings().redis_prefix, run_id)
        if run is None:
            abort(404, message=f"No reindex run with id {run_id!r} (unknown or expired).")
        return run
