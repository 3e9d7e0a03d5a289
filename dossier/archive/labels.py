"""Label sheets: A4 sheets of sticky labels, each with a Code128 and its code beneath.

A layout is a common sheet of labels (Avery and compatible sizes); the clerk chooses
one and may skip the labels already used on a sheet that went through the printer
before. Bars are vector rectangles from python-barcode's modules, so they print sharp.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from dossier.archive.pdf_fonts import font
from dossier.ingest.sheets import bar_runs, code128_modules

PAGE_WIDTH, PAGE_HEIGHT = A4
PADDING = 3 * mm
MAX_MODULE = 0.5 * mm
QUIET_MODULES = 10
TITLE_SIZE = 8
CODE_SIZE = 10


@dataclass(frozen=True)
class LabelLayout:
    """A sheet of `columns` x `rows` labels of `width` x `height` mm; `left`/`top` is the
    first label's corner, `pitch_x`/`pitch_y` the distance to the next one (gaps included)."""

    key: str
    name: Any
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def corner(self, position: int) -> tuple[float, float]:
        """Bottom-left corner (in points) of label `position` on a sheet, row by row."""
        row, column = divmod(position, self.columns)
        x = (self.left + column * self.pitch_x) * mm
        y = PAGE_HEIGHT - (self.top + row * self.pitch_y + self.height) * mm
        return x, y


LAYOUTS = {layout.key: layout for layout in (
    LabelLayout("3x8", _l("24 per sheet, 3 x 8, 70 x 37 mm (Avery 3474)"),
                3, 8, 70, 37, 0, 0.5, 70, 37),
    LabelLayout("3x7", _l("21 per sheet, 3 x 7, 63.5 x 38.1 mm (Avery L7160)"),
                3, 7, 63.5, 38.1, 7.25, 15.15, 66.04, 38.1),
    LabelLayout("2x7", _l("14 per sheet, 2 x 7, 99.1 x 38.1 mm (Avery L7163)"),
                2, 7, 99.1, 38.1, 4.65, 15.15, 101.6, 38.1),
    LabelLayout("2x4", _l("8 per sheet, 2 x 4, 99.1 x 67.7 mm (Avery L7165), for boxes"),
                2, 4, 99.1, 67.7, 4.65, 13.1, 101.6, 67.7),
)}
DEFAULT_LAYOUT = "3x8"


@dataclass(frozen=True)
class Label:
    """One label: its code (printed as bars and beneath them), and a line above."""

    code: str
    title: str = ""
    keep_end: bool = False  # a long title loses its start (a path: the place's name stays)


def label_sheet_pdf(labels: Iterable[Label], layout: LabelLayout, *, skip: int = 0,
                    title: str = "Dossier labels") -> bytes:
    """The labels on as many sheets as they need, the first `skip` positions left blank."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor("Dossier")
    pdf.setCreator("Dossier")
    position = skip % layout.per_sheet
    drawn = False
    for label in labels:
        if position == layout.per_sheet:
            pdf.showPage()
            position = 0
        _draw(pdf, label, layout, *layout.corner(position))
        position += 1
        drawn = True
    if drawn:
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw(pdf: Canvas, label: Label, layout: LabelLayout, x: float, y: float) -> None:
    width, height = layout.width * mm, layout.height * mm
    inner = width - 2 * PADDING
    top = y + height - PADDING
    if label.title:
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont(font(), TITLE_SIZE)
        title = _fit(label.title, inner, label.keep_end)
        pdf.drawCentredString(x + width / 2, top - TITLE_SIZE, title)
        top -= TITLE_SIZE + 2 * mm
    text_y = y + PADDING
    bars_bottom = text_y + CODE_SIZE + 1 * mm
    _bars(pdf, label.code, x + width / 2, inner, bars_bottom, top - bars_bottom)
    pdf.setFont("Courier-Bold", CODE_SIZE)
    pdf.drawCentredString(x + width / 2, text_y + 1, label.code)


def _bars(pdf: Canvas, code: str, centre: float, room: float, bottom: float,
          height: float) -> None:
    modules = code128_modules(code)
    module = min(MAX_MODULE, room / (len(modules) + 2 * QUIET_MODULES))
    left = centre - module * len(modules) / 2
    pdf.setFillColorRGB(0, 0, 0)
    for start, run in bar_runs(modules):
        pdf.rect(left + start * module, bottom, run * module, height, stroke=0, fill=1)


def _fit(text: str, width: float, keep_end: bool = False) -> str:
    name = font()
    if pdfmetrics.stringWidth(text, name, TITLE_SIZE) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", name, TITLE_SIZE) > width:
        text = text[1:] if keep_end else text[:-1]
    return "…" + text if keep_end else text + "…"


def sheets_needed(count: int, layout: LabelLayout, skip: int = 0) -> int:
    return -(-(skip % layout.per_sheet + count) // layout.per_sheet) if count else 0
