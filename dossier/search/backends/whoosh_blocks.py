"""The posting block format of the dossier codec (see whoosh_codec): packed arrays
instead of Whoosh's pickled tuple of Python numbers.

A block is [length][info][head][document number gaps][weights][value ends][values]:
gaps and frequencies as bytes where they fit, positions as one blob with their end
offsets, so counting or scoring a word never touches its positions and reading one
document's positions never builds the other 127 (~28 KB for a word like "de").
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Set
from itertools import accumulate, repeat
from operator import sub
from struct import Struct
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher, W3PostingsWriter
from whoosh.util.numeric import byte_to_length, length_to_byte

LENGTHS = [byte_to_length(value) for value in range(256)]  # length byte -> length
_BLOCK_LENGTH = Struct(">i")  # as Whoosh's write_int: negative for the last block
_INFO = Struct("<IIfBB")  # postings, last document number, max weight, min/max length
_HEAD = Struct("<3s3I")  # array codes (ids, weights, ends), byte sizes of those arrays
_NONE = "-"  # no array: weights all 1.0, or no values
_LITTLE = array("H", [1]).tobytes() == b"\x01\x00"


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


class SplitBlockWriter(W3PostingsWriter):
    """Writes blocks as [length][info][head][id gaps][weights][value ends][values]."""

    _ids: Any
    _weights: Any
    _values: Any
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

    def add_many(self, docnums: array, weights: array, values: bytes, ends: array,
                 length_bytes: Any) -> None:
        """All postings of one term at once, from a build's arrays (documents ascending):
        full blocks are written, the last stays for finish_postings() to write."""
        limit = self._blocklimit
        for first in range(0, len(docnums), limit):
            if len(self._ids):
                self._write_block()
            last = min(first + limit, len(docnums))
            self._ids = docnums[first:last]
            self._weights = weights[first:last]
            self._maxweight = max(self._weights)
            start = ends[first - 1] if first else 0
            self._values = [values[a:b] for a, b in zip((start, *ends[first:last - 1]),
                                                         ends[first:last], strict=True)
                            ] if values else []
            if length_bytes is not None:
                found = [length_bytes[doc] for doc in self._ids]
                self._minlength, self._maxlength = LENGTHS[min(found)], LENGTHS[max(found)]

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


class BlockMatcher(W3LeafMatcher):
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
        self._minlength, self._maxlength = LENGTHS[minimum], LENGTHS[maximum]
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
