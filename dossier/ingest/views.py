"""Scans in the web app: upload files, follow their jobs, download and retry failures.

The triage screens (triage_views.py) hang on the same blueprint. Who may do what is
Feature.INGEST in dossier/auth/permissions.py; see docs/DECISIONS.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db
from dossier.ingest import job_list
from dossier.ingest.forms import UploadForm
from dossier.ingest.limits import MEGABYTE, Limits
from dossier.ingest.models import IngestJob, JobState
from dossier.ingest.services import IngestRefused, retry
from dossier.ingest.tasks import queue_jobs
from dossier.ingest.uploads import UploadOutcome, chosen_files, receive_uploads
from dossier.web.presentation import error_page

bp = Blueprint("ingest", __name__, url_prefix="/ingest")
log = logging.getLogger(__name__)
PROGRESS_SECONDS = 3  # how often the jobs page asks for news while a job runs


@bp.before_request
@login_required
def _scan_staff_only() -> None:
    if not can(current_user, Action.VIEW, Feature.INGEST):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"state_labels": job_list.STATE_LABELS, "state_tones": job_list.STATE_TONES,
            "source_labels": job_list.SOURCE_LABELS, "progress_text": job_list.progress_text,
            "may_file": can(current_user, Action.CREATE, Feature.INGEST)}


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> tuple[str | Response, int]:
    """Raised while the form is read (the CSRF check reads it first): say what the limit is."""
    if request.endpoint != "ingest.upload":
        return error_page(413)
    message = _("What you sent is larger than %(limit)s MB. Send fewer files at a time, or "
                "drop large files into the scanner folder.", limit=_upload_limit_mb())
    if _wants_json():
        return jsonify(results=[], error=message), 413
    return _render_upload(UploadForm(formdata=None), [], message), 413


@bp.route("/upload", methods=["GET", "POST"])
def upload() -> str | Response | tuple[str | Response, int]:
    if not can(current_user, Action.CREATE, Feature.INGEST):
        abort(403)
    form = UploadForm()
    if request.method == "GET":
        return _render_upload(form, [])
    files = chosen_files(request.files.getlist(form.files.name))
    if not files:
        message = _("Choose at least one file.")
        if _wants_json():
            return jsonify(results=[], error=message), 422
        form.files.errors = [message]
        return _render_upload(form, []), 422
    outcomes = receive_uploads(files, signed_in_user(), Limits.from_config(current_app.config))
    db.session.commit()
    received = [outcome.job for outcome in outcomes if outcome.job is not None]
    _queue(received)
    for job in received:  # a quick worker (or the memory queue) may be done already
        db.session.refresh(job)
    status = 200 if any(outcome.job is not None for outcome in outcomes) else 422
    if _wants_json():
        return jsonify(results=[outcome.as_json() for outcome in outcomes]), status
    return _render_upload(UploadForm(formdata=None), outcomes), status


def _queue(jobs: Iterable[IngestJob]) -> None:
    """Hand committed jobs to the worker. Should the queue be down, the worker's sweep
    finds them queued in the database later: the upload itself is safe."""
    try:
        queue_jobs(jobs)
    except Exception:
        log.exception("could not queue ingest jobs; the sweep will pick them up")
        db.session.rollback()


def _render_upload(form: UploadForm, outcomes: list[UploadOutcome], error: str = "") -> str:
    return render_template("ingest/upload.html", form=form, outcomes=outcomes, error=error,
                           limit_mb=_upload_limit_mb(),
                           max_bytes=current_app.config.get("MAX_CONTENT_LENGTH") or 0)


def _upload_limit_mb() -> str:
    return str(format_decimal((current_app.config.get("MAX_CONTENT_LENGTH") or 0) / MEGABYTE,
                              format="#,##0.##"))


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.route("/jobs")
def jobs() -> str:
    state = job_list.normalise_state(request.args.get("state"))
    sort = job_list.normalise_sort(request.args.get("sort"))
    page = db.paginate(job_list.job_list(state, sort), page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    active = [job.id for job in page.items if job.is_active]
    return render_template(
        "ingest/jobs.html", page=page, state=state, sort=sort, counts=job_list.state_counts(),
        visible=job_list.visible_documents(current_user, page.items), active_ids=active,
        refresh_seconds=PROGRESS_SECONDS)


@bp.route("/jobs/progress")
def progress() -> Response:
    """The state and progress of the jobs named by ?id= (the jobs page asks while they run)."""
    ids = request.args.getlist("id", type=int)
    return jsonify(jobs=[job_list.progress_entry(job) for job in job_list.jobs_by_id(ids)])


@bp.route("/jobs/<int:job_id>/original")
def original(job_id: int) -> Response:
    """A failed job's file as it arrived, from the failed folder (as an attachment: it is
    whatever someone scanned or sent, and was not accepted as a document)."""
    job = db.get_or_404(IngestJob, job_id)
    path = Path(job.failed_path) if job.failed_path else None
    if job.state != JobState.FAILED or path is None or not path.is_file():
        abort(404, _("Only the file of a failed job can be downloaded here, while it is in "
                     "the failed folder."))
    record(signed_in_user(), AuditAction.DOWNLOAD, job,
           details={"file": job.original_name, "reason": job.reason})
    db.session.commit()
    response = send_file(path, mimetype="application/octet-stream", as_attachment=True,
                         download_name=job.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
def retry_job(job_id: int) -> Response:
    if not can(current_user, Action.CREATE, Feature.INGEST):
        abort(403)
    job = db.get_or_404(IngestJob, job_id)
    try:
        retry(job, signed_in_user())
    except IngestRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("ingest.jobs"))
    db.session.commit()
    _queue([job])
    flash(_("%(file)s is queued again (job %(job)s).", file=job.original_name, job=job.id),
          "success")
    return redirect(url_for("ingest.jobs"))


from dossier.ingest import triage_views  # noqa: E402,F401  (its routes join this blueprint)
