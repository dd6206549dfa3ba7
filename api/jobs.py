"""``/v1/jobs``: what happened to the articles of an ingest job; retry failures."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from api import extensions as ext
from api.access import requires
from api.extensions import Blueprint
from api.schemas import EXAMPLE_JOB_ID, JobSchema, RetryAcceptedSchema
from indexer import jobs, tasks

blp = Blueprint("jobs", __name__, url_prefix="/v1/jobs",
                description="Ingest jobs: state, counts, failed articles (dead letters).")


def _job_or_404(job_id: str) -> dict:
    job = jobs.get_job(ext.redis_conn(), ext.settings().redis_prefix, job_id)
    if job is None:
        abort(404, message=f"No job with id {job_id!r} (unknown or expired).")
    return job


JOB_ID = {"in": "path", "name": "job_id", "examples": {"sample": {"value": EXAMPLE_JOB_ID}},
          "description": "Job id, as returned by the ingest endpoints."}


@blp.route("/<string:job_id>", parameters=[JOB_ID])
class Job(MethodView):
    @requires(blp, "write")
    @blp.response(200, JobSchema, example={
        "id": EXAMPLE_JOB_ID, "state": "completed_with_errors", "source": "api:bulk",
        "created_at": "2023-08-30T17:00:00+00:00", "updated_at": "2023-08-30T17:00:02+00:00",
        "counts": {"accepted": 5, "indexed": 4, "failed": 1, "pending": 0, "retried": 0},
        "errors": [{"position": 3, "article_id": None, "external_id": "003_35686e7d763b10ba",
                    "reason": "ParseError: text: no article text left after cleaning",
                    "attempts": 1, "failed_at": "2023-08-30T17:00:02+00:00"}],
        "errors_truncated": False})
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(503, response="UNAVAILABLE")
    def get(self, job_id):
        """State and counts of a job, with the reason of every failed article"""
        return _job_or_404(job_id)


@blp.route("/<string:job_id>/retry", parameters=[JOB_ID])
class JobRetry(MethodView):
    @requires(blp, "write")
    @blp.response(202, RetryAcceptedSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(503, response="UNAVAILABLE")
    def post(self, job_id):
        """Re-queue the failed articles of a job"""
        _job_or_404(job_id)
        requeued = tasks.retry_failed(ext.celery(), ext.redis_conn(), ext.settings(), job_id)
        return {"job_id": job_id, "requeued": requeued}
