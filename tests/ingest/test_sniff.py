"""Sniffing: the kind of a file comes from its content, whatever its name says."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.ingest.errors import EmptyFile, UnsupportedType
from dossier.ingest.sniff import FileKind, sniff
from tests.ingest import ocr_samples as samples


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("data", "kind"), [
    (samples.text_pdf([["Offerte"]]), FileKind.PDF),
    (samples.tiff([samples.strip()]), FileKind.TIFF),
    (samples.image_file(samples.strip(), "PNG"), FileKind.PNG),
    (samples.image_file(samples.strip(), "JPEG"), FileKind.JPEG),
    (samples.image_file(samples.strip(), "TIFF"), FileKind.TIFF),
])
def test_kind_comes_from_the_content_not_the_name(tmp_path: Path, data: bytes,
                                                  kind: FileKind) -> None:
    assert sniff(_file(tmp_path, "scan.txt", data)) is kind


def test_big_endian_tiff(tmp_path: Path) -> None:
    assert sniff(_file(tmp_path, "scan", b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 8)) is (
        FileKind.TIFF)


def test_pdf_header_after_some_junk_is_still_a_pdf(tmp_path: Path) -> None:
    data = b"\r\n" * 100 + samples.text_pdf([["Offerte"]])
    assert sniff(_file(tmp_path, "scan.bin", data)) is FileKind.PDF


def test_zero_bytes_is_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(EmptyFile):
        sniff(_file(tmp_path, "scan.pdf", b""))


@pytest.mark.parametrize("data", [
    b"Geachte heer, uw offerte is ontvangen.\n",
    b"MZ\x90\x00\x03\x00\x00\x00",
    b"PK\x03\x04" + b"\x00" * 30,
    b"GIF89a" + b"\x00" * 10,
])
def test_anything_else_is_unsupported(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(UnsupportedType):
        sniff(_file(tmp_path, "scan.pdf", data))


def test_kinds_know_their_mime_type() -> None:
    assert {kind.mime_type for kind in FileKind} == {
        "application/pdf", "image/tiff", "image/png", "image/jpeg"}
    assert FileKind("pdf") is FileKind.PDF
