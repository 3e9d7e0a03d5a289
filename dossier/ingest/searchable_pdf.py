"""Searchable PDFs of a scan: Tesseract's one-page PDFs merged, and the pages of one document."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter


def merge_pages(pages: Iterable[Path | bytes], destination: Path) -> int:
    """Write `pages` (files or bytes, each a PDF) in order as one PDF; returns its page count."""
    writer = PdfWriter()
    for page in pages:
        writer.append(PdfReader(page if isinstance(page, Path) else BytesIO(page)))
    _write(writer, destination)
    return len(writer.pages)


def copy_pages(source: Path, pages: Sequence[int], destination: Path) -> int:
    """Write pages `pages` (0-based, in that order) of the PDF `source` as a PDF of their own.

    For one document of a batch split by separator sheets, or a scan without its cover.
    """
    reader, writer = PdfReader(source), PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    _write(writer, destination)
    return len(writer.pages)


def _write(writer: PdfWriter, destination: Path) -> None:
    """The file appears complete or not at all (written beside it, then renamed)."""
    partial = destination.with_name(destination.name + ".partial")
    with partial.open("wb") as output:
        writer.write(output)
    os.replace(partial, destination)
