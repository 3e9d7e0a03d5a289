"""Page images: every input kind, page by page, limits checked before anything is decoded."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from dossier.ingest.errors import CorruptFile, EncryptedFile, TooManyPages, TooManyPixels
from dossier.ingest.limits import Limits
from dossier.ingest.pages import each_pdf_page, page_count, rasterise, render_pdf_pages
from dossier.ingest.sniff import FileKind
from tests.ingest import ocr_samples as samples

LIMITS = Limits()


def _file(tmp_path: Path, data: bytes, name: str = "scan") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_scanned_pdf_pages_render_grey_at_the_asked_resolution(tmp_path: Path) -> None:
    page = samples.strip()
    path = _file(tmp_path, samples.scanned_pdf([page, page]))
    assert page_count(path, FileKind.PDF) == 2
    images = list(rasterise(path, FileKind.PDF, LIMITS, dpi=150))
    assert len(images) == 2
    assert {image.mode for image in images} == {"L"}
    # The strip was 300 dpi; at 150 dpi it comes out half as large.
    assert images[0].size == pytest.approx((page.width / 2, page.height / 2), abs=2)
    assert images[0].info["dpi"] == (150, 150)
    assert images[0].getextrema()[0] < 64  # the text is there


def test_multi_page_tiff_gives_each_frame(tmp_path: Path) -> None:
    frames = [samples.strip(), samples.strip(samples.ENGLISH), samples.strip(["Derde"])]
    path = _file(tmp_path, samples.tiff(frames))
    assert page_count(path, FileKind.TIFF) == 3
    images = list(rasterise(path, FileKind.TIFF, LIMITS))
    assert [image.size for image in images] == [frame.size for frame in frames]
    assert images[1].tobytes() == frames[1].tobytes()


@pytest.mark.parametrize(("kind", "format_name"), [(FileKind.PNG, "PNG"),
                                                   (FileKind.JPEG, "JPEG")])
def test_single_images_are_one_page(tmp_path: Path, kind: FileKind, format_name: str) -> None:
    path = _file(tmp_path, samples.image_file(samples.strip(), format_name))
    assert page_count(path, kind) == 1
    (image,) = rasterise(path, kind, LIMITS)
    assert image.mode == "L" and image.info["dpi"] == pytest.approx((300, 300), abs=0.5)


def test_transparent_png_lies_on_white_paper(tmp_path: Path) -> None:
    page = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    page.paste((0, 0, 0, 255), (0, 0, 10, 20))
    (image,) = rasterise(_file(tmp_path, samples.image_file(page, "PNG")), FileKind.PNG, LIMITS)
    assert image.mode == "RGB"
    assert image.getpixel((30, 10)) == (255, 255, 255)
    assert image.getpixel((5, 10)) == (0, 0, 0)


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path: Path) -> None:
    page = Image.new("I;16", (20, 10), 0)
    page.paste(65535, (10, 0, 20, 10))
    (image,) = rasterise(_file(tmp_path, samples.image_file(page, "PNG")), FileKind.PNG, LIMITS)
    assert image.mode == "L"
    assert (image.getpixel((2, 5)), image.getpixel((15, 5))) == (0, 255)


def test_photo_taken_sideways_is_turned_upright_by_its_exif(tmp_path: Path) -> None:
    page = Image.new("L", (60, 20), 255)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees clockwise to view
    path = _file(tmp_path, samples.image_file(page, "JPEG", exif=exif))
    (image,) = rasterise(path, FileKind.JPEG, LIMITS)
    assert image.size == (20, 60)


def test_png_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.png_bomb(100_000, 100_000))
    with pytest.raises(TooManyPixels) as raised:
        list(rasterise(path, FileKind.PNG, LIMITS))
    assert raised.value.details["page"] == 1
    assert raised.value.details["megapixels"] == 10_000.0


def test_image_over_our_limit_but_under_pillows_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.png_bomb(5_000, 5_000))
    with pytest.raises(TooManyPixels) as raised:
        list(rasterise(path, FileKind.PNG, Limits(max_pixels_per_page=1_000_000)))
    assert raised.value.details == {"page": 1, "megapixels": 25.0, "limit": 1.0}


def test_tiff_frame_over_the_limit_names_its_page(tmp_path: Path) -> None:
    small, big = Image.new("L", (100, 100), 255), Image.new("L", (1200, 1000), 255)
    path = _file(tmp_path, samples.tiff([small, big]))
    pages = rasterise(path, FileKind.TIFF, Limits(max_pixels_per_page=1_000_000))
    assert next(pages).size == (100, 100)
    with pytest.raises(TooManyPixels) as raised:
        next(pages)
    assert raised.value.details["page"] == 2


def test_poster_pdf_is_refused_before_rendering(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.poster_pdf(200, 200))  # 60,000 pixels square at 300 dpi
    with pytest.raises(TooManyPixels) as raised:
        list(rasterise(path, FileKind.PDF, LIMITS))
    assert raised.value.details["megapixels"] == 3600.0


@pytest.mark.parametrize(("kind", "data"), [
    (FileKind.PDF, samples.scanned_pdf([samples.strip()] * 3)),
    (FileKind.TIFF, samples.tiff([samples.strip()] * 3)),
])
def test_too_many_pages_before_the_first_page(tmp_path: Path, kind: FileKind,
                                              data: bytes) -> None:
    with pytest.raises(TooManyPages):
        next(rasterise(_file(tmp_path, data), kind, Limits(max_pages=2)))


def test_pdf_needing_a_password_is_encrypted(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.encrypted(samples.text_pdf([["Geheim"]]), "secret"))
    with pytest.raises(EncryptedFile):
        page_count(path, FileKind.PDF)
    with pytest.raises(EncryptedFile):
        list(rasterise(path, FileKind.PDF, LIMITS))


def test_pdf_with_an_empty_user_password_opens(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.encrypted(samples.text_pdf([["Open"]]), ""))
    assert page_count(path, FileKind.PDF) == 1


@pytest.mark.parametrize(("kind", "data"), [
    (FileKind.PDF, samples.truncated(samples.scanned_pdf([samples.strip()]))),
    (FileKind.PDF, b"%PDF-1.7\nthis is no pdf at all\n%%EOF\n"),
    (FileKind.PNG, samples.truncated(samples.image_file(samples.scanned(samples.strip()), "PNG"))),
    (FileKind.JPEG, samples.truncated(samples.image_file(samples.strip(), "JPEG"))),
    (FileKind.TIFF, samples.truncated(samples.tiff([samples.scanned(samples.strip())]))),
    (FileKind.TIFF, b"II*\x00" + b"\xff" * 40),
])
def test_damaged_and_truncated_files_are_corrupt(tmp_path: Path, kind: FileKind,
                                                 data: bytes) -> None:
    with pytest.raises(CorruptFile):
        list(rasterise(_file(tmp_path, data), kind, LIMITS))


def test_render_chosen_pdf_pages(tmp_path: Path) -> None:
    pages = [samples.strip(["Een"]), samples.strip(["Twee"]), samples.strip(["Drie"])]
    path = _file(tmp_path, samples.scanned_pdf(pages))
    rendered = list(render_pdf_pages(path, [1, 3], LIMITS, dpi=100))
    assert [number for number, _ in rendered] == [1, 3]
    assert all(image.info["dpi"] == (100, 100) for _, image in rendered)


def test_pages_come_one_at_a_time(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.scanned_pdf([samples.strip()] * 3))
    pages = rasterise(path, FileKind.PDF, LIMITS)
    first = next(pages)
    assert isinstance(first, Image.Image)
    pages.close()  # abandoning the rest closes the document


def test_image_bytes_are_copied_out_of_pdfium(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.scanned_pdf([samples.strip()]))
    (image,) = rasterise(path, FileKind.PDF, LIMITS)
    buffer = BytesIO()
    image.save(buffer, "PNG")  # still readable after PDFium closed the page
    assert buffer.tell() > 0


def test_counting_pages_of_a_bomb_refuses_it_with_our_limit(tmp_path: Path) -> None:
    path = _file(tmp_path, samples.png_bomb(100_000, 100_000))
    with pytest.raises(TooManyPixels) as raised:
        page_count(path, FileKind.PNG, Limits(max_pixels_per_page=5_000_000))
    assert raised.value.details["limit"] == 5.0


def test_counting_pages_of_a_damaged_tiff_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile):
        page_count(_file(tmp_path, b"II*\x00" + b"\xff" * 40), FileKind.TIFF)


def test_long_pdfs_are_reopened_every_few_pages(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dossier.ingest.pages.PAGES_PER_OPENING", 3)
    widths = [200 + 10 * number for number in range(8)]
    path = _file(tmp_path, samples.scanned_pdf([Image.new("L", (width, 50), 255)
                                                for width in widths]))
    documents = [document for document, _ in each_pdf_page(path, range(8))]
    assert len({id(document) for document in documents}) == 3  # pages 1-3, 4-6, 7-8
    images = list(rasterise(path, FileKind.PDF, LIMITS, dpi=300))
    assert [image.width for image in images] == pytest.approx(widths, abs=1)
