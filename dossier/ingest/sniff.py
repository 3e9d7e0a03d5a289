"""What kind of file arrived, judged by its first bytes and never by its name."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from dossier.ingest.errors import EmptyFile, UnsupportedType

# The PDF header may follow some junk; readers accept it within the first 1024 bytes.
PDF_HEADER_WINDOW = 1024


class FileKind(StrEnum):
    PDF = "pdf"
    TIFF = "tiff"
    PNG = "png"
    JPEG = "jpeg"

    @property
    def mime_type(self) -> str:
        return _MIME_TYPES[self]


_MIME_TYPES = {FileKind.PDF: "application/pdf", FileKind.TIFF: "image/tiff",
               FileKind.PNG: "image/png", FileKind.JPEG: "image/jpeg"}
_SIGNATURES: tuple[tuple[bytes, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
    (b"II+\x00", FileKind.TIFF),  # BigTIFF
    (b"MM\x00+", FileKind.TIFF),
)


def sniff(path: Path) -> FileKind:
    """The kind of `path`; raises EmptyFile or UnsupportedType."""
    with path.open("rb") as handle:
        head = handle.read(PDF_HEADER_WINDOW)
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> FileKind:
    """The kind of a file that starts with `head` (its first 1024 bytes are enough)."""
    if not head:
        raise EmptyFile()
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return FileKind.PDF
    raise UnsupportedType()
