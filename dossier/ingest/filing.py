"""Record what the pipeline read: documents for routed parts, triage items for the rest,
and the replies on reply coupons (dossier.mailings.replies decides what they make).

Everything here happens in one transaction that starts by proving the worker still holds
the job's lease (jobs.confirm), so a result is recorded once however many workers read
the file. The caller commits, then settles the work file (inbox.settle).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from dossier.archive.digitise import file_digitised_scan
from dossier.auth.models import User, utcnow
from dossier.auth.permissions import writable_scopes
from dossier.barcodes import CoverCode
from dossier.customers.models import Customer
from dossier.documents.models import DocumentType
from dossier.documents.services import (
    DocumentInvalid,
    ScannedDocument,
    ScannedFile,
    create_scanned_document,
)
from dossier.extensions import db
from dossier.ingest import jobs
from dossier.ingest.inbox import Inbox
from dossier.ingest.jobs import Ticket
from dossier.ingest.models import IngestJob, JobState, Stage, TriageItem
from dossier.ingest.services import INGEST_WORKER, document_title, part_file_name, today
from dossier.mailings.coupon import CouponPage
from dossier.mailings.replies import record_coupon

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartFile:
    """One part of a scan, already in the file store, with its text."""

    first_page: int  # 1-based, in the original
    last_page: int
    route: CoverCode | None
    sha256: str
    size: int
    mime_type: str
    text: str  # pages separated by form feeds
    ocr_confidence: float | None
    languages: str


@dataclass(frozen=True)
class ScanResult:
    """What reading a file gave: its parts and what the job should remember of it."""

    mime_type: str
    method: str  # "text_layer" or "ocr"
    page_count: int
    parts: list[PartFile]
    searchable_sha256: str | None = None
    barcodes: list[dict[str, Any]] = field(default_factory=list)
    replies: list[CouponPage] = field(default_factory=list)  # pages in no part


@dataclass(frozen=True)
class _Route:
    customer: Customer
    document_type: DocumentType
    scope: str


def record_result(ticket: Ticket, result: ScanResult) -> IngestJob:
    """Documents for routed parts, triage items for the others; the job done or in triage."""
    job = jobs.confirm(ticket)
    actor = _actor(ticket)
    job.mime_type, job.method, job.page_count = result.mime_type, result.method, result.page_count
    job.original_stored, job.searchable_sha256 = True, result.searchable_sha256
    job.barcodes = result.barcodes
    document_ids: list[int] = []
    waiting = 0
    for position, part in enumerate(result.parts, start=1):
        route, note = _resolve(part.route, actor)
        document_id = _file(job, part, route, actor) if route else None
        if document_id is None:  # no note: no cover sheet, said in the reader's language
            db.session.add(_triage_item(job, position, part, note))
            waiting += 1
        else:
            document_ids.append(document_id)
    replied, unrecorded = _record_replies(job, result, actor, document_ids)
    job.document_ids = document_ids
    triage = waiting + unrecorded > 0
    job.state = JobState.TRIAGE.value if triage else JobState.DONE.value
    _finish(job)
    if result.replies:
        job.details = {"replies": replied}
    db.session.flush()
    return job


def _record_replies(job: IngestJob, result: ScanResult, actor: Any,
                    document_ids: list[int]) -> tuple[int, int]:
    """Each reply coupon updates its recipient; one that cannot be recorded waits in triage
    with the reason. Returns how many were recorded and how many wait."""
    recorded = waiting = 0
    for position, reply in enumerate(result.replies, start=len(result.parts) + 1):
        outcome = record_coupon(job, reply, actor)
        if outcome.page_file is None:
            recorded += 1
            if outcome.document_id is not None:  # the mailing keeps coupon scans
                document_ids.append(outcome.document_id)
            continue
        part = PartFile(first_page=reply.page, last_page=reply.page, route=None,
                        sha256=outcome.page_file.sha256, size=outcome.page_file.size,
                        mime_type="application/pdf", text=reply.text,
                        ocr_confidence=reply.ocr_confidence, languages=reply.languages)
        db.session.add(_triage_item(job, position, part, outcome.note))
        waiting += 1
    return recorded, waiting


def record_failure(ticket: Ticket, inbox: Inbox, reason: str, message: str,
                   details: dict[str, Any] | None = None) -> IngestJob:
    job = jobs.confirm(ticket)
    jobs.fail(job, inbox, reason, message, details)
    db.session.flush()
    return job


def _finish(job: IngestJob) -> None:
    job.stage, job.finished_at = Stage.FINISHED.value, utcnow()
    job.worker_id, job.lease_expires_at = None, None
    job.reason, job.message, job.details = None, "", {}


def _actor(ticket: Ticket) -> Any:
    """Who files the documents: the uploader for an upload, else the ingest worker."""
    if ticket.created_by_id is not None:
        user = db.session.get(User, ticket.created_by_id)
        if user is not None and user.active:
            return user
    return INGEST_WORKER


def _resolve(cover: CoverCode | None, actor: Any) -> tuple[_Route | None, str]:
    """The route a cover sheet names, or why it cannot be followed (for the triage note)."""
    if cover is None:
        return None, ""
    customer = db.session.get(Customer, cover.customer_id)
    if customer is None:
        return None, _("The cover sheet names customer id %(id)s, which does not exist.",
                       id=cover.customer_id)
    document_type = db.session.scalar(
        select(DocumentType).where(DocumentType.code == cover.type_code))
    if document_type is None or not document_type.active:
        return None, _("The cover sheet names document type “%(code)s”, which is not in use.",
                       code=cover.type_code)
    if cover.scope not in document_type.scopes:
        return None, _("Documents of type %(type)s are not kept in scope %(scope)s.",
                       type=document_type.code, scope=cover.scope)
    if cover.scope not in writable_scopes(actor):
        return None, _("%(user)s may not file documents in scope %(scope)s.",
                       user=getattr(actor, "username", str(actor)), scope=cover.scope)
    return _Route(customer, document_type, cover.scope), ""


def _file(job: IngestJob, part: PartFile, route: _Route, actor: Any) -> int | None:
    digitised = file_digitised_scan(actor, job.barcodes or [], part.first_page,
                                    _scanned_file(job, part), customer_id=route.customer.id,
                                    type_code=route.document_type.code, scope=route.scope)
    if digitised is not None:  # an original sent for scanning: a new file of its document
        return digitised
    try:
        with db.session.begin_nested():
            document = create_scanned_document(actor, ScannedDocument(
                customers=[route.customer], document_type=route.document_type,
                scopes={route.scope},
                title=document_title(route.document_type, job, part.first_page, part.last_page),
                document_date=today(), scan=_scanned_file(job, part)))
    except DocumentInvalid as error:  # checked in _resolve; should the rules differ, triage
        log.warning("ingest job %s: routed part refused (%s); to triage", job.id, error)
        return None
    return int(document.id)


def _scanned_file(job: IngestJob, part: PartFile) -> ScannedFile:
    return ScannedFile(sha256=part.sha256, size=part.size, mime_type=part.mime_type,
                       original_name=part_file_name(job.original_name, part.mime_type),
                       pages=part.last_page - part.first_page + 1,
                       text=part.text, ocr_confidence=part.ocr_confidence,
                       languages=part.languages, origin=job.source)


def _triage_item(job: IngestJob, position: int, part: PartFile, note: str) -> TriageItem:
    return TriageItem(job=job, position=position, first_page=part.first_page,
                      last_page=part.last_page, file_sha256=part.sha256,
                      mime_type=part.mime_type, size_bytes=part.size, text=part.text,
                      ocr_confidence=part.ocr_confidence, languages=part.languages,
                      note=note[:300])
