"""Content-addressed file storage: every file lives once, under its SHA-256, written atomically."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app

CHUNK_SIZE = 64 * 1024
_HEX = re.compile(r"^[0-9a-f]{64}$")
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
              "image/tiff": ".tif", "text/plain": ".txt"}


class RejectedFile(ValueError):
    """The content was not stored: it is empty or of a type that is not allowed."""

    def __init__(self, reason: str, mime_type: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason  # "empty" or "type"
        self.mime_type = mime_type


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    mime_type: str
    path: Path


class _Sniffer:
    """Recognises a file's type from its content while it streams past."""

    def __init__(self) -> None:
        self.head = b""
        self.text_ok = True
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < 16:
            self.head += chunk[: 16 - len(self.head)]
        if self.text_ok:
            if b"\x00" in chunk:
                self.text_ok = False
                return
            try:
                self._decoder.decode(chunk)
            except UnicodeDecodeError:
                self.text_ok = False

    def result(self) -> str | None:
        for magic, mime in MAGIC:
            if self.head.startswith(magic):
                return mime
        if self.text_ok:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return None
            return "text/plain"
        return None


def sniff_bytes(data: bytes) -> str | None:
    """The MIME type of `data` judged by content (for small files and tests)."""
    sniffer = _Sniffer()
    sniffer.feed(data)
    return sniffer.result() if data else None


class FileStore:
    """Files under `root/ab/cd/abcdef...`; the name is the SHA-256 of the content."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if not _HEX.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def store(self, stream: IO[bytes], allowed: Collection[str] | None = None) -> StoredFile:
        """Copy `stream` into the store chunk by chunk, hashing and sniffing as it goes.

        Raises RejectedFile (and keeps nothing) for empty content or a sniffed type
        outside `allowed`.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        digest, sniffer, size = hashlib.sha256(), _Sniffer(), 0
        handle, temp_name = tempfile.mkstemp(prefix=".upload-", dir=self.root)
        try:
            with os.fdopen(handle, "wb") as temp:
                while chunk := stream.read(CHUNK_SIZE):
                    digest.update(chunk)
                    sniffer.feed(chunk)
                    temp.write(chunk)
                    size += len(chunk)
                temp.flush()
                os.fsync(temp.fileno())
            mime_type = sniffer.result()
            if size == 0:
                raise RejectedFile("empty")
            if mime_type is None or (allowed is not None and mime_type not in allowed):
                raise RejectedFile("type", mime_type)
            sha256 = digest.hexdigest()
            target = self.path_for(sha256)
            if target.exists():  # same content stored before: keep the one copy
                os.unlink(temp_name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temp_name, target)  # atomic: readers see all or nothing
        except BaseException:
            if os.path.exists(temp_name):
                os.unlink(temp_name)
            raise
        return StoredFile(sha256, size, mime_type, target)


def current_store() -> FileStore:
    return FileStore(current_app.config["FILE_STORE"])


def sanitise_name(name: str | None, mime_type: str) -> str:
    """A file name safe to store and offer for download: no path, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C")
    base = base.strip().strip(".").strip()[:200]
    if not base:
        base = "file" + EXTENSIONS.get(mime_type, "")
    return base
