"""The barcodes on a scan's pages: which are Dossier's, and where to look in a text-layer PDF."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from dossier.barcodes import BarcodeValue, try_parse
from dossier.ingest.barcode_reader import FoundBarcode, read_barcodes
from dossier.ingest.limits import Limits
from dossier.ingest.pages import rasterise
from dossier.ingest.sniff import FileKind

BARCODE_DPI = 200  # enough for a printed Code128 (0.5 mm bars are 4 pixels)


def dossier_codes(found: Sequence[FoundBarcode]) -> list[BarcodeValue]:
    return [value for value in (try_parse(code.text) for code in found) if value is not None]


def text_layer_barcodes(path: Path, limits: Limits) -> dict[int, list[FoundBarcode]]:
    """Barcodes on the pages of a PDF read through its text layer (not rendered for OCR).

    Only pages that show an image can carry a scanned sheet (a scanner that adds its own
    text layer); pages drawn from text alone are born digital and are not rendered, which
    keeps born-digital files fast.
    """
    scanned = pages_with_images(path)
    if not scanned:
        return {}
    found = {}
    for index, image in enumerate(rasterise(path, FileKind.PDF, limits, dpi=BARCODE_DPI)):
        if index in scanned:
            found[index + 1] = read_barcodes(image)
    return found


def pages_with_images(path: Path) -> set[int]:
    """0-based numbers of the PDF pages that draw an image (directly or in a form)."""
    reader = PdfReader(path)
    return {index for index, page in enumerate(reader.pages)
            if _draws_image(page.get("/Resources"), depth=4)}


def _draws_image(resources: Any, depth: int) -> bool:
    if resources is None or depth == 0:
        return False
    xobjects = resources.get_object().get("/XObject")
    for reference in (xobjects.get_object().values() if xobjects is not None else ()):
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Image":
            return True
        if xobject.get("/Subtype") == "/Form" and _draws_image(xobject.get("/Resources"),
                                                                depth - 1):
            return True
    return False


def barcode_log(found: Sequence[Sequence[FoundBarcode]]) -> list[dict[str, Any]]:
    """Every code seen, by page, for the job record (Dossier's own and any other)."""
    log_rows = []
    for index, page in enumerate(found):
        for code in page:
            value: BarcodeValue | None = try_parse(code.text)
            log_rows.append({"page": index + 1, "text": code.text[:100], "format": code.format,
                             "kind": value.kind.value if value else None})
    return log_rows
