"""The dossier codec: Whoosh's W3 codec with the posting storage changed where 100,000
letters made it slow.

- posting blocks are packed arrays (whoosh_blocks), not pickled tuples of numbers;
- postings files of big segments are memory-mapped and read by slicing;
- field lengths are read into memory once per segment instead of per posting and per
  scored document.

Terms, stored fields, columns and the table of contents stay Whoosh's. The codec is
pickled into the index with each segment, so its names must stay.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator, Set
from typing import Any

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3PerDocReader,
    W3PostingsWriter,
    W3TermsReader,
    _lenfield,
)
from whoosh.matching.wrappers import FilterMatcher

from dossier.search.backends.whoosh_blocks import LENGTHS, BlockMatcher, SplitBlockWriter


class _MappedFile:
    """A postings file read through mmap (only get() is used by BlockMatcher)."""

    def __init__(self, structfile: Any) -> None:
        self._structfile = structfile
        self._map = mmap.mmap(structfile.fileno(), 0, access=mmap.ACCESS_READ)
        self.is_closed = False

    def get(self, position: int, length: int) -> bytes:
        return self._map[position:position + length]

    def close(self) -> None:
        if not self.is_closed:
            self._map.close()
            self._structfile.close()
            self.is_closed = True


class _LengthsInMemory(W3PerDocReader):
    """Field lengths read once per segment and field, then looked up in memory."""

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._length_bytes: dict[str, Any] = {}

    def length_bytes(self, fieldname: str) -> Any:
        """The length byte of every document in `fieldname` (array, or None)."""
        if fieldname not in self._length_bytes:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._length_bytes[fieldname] = reader.load() if reader is not None else None
        return self._length_bytes[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self.length_bytes(fieldname)
        if lengths is None or docnum >= len(lengths):
            return default
        return LENGTHS[lengths[docnum]]


class DossierCodec(W3Codec):
    def __init__(self) -> None:
        super().__init__(compression=0)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        if byteids:  # term vectors: not used by these indexes, left to Whoosh
            return super().postings_writer(dbfile, byteids=byteids)
        return SplitBlockWriter(dbfile, blocklimit=self._blocklimit, byteids=False,
                                 compression=0, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return BlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def terms_reader(self, storage: Any, segment: Any) -> W3TermsReader:
        reader = super().terms_reader(storage, segment)
        postfile = reader._postfile
        if getattr(postfile, "is_real", False) and storage.file_length(
                segment.make_filename(self.POSTS_EXT)):
            reader._postfile = _MappedFile(postfile)
        return reader

    def per_document_reader(self, storage: Any, segment: Any) -> W3PerDocReader:
        return _LengthsInMemory(storage, segment)


def postings(reader: Any, field: str, text: str | bytes) -> Any | None:
    """The posting matcher of one term in a segment, deleted documents included (callers
    remove them); None when the segment does not have the term."""
    if (field, text) not in reader:
        return None
    matcher = reader.postings(field, text)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def posting_blocks(matcher: Any) -> Iterator[tuple[Any, Any]]:
    """(document numbers, weights) in blocks, for block and inlined postings alike."""
    if isinstance(matcher, BlockMatcher):
        yield from matcher.blocks()
        return
    while matcher.is_active():
        yield (matcher.id(),), (matcher.weight(),)
        matcher.next()


def posting_values(matcher: Any, wanted: Set[int]) -> Iterator[tuple[int, float, bytes]]:
    """(document number, weight, value) for the wanted documents."""
    if isinstance(matcher, BlockMatcher):
        yield from matcher.values_of(wanted)
        return
    while matcher.is_active():
        if matcher.id() in wanted:
            yield matcher.id(), matcher.weight(), matcher.value()
        matcher.next()


def term_docs(reader: Any, field: str, text: str | bytes) -> list[int]:
    matcher = postings(reader, field, text)
    return [] if matcher is None else list(matcher.all_ids())


def length_bytes(reader: Any, field: str) -> Any:
    """Per-document length bytes of `field` in a segment reader (see byte_lengths)."""
    perdoc = reader._perdoc  # the segment's per-document reader: made by DossierCodec
    return perdoc.length_bytes(field) if isinstance(perdoc, _LengthsInMemory) else None


def byte_lengths() -> list[int]:
    return LENGTHS
