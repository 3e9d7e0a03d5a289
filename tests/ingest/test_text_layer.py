"""Text layers: born-digital PDFs are read as they are; a scan without OCR needs OCR."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.ingest.errors import CorruptFile, EncryptedFile
from dossier.ingest.text_layer import LayerPage, is_readable, read_layer_pages, read_text_layer
from tests.ingest import ocr_samples as samples


def _pdf(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return path


def test_born_digital_pdf_gives_the_text_of_each_page(tmp_path: Path) -> None:
    path = _pdf(tmp_path, samples.text_pdf([samples.DUTCH, samples.ENGLISH]))
    texts = read_text_layer(path)
    assert texts is not None and len(texts) == 2
    assert "Geachte heer Jansen" in texts[0] and "vriendelijke groet" in texts[0]
    assert "Dear Mrs Smith" in texts[1]


def test_blank_page_in_a_born_digital_pdf_reads_empty(tmp_path: Path) -> None:
    texts = read_text_layer(_pdf(tmp_path, samples.text_pdf([samples.DUTCH, []])))
    assert texts is not None and texts[1] == ""


def test_scan_without_text_layer_has_none(tmp_path: Path) -> None:
    assert read_text_layer(_pdf(tmp_path, samples.scanned_pdf([samples.strip()]))) is None


def test_blank_pages_only_have_no_text_layer(tmp_path: Path) -> None:
    assert read_text_layer(_pdf(tmp_path, samples.text_pdf([[], []]))) is None


def test_one_scanned_page_without_text_sends_the_whole_file_to_ocr(tmp_path: Path) -> None:
    mixed = samples.joined(samples.text_pdf([samples.DUTCH]),
                           samples.image_page_pdf(samples.strip(samples.ENGLISH)))
    assert read_text_layer(_pdf(tmp_path, mixed)) is None


def test_scanners_searchable_pdf_is_read_and_its_image_pages_are_marked(
        tmp_path: Path) -> None:
    pdf = samples.joined(samples.image_page_pdf(samples.strip(), samples.DUTCH),
                         samples.text_pdf([samples.ENGLISH]))
    pages = read_layer_pages(_pdf(tmp_path, pdf))
    assert pages is not None
    assert [page.shows_image for page in pages] == [True, False]
    assert "warmtepomp" in pages[0].text
    assert isinstance(pages[1], LayerPage) and "heat pump" in pages[1].text


def test_password_protected_pdf_is_encrypted(tmp_path: Path) -> None:
    path = _pdf(tmp_path, samples.encrypted(samples.text_pdf([samples.DUTCH]), "secret"))
    with pytest.raises(EncryptedFile):
        read_text_layer(path)


def test_pdf_with_an_empty_user_password_is_read(tmp_path: Path) -> None:
    path = _pdf(tmp_path, samples.encrypted(samples.text_pdf([samples.DUTCH]), ""))
    texts = read_text_layer(path)
    assert texts is not None and "offerte" in texts[0]


@pytest.mark.parametrize("data", [
    samples.truncated(samples.text_pdf([samples.DUTCH] * 3)),
    b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n",
])
def test_damaged_pdf_is_corrupt(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(CorruptFile):
        read_text_layer(_pdf(tmp_path, data))


@pytest.mark.parametrize(("text", "readable"), [
    ("Geachte heer Jansen", True),
    ("Offerte 2025-0412: € 1.250,00", True),
    ("  12 ", False),  # a page number is no text layer
    ("", False),
    ("\ue000\ue001\ue002\ue003 ab", False),  # private-use glyph codes: no text map
    ("\ufffd\ufffd\ufffd\ufffdabc", False),
])
def test_readable_text(text: str, readable: bool) -> None:
    assert is_readable(text) is readable
