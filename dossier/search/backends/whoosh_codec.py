"""Whoosh's W3 codec with the posting storage changed where 100,000 letters made it slow:

- a posting block is packed arrays, not a pickled tuple of Python numbers: document
  number gaps and frequencies as bytes where they fit, positions as one blob with their
  end offsets, so counting or scoring a word never touches its positions and reading
  one document's positions never builds the other 127 (~28 KB for a word like "de");
- postings files of big segments are memory-mapped, read by slicing, never by seek+read;
- field lengths are read into memory once per segment instead of per posting and per
  scored document.

Terms, stored fields, columns and the table of contents stay Whoosh's. The codec is
pickled into the index with each segment, so its names must stay.
"""

from __future__ import annotations

import mmap
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Set
from itertools import accumulate, repeat
from operator import sub
from struct import Struct
from typing import Any

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    W3TermsReader,
    _lenfield,
)
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length, length_to_byte

_LENGTHS = [byte_to_length(value) for value in range(256)]
_BLOCK_LENGTH = Struct(">i")  # as Whoosh's write_int: negative for the last block
_INFO = Struct("<IIfBB")  # postings, last document number, max weight, min/max length
_HEAD = Struct("<3s3I")  # array codes (ids, weights, ends), byte sizes of those arrays
_SIZES = {"B": 1, "H": 2, "I": 4, "f": 4}
_NONE = "-"  # no array: weights all 1.0, or no values


def _narrowest(values: Any) -> str:
    widest = max(values, default=0)
    return "B" if widest < 256 else "H" if widest < 65_536 else "I"


def _packed(code: str, values: Any) -> bytes:
    packed = array(code, values)
    return packed.tobytes() if _LITTLE else _swapped(packed)


def _swapped(packed: array) -> bytes:
    packed.byteswap()
    return packed.tobytes()


def _unpacked(code: str, data: bytes | memoryview) -> array:
    values = array(code)
    values.frombytes(data)
    if not _LITTLE:
        values.byteswap()
    return values


_LITTLE = array("H", [1]).tobytes() == b"\x01\x00"


class _SplitBlockWriter(W3PostingsWriter):
    """Writes blocks as [length][info][head][id gaps][weights][value ends][values]."""

    _maxweight: float
    _minlength: int | None
    _maxlength: int

    def add_posting(self, id_: Any, weight: float, vbytes: bytes,
                    length: int | None = None) -> None:
        # Whoosh's add_posting without its four type assertions per posting.
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        gaps = [ids[0], *map(sub, ids[1:], ids[:-1])]
        id_code = _narrowest(gaps)
        weights = self._weights
        if all(weight == 1.0 for weight in weights):
            weight_code, weight_bytes = _NONE, b""
        elif all(weight == int(weight) for weight in weights):
            weight_code = _narrowest(int(weight) for weight in weights)
            weight_bytes = _packed(weight_code, [int(weight) for weight in weights])
        else:
            weight_code, weight_bytes = "f", _packed("f", weights)
        values = self._values
        ends = list(accumulate(len(value) for value in values))
        ends_code = _narrowest(ends) if values else _NONE
        ends_bytes = _packed(ends_code, ends) if values else b""
        id_bytes = _packed(id_code, gaps)
        data = b"".join((
            _INFO.pack(len(ids), ids[-1], self._maxweight, length_to_byte(self._minlength),
                       length_to_byte(self._maxlength)),
            _HEAD.pack((id_code + weight_code + ends_code).encode(), len(id_bytes),
                       len(weight_bytes), len(ends_bytes)),
            id_bytes, weight_bytes, ends_bytes, *values))
        self._postfile.write(_BLOCK_LENGTH.pack(-len(data) if last else len(data)))
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class _Values:
    """The values of one block, sliced out of its blob when asked for."""

    __slots__ = ("blob", "ends")

    def __init__(self, blob: bytes, ends: Any) -> None:
        self.blob, self.ends = blob, ends

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, index: int) -> bytes:
        return self.blob[self.ends[index - 1] if index else 0:self.ends[index]]


class _BlockMatcher(W3LeafMatcher):
    """Reads packed blocks; hands out whole blocks to the backend's own matching."""

    _data: Any
    _ids: Any
    _weights: Any
    _values: Any
    _head: tuple[bytes, int, int, int]

    def _read_header(self) -> None:
        if self._postfile.get(self._startoffset, 4) != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"posting list at {self._startoffset} has no block header")
        self._baseoffset = self._startoffset + 4

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        start = position + _BLOCK_LENGTH.size
        header = self._postfile.get(position, _BLOCK_LENGTH.size + _INFO.size + _HEAD.size)
        length = _BLOCK_LENGTH.unpack_from(header)[0]
        self._lastblock = length < 0
        self._nextoffset = start + abs(length)
        (self._blocklength, self._maxid, self._maxweight, minimum,
         maximum) = _INFO.unpack_from(header, _BLOCK_LENGTH.size)
        self._minlength, self._maxlength = _LENGTHS[minimum], _LENGTHS[maximum]
        self._compression = 0
        self._head = _HEAD.unpack_from(header, _BLOCK_LENGTH.size + _INFO.size)
        self._dataoffset = start + _INFO.size + _HEAD.size

    def _read_data(self) -> None:
        codes, id_size, weight_size, _ends_size = self._head
        id_code, weight_code = chr(codes[0]), chr(codes[1])
        data = self._postfile.get(self._dataoffset, id_size + weight_size)
        gaps = _unpacked(id_code, data[:id_size])
        weights = None if weight_code == _NONE else _unpacked(weight_code, data[id_size:])
        self._data = (gaps, weights, None)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = tuple(accumulate(self._data[0]))

    def _read_values(self) -> None:
        codes, id_size, weight_size, ends_size = self._head
        if chr(codes[2]) == _NONE:
            self._values = (None,) * self._blocklength
            return
        start = self._dataoffset + id_size + weight_size
        ends = _unpacked(chr(codes[2]), self._postfile.get(start, ends_size))
        self._values = _Values(self._postfile.get(start + ends_size, ends[-1]), ends)

    def all_ids(self) -> Iterator[int]:
        while self.is_active():
            if self._ids is None:
                self._read_ids()
            yield from self._ids[self._i:]
            self._next_block()

    def blocks(self) -> Iterator[tuple[tuple[int, ...], Any]]:
        """(document numbers, weights) per block; weights a sequence or a repeat()."""
        while self.is_active():
            if self._ids is None:
                self._read_ids()
            weights = self._data[1]
            yield self._ids[self._i:], repeat(1.0) if weights is None else weights[self._i:]
            self._next_block()

    def values_of(self, wanted: Set[int]) -> Iterator[tuple[int, float, bytes]]:
        """(document number, weight, value) of the postings whose document is wanted;
        blocks without one are not unpacked further than their document numbers."""
        while self.is_active():
            if self._ids is None:
                self._read_ids()
            ids = self._ids
            hits = wanted.intersection(ids[self._i:]) if isinstance(wanted, (set, frozenset)) \
                else [doc for doc in ids[self._i:] if doc in wanted]
            if hits:
                self._read_values()
                weights, values = self._data[1], self._values
                for doc in hits:
                    index = bisect_left(ids, doc)
                    yield doc, 1.0 if weights is None else weights[index], values[index]
            self._next_block()


class _MappedFile:
    """A postings file read through mmap (only get() is used by _BlockMatcher)."""

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
        return _LENGTHS[lengths[docnum]]


class DossierCodec(W3Codec):
    def __init__(self) -> None:
        super().__init__(compression=0)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        if byteids:  # term vectors: not used by these indexes, left to Whoosh
            return super().postings_writer(dbfile, byteids=byteids)
        return _SplitBlockWriter(dbfile, blocklimit=self._blocklimit, byteids=False,
                                 compression=0, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _BlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

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
    if isinstance(matcher, _BlockMatcher):
        yield from matcher.blocks()
        return
    while matcher.is_active():
        yield (matcher.id(),), (matcher.weight(),)
        matcher.next()


def posting_values(matcher: Any, wanted: Set[int]) -> Iterator[tuple[int, float, bytes]]:
    """(document number, weight, value) for the wanted documents."""
    if isinstance(matcher, _BlockMatcher):
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
    return _LENGTHS
