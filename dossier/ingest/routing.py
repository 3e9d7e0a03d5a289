"""Split a scanned batch into documents by the barcodes on its pages.

A cover sheet starts a document routed to its customer, type and scope; a separator sheet
starts a new document with the route of the cover sheet before it (none: triage). Both
sheets are dropped. Other Dossier codes on a page (a physical item's label, a numbered
letter) stay with the page and are handed on with its part; anything that is not a
Dossier code (a parcel label, noise) is ignored. The pipeline takes reply coupon pages
(`reply_pages`) out of the parts: they update a mailing instead of making a document.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from dossier.barcodes import BarcodeValue, CoverCode, MailingCode, SeparatorCode


@dataclass
class Part:
    """Pages of the original (0-based) that make one document, and where it goes."""

    pages: list[int]
    route: CoverCode | None
    codes: list[BarcodeValue] = field(default_factory=list)  # other codes on its pages

    @property
    def first_page(self) -> int:
        return self.pages[0] + 1

    @property
    def last_page(self) -> int:
        return self.pages[-1] + 1


def split_batch(page_codes: Sequence[Sequence[BarcodeValue]],
                skip: Collection[int] = ()) -> list[Part]:
    """The documents in a batch, given the Dossier codes read on each page, in page order.

    Parts left without pages (a cover sheet straight after another, a trailing separator)
    are dropped; a batch of sheets only gives no parts at all. Pages in `skip` (0-based)
    belong to no part and do not split one.
    """
    parts: list[Part] = [Part([], None)]
    for index, codes in enumerate(page_codes):
        if index in skip:
            continue
        cover = next((code for code in codes if isinstance(code, CoverCode)), None)
        if cover is not None:
            parts.append(Part([], cover))
        elif any(isinstance(code, SeparatorCode) for code in codes):
            parts.append(Part([], parts[-1].route))
        else:
            parts[-1].pages.append(index)
            parts[-1].codes.extend(codes)
    return [part for part in parts if part.pages]


def sheet_pages(page_codes: Sequence[Sequence[BarcodeValue]]) -> list[int]:
    """0-based numbers of the cover and separator pages (left out of every part)."""
    return [index for index, codes in enumerate(page_codes)
            if any(isinstance(code, CoverCode | SeparatorCode) for code in codes)]


def reply_pages(page_codes: Sequence[Sequence[BarcodeValue]]) -> list[int]:
    """0-based numbers of the pages that are reply coupons: a numbered letter's code and no
    cover or separator sheet."""
    return [index for index, codes in enumerate(page_codes)
            if any(isinstance(code, MailingCode) for code in codes)
            and not any(isinstance(code, CoverCode | SeparatorCode) for code in codes)]
