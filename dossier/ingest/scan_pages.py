"""Pages for OCR: the scanner's own JPEG where a page is nothing else, else a page image.

Most network scanners write each page as one JPEG filling a PDF page (or a JPEG file).
Tesseract then reads that JPEG as it is and puts it unchanged into the searchable PDF:
no rendering, no re-encoding. Both would cost about a tenth of a page's OCR time, and
re-encoding loses quality. Any other page (text, drawings, several images, an image
turned, flipped or not filling the page, bilevel, CMYK, cut short) is rendered or
decoded as `pages.rasterise` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from dossier.ingest.errors import CorruptFile
from dossier.ingest.limits import Limits
from dossier.ingest.pages import (
    DEFAULT_DPI,
    PDFIUM_LOCK,
    POINTS_PER_INCH,
    each_pdf_page,
    open_image,
    pdf_page_count,
    rasterise,
    render_pdf_page,
)
from dossier.ingest.sniff import FileKind

PLACEMENT_TOLERANCE = 1.0  # points: how exactly the image must fill the page
MAX_FORM_DEPTH = 3  # scanners and PDF libraries wrap the page image in a form or two
JPEG_END = b"\xff\xd9"
EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class ScanPage:
    """One page for OCR: its image, and the scanner's JPEG of exactly that image if any.

    With `jpeg`, `image` is the JPEG opened but not yet decoded: it is decoded when
    something looks at its pixels (the barcode reader, or OCR turning the page).
    """

    number: int
    image: Image.Image
    jpeg: bytes | None = None


def scan_pages(path: Path, kind: FileKind, limits: Limits,
               dpi: int = DEFAULT_DPI) -> Iterator[ScanPage]:
    """The pages of `path` for OCR, lazily; raises as `pages.rasterise` does."""
    if kind is FileKind.PDF:
        yield from _pdf_pages(path, limits, dpi)
        return
    page = _jpeg_file_page(path, limits) if kind is FileKind.JPEG else None
    if page is not None:
        yield page
        return
    for number, image in enumerate(rasterise(path, kind, limits, dpi), start=1):
        yield ScanPage(number, image)


def _pdf_pages(path: Path, limits: Limits, dpi: int) -> Iterator[ScanPage]:
    count = pdf_page_count(path)
    limits.check_pages(count)
    for document, index in each_pdf_page(path, range(count)):
        yield _pdf_page(document, index, limits, dpi)


def _pdf_page(document: pdfium.PdfDocument, index: int, limits: Limits,
              dpi: int) -> ScanPage:
    with PDFIUM_LOCK:
        try:
            page = document[index]
        except pdfium.PdfiumError:
            raise CorruptFile() from None
        try:
            found = _only_jpeg(page)
            width = page.get_width()
        finally:
            page.close()
    image = _opened_jpeg(found, limits) if found is not None else None
    if found is None or image is None:
        return ScanPage(index + 1, render_pdf_page(document, index, limits, dpi))
    limits.check_pixels(index + 1, *image.size)
    native = round(image.width * POINTS_PER_INCH / width)
    image.info["dpi"] = (native, native)  # the JPEG's own header often says 72 or nothing
    return ScanPage(index + 1, image, found)


def _only_jpeg(page: pdfium.PdfPage) -> bytes | None:
    """The JPEG data of the page's only content, an upright image filling the page."""
    if page.get_rotation() % 360:
        return None
    images: list[pdfium.PdfImage] = []
    for item in page.get_objects(max_depth=MAX_FORM_DEPTH):
        if item.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            continue
        if item.type != pdfium_c.FPDF_PAGEOBJ_IMAGE or images:
            return None  # text, drawings or a second image: the page is more than a scan
        images.append(item)
    if not images or images[0].get_filters(skip_simple=True) != ["DCTDecode"]:
        return None
    left, bottom, right, top = page.get_bbox()
    # Counter-clockwise from the image's own origin: an upright, unflipped image starts
    # bottom left.
    expected = ((left, bottom), (right, bottom), (right, top), (left, top))
    corners = images[0].get_quad_points()
    if any(abs(got - want) > PLACEMENT_TOLERANCE
           for corner, place in zip(corners, expected, strict=True)
           for got, want in zip(corner, place, strict=True)):
        return None
    return bytes(images[0].get_data(decode_simple=True))


def _jpeg_file_page(path: Path, limits: Limits) -> ScanPage | None:
    data = path.read_bytes()
    image = _opened_jpeg(data, limits)
    if image is None or image.getexif().get(EXIF_ORIENTATION, 1) != 1:
        return None  # a photo to be turned upright is decoded and turned instead
    limits.check_pixels(1, *image.size)
    return ScanPage(1, image, data)


def _opened_jpeg(data: bytes, limits: Limits) -> Image.Image | None:
    """The JPEG opened lazily, or None unless it is a complete grey or colour JPEG."""
    if JPEG_END not in data[-64:]:
        return None  # cut short: decoding it properly says so (CorruptFile)
    image = open_image(BytesIO(data), limits)
    if image.format != "JPEG" or image.mode not in ("L", "RGB"):
        return None
    return image
