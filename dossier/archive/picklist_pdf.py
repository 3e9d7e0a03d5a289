"""The pick list as a printable PDF: A4 landscape, one row per original, in walking order.

Drawn straight onto a reportlab canvas (no layout engine): 500 rows take a fraction of
a second. The texts are in the current user's language, so an app context is needed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from dossier.archive.pdf_fonts import fit, font
from dossier.archive.picklist import DeskRow
from dossier.auth.models import utcnow

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 12 * mm
ROW_HEIGHT = 7 * mm
HEADER_HEIGHT = 24 * mm
SIZE = 9
# (heading, width); the purpose takes what is left.
COLUMNS_MM = (("", 8), ("Place", 92), ("Original", 30), ("Requested by", 48),
              ("Requested on", 26))


Columns = list[tuple[str, float, float]]  # (heading, x, width)


def pick_list_pdf(rows: Sequence[DeskRow]) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    pdf.setTitle(_("Pick list"))
    pdf.setAuthor("Dossier")
    pdf.setCreator("Dossier")
    per_page = int((PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT) // ROW_HEIGHT)
    pages = max(1, -(-len(rows) // per_page))
    printed = format_datetime(utcnow(), "short")
    columns = _columns()
    for page in range(pages):
        y = _header(pdf, columns, (page + 1, pages, len(rows)), printed)
        _rows(pdf, columns, rows[page * per_page:(page + 1) * per_page], y)
        if not rows:
            pdf.setFont(font(), 11)
            pdf.drawString(MARGIN, y, _("Nothing to pick: every requested original is out "
                                        "or waiting."))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _columns() -> Columns:
    """(heading, x, width) per column, headings translated."""
    headings = {"Place": _("Place"), "Original": _("Original"),
                "Requested by": _("Requested by"), "Requested on": _("Requested on")}
    x = MARGIN
    columns = []
    for key, width in COLUMNS_MM:
        columns.append((headings.get(key, key), x, width * mm))
        x += width * mm
    columns.append((_("Purpose"), x, PAGE_WIDTH - MARGIN - x))
    return columns


def _header(pdf: Canvas, columns: Columns, numbers: tuple[int, int, int], printed: str
            ) -> float:
    page, pages, count = numbers
    top = PAGE_HEIGHT - MARGIN
    pdf.setFont(font(bold=True), 16)
    pdf.drawString(MARGIN, top - 6 * mm, _("Pick list"))
    pdf.setFont(font(), SIZE)
    pdf.drawString(MARGIN, top - 12 * mm, _(
        "%(count)s originals, in walking order · printed %(date)s · page %(page)s of "
        "%(pages)s", count=count, date=printed, page=page, pages=pages))
    y = top - HEADER_HEIGHT + 4 * mm
    pdf.setFont(font(bold=True), SIZE)
    for heading, x, width in columns:
        pdf.drawString(x, y, fit(heading, font(bold=True), SIZE, width - 2 * mm))
    pdf.setLineWidth(0.6)
    pdf.line(MARGIN, y - 2 * mm, PAGE_WIDTH - MARGIN, y - 2 * mm)
    return y - ROW_HEIGHT


def _rows(pdf: Canvas, columns: Columns, rows: Sequence[DeskRow], top: float) -> None:
    """All rows of a page as one text object (a text object per string is what makes
    long lists slow), then their tick boxes and rules."""
    text = pdf.beginText()
    dates: dict[object, str] = {}
    y = top
    for row in rows:
        request = row.request
        day = request.requested_at.date()
        if day not in dates:
            dates[day] = format_date(day, "short")
        values = (row.place_label or "—", request.requester.display_name, dates[day],
                  request.purpose)
        for (_heading, x, width), value in zip(
                (columns[1], columns[3], columns[4], columns[5]), values, strict=True):
            text.setTextOrigin(x, y)
            text.setFont(font(), SIZE)
            text.textOut(_fitted(value, width))
        text.setTextOrigin(columns[2][1], y)
        text.setFont("Courier-Bold", SIZE)
        text.textOut(row.item.barcode)
        y -= ROW_HEIGHT
    pdf.drawText(text)
    pdf.setLineWidth(0.8)
    for index in range(len(rows)):
        pdf.rect(columns[0][1], top - index * ROW_HEIGHT - 0.8 * mm, 3.6 * mm, 3.6 * mm)
    pdf.setLineWidth(0.2)
    for index in range(len(rows)):
        rule = top - index * ROW_HEIGHT - 2.5 * mm
        pdf.line(MARGIN, rule, PAGE_WIDTH - MARGIN, rule)


@lru_cache(maxsize=4096)
def _fitted(value: str, width: float) -> str:
    """Places and names repeat from row to row: measured once."""
    return fit(value, font(), SIZE, width - 2 * mm)
