"""The destruction certificate: one A4 page stating what was destroyed, why it could be,
and who proposed and approved it. Everything on it comes from the DestructionRecord."""

from __future__ import annotations

import io

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from dossier.archive.desk_models import DestructionRecord
from dossier.archive.pdf_fonts import font

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
LABEL_WIDTH = 55 * mm
VALUE_WIDTH = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH


def certificate_pdf(destroyed: DestructionRecord) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1)
    title = _("Destruction certificate %(number)s", number=destroyed.id)
    pdf.setTitle(title)
    pdf.setAuthor("Dossier")
    pdf.setCreator("Dossier")
    y = PAGE_HEIGHT - MARGIN - 10 * mm
    pdf.setFont(font(bold=True), 22)
    pdf.drawString(MARGIN, y, _("Destruction certificate"))
    pdf.setFont(font(), 11)
    pdf.drawString(MARGIN, y - 8 * mm, _("Number %(number)s", number=destroyed.id))
    y = _rows(pdf, y - 22 * mm, _facts(destroyed))
    _statement(pdf, y - 8 * mm, destroyed)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _facts(destroyed: DestructionRecord) -> list[tuple[str, str]]:
    proposer = destroyed.proposed_by.display_name if destroyed.proposed_by else "?"
    approver = destroyed.decided_by.display_name if destroyed.decided_by else "?"
    return [
        (_("Original"), destroyed.item_code),
        (_("Document type"), destroyed.document_type),
        (_("Customer number"), destroyed.customer_numbers or "—"),
        (_("Kept until"), format_date(destroyed.retention_until, "long")),
        (_("Retention basis"), _(destroyed.retention_basis) if destroyed.retention_basis
         else "—"),
        (_("Proposed by"), f"{proposer}, {format_datetime(destroyed.proposed_at, 'medium')}"),
        (_("Approved by"), f"{approver}, {format_datetime(destroyed.decided_at, 'medium')}"
         if destroyed.decided_at else approver),
        (_("Destroyed on"), format_date(destroyed.decided_at, "long")
         if destroyed.decided_at else "—"),
    ]


def _rows(pdf: Canvas, top: float, rows: list[tuple[str, str]]) -> float:
    y = top
    for label, value in rows:
        pdf.setFont(font(), 10)
        pdf.drawString(MARGIN, y, label)
        pdf.setFont(font(bold=True), 11)
        lines = simpleSplit(value, font(bold=True), 11, VALUE_WIDTH) or [""]
        for line in lines:
            pdf.drawString(MARGIN + LABEL_WIDTH, y, line)
            y -= 5.5 * mm
        y -= 3 * mm
    return y


def _statement(pdf: Canvas, top: float, destroyed: DestructionRecord) -> None:
    text = _("The paper original above was destroyed after its retention period had ended "
             "and no legal hold applied. The destruction was proposed and approved by two "
             "different people; it is recorded in the original's history.")
    y = top
    pdf.setFont(font(), 10)
    for line in simpleSplit(text, font(), 10, PAGE_WIDTH - 2 * MARGIN):
        pdf.drawString(MARGIN, y, line)
        y -= 5 * mm
    y -= 20 * mm
    half = (PAGE_WIDTH - 2 * MARGIN) / 2
    for index, label in enumerate((_("Signature of the proposer"),
                                   _("Signature of the approver"))):
        x = MARGIN + index * half
        pdf.line(x, y, x + half - 10 * mm, y)
        pdf.drawString(x, y - 5 * mm, label)
