"""Page images of a scan (PDF, TIFF, PNG, JPEG), one at a time and within the limits.

PDFs are rendered with PDFium (pypdfium2), images decoded with Pillow. Nothing is
decoded or rendered before its pixel count is checked, so a decompression bomb costs a
header read. Pages are produced lazily: a 200-page scan never sits in memory whole.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps

from dossier.ingest.errors import CorruptFile, EncryptedFile, IngestError, TooManyPixels
from dossier.ingest.limits import Limits
from dossier.ingest.sniff import FileKind

log = logging.getLogger(__name__)
DEFAULT_DPI = 300
POINTS_PER_INCH = 72
# A PDF written completely ends with %%EOF; scanners and printers never add much after it.
PDF_TAIL = 1024
PAGES_PER_OPENING = 8
# PDFium must never run in two threads at once, not even on different documents.
PDFIUM_LOCK = threading.RLock()
_PASSWORD_ERRORS = (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)
_PILLOW_PIXELS = re.compile(r"Image size \((\d+) pixels\)")


def page_count(path: Path, kind: FileKind, limits: Limits | None = None) -> int:
    """The number of pages (frames of a TIFF) without decoding any.

    Raises CorruptFile, EncryptedFile, or TooManyPixels for an image Pillow itself
    refuses as a decompression bomb (`limits` only words that message).
    """
    if kind is FileKind.PDF:
        return pdf_page_count(path)
    with _image_file(path, limits or Limits()) as image:
        return _frame_count(image, kind)


def rasterise(path: Path, kind: FileKind, limits: Limits,
              dpi: int = DEFAULT_DPI) -> Iterator[Image.Image]:
    """Each page as an image in mode "1", "L" or "RGB", with `info["dpi"]` set.

    PDF pages are rendered at `dpi` (grey, see `render_pdf_page`); images keep their own
    resolution. Raises TooManyPages before the first page and TooManyPixels, CorruptFile
    or EncryptedFile when it reaches the page concerned.
    """
    if kind is FileKind.PDF:
        yield from _pdf_pages(path, limits, dpi)
    else:
        yield from _image_pages(path, kind, limits)


def render_pdf_pages(path: Path, numbers: Iterable[int], limits: Limits,
                     dpi: int = DEFAULT_DPI) -> Iterator[tuple[int, Image.Image]]:
    """The PDF's pages `numbers` (1-based), each as (number, grey image at `dpi`)."""
    for document, index in each_pdf_page(path, [number - 1 for number in numbers]):
        yield index + 1, render_pdf_page(document, index, limits, dpi)


def each_pdf_page(path: Path, indexes: Iterable[int]) -> Iterator[tuple[pdfium.PdfDocument, int]]:
    """(document, index) for each page index, the PDF reopened every few pages.

    PDFium keeps every image it has parsed until its document closes: read through in
    one opening, a 200-page scan would end up in memory whole.
    """
    wanted = list(indexes)
    for start in range(0, len(wanted), PAGES_PER_OPENING):
        with open_pdf(path) as document:
            for index in wanted[start:start + PAGES_PER_OPENING]:
                yield document, index


def pdf_page_count(path: Path) -> int:
    with open_pdf(path) as document, PDFIUM_LOCK:
        return len(document)


def _pdf_pages(path: Path, limits: Limits, dpi: int) -> Iterator[Image.Image]:
    count = pdf_page_count(path)
    limits.check_pages(count)
    for document, index in each_pdf_page(path, range(count)):
        yield render_pdf_page(document, index, limits, dpi)


def render_pdf_page(document: pdfium.PdfDocument, index: int, limits: Limits,
                    dpi: int) -> Image.Image:
    """Page `index` (0-based) in grey: OCR reads grey, and it is a third of the memory."""
    scale = dpi / POINTS_PER_INCH
    with PDFIUM_LOCK:
        try:
            page = document[index]
        except pdfium.PdfiumError:
            raise CorruptFile() from None
        try:
            width, height = page.get_size()
            limits.check_pixels(index + 1, round(width * scale), round(height * scale))
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                image = bitmap.to_pil().copy()  # own the pixels before PDFium frees them
            finally:
                bitmap.close()
        finally:
            page.close()
    image.info["dpi"] = (dpi, dpi)
    return image


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    """The PDF in PDFium; raises CorruptFile or EncryptedFile. Use it under PDFIUM_LOCK."""
    check_complete_pdf(path)
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as error:
            if error.err_code in _PASSWORD_ERRORS:
                raise EncryptedFile() from None
            raise CorruptFile() from None
    try:
        yield document
    finally:
        with PDFIUM_LOCK:
            document.close()


def check_complete_pdf(path: Path) -> None:
    """Raise CorruptFile for a truncated PDF: PDF readers would open it with pages missing."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - PDF_TAIL))
        if b"%%EOF" not in handle.read():
            raise CorruptFile()


def _image_pages(path: Path, kind: FileKind, limits: Limits) -> Iterator[Image.Image]:
    with _image_file(path, limits) as image:
        frames = _frame_count(image, kind)
        limits.check_pages(frames)
        for index in range(frames):
            yield _decoded_frame(image, index, limits)


def _frame_count(image: Image.Image, kind: FileKind) -> int:
    if kind is not FileKind.TIFF:
        return 1  # an animated PNG is still one page: its first frame
    try:
        with pillow_warnings_logged():
            return int(getattr(image, "n_frames", 1))
    except (OSError, SyntaxError, ValueError, EOFError):
        raise CorruptFile() from None


def _decoded_frame(image: Image.Image, index: int, limits: Limits) -> Image.Image:
    try:
        with pillow_warnings_logged():
            image.seek(index)
            limits.check_pixels(index + 1, *image.size)
            frame = ImageOps.exif_transpose(image) or image.copy()  # decoded, upright
            normal = _normal_mode(frame)
    except IngestError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError):
        raise CorruptFile() from None
    if "dpi" in image.info:
        normal.info["dpi"] = image.info["dpi"]
    return normal


def _normal_mode(image: Image.Image) -> Image.Image:
    """Bilevel, grey or colour: the modes Tesseract and the barcode reader both take."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit grey scans: scale down, a plain convert("L") would clip to white.
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("LA", "RGBA", "PA") or "transparency" in image.info:
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        return background
    return image.convert("RGB")


@contextmanager
def _image_file(path: Path, limits: Limits) -> Iterator[Image.Image]:
    """Open an image (header only), turning Pillow's bomb guard into TooManyPixels."""
    image = open_image(path, limits)
    try:
        yield image
    finally:
        image.close()


def open_image(source: Path | BinaryIO, limits: Limits) -> Image.Image:
    """Pillow's image, header read only; its bomb guard raised as TooManyPixels."""
    with pillow_warnings_logged():
        try:
            return Image.open(source)
        except Image.DecompressionBombError as error:
            raise _pillow_bomb(error, limits) from None
        except (OSError, SyntaxError, ValueError):
            raise CorruptFile() from None


@contextmanager
def pillow_warnings_logged() -> Iterator[None]:
    """Log what Pillow warns about while decoding instead of printing it.

    Its bomb warning is moot (our own pixel limit decides) and its other warnings come
    before the error that damaged data then raises (and CorruptFile says it).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        log.info("Pillow: %s", warning.message)


def _pillow_bomb(error: Image.DecompressionBombError, limits: Limits) -> TooManyPixels:
    found = _PILLOW_PIXELS.search(str(error))
    pixels = round(int(found.group(1)) / 1_000_000, 1) if found else "?"
    return TooManyPixels(page=1, megapixels=pixels,
                         limit=round(limits.max_pixels_per_page / 1_000_000, 1))
