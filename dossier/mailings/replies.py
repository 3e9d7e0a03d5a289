"""Recording the reply coupons in a scan: the ingest pipeline's hook into mailings.

A coupon page makes no document: the recipient's status and answer are what counts. Only
a mailing that keeps coupon images files the page in the recipient's dossier. A coupon
that cannot be recorded (no such letter, a scope the uploader may not work in) comes
back with a note, and its page goes to triage like any page no barcode routed.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from dossier.barcodes import MailingCode
from dossier.documents.file_store import current_store
from dossier.documents.models import DocumentType
from dossier.documents.services import (
    DocumentInvalid,
    ScannedDocument,
    ScannedFile,
    create_scanned_document,
)
from dossier.extensions import db
from dossier.ingest.models import IngestJob
from dossier.ingest.services import part_file_name, today
from dossier.mailings.coupon import CouponMarks, CouponPage
from dossier.mailings.models import Mailing, MailingRecipient
from dossier.mailings.services import ReplyRefused, record_reply

log = logging.getLogger(__name__)
PDF = "application/pdf"
# The type a kept coupon is filed as: "reply coupon" where it serves the mailing's scope.
COUPON_TYPES = ("reply_coupon", "correspondence")


@dataclass(frozen=True)
class StoredPage:
    """One page of a scan as a PDF of its own, in the file store."""

    sha256: str
    size: int


@dataclass(frozen=True)
class ReplyOutcome:
    """What came of one coupon: the recipient it updated (and the document that keeps
    its scan), or why not, with the page's file for triage."""

    recipient_id: int | None = None
    document_id: int | None = None
    note: str = ""
    page_file: StoredPage | None = None


def record_coupon(job: IngestJob, page: CouponPage, actor: Any) -> ReplyOutcome:
    """Record the reply a scanned coupon gives; never raises for a coupon's content."""
    code = page.marks.code
    try:
        recipient = record_reply(code, scanned_answer(code, page.marks), job, actor)
    except ReplyRefused as error:
        log.info("ingest job %s: coupon on page %s not recorded: %s", job.id, page.page, error)
        return ReplyOutcome(note=str(error), page_file=store_page(job, page.page))
    document_id = None
    if recipient.mailing.store_coupon_images:
        document_id = _keep_scan(job, page, recipient, actor)
    return ReplyOutcome(recipient.id, document_id)


def scanned_answer(code: MailingCode, marks: CouponMarks) -> str | None:
    """The answer whose box is marked, or None when no box or several are."""
    mailing = db.session.get(Mailing, code.mailing_id)
    if mailing is None:
        return None
    index = marks.marked(len(mailing.answer_options))
    return mailing.answer_options[index] if index is not None else None


def store_page(job: IngestJob, page: int) -> StoredPage:
    """Page `page` (1-based) of the job's stored PDF (its searchable PDF for a scan) as a
    file of its own; a one-page PDF is used as it is."""
    store = current_store()
    source = job.searchable_sha256 or job.sha256
    path = store.path_for(source)
    reader = PdfReader(path)
    if len(reader.pages) == 1:
        return StoredPage(source, path.stat().st_size)
    writer = PdfWriter()
    writer.add_page(reader.pages[page - 1])
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    stored = store.store(buffer)
    return StoredPage(stored.sha256, stored.size)


def _keep_scan(job: IngestJob, page: CouponPage, recipient: MailingRecipient,
               actor: Any) -> int | None:
    """File the coupon's page in the recipient's dossier, in the mailing's scope."""
    mailing = recipient.mailing
    document_type = _coupon_type(mailing.scope)
    if document_type is None:
        log.warning("ingest job %s: no document type to keep coupons in scope %s",
                    job.id, mailing.scope)
        return None
    stored = store_page(job, page.page)
    locale = str(current_app.config.get("BABEL_DEFAULT_LOCALE", "nl"))
    scan = ScannedFile(sha256=stored.sha256, size=stored.size, mime_type=PDF,
                       original_name=part_file_name(job.original_name, PDF), pages=1,
                       text=page.text, ocr_confidence=page.ocr_confidence,
                       languages=page.languages, origin=job.source)
    try:
        with db.session.begin_nested():
            document = create_scanned_document(actor, ScannedDocument(
                customers=[recipient.customer], document_type=document_type,
                scopes={mailing.scope}, title=f"{document_type.name(locale)}: {mailing.subject}",
                document_date=today(), scan=scan))
    except DocumentInvalid as error:
        log.warning("ingest job %s: coupon scan not kept (%s)", job.id, error)
        return None
    recipient.document_id = document.id
    db.session.flush()
    return int(document.id)


def _coupon_type(scope: str) -> DocumentType | None:
    types = {document_type.code: document_type for document_type in db.session.scalars(
        select(DocumentType).where(DocumentType.code.in_(COUPON_TYPES),
                                   DocumentType.active.is_(True)))}
    return next((types[code] for code in COUPON_TYPES
                 if code in types and scope in types[code].scopes), None)
