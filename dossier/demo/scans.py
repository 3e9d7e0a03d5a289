"""Scanned letters for the demo's quotes: a one-page PDF with its text, as the inbox files them.

Quotes are dynamic for sales, so in a real archive they arrive scanned and full-text
searchable. The demo gives its most recent quotes such a scan (a born-digital PDF with a
text layer, stored in the file store like any other file), so full-text search over a
scan's words can be tried on the demo data: the letter's words are in its text only, not
in its title or key points (e.g. "dakinspectie", "garantievoorwaarden").
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from dossier.documents.file_store import current_store
from dossier.documents.models import DigitalFile, Document

SCANNED_QUOTES = 40
PDF = "application/pdf"
LETTER = (
    "Geachte {name},",
    "",
    "Naar aanleiding van ons bezoek op {day} ontvangt u hierbij onze offerte",
    "voor {product}. Het totaalbedrag is EUR {amount}, inclusief btw en",
    "montage. Wij adviseren vooraf een dakinspectie door onze monteur.",
    "De garantievoorwaarden en de algemene voorwaarden vindt u in de bijlage.",
    "Deze offerte is dertig dagen geldig.",
    "",
    "Met vriendelijke groet,",
    "Installatiebedrijf Van Dijk B.V.",
)


def attach_demo_scans(documents: list[Document]) -> int:
    """Give the most recent demo quotes a scanned letter; returns how many got one."""
    quotes = [document for document in documents
              if document.document_type.code == "quote" and document.customers
              and not document.files]
    quotes.sort(key=lambda document: (document.document_date, document.title), reverse=True)
    store = current_store()
    for document in quotes[:SCANNED_QUOTES]:
        text = letter_text(document)
        stored = store.store(io.BytesIO(letter_pdf(text)), allowed={PDF})
        document.files.append(DigitalFile(
            version=1, sha256=stored.sha256, mime_type=stored.mime_type,
            size_bytes=stored.size, original_name=f"offerte-{document.document_date}.pdf",
            pages=1, text=text, ocr_confidence=93.0, languages="nld", origin="inbox"))
    return min(len(quotes), SCANNED_QUOTES)


def letter_text(document: Document) -> str:
    customer = document.customers[0]
    points: dict[str, Any] = document.key_points or {}
    product = document.title.removeprefix("Offerte ").strip() or document.title
    return "\n".join(LETTER).format(
        name=customer.display_name, day=document.document_date.strftime("%d-%m-%Y"),
        product=product, amount=points.get("amount", "-"))


def letter_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, invariant=True)
    lines = pdf.beginText(20 * mm, A4[1] - 40 * mm)
    lines.setFont("Helvetica", 11)
    for line in text.splitlines():
        lines.textLine(line)
    pdf.drawText(lines)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
