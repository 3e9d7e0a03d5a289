"""OCR of one page with the real Tesseract: text, confidence, orientation, searchable PDF."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader
from pytesseract import pytesseract

from dossier.ingest.errors import OcrTimeout, OcrUnavailable
from dossier.ingest.ocr import PageText, effective_dpi, ocr_page, read_tsv
from tests.ingest import ocr_samples as samples

LANGUAGES = "nld+eng"


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def dutch() -> PageText:
    return ocr_page(samples.scanned(samples.strip()), LANGUAGES, timeout=30)


def test_dutch_text_is_read_with_high_confidence(dutch: PageText) -> None:
    assert _words(dutch.text) == _words(" ".join(samples.DUTCH))
    assert dutch.text.count("\n") == 2  # one line per printed line
    assert dutch.confidence is not None and dutch.confidence > 85
    assert dutch.rotated_by == 0


def test_searchable_pdf_of_the_same_pass_holds_the_image_and_the_text(
        dutch: PageText) -> None:
    reader = PdfReader(BytesIO(dutch.pdf))
    assert len(reader.pages) == 1
    assert "vriendelijke groet" in reader.pages[0].extract_text()
    # 1000 pixels at 300 dpi: 3.33 inches, 240 points wide.
    assert float(reader.pages[0].mediabox.width) == pytest.approx(240, abs=1)


def test_english_text_is_read() -> None:
    page = ocr_page(samples.strip(samples.ENGLISH), LANGUAGES, timeout=30)
    assert _words(page.text) == _words(" ".join(samples.ENGLISH))


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_turned_pages_are_read_upright(degrees: int) -> None:
    page = ocr_page(samples.turned(samples.strip(), degrees), LANGUAGES, timeout=30)
    assert "offerte" in page.text and "warmtepomp" in page.text
    assert page.confidence is not None and page.confidence > 85
    assert page.rotated_by == degrees
    # The searchable PDF shows the page upright: as wide as the text strip, not as tall.
    shown = PdfReader(BytesIO(page.pdf)).pages[0]
    width, height = shown.mediabox.width, shown.mediabox.height
    if shown.rotation % 180:
        width, height = height, width
    assert width > height


def test_blank_page_has_no_words_and_no_confidence() -> None:
    blank = Image.new("L", (600, 200), 255)
    blank.info["dpi"] = (300, 300)
    page = ocr_page(blank, LANGUAGES, timeout=30)
    assert (page.text, page.confidence, page.rotated_by) == ("", None, 0)
    assert len(PdfReader(BytesIO(page.pdf)).pages) == 1


def test_colour_and_bilevel_pages_are_read() -> None:
    strip = samples.strip(samples.ENGLISH)
    for image in (strip.convert("RGB"), strip.convert("1")):
        image.info["dpi"] = (300, 300)
        assert "quotation" in ocr_page(image, LANGUAGES, timeout=30).text


def test_tesseract_runs_single_threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    ocr_page(Image.new("L", (100, 40), 255), LANGUAGES, timeout=30)
    assert os.environ["OMP_THREAD_LIMIT"] == "1"


def test_a_page_over_its_time_is_a_timeout() -> None:
    with pytest.raises(OcrTimeout) as raised:
        ocr_page(samples.strip(), LANGUAGES, timeout=0.01)
    assert raised.value.details == {"seconds": 0.01}


def test_missing_tesseract_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(OcrUnavailable):
        ocr_page(samples.strip(), LANGUAGES, timeout=30)


def test_missing_language_data_is_unavailable() -> None:
    with pytest.raises(OcrUnavailable) as raised:
        ocr_page(samples.strip(), "klingon", timeout=30)
    assert raised.value.details == {"languages": "klingon"}


TSV_HEADER = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth"
              "\theight\tconf\ttext")


def _row(block: int, par: int, line: int, word: int, text: str, conf: float = 90,
         box: tuple[int, int, int, int] = (0, 0, 60, 20)) -> str:
    left, top, width, height = box
    return f"5\t1\t{block}\t{par}\t{line}\t{word}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}"


def test_tsv_gives_lines_paragraphs_and_mean_confidence() -> None:
    tsv = "\n".join([
        TSV_HEADER,
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        _row(1, 1, 1, 1, "Geachte", 90), _row(1, 1, 1, 2, "heer", 80),
        _row(1, 1, 2, 1, "Jansen,", 70),
        _row(2, 1, 1, 1, "Groet", 100), _row(2, 1, 1, 2, " ", -1),
    ])
    reading = read_tsv(tsv)
    assert reading.text == "Geachte heer\nJansen,\n\nGroet"
    assert reading.confidence == 85.0
    assert reading.sideways == 0


def test_tsv_without_words_has_no_confidence() -> None:
    assert read_tsv(TSV_HEADER + "\n").confidence is None


@pytest.mark.parametrize(("downward", "turn"), [(True, 270), (False, 90)])
def test_tsv_of_vertical_lines_says_which_way_the_page_lies(downward: bool,
                                                           turn: int) -> None:
    tops = [0, 100, 200] if downward else [200, 100, 0]
    rows = [_row(1, 1, 1, index + 1, "woord", box=(10, top, 20, 80))
            for index, top in enumerate(tops)]
    assert read_tsv("\n".join([TSV_HEADER, *rows])).sideways == turn


@pytest.mark.parametrize(("size", "dpi", "expected"), [
    ((2480, 3508), (300, 300), 300),
    ((2480, 3508), (72, 72), 300),  # a stated 72 dpi would make a page a metre wide
    ((1240, 1754), None, 150),  # unknown: assume an A4-wide page
    ((100, 40), None, 70),  # never below what Tesseract accepts
])
def test_effective_dpi(size: tuple[int, int], dpi: tuple[int, int] | None,
                       expected: int) -> None:
    image = Image.new("L", size)
    if dpi:
        image.info["dpi"] = dpi
    assert effective_dpi(image) == expected


def test_out_of_time_while_checking_orientation_keeps_the_first_reading(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_check(*args: object) -> int:
        raise OcrTimeout(seconds=30)

    monkeypatch.setattr("dossier.ingest.ocr._detect_rotation", slow_check)
    page = ocr_page(samples.turned(samples.strip(), 180), LANGUAGES, timeout=30)
    assert page.rotated_by == 0
    assert page.confidence is not None and page.confidence < 60
