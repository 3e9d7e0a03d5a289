"""The numbered letters of a mailing: one A4 page per recipient, with a tear-off reply coupon.

The address sits where a window envelope (left window, DIN 5008 / NEN 1026 style) shows
it. The coupon at the bottom carries the recipient's M code and a tick box per answer;
where they go is fixed by coupon.py, which reads them back from the scan. Bars are drawn
as vector rectangles so they print sharp on any printer.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from dossier.auth.models import utcnow
from dossier.customers.models import Customer
from dossier.ingest.sheets import bar_runs, code128_modules
from dossier.mailings import coupon
from dossier.mailings.models import Mailing, MailingRecipient

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
ADDRESS_TOP = PAGE_HEIGHT - 45 * mm
REFERENCE_LEFT = 125 * mm
SUBJECT_Y = PAGE_HEIGHT - 82 * mm
SUBJECT_SIZE = 12
BODY_TOP = SUBJECT_Y - 10 * mm
BODY_SIZE, BODY_LEADING = 10.5, 14
CUT_Y = 97 * mm
BODY_BOTTOM = CUT_Y + 10 * mm
BODY_LINES = int((BODY_TOP - BODY_BOTTOM) // BODY_LEADING) + 1
BARS_LEFT = MARGIN
BARS_MIDDLE = 68 * mm  # the coupon's ruler: every coupon position is measured from here
_FONTS: dict[str, str] = {}


def letters_pdf(mailing: Mailing, recipients: Iterable[MailingRecipient], total: int) -> bytes:
    """One page per recipient, in the order given. Needs an app context (texts are in the
    current user's language, dates in their format)."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(mailing.subject)
    pdf.setAuthor("Dossier")
    pdf.setCreator("Dossier")
    printed = format_date(utcnow(), "long")
    for recipient in recipients:
        _letter(pdf, mailing, recipient, total, printed)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def body_lines(body: str) -> int:
    """How many lines `body` takes on the letter (compare with BODY_LINES)."""
    return sum(len(lines) or 1 for lines in _body_paragraphs(body))


def subject_fits(subject: str) -> bool:
    """Whether the subject fits on its one line of the letter."""
    return pdfmetrics.stringWidth(subject, _font(bold=True), SUBJECT_SIZE) <= TEXT_WIDTH


def address_lines(customer: Customer) -> list[str]:
    """The postal address as it goes on the envelope."""
    lines = [customer.display_name or customer.number, customer.address_line,
             f"{customer.postcode}  {customer.city.upper()}".strip()]
    if customer.country and customer.country != "NL":
        territories = get_locale().territories if get_locale() else {}
        lines.append(str(territories.get(customer.country, customer.country)).upper())
    return [line for line in lines if line]


def _letter(pdf: Canvas, mailing: Mailing, recipient: MailingRecipient, total: int,
            printed: str) -> None:
    _address(pdf, recipient.customer)
    _reference(pdf, recipient, total, printed)
    pdf.setFont(_font(bold=True), SUBJECT_SIZE)
    pdf.drawString(MARGIN, SUBJECT_Y, mailing.subject)
    _body(pdf, mailing.body)
    _cut_line(pdf)
    _coupon(pdf, mailing, recipient)


def _address(pdf: Canvas, customer: Customer) -> None:
    y = ADDRESS_TOP
    pdf.setFont(_font(), 11)
    for line in address_lines(customer):
        pdf.drawString(MARGIN, y, line)
        y -= 14


def _reference(pdf: Canvas, recipient: MailingRecipient, total: int, printed: str) -> None:
    rows = [(_("Date"), printed), (_("Customer number"), recipient.customer.number),
            (_("Our reference"), recipient.code),
            (_("Letter"), _("%(number)s of %(total)s", number=recipient.sequence, total=total))]
    y = ADDRESS_TOP
    for label, value in rows:
        pdf.setFont(_font(), 8)
        pdf.drawString(REFERENCE_LEFT, y, label)
        pdf.setFont(_font(), 10)
        pdf.drawString(REFERENCE_LEFT + 30 * mm, y, value)
        y -= 13


def _body(pdf: Canvas, body: str) -> None:
    y = BODY_TOP
    pdf.setFont(_font(), BODY_SIZE)
    for lines in _body_paragraphs(body):
        for line in lines or [""]:
            if y < BODY_BOTTOM:  # checked when the mailing was made; never draw on the coupon
                return
            pdf.drawString(MARGIN, y, line)
            y -= BODY_LEADING


def _body_paragraphs(body: str) -> list[list[str]]:
    """Each line of the text as typed, wrapped to the page width (an empty line stays)."""
    return [simpleSplit(line, _font(), BODY_SIZE, TEXT_WIDTH)
            for line in body.replace("\r\n", "\n").split("\n")]


def _cut_line(pdf: Canvas) -> None:
    pdf.saveState()
    pdf.setDash(3, 3)
    pdf.setLineWidth(0.5)
    pdf.line(8 * mm, CUT_Y, PAGE_WIDTH - 8 * mm, CUT_Y)
    pdf.restoreState()
    pdf.setFont(_font(), 8)
    pdf.drawString(MARGIN, CUT_Y + 2 * mm, "✂  " + _("Cut off here and return the coupon below."))


def _coupon(pdf: Canvas, mailing: Mailing, recipient: MailingRecipient) -> None:
    pdf.setFont(_font(bold=True), 12)
    pdf.drawString(MARGIN, 88 * mm, _fit(_("Reply coupon: %(subject)s", subject=mailing.subject),
                                         _font(bold=True), 12, TEXT_WIDTH))
    pdf.setFont(_font(), 10)
    customer = recipient.customer
    pdf.drawString(MARGIN, 82 * mm, _fit(f"{customer.display_name} ({customer.number})",
                                         _font(), 10, coupon.BOX_LEFT * mm - 5 * mm))
    _bars(pdf, recipient.code)
    _instructions(pdf, recipient)
    _answer_boxes(pdf, mailing.answer_options)


def _bars(pdf: Canvas, code: str) -> None:
    modules = code128_modules(code)
    module = coupon.module_width(code) * mm
    bottom = BARS_MIDDLE - coupon.BAR_HEIGHT / 2 * mm
    pdf.setFillColorRGB(0, 0, 0)
    for start, width in bar_runs(modules):
        pdf.rect(BARS_LEFT + start * module, bottom, width * module, coupon.BAR_HEIGHT * mm,
                 stroke=0, fill=1)
    pdf.setFont("Courier-Bold", 10)
    pdf.drawString(BARS_LEFT, bottom - 6 * mm, code)



def _instructions(pdf: Canvas, recipient: MailingRecipient) -> None:
    text = _("Tick one box, cut off this coupon and send it back to us. Please do not write "
             "on the barcode.")
    y = 48 * mm
    pdf.setFont(_font(), 9)
    for line in simpleSplit(text, _font(), 9, coupon.MAX_BAR_WIDTH * mm):
        pdf.drawString(MARGIN, y, line)
        y -= 12


def _answer_boxes(pdf: Canvas, options: list[str]) -> None:
    left = BARS_LEFT + coupon.BOX_LEFT * mm
    size = coupon.BOX_SIZE * mm
    pdf.setFont(_font(bold=True), 10)
    pdf.drawString(left, BARS_MIDDLE - (coupon.BOX_TOP - 4) * mm, _("Your answer"))
    pdf.setLineWidth(1)
    label_width = PAGE_WIDTH - MARGIN - left - size - 3 * mm
    for index, option in enumerate(options[:coupon.MAX_OPTIONS]):
        _box_left, top = coupon.box_origin(index)
        y_top = BARS_MIDDLE - top * mm
        pdf.rect(left, y_top - size, size, size, stroke=1, fill=0)
        pdf.setFont(_font(), 11)
        pdf.drawString(left + size + 3 * mm, y_top - size / 2 - 4,
                       _fit(option, _font(), 11, label_width))


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text`, shortened with … when it would be wider than `width`."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _font(bold: bool = False) -> str:
    """The registered name of the text font: DejaVu Sans when the system has it (it covers
    names such as "Şahin" and the scissors), else Helvetica."""
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
