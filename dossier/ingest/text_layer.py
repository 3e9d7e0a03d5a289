"""The text a PDF already carries (born digital, or OCR'd by the scanner), read with pypdf."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from dossier.ingest.errors import CorruptFile, EncryptedFile
from dossier.ingest.pages import check_complete_pdf

# What pypdf raises on damaged input besides its own errors.
_PARSE_FAILURES = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                   RecursionError, ZeroDivisionError)
MIN_ALPHANUMERIC = 3  # fewer letters and digits than this is no text (a page number at most)
MIN_READABLE_SHARE = 0.9  # of the visible characters; below it the font had no usable map
MAX_XOBJECT_DEPTH = 5


@dataclass(frozen=True)
class LayerPage:
    """One page of a text layer: its text ("" when blank) and whether it shows an image."""

    text: str
    shows_image: bool


def read_text_layer(path: Path) -> list[str] | None:
    """The text of each page, or None when the PDF has no usable text layer.

    None when no page has readable text, or when a page shows an image but has no
    readable text: that page is a scan without OCR, so the whole file needs OCR.
    Blank pages (no text, no image) read as "". Raises EncryptedFile when a password
    is needed and CorruptFile when pypdf cannot open the file.
    """
    pages = read_layer_pages(path)
    return None if pages is None else [page.text for page in pages]


def read_layer_pages(path: Path) -> list[LayerPage] | None:
    """As `read_text_layer`, also saying which pages show an image (where a barcode can be).

    Reads the file lazily, one page's objects at a time, and stops at the first scanned
    page without text: a 200-page scan costs one page, not its 200 images in memory.
    """
    check_complete_pdf(path)
    with path.open("rb") as handle:
        reader = _open(handle)
        if reader is None:
            return None
        pages = []
        try:
            for page in reader.pages:
                pages.append(_layer_page(page))
                if pages[-1].shows_image and not pages[-1].text:
                    return None
                reader.resolved_objects.clear()  # pypdf's cache would keep every page read
        except _PARSE_FAILURES:
            return None  # a damaged page: OCR of the rendered page is the safer reading
    return pages if any(page.text for page in pages) else None


def _open(handle: BinaryIO) -> PdfReader | None:
    """The reader, or None when only OCR can read the file (a cipher pypdf lacks)."""
    try:
        reader = PdfReader(handle, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise EncryptedFile()
        len(reader.pages)  # parses the page tree, where damage usually shows
    except DependencyError:
        return None  # AES without the cryptography package; PDFium renders it fine
    except _PARSE_FAILURES:
        raise CorruptFile() from None
    return reader


def _layer_page(page: PageObject) -> LayerPage:
    text = page.extract_text() or ""
    return LayerPage(text=text.strip() if is_readable(text) else "",
                     shows_image=_shows_image(page.get("/Resources"), MAX_XOBJECT_DEPTH))


def is_readable(text: str) -> bool:
    """Real words rather than nothing or the glyph codes of a font without a text map."""
    visible = [char for char in text if not char.isspace()]
    if sum(char.isalnum() for char in visible) < MIN_ALPHANUMERIC:
        return False
    readable = sum(unicodedata.category(char)[0] in "LNPS" and char != "\ufffd"
                   for char in visible)
    return readable >= MIN_READABLE_SHARE * len(visible)


def _shows_image(resources: Any, depth: int) -> bool:
    """Whether the page's resources hold an image, also inside form XObjects."""
    if depth <= 0 or resources is None:
        return False
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return False
    for reference in xobjects.get_object().values():
        xobject = reference.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _shows_image(xobject.get("/Resources"), depth - 1):
            return True
    return False
