"""Printable cover and separator sheets: an A4 PDF with a Code128 and text for people.

The bars come from python-barcode and are drawn as vector rectangles, so a sheet prints
sharp at any printer resolution. Text is set in DejaVu Sans when the system has it (it
covers names such as "Şahin" or "Łukasz"), else in the PDF standard font Helvetica.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from barcode import Code128
from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from dossier.auth.models import utcnow
from dossier.barcodes import make_cover, make_separator

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
BAR_HEIGHT = 25 * mm
MAX_MODULE = 0.5 * mm  # wider bars only cost paper; narrower ones need a finer scan
QUIET_MODULES = 10  # Code128 needs ten blank modules on each side
LABEL_WIDTH = 45 * mm
VALUE_WIDTH = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH
_FONTS: dict[str, str] = {}


@dataclass(frozen=True)
class CoverSheet:
    """What a cover sheet says: the code and the same routing in words."""

    customer_id: int
    customer_number: str
    customer_name: str
    type_code: str
    type_name: str
    scope: str
    scope_label: str

    @property
    def code(self) -> str:
        return make_cover(self.customer_id, self.type_code, self.scope)


def cover_sheet_pdf(sheet: CoverSheet) -> bytes:
    """One A4 page routing the pages scanned after it to a customer, type and scope.

    Needs an app context: the texts are in the current user's language."""
    buffer = io.BytesIO()
    pdf = _canvas(buffer, _("Cover sheet %(number)s", number=sheet.customer_number))
    y = _heading(pdf, _("Cover sheet"), _("Dossier scanner inbox"))
    y = _barcode(pdf, sheet.code, y)
    y = _routing(pdf, sheet, y - 12 * mm)
    _paragraphs(pdf, y - 10 * mm, [
        _("Put this sheet on top of the paper documents and scan them together. The pages "
          "after this sheet are filed in the dossier of the customer above, with this type "
          "and scope. The sheet itself is not kept."),
        _("Several documents for this customer in one batch: put a separator sheet between "
          "them."),
        _("Printed on %(date)s. Do not write on or fold the barcode.",
          date=format_date(utcnow(), "long")),
    ])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def separator_sheet_pdf() -> bytes:
    """One A4 page that starts a new document within a scanned batch."""
    buffer = io.BytesIO()
    pdf = _canvas(buffer, _("Separator sheet"))
    y = _heading(pdf, _("Separator sheet"), _("Dossier scanner inbox"))
    y = _barcode(pdf, make_separator(), y)
    _paragraphs(pdf, y - 12 * mm, [
        _("Put this sheet between two documents in one scan batch: the pages after it "
          "become a new document. The sheet itself is not kept."),
        _("The new document goes to the customer, type and scope of the cover sheet before "
          "it in the batch; without a cover sheet it waits in triage."),
        _("This sheet can be used again and again. Do not write on or fold the barcode."),
    ])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def code128_modules(code: str) -> str:
    """The bars and spaces of `code` as "1" and "0" modules, from python-barcode."""
    return str(Code128(code).build()[0])


def _canvas(buffer: io.BytesIO, title: str) -> Canvas:
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor("Dossier")
    pdf.setCreator("Dossier")
    return pdf


def _heading(pdf: Canvas, title: str, subtitle: str) -> float:
    y = PAGE_HEIGHT - MARGIN - 10 * mm
    pdf.setFont(_font(bold=True), 28)
    pdf.drawString(MARGIN, y, title)
    pdf.setFont(_font(), 11)
    pdf.drawString(MARGIN, y - 8 * mm, subtitle)
    return y - 20 * mm


def _barcode(pdf: Canvas, code: str, top: float) -> float:
    """Draw `code` centred below `top`, with its text under it; return the y below that."""
    modules = code128_modules(code)
    usable = PAGE_WIDTH - 2 * MARGIN
    module = min(MAX_MODULE, usable / (len(modules) + 2 * QUIET_MODULES))
    x = (PAGE_WIDTH - module * len(modules)) / 2
    bottom = top - BAR_HEIGHT
    pdf.setFillColorRGB(0, 0, 0)
    for start, width in bar_runs(modules):
        pdf.rect(x + start * module, bottom, width * module, BAR_HEIGHT, stroke=0, fill=1)
    pdf.setFont("Courier-Bold", 14)
    pdf.drawCentredString(PAGE_WIDTH / 2, bottom - 7 * mm, code)
    return bottom - 7 * mm


def bar_runs(modules: str) -> list[tuple[int, int]]:
    """Runs of "1" as (first module, number of modules)."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, module in enumerate(modules + "0"):
        if module == "1" and start is None:
            start = index
        elif module != "1" and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def _routing(pdf: Canvas, sheet: CoverSheet, top: float) -> float:
    rows = [  # (label, value, what must stay when the value is shortened)
        (_("Customer"), sheet.customer_name, f" ({sheet.customer_number})"),
        (_("Document type"), sheet.type_name, ""),
        (_("Scope"), sheet.scope_label, ""),
    ]
    y = top
    for label, value, kept in rows:
        pdf.setFont(_font(), 11)
        pdf.drawString(MARGIN, y, label)
        pdf.setFont(_font(bold=True), 16)
        pdf.drawString(MARGIN + LABEL_WIDTH, y, _fit(value, kept, _font(bold=True), 16))
        y -= 11 * mm
    return y


def _paragraphs(pdf: Canvas, top: float, paragraphs: list[str]) -> None:
    size, leading = 11, 15
    y = top
    for paragraph in paragraphs:
        for line in simpleSplit(paragraph, _font(), size, PAGE_WIDTH - 2 * MARGIN):
            pdf.setFont(_font(), size)
            pdf.drawString(MARGIN, y, line)
            y -= leading
        y -= leading / 2


def _fit(text: str, kept: str, font: str, size: float) -> str:
    """`text` + `kept`, with `text` shortened (…) when the line would run off the page."""
    if pdfmetrics.stringWidth(text + kept, font, size) <= VALUE_WIDTH:
        return text + kept
    while text and pdfmetrics.stringWidth(text + "…" + kept, font, size) > VALUE_WIDTH:
        text = text[:-1]
    return text + "…" + kept


def _font(bold: bool = False) -> str:
    """The registered name of the text font, registering DejaVu Sans on first use."""
    key = "bold" if bold else "regular"
    if key not in _FONTS:
        name, file = ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf") if bold else (
            "DejaVuSans", "DejaVuSans.ttf")
        try:
            pdfmetrics.registerFont(TTFont(name, file))
        except TTFError:
            name = "Helvetica-Bold" if bold else "Helvetica"
        _FONTS[key] = name
    return _FONTS[key]
