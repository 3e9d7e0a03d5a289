"""Reads for the jobs page: the filtered, sorted list, each job's progress in words, and the
documents a reader may open from it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from dossier.auth.permissions import visible_document_clause
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.ingest.models import IngestJob, JobState, Stage
from dossier.ingest.queries import job_message

STATE_LABELS = {
    JobState.QUEUED.value: _l("Queued"),
    JobState.PROCESSING.value: _l("Processing"),
    JobState.DONE.value: _l("Done"),
    JobState.TRIAGE.value: _l("In triage"),
    JobState.FAILED.value: _l("Failed"),
    JobState.DUPLICATE.value: _l("Duplicate"),
}
STATE_TONES = {"queued": "neutral", "processing": "neutral", "done": "ok", "triage": "warn",
               "failed": "bad", "duplicate": "neutral"}
# Where a job came from: "Upload" is a noun here (Dutch "Upload"), the verb elsewhere.
SOURCE_LABELS = {"inbox": _l("Scanner"), "upload": lazy_pgettext("job source", "Upload"),
                 "cli": _l("Command line")}
SORT_COLUMNS = {
    "created": IngestJob.created_at,
    "name": IngestJob.original_name,
    "state": IngestJob.state,
    "updated": IngestJob.updated_at,
}
DEFAULT_SORT = "-created"
MAX_PROGRESS_IDS = 100


def normalise_sort(sort: str | None) -> str:
    if sort and sort.removeprefix("-") in SORT_COLUMNS:
        return sort
    return DEFAULT_SORT


def normalise_state(state: str | None) -> str:
    return state if state in STATE_LABELS else ""


def job_list(state: str = "", sort: str = DEFAULT_SORT) -> Select[tuple[IngestJob]]:
    """Jobs in `state` (all when empty), by `sort` ("-" for descending), newest id last."""
    query = select(IngestJob).options(selectinload(IngestJob.triage_items))
    if state:
        query = query.where(IngestJob.state == state)
    sort = normalise_sort(sort)
    column = SORT_COLUMNS[sort.removeprefix("-")]
    ordered = column.desc() if sort.startswith("-") else column.asc()
    return query.order_by(ordered, IngestJob.id.desc())


def state_counts() -> dict[str, int]:
    rows = db.session.execute(select(IngestJob.state, func.count()).group_by(IngestJob.state))
    counts = dict.fromkeys(STATE_LABELS, 0)
    counts.update({str(state): int(count) for state, count in rows})
    return counts


def jobs_by_id(ids: Iterable[int]) -> list[IngestJob]:
    wanted = list(dict.fromkeys(ids))[:MAX_PROGRESS_IDS]
    if not wanted:
        return []
    query = (select(IngestJob).options(selectinload(IngestJob.triage_items))
             .where(IngestJob.id.in_(wanted)).order_by(IngestJob.id))
    return list(db.session.scalars(query))


def visible_documents(actor: Any, jobs: Iterable[IngestJob]) -> set[int]:
    """Ids of the jobs' documents that `actor` may open (the others are shown as numbers)."""
    ids = {number for job in jobs for number in job.document_ids or []}
    if not ids:
        return set()
    query = select(Document.id).where(Document.id.in_(ids), visible_document_clause(actor))
    return set(db.session.scalars(query))


def progress_text(job: IngestJob) -> str:
    """Where the job is, as the jobs page says it: "OCR page 3 of 12", "Done", the reason."""
    if job.state == JobState.QUEUED:
        return _("Waiting for a worker")
    if job.state == JobState.PROCESSING:
        return _stage_text(job)
    if job.state == JobState.DONE:
        return _done_text(job)
    if job.state == JobState.TRIAGE:
        return ngettext("%(num)s part waits in triage", "%(num)s parts wait in triage",
                        len(job.pending_triage))
    if job.state == JobState.DUPLICATE:
        return _("Same file as job %(job)s", job=job.duplicate_of_id or "?")
    return job_message(job)


def _done_text(job: IngestJob) -> str:
    # Reply coupons make no document unless their mailing keeps the scans: say what they did.
    replies = (job.details or {}).get("replies")
    if isinstance(replies, int) and replies > 0:
        return ngettext("%(num)s reply coupon recorded", "%(num)s reply coupons recorded",
                        replies)
    return _("Done")


def _stage_text(job: IngestJob) -> str:
    if job.stage == Stage.TEXT and job.page and job.page_total:
        return _("OCR page %(page)s of %(total)s", page=job.page, total=job.page_total)
    if job.stage == Stage.TEXT:
        return _("Reading the text")
    if job.stage == Stage.BARCODES:
        return _("Reading barcodes")
    if job.stage == Stage.STORING:
        return _("Storing the files")
    return _("Checking the file")


def progress_entry(job: IngestJob) -> dict[str, Any]:
    """One job for the jobs page's refresh (JSON)."""
    return {"id": job.id, "state": job.state,
            "state_label": str(STATE_LABELS.get(job.state, job.state)),
            "progress": progress_text(job), "active": job.is_active,
            "page": job.page, "page_total": job.page_total}
