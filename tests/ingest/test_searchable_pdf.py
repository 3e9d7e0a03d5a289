"""Searchable PDFs: page PDFs merged in order, and the pages of one document copied out."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from dossier.ingest.searchable_pdf import copy_pages, merge_pages
from tests.ingest import ocr_samples as samples


def _texts(path: Path) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(path).pages]


def test_merge_keeps_the_order_of_bytes_and_files(tmp_path: Path) -> None:
    second = tmp_path / "second.pdf"
    second.write_bytes(samples.text_pdf([["Tweede"]]))
    destination = tmp_path / "merged.pdf"
    count = merge_pages([samples.text_pdf([["Eerste"]]), second,
                         samples.text_pdf([["Derde"], ["Vierde"]])], destination)
    assert count == 4
    assert _texts(destination) == ["Eerste", "Tweede", "Derde", "Vierde"]
    assert list(tmp_path.glob("*.partial")) == []


def test_copy_pages_takes_the_chosen_pages_in_order(tmp_path: Path) -> None:
    source = tmp_path / "batch.pdf"
    source.write_bytes(samples.text_pdf([["Voorblad"], ["Brief 1"], ["Brief 2"], ["Bijlage"]]))
    destination = tmp_path / "letter.pdf"
    assert copy_pages(source, [1, 2, 3], destination) == 3
    assert _texts(destination) == ["Brief 1", "Brief 2", "Bijlage"]


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    destination = tmp_path / "merged.pdf"
    destination.write_bytes(b"old")
    merge_pages([samples.text_pdf([["Nieuw"]])], destination)
    assert _texts(destination) == ["Nieuw"]
