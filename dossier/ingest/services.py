"""Operations on ingest jobs for the web app and the CLI: upload, retry, assign from triage.

Like every service they flush and never commit. After the commit that registered or
revived jobs, the caller hands them to `dossier.ingest.tasks.queue_jobs`, which queues
new jobs for the worker and sets duplicates aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update
from werkzeug.datastructures import FileStorage

from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.roles import ALL_SCOPES
from dossier.compliance.audit import AuditAction, record
from dossier.customers.models import Customer
from dossier.documents.models import Document, DocumentType
from dossier.documents.services import ScannedDocument, ScannedFile, create_scanned_document
from dossier.extensions import db
from dossier.ingest import jobs
from dossier.ingest.inbox import Inbox, original_name, reason_file_of, safe_name
from dossier.ingest.models import IngestJob, JobSource, JobState, TriageItem


class IngestRefused(ValueError):
    """The operation cannot be done; `str(error)` is a message for the user."""


@dataclass(frozen=True)
class IngestWorker:
    """The system actor for scans nobody uploaded (the scanner inbox, the CLI).

    It may file into every scope: a cover sheet was permission-checked when it was printed.
    """

    username: str = "ingest-worker"
    id: None = None
    is_authenticated: bool = True

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(ALL_SCOPES)

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(ALL_SCOPES)


INGEST_WORKER = IngestWorker()


def current_inbox() -> Inbox:
    return Inbox(Path(current_app.config["INBOX"]))


def ingest_upload(file_storage: FileStorage, actor: Any) -> IngestJob:
    """Take an uploaded file into the work area and record it as a job (or a duplicate)."""
    if not can(actor, Action.CREATE, Feature.DOCUMENTS):
        raise IngestRefused(_("You may not add documents."))
    name = safe_name(file_storage.filename or "upload")
    return _receive(file_storage.stream, name, JobSource.UPLOAD, actor)


def ingest_file(path: Path, actor: Any = INGEST_WORKER,
                source: JobSource = JobSource.CLI) -> IngestJob:
    """Take a copy of a file given on the command line; the file itself is left alone."""
    with path.open("rb") as stream:
        return _receive(stream, path.name, source, actor)


def register_claimed(path: Path) -> IngestJob:
    """Record a file the watcher (or the sweep) claimed from the scanner inbox."""
    return jobs.register(current_inbox(), path, original_name(path), JobSource.INBOX)


def _receive(stream: IO[bytes], name: str, source: JobSource, actor: Any) -> IngestJob:
    path = current_inbox().spool(stream, name)
    job = jobs.register(current_inbox(), path, name, source,
                        created_by_id=getattr(actor, "id", None))
    record(actor, AuditAction.CREATE, job,
           details={"file": job.original_name, "source": str(source), "state": job.state,
                    "sha256": job.sha256})
    db.session.flush()
    return job


def retry(job: IngestJob, actor: Any) -> IngestJob:
    """Put a failed job's file back into the work area and queue it again."""
    if not can(actor, Action.CREATE, Feature.DOCUMENTS):
        raise IngestRefused(_("You may not add documents."))
    if job.state != JobState.FAILED:
        raise IngestRefused(_("Only a failed file can be tried again."))
    source = Path(job.failed_path) if job.failed_path else None
    if source is None or not source.is_file():
        raise IngestRefused(_("The file is no longer in the failed folder; drop it into the "
                              "inbox again instead."))
    inbox = current_inbox()
    inbox.ensure()
    target = inbox.new_work_path(job.original_name)
    source.rename(target)
    reason_file_of(source).unlink(missing_ok=True)
    job.work_path, job.failed_path = str(target), None
    jobs.reset_for_retry(job)
    record(actor, AuditAction.UPDATE, job, details={"retry": True, "file": job.original_name})
    db.session.flush()
    return job


def assign(item: TriageItem, customer: Customer, document_type: DocumentType,
           scopes: set[str] | list[str], actor: Any) -> Document:
    """File a triaged part: its document for this customer, type and scopes.

    The item is taken with a conditional UPDATE first, so two people assigning the same
    item at once make one document; the second is told it is already filed.
    """
    if not can(actor, Action.VIEW, customer):
        raise IngestRefused(_("You may not see this customer."))
    with db.session.begin_nested():  # refused input leaves the item as it was
        taken = db.session.execute(
            update(TriageItem).where(TriageItem.id == item.id,
                                     TriageItem.document_id.is_(None),
                                     TriageItem.assigned_at.is_(None))
            .values(assigned_at=utcnow(), assigned_by_id=getattr(actor, "id", None))
            .execution_options(synchronize_session=False))
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise IngestRefused(_("This part has already been filed."))
        db.session.refresh(item)
        document = create_scanned_document(actor, ScannedDocument(
            customers=[customer], document_type=document_type, scopes=set(scopes),
            title=document_title(document_type, item.job, item.first_page, item.last_page),
            document_date=today(), scan=triage_file(item)))
    item.document_id = document.id
    job = item.job
    job.document_ids = [*job.document_ids, document.id]
    if not job.pending_triage:
        job.state, job.finished_at = JobState.DONE.value, utcnow()
    record(actor, AuditAction.UPDATE, job, customer_id=customer.id,
           details={"triage_item": item.id, "document_id": document.id})
    db.session.flush()
    return document


def triage_file(item: TriageItem) -> ScannedFile:
    return ScannedFile(sha256=item.file_sha256, size=item.size_bytes, mime_type=item.mime_type,
                       original_name=part_file_name(item.job.original_name, item.mime_type),
                       pages=item.last_page - item.first_page + 1, text=item.text,
                       ocr_confidence=item.ocr_confidence, languages=item.languages,
                       origin=item.job.source)


def part_file_name(name: str, mime_type: str) -> str:
    """The file name a part gets: the original's, with .pdf when the part is a PDF."""
    if mime_type == "application/pdf" and not name.lower().endswith(".pdf"):
        return Path(name).stem + ".pdf"
    return name


def document_title(document_type: DocumentType, job: IngestJob, first_page: int,
                   last_page: int) -> str:
    """"Contract: scan_0042.pdf", with the pages when the scan held several documents."""
    locale = str(current_app.config.get("BABEL_DEFAULT_LOCALE", "nl"))
    title = f"{document_type.name(locale)}: {job.original_name}"
    if first_page == 1 and last_page == job.page_count:
        return title
    return _("%(title)s (pages %(first)s-%(last)s)", title=title, first=first_page,
             last=last_page)


def today() -> date:
    zone = ZoneInfo(str(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam")))
    return datetime.now(zone).date()
