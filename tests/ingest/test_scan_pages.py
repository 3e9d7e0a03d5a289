"""Pages for OCR: a scanner's JPEG page goes to Tesseract as it is; anything else is rendered."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from dossier.ingest.errors import CorruptFile, TooManyPixels
from dossier.ingest.limits import Limits
from dossier.ingest.scan_pages import scan_pages
from dossier.ingest.sniff import FileKind
from tests.ingest import ocr_samples as samples

LIMITS = Limits()


def _file(tmp_path: Path, data: bytes, name: str = "scan.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _embedded_jpeg(pdf: bytes) -> bytes:
    page = PdfReader(BytesIO(pdf)).pages[0]
    (image,) = [item.get_object() for item in page["/Resources"]["/XObject"].values()]
    return bytes(image._data)


def test_scanners_jpeg_page_goes_as_it_is(tmp_path: Path) -> None:
    pdf = samples.scanned_pdf([samples.strip(), samples.strip(samples.ENGLISH)])
    pages = list(scan_pages(_file(tmp_path, pdf), FileKind.PDF, LIMITS))
    assert [page.number for page in pages] == [1, 2]
    assert pages[0].jpeg == _embedded_jpeg(pdf)
    assert pages[0].image.format == "JPEG" and pages[0].image.size == (1000, 195)
    assert pages[0].image.info["dpi"] == (300, 300)  # from the page size, not the JPEG


def test_jpeg_wrapped_in_a_form_and_ascii85_goes_as_it_is(tmp_path: Path) -> None:
    jpeg = _file(tmp_path, samples.image_file(samples.strip(), "JPEG"), "page.jpg")
    path = tmp_path / "wrapped.pdf"
    canvas = Canvas(str(path), pagesize=(240, 46.8))  # 1000 x 195 pixels at 300 dpi
    canvas.drawImage(str(jpeg), 0, 0, width=240, height=46.8)
    canvas.showPage()
    canvas.save()
    (page,) = scan_pages(path, FileKind.PDF, LIMITS)
    assert page.jpeg == jpeg.read_bytes()


@pytest.mark.parametrize("pdf", [
    samples.image_page_pdf(samples.strip(), samples.DUTCH),  # an OCR text layer on top
    samples.image_page_pdf(samples.strip()),  # the image fills only part of the page
    samples.scanned_pdf([samples.strip().convert("1")]),  # bilevel (CCITT), not JPEG
    samples.scanned_pdf([samples.strip().convert("CMYK")]),  # CMYK JPEG
    samples.text_pdf([samples.DUTCH]),  # born digital
], ids=["text-layer", "part-of-page", "bilevel", "cmyk", "born-digital"])
def test_other_pages_are_rendered(tmp_path: Path, pdf: bytes) -> None:
    (page,) = scan_pages(_file(tmp_path, pdf), FileKind.PDF, LIMITS)
    assert page.jpeg is None
    assert page.image.mode == "L" and page.image.info["dpi"] == (300, 300)


def test_turned_page_is_rendered_turned(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(samples.scanned_pdf([samples.strip()]))))
    writer.pages[0].rotate(90)
    buffer = BytesIO()
    writer.write(buffer)
    (page,) = scan_pages(_file(tmp_path, buffer.getvalue()), FileKind.PDF, LIMITS)
    assert page.jpeg is None
    assert page.image.size == pytest.approx((195, 1000), abs=1)


def test_jpeg_file_goes_as_it_is(tmp_path: Path) -> None:
    data = samples.image_file(samples.strip(), "JPEG")
    (page,) = scan_pages(_file(tmp_path, data, "scan.jpg"), FileKind.JPEG, LIMITS)
    assert page.jpeg == data


def test_photo_with_an_exif_turn_is_decoded_and_turned(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    data = samples.image_file(samples.strip(), "JPEG", exif=exif)
    (page,) = scan_pages(_file(tmp_path, data, "photo.jpg"), FileKind.JPEG, LIMITS)
    assert page.jpeg is None and page.image.size == (195, 1000)


def test_cut_short_jpeg_file_is_corrupt(tmp_path: Path) -> None:
    data = samples.truncated(samples.image_file(samples.scanned(samples.strip()), "JPEG"))
    with pytest.raises(CorruptFile):
        list(scan_pages(_file(tmp_path, data, "scan.jpg"), FileKind.JPEG, LIMITS))


def test_scanner_page_over_the_pixel_limit_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.scanned_pdf([samples.strip()]))
    with pytest.raises(TooManyPixels):
        list(scan_pages(path, FileKind.PDF, Limits(max_pixels_per_page=100_000)))


@pytest.mark.parametrize(("kind", "data"), [
    (FileKind.TIFF, samples.tiff([samples.strip(), samples.strip()])),
    (FileKind.PNG, samples.image_file(samples.strip(), "PNG")),
])
def test_other_images_are_decoded(tmp_path: Path, kind: FileKind, data: bytes) -> None:
    pages = list(scan_pages(_file(tmp_path, data, "scan"), kind, LIMITS))
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))
    assert all(page.jpeg is None and page.image.mode == "L" for page in pages)
