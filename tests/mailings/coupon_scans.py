"""Returned letters made by the tests: a recipient's printed page, ticked, torn and scanned."""

from __future__ import annotations

import pypdfium2
from PIL import Image, ImageDraw
from reportlab.lib.units import mm

from dossier.mailings import coupon
from dossier.mailings.letters import BARS_LEFT, BARS_MIDDLE, CUT_Y, PAGE_HEIGHT, letters_pdf
from dossier.mailings.models import Mailing, MailingRecipient

MM_PER_INCH = 25.4


def rasterise(pdf: bytes, dpi: int = 200) -> list[Image.Image]:
    """Every page of a PDF as a grey scan at `dpi`."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for page in document]
    finally:
        document.close()


def letter_scan(mailing: Mailing, recipient: MailingRecipient, dpi: int = 200) -> Image.Image:
    """The recipient's letter, printed and scanned back at `dpi`."""
    [page] = rasterise(letters_pdf(mailing, [recipient], 1), dpi)
    page.info["dpi"] = (dpi, dpi)
    return page


def tick(page: Image.Image, index: int, dpi: int = 200) -> Image.Image:
    """The page with a pen tick in answer box `index` (a letter page, not yet torn)."""
    pixels = dpi / MM_PER_INCH
    left, top = coupon.box_origin(index)
    x = (BARS_LEFT / mm + left) * pixels
    y = ((PAGE_HEIGHT - BARS_MIDDLE) / mm + top) * pixels
    size = coupon.BOX_SIZE * pixels
    ticked = page.copy()
    ImageDraw.Draw(ticked).line(
        [(x + 0.15 * size, y + 0.5 * size), (x + 0.4 * size, y + 0.85 * size),
         (x + 1.1 * size, y - 0.2 * size)], fill=0, width=max(2, round(0.5 * pixels)))
    return ticked


def torn_off(page: Image.Image, dpi: int = 200) -> Image.Image:
    """Only the coupon below the cut line, as a recipient sends it back."""
    cut = round((PAGE_HEIGHT - CUT_Y) / mm * dpi / MM_PER_INCH)
    strip = page.crop((0, cut, page.width, page.height))
    strip.info["dpi"] = (dpi, dpi)
    return strip


def turned(page: Image.Image, degrees: float) -> Image.Image:
    return page.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
