"""Extraction end to end: text layer or OCR, page images handed out, limits and failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from PIL import Image
from pypdf import PdfReader

from dossier.ingest.errors import (
    CorruptFile,
    EmptyFile,
    OcrTimeout,
    TooLarge,
    TooManyPages,
    UnsupportedType,
)
from dossier.ingest.extract import Extraction, extract
from dossier.ingest.limits import Limits
from dossier.ingest.ocr_pool import OcrPool
from dossier.ingest.sniff import FileKind
from tests.ingest import ocr_samples as samples

LANGUAGES = "nld+eng"


@pytest.fixture(scope="module")
def pool() -> Iterator[OcrPool]:
    with OcrPool(2) as pool:
        yield pool


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _words(text: str) -> str:
    return " ".join(text.split())


class Recorder:
    def __init__(self) -> None:
        self.images: list[tuple[int, Image.Image]] = []
        self.progress: list[tuple[int, int]] = []

    def image(self, number: int, image: Image.Image) -> None:
        self.images.append((number, image))

    def report(self, done: int, total: int) -> None:
        self.progress.append((done, total))


class Scanned(NamedTuple):
    extraction: Extraction
    recorder: Recorder
    work: Path
    source: Path


@pytest.fixture(scope="module")
def scanned_letter(tmp_path_factory: pytest.TempPathFactory, pool: OcrPool) -> Scanned:
    """A two-page scan (Dutch, then English turned upside down), OCR'd once for the tests."""
    folder = tmp_path_factory.mktemp("scan")
    pages = [samples.scanned(samples.strip()),
             samples.turned(samples.scanned(samples.strip(samples.ENGLISH)), 180)]
    path = _file(folder, "letter.pdf", samples.scanned_pdf(pages))
    recorder = Recorder()
    work = folder / "work"
    extraction = extract(path, Limits(), LANGUAGES, pool, recorder.report, workdir=work,
                         on_page_image=recorder.image)
    return Scanned(extraction, recorder, work, path)


def test_scan_is_ocrd_page_by_page(scanned_letter: Scanned) -> None:
    extraction = scanned_letter.extraction
    assert (extraction.kind, extraction.method) == (FileKind.PDF, "ocr")
    assert [_words(page.text) for page in extraction.pages] == [
        _words(" ".join(samples.DUTCH)), _words(" ".join(samples.ENGLISH))]
    assert [page.rotated_by for page in extraction.pages] == [0, 180]
    assert extraction.confidence is not None and extraction.confidence > 85
    assert extraction.text.count("\f") == 1


def test_scan_gets_one_searchable_pdf_in_the_work_folder(
        scanned_letter: Scanned) -> None:
    extraction, work = scanned_letter.extraction, scanned_letter.work
    assert extraction.searchable_pdf is not None
    assert extraction.searchable_pdf.parent == work
    reader = PdfReader(extraction.searchable_pdf)
    assert len(reader.pages) == 2
    assert "warmtepomp" in reader.pages[0].extract_text()
    assert "heat pump" in reader.pages[1].extract_text()
    assert all(page.pdf == b"" for page in extraction.pages)  # not kept twice
    assert sorted(path.name for path in work.iterdir()) == ["letter.pdf.searchable.pdf"]


def test_scan_hands_out_each_page_image_once_and_reports_progress(
        scanned_letter: Scanned) -> None:
    recorder = scanned_letter.recorder
    assert [number for number, _ in recorder.images] == [1, 2]
    assert recorder.images[0][1].info["dpi"] == (300, 300)
    assert recorder.progress == [(1, 2), (2, 2)]


def _page_images(pdf: Path) -> list[bytes]:
    pages = PdfReader(pdf).pages
    return [bytes(next(iter(page["/Resources"]["/XObject"].values())).get_object()._data)
            for page in pages]


def test_searchable_pdf_keeps_the_scanners_jpeg(scanned_letter: Scanned) -> None:
    extraction = scanned_letter.extraction
    assert extraction.searchable_pdf is not None
    original, searchable = (_page_images(scanned_letter.source),
                            _page_images(extraction.searchable_pdf))
    assert searchable[0] == original[0]  # upright: Tesseract read the JPEG as it was
    assert searchable[1] != original[1]  # turned upright, so a new image


def test_born_digital_pdf_uses_its_text_layer(tmp_path: Path, pool: OcrPool) -> None:
    path = _file(tmp_path, "invoice.pdf", samples.text_pdf([samples.DUTCH, samples.ENGLISH]))
    recorder = Recorder()
    extraction = extract(path, Limits(), LANGUAGES, pool, recorder.report,
                         workdir=tmp_path / "work", on_page_image=recorder.image)
    assert (extraction.method, extraction.searchable_pdf) == ("text_layer", None)
    assert "Geachte heer Jansen" in extraction.pages[0].text
    assert extraction.confidence is None
    assert recorder.images == []  # text-only pages are not rendered
    assert recorder.progress == [(2, 2)]


def test_scanners_searchable_pdf_hands_out_its_image_pages(tmp_path: Path,
                                                           pool: OcrPool) -> None:
    pdf = samples.joined(samples.text_pdf([samples.ENGLISH]),
                         samples.image_page_pdf(samples.strip(), samples.DUTCH))
    recorder = Recorder()
    extraction = extract(_file(tmp_path, "scan.pdf", pdf), Limits(), LANGUAGES, pool,
                         workdir=tmp_path, on_page_image=recorder.image)
    assert extraction.method == "text_layer"
    assert [number for number, _ in recorder.images] == [2]
    assert recorder.images[0][1].info["dpi"] == (200, 200)


def test_multi_page_tiff_is_ocrd(tmp_path: Path, pool: OcrPool) -> None:
    path = _file(tmp_path, "batch.tif",
                 samples.tiff([samples.strip(["Eerste bladzijde"]),
                               samples.strip(["Tweede bladzijde"])]))
    extraction = extract(path, Limits(), LANGUAGES, pool, workdir=tmp_path / "work")
    assert extraction.kind is FileKind.TIFF
    assert [page.text for page in extraction.pages] == ["Eerste bladzijde",
                                                        "Tweede bladzijde"]


def test_photo_as_jpeg_is_ocrd(tmp_path: Path, pool: OcrPool) -> None:
    path = _file(tmp_path, "photo", samples.image_file(samples.strip(samples.ENGLISH),
                                                       "JPEG", quality=90))
    extraction = extract(path, Limits(), LANGUAGES, pool, workdir=tmp_path)
    assert extraction.kind is FileKind.JPEG
    assert "quotation" in extraction.text


@pytest.mark.parametrize(("data", "limits", "error"), [
    (b"", Limits(), EmptyFile),
    (b"Geachte heer,\n", Limits(), UnsupportedType),
    (samples.text_pdf([["x"]]), Limits(max_bytes=100), TooLarge),
    (samples.text_pdf([["1"], ["2"], ["3"]]), Limits(max_pages=2), TooManyPages),
    (samples.truncated(samples.scanned_pdf([samples.strip()])), Limits(), CorruptFile),
])
def test_files_that_cannot_be_read_say_why(tmp_path: Path, pool: OcrPool, data: bytes,
                                           limits: Limits, error: type[Exception]) -> None:
    with pytest.raises(error):
        extract(_file(tmp_path, "scan.pdf", data), limits, LANGUAGES, pool,
                workdir=tmp_path / "work")


def test_failed_ocr_leaves_no_page_files_behind(tmp_path: Path, pool: OcrPool) -> None:
    path = _file(tmp_path, "scan.pdf", samples.scanned_pdf([samples.strip()] * 2))
    work = tmp_path / "work"
    with pytest.raises(OcrTimeout) as raised:
        extract(path, Limits(ocr_seconds_per_page=0.01), LANGUAGES, pool, workdir=work)
    assert raised.value.details["page"] == 1
    assert list(work.iterdir()) == []
