"""Reading barcodes off scanned pages: each format, turned pages, noise, and no false finds."""

from __future__ import annotations

import math

import pytest
import zxingcpp
from flask import Flask
from PIL import Image, ImageFilter

from dossier import barcodes
from dossier.ingest import barcode_reader
from dossier.ingest.barcode_reader import FoundBarcode, read_barcodes, shows_bars
from dossier.ingest.sheets import CoverSheet, cover_sheet_pdf
from tests.ingest.barcode_images import (
    blank_page,
    faded,
    grain,
    letter_page,
    scan,
    speckle,
    symbol,
    turn,
)

Format = zxingcpp.BarcodeFormat
COVER = CoverSheet(customer_id=12, customer_number="100012", customer_name="Anna de Vries",
                   type_code="service_call", type_name="Service call", scope="care",
                   scope_label="Care")


@pytest.fixture
def cover_pdf(app: Flask) -> bytes:
    return cover_sheet_pdf(COVER)


@pytest.fixture
def cover_scan(cover_pdf: bytes) -> Image.Image:
    return scan(cover_pdf, dpi=200)


def _texts(image: Image.Image) -> list[str]:
    return [found.text for found in read_barcodes(image)]


def _centre(found: FoundBarcode) -> tuple[float, float]:
    left, top, right, bottom = found.box
    return (left + right) / 2, (top + bottom) / 2


@pytest.mark.parametrize(("barcode_format", "name", "scale"), [
    (Format.Code128, "Code128", 3),
    (Format.Code39, "Code39", 3),
    (Format.QRCode, "QRCode", 6),
    (Format.DataMatrix, "DataMatrix", 6),
])
def test_each_format_is_read_with_its_position(barcode_format: Format, name: str,
                                               scale: int) -> None:
    code = barcodes.make_location(170)
    page = letter_page()
    page.paste(symbol(code, barcode_format, scale), (900, 1900))
    [found] = read_barcodes(page)
    assert (found.text, found.format) == (code, name)
    left, top, right, bottom = found.box
    assert 900 <= left < right <= page.width and 1900 <= top <= bottom <= page.height


def test_several_codes_come_in_reading_order() -> None:
    page = blank_page()
    page.paste(symbol(barcodes.make_mailing(3, 250), Format.QRCode, 6), (1200, 1800))
    page.paste(symbol(barcodes.make_item(7), Format.Code128, 3), (150, 120))
    page.paste(symbol(barcodes.make_badge(5), Format.DataMatrix, 6), (200, 900))
    assert _texts(page) == [barcodes.make_item(7), barcodes.make_badge(5),
                            barcodes.make_mailing(3, 250)]


@pytest.mark.parametrize("page", [blank_page(), letter_page(), letter_page((2480, 3508))],
                         ids=["blank", "letter", "letter-300dpi"])
def test_a_page_without_barcodes_gives_nothing(page: Image.Image) -> None:
    assert read_barcodes(page) == []


def test_the_cover_sheet_is_read(cover_scan: Image.Image) -> None:
    [found] = read_barcodes(cover_scan)
    assert found.format == "Code128"
    assert barcodes.parse(found.text) == barcodes.CoverCode(12, "service_call", "care")


@pytest.mark.parametrize("degrees", [90, 180, -8, 25, -33, 147])
def test_a_turned_sheet_is_read(cover_scan: Image.Image, degrees: int) -> None:
    assert _texts(turn(cover_scan, degrees)) == [COVER.code]


@pytest.mark.parametrize("damage", [
    lambda page: speckle(page, 0.05),
    lambda page: grain(page, 40),
    lambda page: page.filter(ImageFilter.GaussianBlur(1.3)),
    faded,
    lambda page: speckle(turn(page, -20), 0.03),
    lambda page: grain(turn(page, 12), 30),
], ids=["speckle", "grain", "blur", "faded", "turned-20-speckled", "turned-12-grainy"])
def test_a_damaged_scan_is_read(cover_scan: Image.Image, damage) -> None:  # type: ignore[no-untyped-def]
    assert _texts(damage(cover_scan)) == [COVER.code]


@pytest.mark.parametrize("damage", [
    lambda page: turn(page, 25),
    lambda page: turn(page, -40),
    lambda page: speckle(page, 0.05),
    lambda page: grain(turn(page, 12), 30),
    lambda page: turn(page, -33).filter(ImageFilter.GaussianBlur(1.3)),
    lambda page: faded(turn(page, 25)),
], ids=["turned-25", "turned-40", "speckle", "turned-12-grainy", "turned-33-blurred",
        "turned-25-faded"])
def test_the_bars_of_a_cover_sheet_are_seen_before_they_are_read(cover_scan: Image.Image,
                                                                 damage) -> None:  # type: ignore[no-untyped-def]
    assert shows_bars(damage(cover_scan))


@pytest.mark.parametrize("page", [
    letter_page(), letter_page((2480, 3508)), speckle(letter_page(), 0.05),
    grain(letter_page(), 40), faded(letter_page()), turn(letter_page(), 30), blank_page(),
], ids=["letter", "letter-300dpi", "speckled", "grainy", "faded", "turned", "blank"])
def test_a_page_of_text_shows_no_bars(page: Image.Image) -> None:
    assert not shows_bars(page)


def test_a_page_of_text_is_read_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slower passes cost 0.2 s a page: only a page that shows bars is worth them."""
    def no_more_passes(gray: Image.Image) -> None:
        raise AssertionError("a page of text went through the slower passes")

    monkeypatch.setattr(barcode_reader, "_fallback_passes", no_more_passes)
    assert read_barcodes(letter_page((2480, 3508))) == []


def test_positions_on_a_turned_page_point_at_the_code() -> None:
    """Codes found in a turned pass are placed where they are on the page given."""
    page = blank_page()
    page.paste(symbol(barcodes.make_item(12340), Format.Code128, 3), (300, 400))
    straight = read_barcodes(page)[0]
    turned_page = turn(page, 30)
    [found] = read_barcodes(turned_page)
    (x, y), radians = _centre(straight), math.radians(30)
    dx, dy = x - page.width / 2, y - page.height / 2
    expected = (turned_page.width / 2 + dx * math.cos(radians) + dy * math.sin(radians),
                turned_page.height / 2 - dx * math.sin(radians) + dy * math.cos(radians))
    assert math.dist(_centre(found), expected) < 40


@pytest.mark.parametrize(("barcode_format", "degrees", "expected", "tolerance"), [
    (Format.QRCode, 33, -33, 2),
    (Format.Code128, 180, 180, 0),
    (Format.Code128, -100, 100, 20),
])
def test_orientation_says_how_the_code_is_turned(barcode_format: Format, degrees: int,
                                                 expected: int, tolerance: int) -> None:
    page = blank_page()
    page.paste(symbol(barcodes.make_item(5), barcode_format, 4), (500, 600))
    [found] = read_barcodes(turn(page, degrees))
    assert abs(found.orientation - expected) <= tolerance


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P", "1", "I;16"])
def test_any_image_mode_is_accepted(mode: str) -> None:
    page = blank_page((800, 600))
    page.paste(symbol(barcodes.make_separator(), Format.Code128, 4), (100, 100))
    assert _texts(page.convert(mode)) == [barcodes.make_separator()]


def test_transparent_background_counts_as_paper() -> None:
    code = symbol(barcodes.make_separator(), Format.Code128, 4).convert("RGBA")
    clear = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    clear.paste(code, (100, 100))
    assert _texts(clear) == [barcodes.make_separator()]


def test_a_code_found_twice_is_reported_once() -> None:
    page = blank_page((900, 700))
    page.paste(symbol(barcodes.make_item(5), Format.QRCode, 8), (100, 100))
    assert len(read_barcodes(page)) == 1
