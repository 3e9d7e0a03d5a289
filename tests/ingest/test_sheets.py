"""Cover and separator sheet PDFs: printed, scanned back, and read by the pipeline's reader."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask_babel import force_locale
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from dossier.barcodes import CoverCode, SeparatorCode, parse
from dossier.ingest.barcode_reader import read_barcodes
from dossier.ingest.sheets import (
    CoverSheet,
    code128_modules,
    cover_sheet_pdf,
    separator_sheet_pdf,
)
from tests.ingest.barcode_images import scan, speckle, turn


def _sheet(**changes: object) -> CoverSheet:
    values: dict[str, object] = {
        "customer_id": 4711, "customer_number": "104711", "customer_name": "Łukasz Şahin",
        "type_code": "contract", "type_name": "Contract", "scope": "sales",
        "scope_label": "Sales"}
    values.update(changes)
    return CoverSheet(**values)  # type: ignore[arg-type]


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _codes(pdf: bytes, dpi: int = 200) -> list[object]:
    return [parse(found.text) for found in read_barcodes(scan(pdf, dpi))]


def test_a_cover_sheet_scanned_back_routes_to_its_customer_type_and_scope(app: Flask) -> None:
    assert _codes(cover_sheet_pdf(_sheet())) == [CoverCode(4711, "contract", "sales")]


def test_a_cover_sheet_is_one_a4_page(app: Flask) -> None:
    reader = PdfReader(io.BytesIO(cover_sheet_pdf(_sheet())))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == tuple(round(v) for v in A4)


def test_a_cover_sheet_says_in_words_where_the_scan_goes(app: Flask) -> None:
    text = _text(cover_sheet_pdf(_sheet()))
    for expected in ("Cover sheet", "Łukasz Şahin", "104711", "Contract", "Sales",
                     "scan them together", CoverCode(4711, "contract", "sales").code):
        assert expected in text


def test_a_cover_sheet_speaks_the_users_language(app: Flask) -> None:
    with force_locale("nl"):
        text = _text(cover_sheet_pdf(_sheet(type_name="Contract", scope_label="Verkoop")))
    assert "Voorblad" in text and "Klant" in text and "Verkoop" in text


def test_a_long_type_code_still_fits_and_reads(app: Flask) -> None:
    sheet = _sheet(customer_id=987654321, type_code="a_very_long_document_type_code_of_40ch",
                   scope="loyalty")
    assert len(sheet.code) > 50
    assert _codes(cover_sheet_pdf(sheet), dpi=300) == [
        CoverCode(987654321, "a_very_long_document_type_code_of_40ch", "loyalty")]


def test_a_name_too_long_for_the_line_is_shortened_but_keeps_the_number(app: Flask) -> None:
    text = _text(cover_sheet_pdf(_sheet(customer_name="Stichting " + "Zeer Lange Naam " * 12)))
    assert "Stichting Zeer Lange Naam" in text and "…" in text
    assert "Zeer Lange Naam " * 12 not in text
    assert "… (104711)" in text


def test_a_crooked_and_dusty_cover_sheet_scan_still_routes(app: Flask) -> None:
    image = speckle(turn(scan(cover_sheet_pdf(_sheet()), 200), 187), 0.03)
    assert [parse(found.text) for found in read_barcodes(image)] == [
        CoverCode(4711, "contract", "sales")]


def test_a_separator_sheet_scanned_back_is_a_separator(app: Flask) -> None:
    pdf = separator_sheet_pdf()
    assert _codes(pdf) == [SeparatorCode()]
    assert "Separator sheet" in _text(pdf)


def test_the_bars_come_from_python_barcode_code128() -> None:
    modules = code128_modules("SI")
    assert set(modules) == {"0", "1"}
    assert modules.startswith("11010010000")  # Start B
    assert modules.endswith("1100011101011")  # Stop


@pytest.mark.parametrize("dpi", [150, 300])
def test_the_cover_sheet_reads_at_common_scanner_resolutions(app: Flask, dpi: int) -> None:
    assert _codes(cover_sheet_pdf(_sheet()), dpi=dpi) == [CoverCode(4711, "contract", "sales")]
