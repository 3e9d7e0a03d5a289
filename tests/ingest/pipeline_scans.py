"""Scans made by the tests: strips of known Dutch and English text, printed codes, files.

Pages are strips rather than full A4 so OCR stays quick; they say 300 dpi like a scanner.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import zxingcpp
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

DPI = 300
FONT = "DejaVuSans.ttf"
DUTCH = ["Geachte mevrouw Jansen,", "Hierbij ontvangt u het contract voor het onderhoud."]
ENGLISH = ["Dear Mr Smith,", "Please find enclosed the signed maintenance contract."]


def text_page(lines: Sequence[str], width: int = 1500) -> Image.Image:
    """A grey strip of text, 300 dpi."""
    font = ImageFont.truetype(FONT, 40)
    page = Image.new("L", (width, 120 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(page)
    for row, line in enumerate(lines):
        draw.text((60, 60 + 70 * row), line, font=font, fill=0)
    page.info["dpi"] = (DPI, DPI)
    return page


def code_page(code: str, caption: str = "Dossier") -> Image.Image:
    """A sheet with a printed Code128 (as a cover or separator sheet carries) and a caption."""
    barcode = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.Code128).to_image(scale=4)
    view = memoryview(barcode)
    symbol = Image.frombytes("L", (view.shape[1], view.shape[0]), bytes(view))
    symbol = symbol.resize((symbol.width, 180))
    page = Image.new("L", (max(1500, symbol.width + 200), 420), 255)
    page.paste(symbol, (100, 60))
    ImageDraw.Draw(page).text((100, 300), caption, font=ImageFont.truetype(FONT, 40), fill=0)
    page.info["dpi"] = (DPI, DPI)
    return page


def save_pdf(pages: Sequence[Image.Image], path: Path) -> Path:
    """An image-only PDF, as a scanner writes it (no text layer)."""
    pages[0].save(path, "PDF", save_all=True, append_images=list(pages[1:]), resolution=DPI)
    return path


def save_tiff(pages: Sequence[Image.Image], path: Path) -> Path:
    pages[0].save(path, "TIFF", save_all=True, append_images=list(pages[1:]), dpi=(DPI, DPI),
                  compression="tiff_deflate")
    return path


def save_png(page: Image.Image, path: Path) -> Path:
    page.save(path, "PNG", dpi=(DPI, DPI))
    return path


def text_layer_pdf(pages: Sequence[Sequence[str]], path: Path,
                   images: dict[int, Image.Image] | None = None) -> Path:
    """A born-digital PDF (text drawn as text); `images` puts a picture on a page (0-based)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for index, lines in enumerate(pages):
        if images and index in images:
            image = images[index]
            canvas.drawImage(ImageReader(image), 40, 500, width=image.width * 72 / DPI,
                             height=image.height * 72 / DPI)
        for row, line in enumerate(lines):
            canvas.drawString(72, 760 - 18 * row, line)
        canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())
    return path
