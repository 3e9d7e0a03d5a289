"""The barcodes on a scan's pages: which are Dossier's, and the record of all of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dossier.barcodes import BarcodeValue, try_parse
from dossier.ingest.barcode_reader import FoundBarcode


def dossier_codes(found: Sequence[FoundBarcode]) -> list[BarcodeValue]:
    return [value for value in (try_parse(code.text) for code in found) if value is not None]


def barcode_log(found: Sequence[Sequence[FoundBarcode]]) -> list[dict[str, Any]]:
    """Every code seen, by page, for the job record (Dossier's own and any other)."""
    log_rows = []
    for index, page in enumerate(found):
        for code in page:
            value: BarcodeValue | None = try_parse(code.text)
            log_rows.append({"page": index + 1, "text": code.text[:100], "format": code.format,
                             "kind": value.kind.value if value else None})
    return log_rows
