"""The content-addressed file store: layout, sniffing, duplicates, streaming, atomic writes."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from dossier.documents import file_store
from dossier.documents.file_store import FileStore, RejectedFile, sanitise_name, sniff_bytes
from tests.documents.files import EXE, JPEG, PDF, TEXT, TIFF_BE, TIFF_LE, png

ALLOWED = ("application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain")


@pytest.mark.parametrize(("data", "mime"), [
    (PDF, "application/pdf"), (png(), "image/png"), (JPEG, "image/jpeg"),
    (TIFF_LE, "image/tiff"), (TIFF_BE, "image/tiff"), (TEXT, "text/plain"),
    ("Één café, s'il vous plaît".encode(), "text/plain"),
    (EXE, None), (b"plain text\x00with a NUL", None), (b"\xff\xfe latin-1 \xe9", None),
    (b"", None),
])
def test_sniffing_by_content(data: bytes, mime: str | None) -> None:
    assert sniff_bytes(data) == mime


def test_layout_is_sha256_in_two_levels(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    stored = store.store(io.BytesIO(PDF), ALLOWED)
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored.sha256 == digest
    assert stored.path == tmp_path / digest[:2] / digest[2:4] / digest
    assert stored.path.read_bytes() == PDF
    assert (stored.size, stored.mime_type) == (len(PDF), "application/pdf")
    assert [p.name for p in tmp_path.iterdir()] == [digest[:2]]  # no temp file left behind


def test_duplicate_content_is_stored_once(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    first = store.store(io.BytesIO(TEXT), ALLOWED)
    second = store.store(io.BytesIO(TEXT), ALLOWED)
    assert first.path == second.path
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_refused_content_leaves_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    with pytest.raises(RejectedFile) as refused:
        store.store(io.BytesIO(EXE), ALLOWED)
    assert refused.value.reason == "type"
    with pytest.raises(RejectedFile) as empty:
        store.store(io.BytesIO(b""), ALLOWED)
    assert empty.value.reason == "empty"
    with pytest.raises(RejectedFile):
        store.store(io.BytesIO(png()), ("application/pdf",))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


class _Chunks(io.RawIOBase):
    """A stream that records the largest read, to prove the store never slurps a file."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.largest = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "the whole file was requested at once"
        self.largest = max(self.largest, size)
        return self._data.read(size)


def test_streams_in_chunks_and_text_survives_split_characters(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setattr(file_store, "CHUNK_SIZE", 7)  # splits the two-byte é characters
    data = ("é" * 5000).encode()
    stream = _Chunks(data)
    stored = FileStore(tmp_path).store(stream, ALLOWED)
    assert stream.largest == 7
    assert stored.mime_type == "text/plain"
    assert stored.path.read_bytes() == data


def test_a_failed_write_removes_the_temp_file(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_replace(source: str, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(file_store.os, "replace", broken_replace)
    with pytest.raises(OSError):
        FileStore(tmp_path).store(io.BytesIO(PDF), ALLOWED)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_path_for_refuses_anything_but_a_digest(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FileStore(tmp_path).path_for("../../etc/passwd")


@pytest.mark.parametrize(("name", "expected"), [
    ("offerte.pdf", "offerte.pdf"),
    ("C:\\Users\\jan\\brief.pdf", "brief.pdf"),
    ("../../etc/passwd", "passwd"),
    ("naam\x00met\nstuur.pdf", "naammetstuur.pdf"),
    ("Overeenkomst café.pdf", "Overeenkomst café.pdf"),
    ("..", "file.pdf"),
    ("", "file.pdf"),
])
def test_sanitise_name(name: str, expected: str) -> None:
    assert sanitise_name(name, "application/pdf") == expected
