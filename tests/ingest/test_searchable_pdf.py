"""Searchable PDFs: page PDFs merged in order, and the pages of one document copied out."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from dossier.ingest.ocr import turn_pdf_page
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


def test_output_is_a_well_formed_pdf_with_pages_turned_as_they_were(tmp_path: Path) -> None:
    turned = turn_pdf_page(samples.text_pdf([["Gedraaid"]]), 90)
    destination = tmp_path / "merged.pdf"
    merge_pages([samples.text_pdf([["Rechtop"]]), turned], destination)
    reader = PdfReader(destination, strict=True)  # strict: any xref or syntax slip raises
    assert [page.rotation for page in reader.pages] == [0, 90]
    assert len(pdfium.PdfDocument(destination)) == 2


def test_objects_shared_by_pages_are_written_once(tmp_path: Path) -> None:
    source = tmp_path / "letters.pdf"
    source.write_bytes(samples.text_pdf([["Een"], ["Twee"], ["Drie"]]))  # one shared font
    destination = tmp_path / "two.pdf"
    copy_pages(source, [0, 2], destination)
    reader = PdfReader(destination)
    fonts = {page["/Resources"]["/Font"].raw_get("/F1").idnum for page in reader.pages}
    assert len(fonts) == 1
    assert _texts(destination) == ["Een", "Drie"]


def test_a_failed_merge_leaves_nothing_behind(tmp_path: Path) -> None:
    destination = tmp_path / "merged.pdf"
    with pytest.raises(PyPdfError):
        merge_pages([samples.text_pdf([["Goed"]]), b"%PDF-1.4 not really"], destination)
    assert list(tmp_path.iterdir()) == []
