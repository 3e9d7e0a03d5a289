"""Searchable PDFs of a scan: Tesseract's one-page PDFs merged, and the pages of one document.

Written object by object as pages are read, so memory holds one page, not the file: a
200-page scan makes a searchable PDF of 100-200 MB, and pypdf's PdfWriter would hold all
of it twice before writing a byte. Meant for the PDFs made here (Tesseract's pages and
their merge): the pages' objects are copied as they are, unencrypted.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

PAGES_ID, CATALOG_ID = 1, 2


def merge_pages(pages: Iterable[Path | bytes], destination: Path) -> int:
    """Write `pages` (files or bytes, each a PDF) in order as one PDF; returns its page count."""
    with _replacing(destination) as output:
        writer = _StreamingPdf(output)
        for page in pages:
            if isinstance(page, Path):
                with page.open("rb") as handle:
                    writer.add_pages(PdfReader(handle))
            else:
                writer.add_pages(PdfReader(BytesIO(page)))
        return writer.finish()


def copy_pages(source: Path, pages: Sequence[int], destination: Path) -> int:
    """Write pages `pages` (0-based, in that order) of the PDF `source` as a PDF of their own.

    For one document of a batch split by separator sheets, or a scan without its cover.
    """
    with source.open("rb") as handle, _replacing(destination) as output:
        writer = _StreamingPdf(output)
        writer.add_pages(PdfReader(handle), pages)
        return writer.finish()


@contextmanager
def _replacing(destination: Path) -> Iterator[BinaryIO]:
    """A file beside `destination` that replaces it once written without error."""
    partial = destination.with_name(destination.name + ".partial")
    try:
        with partial.open("wb") as output:
            yield output
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)


class _StreamingPdf:
    """A PDF written as pages are added: objects renumbered and written at once."""

    def __init__(self, output: BinaryIO) -> None:
        self.output = output
        self.offsets: dict[int, int] = {}
        self.kids: list[int] = []
        self.next_id = CATALOG_ID + 1
        output.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def add_pages(self, reader: PdfReader, indexes: Sequence[int] | None = None) -> None:
        numbers: dict[tuple[int, int], int] = {}  # this reader's objects -> ours
        for index in range(len(reader.pages)) if indexes is None else indexes:
            self._copy_page(reader.pages[index], numbers)
            reader.resolved_objects.clear()  # pypdf's cache would keep every page read

    def _copy_page(self, page: PageObject, numbers: dict[tuple[int, int], int]) -> None:
        """Write the page and every object it reaches that is not written yet."""
        assert page.indirect_reference is not None  # pages always are indirect objects
        number = self._number(page.indirect_reference, numbers)
        self.kids.append(number)
        found: list[IndirectObject] = []
        # The page as pypdf flattened it: attributes inherited from the tree are on it.
        copy = DictionaryObject({key: self._renumbered(value, numbers, found)
                                 for key, value in page.items() if key != "/Parent"})
        copy[NameObject("/Parent")] = IndirectObject(PAGES_ID, 0, None)
        self._write(number, copy)
        waiting = deque(found)
        while waiting:
            reference = waiting.popleft()
            number = self._number(reference, numbers)
            if number in self.offsets:
                continue
            found = []
            self._write(number, self._renumbered(reference.get_object(), numbers, found))
            waiting.extend(found)

    def _number(self, reference: IndirectObject, numbers: dict[tuple[int, int], int]) -> int:
        key = (reference.idnum, reference.generation)
        if key not in numbers:
            numbers[key] = self.next_id
            self.next_id += 1
        return numbers[key]

    def _renumbered(self, value: Any, numbers: dict[tuple[int, int], int],
                    found: list[IndirectObject]) -> PdfObject:
        """A copy of `value` whose references use our numbers; references met go to `found`."""
        if isinstance(value, IndirectObject):
            found.append(value)
            return IndirectObject(self._number(value, numbers), 0, None)
        if isinstance(value, StreamObject):
            stream = EncodedStreamObject() if "/Filter" in value else DecodedStreamObject()
            stream.update({key: self._renumbered(item, numbers, found)
                           for key, item in value.items() if key != "/Length"})
            stream._data = value._data  # the stream as stored: nothing decoded or re-encoded
            return stream
        if isinstance(value, DictionaryObject):
            return DictionaryObject({key: self._renumbered(item, numbers, found)
                                     for key, item in value.items()})
        if isinstance(value, ArrayObject):
            return ArrayObject(self._renumbered(item, numbers, found) for item in value)
        return value

    def _write(self, number: int, value: PdfObject) -> None:
        self.offsets[number] = self.output.tell()
        self.output.write(f"{number} 0 obj\n".encode())
        value.write_to_stream(self.output)
        self.output.write(b"\nendobj\n")

    def finish(self) -> int:
        """Write the page tree, catalogue and cross-reference table; returns the page count."""
        self._write(PAGES_ID, DictionaryObject({
            NameObject("/Type"): NameObject("/Pages"),
            NameObject("/Kids"): ArrayObject(IndirectObject(kid, 0, None) for kid in self.kids),
            NameObject("/Count"): NumberObject(len(self.kids)),
        }))
        self._write(CATALOG_ID, DictionaryObject({
            NameObject("/Type"): NameObject("/Catalog"),
            NameObject("/Pages"): IndirectObject(PAGES_ID, 0, None),
        }))
        start = self.output.tell()
        size = self.next_id
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self.offsets[number]:010d} 00000 n \n" for number in range(1, size)]
        lines.append(f"trailer\n<< /Size {size} /Root {CATALOG_ID} 0 R >>\n"
                     f"startxref\n{start}\n%%EOF\n")
        self.output.write("".join(lines).encode("ascii"))
        return len(self.kids)

