"""Digitising a static original on request: order it, print its cover sheet, and when the
scan comes back through the inbox, file it with the same document, which becomes hybrid.

The cover sheet is the scanner inbox's own (customer, type and scope of the document),
with the original's code printed beneath it. The pipeline drops cover sheets but logs
every code it read on them; a part whose cover sheet also carries the code of an
original waiting for digitisation becomes a new file version of that original's
document instead of a new document.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from dossier import barcodes
from dossier.archive import queries
from dossier.archive.desk_models import DigitisationOrder, DigitisationStatus
from dossier.archive.errors import ArchiveError
from dossier.archive.models import PhysicalItem, Status
from dossier.archive.pdf_fonts import font
from dossier.archive.recording import require_clerk
from dossier.auth.models import utcnow
from dossier.compliance.audit import AuditAction, record
from dossier.documents.file_store import sanitise_name
from dossier.documents.forms import SCOPE_LABELS
from dossier.documents.models import DigitalFile, Document
from dossier.documents.services import ScannedFile
from dossier.extensions import db
from dossier.ingest.sheets import CoverSheet, bar_runs, code128_modules, cover_sheet_pdf
from dossier.search import index as index_for_search

MODULE = 0.33 * mm
BAR_HEIGHT = 14 * mm


class CannotDigitise(ArchiveError):
    reason = "cannot_digitise"


def waiting_order(item: PhysicalItem) -> DigitisationOrder | None:
    return db.session.scalar(select(DigitisationOrder).where(
        DigitisationOrder.item_id == item.id,
        DigitisationOrder.status == DigitisationStatus.WAITING.value).limit(1))


def order(actor: Any, item: PhysicalItem) -> DigitisationOrder:
    """Send `item` for scanning (asking twice gives the waiting order again)."""
    require_clerk(actor)
    document = item.document
    if document is None:
        raise CannotDigitise(_("%(code)s belongs to no document.", code=item.barcode))
    if queries.state_of(item).status == Status.DESTROYED:
        raise CannotDigitise(_("%(code)s was destroyed.", code=item.barcode))
    if not document.customers or not document.scopes:
        raise CannotDigitise(_("The document of %(code)s has no customer or scope to put "
                               "on a cover sheet.", code=item.barcode))
    existing = waiting_order(item)
    if existing is not None:
        return existing
    placed = DigitisationOrder(item=item, document=document, scope=sorted(document.scopes)[0],
                               ordered_by_id=getattr(actor, "id", None), ordered_at=utcnow())
    db.session.add(placed)
    db.session.flush()
    _audit(actor, AuditAction.CREATE, placed, document, {"item": item.id})
    db.session.flush()
    return placed


def cover_sheet(placed: DigitisationOrder, locale: str) -> bytes:
    """The inbox cover sheet for the document, with the original's code added below."""
    document = placed.document
    if document is None:
        raise CannotDigitise(_("The document of this order no longer exists."))
    customer = document.customers[0]
    sheet = cover_sheet_pdf(CoverSheet(
        customer_id=customer.id, customer_number=customer.number,
        customer_name=customer.display_name or customer.number,
        type_code=document.document_type.code, type_name=document.document_type.name(locale),
        scope=placed.scope, scope_label=str(SCOPE_LABELS.get(placed.scope, placed.scope))))
    writer = PdfWriter(clone_from=io.BytesIO(sheet))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(_item_code_overlay(placed.item))).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _item_code_overlay(item: PhysicalItem) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4)
    width = A4[0]
    modules = code128_modules(item.barcode)
    x, bottom = (width - MODULE * len(modules)) / 2, 38 * mm
    for start, run in bar_runs(modules):
        pdf.rect(x + start * MODULE, bottom, run * MODULE, BAR_HEIGHT, stroke=0, fill=1)
    pdf.setFont("Courier-Bold", 11)
    pdf.drawCentredString(width / 2, bottom - 5 * mm, item.barcode)
    pdf.setFont(font(), 9)
    pdf.drawCentredString(width / 2, bottom - 10 * mm, _(
        "Digitising original %(code)s: the scan is added to its document.", code=item.barcode))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def order_for_scan(barcode_log: Sequence[dict[str, Any]], first_page: int
                   ) -> DigitisationOrder | None:
    """The waiting order whose original's code is on the cover sheet just before a part
    that starts at `first_page` (1-based), as the pipeline's barcode log says."""
    sheet_page = first_page - 1
    on_sheet = [row for row in barcode_log if row.get("page") == sheet_page]
    if not any(row.get("kind") == barcodes.Kind.COVER.value for row in on_sheet):
        return None
    for row in on_sheet:
        value = barcodes.try_parse(str(row.get("text", "")))
        if isinstance(value, barcodes.ItemCode):
            item = queries.find_item(value.number)
            placed = waiting_order(item) if item is not None else None
            if placed is not None:
                return placed
    return None


def attach_scan(actor: Any, placed: DigitisationOrder, scan: ScannedFile, *,
                customer_id: int, type_code: str, scope: str) -> Document | None:
    """File the scan with the order's document when the cover sheet's route is that
    document's (a sheet of another dossier is not trusted); None when it is not."""
    document = placed.document
    if document is None or document.document_type.code != type_code \
            or scope not in document.scopes \
            or customer_id not in {customer.id for customer in document.customers}:
        return None
    digital = DigitalFile(
        version=max((f.version for f in document.files), default=0) + 1, sha256=scan.sha256,
        mime_type=scan.mime_type, size_bytes=scan.size, pages=scan.pages, text=scan.text,
        original_name=sanitise_name(scan.original_name, scan.mime_type),
        ocr_confidence=scan.ocr_confidence, languages=scan.languages, origin=scan.origin,
        created_by_id=getattr(actor, "id", None))
    document.files.append(digital)
    db.session.flush()
    placed.status, placed.completed_at = DigitisationStatus.SCANNED.value, utcnow()
    placed.digital_file = digital
    _audit(actor, AuditAction.UPDATE, placed, document,
           {"status": ["waiting", "scanned"], "file": digital.id, "version": digital.version})
    index_for_search([document.id])
    db.session.flush()
    current_app.logger.info("digitised original %s filed with document %s",
                            placed.item_id, document.id)
    return document


def _audit(actor: Any, action: str, placed: DigitisationOrder, document: Document,
           details: dict[str, Any]) -> None:
    customers: list[int | None] = [customer.id for customer in document.customers]
    for customer_id in customers or [None]:
        record(actor, action, placed, customer_id=customer_id, scope=placed.scope,
               details={"document": document.id} | details)


def file_digitised_scan(actor: Any, barcode_log: Sequence[dict[str, Any]], first_page: int,
                        scan: ScannedFile, *, customer_id: int, type_code: str, scope: str
                        ) -> int | None:
    """For the scanner inbox: the id of the document a routed part was filed with because
    its cover sheet names an original waiting for digitisation; None otherwise."""
    placed = order_for_scan(barcode_log, first_page)
    if placed is None:
        return None
    with db.session.begin_nested():
        document = attach_scan(actor, placed, scan, customer_id=customer_id,
                               type_code=type_code, scope=scope)
    return document.id if document is not None else None
