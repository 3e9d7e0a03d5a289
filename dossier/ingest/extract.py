"""The text of a scanned or born-digital file, page by page, and a searchable PDF of a scan.

Steps: size limit -> kind by content -> page count and limit -> the PDF's own text
layer when it is usable -> otherwise each page once as an image (a scanner's JPEG as it
is, see `scan_pages`; else rendered or decoded) and OCR in the pool -> one searchable PDF.

Page images for barcodes: `on_page_image(number, image)` is called in the calling
thread with each page image, so the pipeline reads barcodes without rendering twice:
- OCR'd input: every page, as it goes to OCR and before the pool reads it: rendered at
  300 dpi, or a scanner's JPEG page at its own resolution (see `scan_pages`).
- a PDF read through its text layer: only the pages that show an image (a scanner that
  adds its own OCR layer, a pasted cover sheet), rendered at 200 dpi just for this.
  Pages of only text and drawings are not rendered: born-digital files stay fast.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from PIL import Image

from dossier.ingest.limits import Limits
from dossier.ingest.ocr import PageText
from dossier.ingest.ocr_pool import OcrPool, Progress
from dossier.ingest.pages import page_count, render_pdf_pages
from dossier.ingest.scan_pages import ScanPage, scan_pages
from dossier.ingest.searchable_pdf import merge_pages
from dossier.ingest.sniff import FileKind, sniff
from dossier.ingest.text_layer import read_layer_pages

PageImageHandler = Callable[[int, Image.Image], None]
BARCODE_DPI = 200  # enough for a Code128 on a text-layer page; OCR'd pages use 300


@dataclass(frozen=True)
class Extraction:
    """What `extract` read from a file.

    `pages` hold each page's text and confidence (their one-page PDFs are merged into
    `searchable_pdf` and not kept twice, so `PageText.pdf` is b"" here).
    `searchable_pdf` is a file in the caller's work folder for OCR'd input, None for a
    text-layer PDF (the original already is searchable).
    """

    kind: FileKind
    method: Literal["text_layer", "ocr"]
    pages: list[PageText]
    searchable_pdf: Path | None

    @property
    def text(self) -> str:
        """All pages' text, pages apart by a form feed."""
        return "\f".join(page.text for page in self.pages)

    @property
    def confidence(self) -> float | None:
        """Mean OCR confidence over the pages that had words; None for a text layer."""
        scores = [page.confidence for page in self.pages if page.confidence is not None]
        return round(sum(scores) / len(scores), 1) if scores else None


def extract(path: Path, limits: Limits, languages: str, pool: OcrPool,
            progress: Progress | None = None, *, workdir: Path,
            on_page_image: PageImageHandler | None = None) -> Extraction:
    """Read `path`; raises an IngestError subclass saying why when it cannot.

    `workdir` is a folder of the caller's where the searchable PDF is written (and page
    PDFs wait meanwhile); the caller removes it. `progress(done, total)` is called in
    the calling thread as pages are read.
    """
    limits.check_size(path.stat().st_size)
    kind = sniff(path)
    total = page_count(path, kind, limits)
    limits.check_pages(total)
    layer = read_layer_pages(path) if kind is FileKind.PDF else None
    if layer is not None:
        if on_page_image is not None:
            with_images = [number for number, page in enumerate(layer, 1) if page.shows_image]
            for number, image in render_pdf_pages(path, with_images, limits, BARCODE_DPI):
                on_page_image(number, image)
        if progress is not None:
            progress(total, total)
        return Extraction(kind, "text_layer", [PageText(page.text) for page in layer], None)
    pages: Iterable[ScanPage] = scan_pages(path, kind, limits)
    if on_page_image is not None:
        pages = _handed_out(pages, on_page_image)
    read = pool.read_pages(pages, languages, limits.ocr_seconds_per_page, total, progress)
    texts, searchable = _spool_and_merge(read, workdir, path.name)
    return Extraction(kind, "ocr", texts, searchable)


def _handed_out(pages: Iterable[ScanPage], handler: PageImageHandler) -> Iterator[ScanPage]:
    for page in pages:
        handler(page.number, page.image)
        yield page


def _spool_and_merge(pages: Iterable[PageText], workdir: Path,
                     name: str) -> tuple[list[PageText], Path]:
    """Keep each page PDF on disk as it arrives (a 200-page scan is ~100 MB of them)."""
    spool = workdir / f"{name}.pages"
    spool.mkdir(parents=True, exist_ok=True)
    try:
        texts: list[PageText] = []
        files: list[Path] = []
        for number, page in enumerate(pages, start=1):
            files.append(spool / f"{number:06d}.pdf")
            files[-1].write_bytes(page.pdf)
            texts.append(replace(page, pdf=b""))
        searchable = workdir / f"{name}.searchable.pdf"
        merge_pages(files, searchable)
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    return texts, searchable
