"""Inputs for the extraction tests, made on the spot: text strips, files of every kind, damage.

Pages are strips of a few lines rather than A4 so OCR stays quick; they say 300 dpi.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Sequence
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
DPI = 300
DUTCH = (
    "Geachte heer Jansen, hierbij ontvangt u de offerte",
    "voor het onderhoud van uw warmtepomp en de ketel.",
    "Met vriendelijke groet, de afdeling klantenservice",
)
ENGLISH = (
    "Dear Mrs Smith, please find enclosed the quotation",
    "for the yearly maintenance of your heat pump.",
    "Kind regards, the customer service department",
)


def strip(lines: Sequence[str] = DUTCH, size: int = 30, width: int = 1000) -> Image.Image:
    """A few lines of printed text at 300 dpi: a page that OCRs in a fraction of a second."""
    font = ImageFont.truetype(FONT, size)
    line_height = size * 3 // 2
    image = Image.new("L", (width, line_height * len(lines) + 2 * size), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((size, size + row * line_height), line, font=font, fill=0)
    image.info["dpi"] = (DPI, DPI)
    return image


def scanned(image: Image.Image, seed: int = 0) -> Image.Image:
    """The page as a scanner sees it: a little blur and a sprinkling of dust."""
    rnd = random.Random(seed)
    noisy = image.filter(ImageFilter.GaussianBlur(0.6))
    for _ in range(noisy.width * noisy.height // 400):
        noisy.putpixel((rnd.randrange(noisy.width), rnd.randrange(noisy.height)),
                       rnd.choice((0, 255)))
    noisy.info["dpi"] = image.info.get("dpi", (DPI, DPI))
    return noisy


def turned(image: Image.Image, degrees: int) -> Image.Image:
    """The page fed into the scanner turned `degrees` counter-clockwise."""
    result = image.rotate(degrees, expand=True, fillcolor=255)
    result.info["dpi"] = image.info.get("dpi", (DPI, DPI))
    return result


def image_file(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, kind, dpi=image.info.get("dpi", (DPI, DPI)), **options)
    return buffer.getvalue()


def tiff(images: Sequence[Image.Image]) -> bytes:
    """A multi-page TIFF, as document scanners write a batch."""
    buffer = BytesIO()
    images[0].save(buffer, "TIFF", save_all=True, append_images=list(images[1:]),
                   dpi=(DPI, DPI), compression="tiff_deflate")
    return buffer.getvalue()


def scanned_pdf(images: Sequence[Image.Image]) -> bytes:
    """A PDF of page images and no text layer, as most network scanners write it."""
    buffer = BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=list(images[1:]),
                   resolution=DPI)
    return buffer.getvalue()


def text_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A born-digital PDF (reportlab): each page's lines as real text; [] is a blank page."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for lines in pages:
        for row, line in enumerate(lines):
            canvas.drawString(72, A4[1] - 90 - row * 16, line)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def image_page_pdf(image: Image.Image, invisible_text: Sequence[str] = ()) -> bytes:
    """One page showing `image`; with `invisible_text` it is a scanner's searchable PDF."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    height = A4[0] * image.height / image.width
    canvas.drawImage(ImageReader(image), 0, A4[1] - height, width=A4[0], height=height)
    text = canvas.beginText(72, A4[1] - 40)
    text.setTextRenderMode(3)  # invisible, as OCR layers are
    for line in invisible_text:
        text.textLine(line)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def joined(*pdfs: bytes) -> bytes:
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(BytesIO(pdf)))
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted(pdf: bytes, user_password: str) -> bytes:
    """The PDF protected by pypdf (RC4); an empty user password opens without asking."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret",
                   algorithm="RC4-128")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def poster_pdf(width_inches: float, height_inches: float) -> bytes:
    """A PDF whose one page is a poster: a small file, huge once rendered."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(width_inches * 72, height_inches * 72))
    canvas.drawString(72, 72, "Poster")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A PNG header claiming `width` x `height` pixels, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def truncated(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]
