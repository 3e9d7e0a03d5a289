"""The text field of the Whoosh indexes: analysed in one pass, positions stored compactly.

Whoosh's own Positions format runs every token through a chain of generators and
pickles each term's positions; indexing 100,000 letters spends most of its time there.
This format gives the same terms as FoldingAnalyzer (the field's analyzer, used for
highlighting) and stores position gaps as one- or two-byte integers. The classes are
pickled into the index, so their names must stay.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from struct import pack, unpack_from
from typing import Any, Literal

from whoosh.fields import TEXT
from whoosh.formats import Positions

from dossier.search.backends.whoosh_analysis import WORD, FoldingAnalyzer, fold, stemmer

# A value is a type code ("B", "H" or "I": the narrowest that holds the last position)
# and the positions themselves, little-endian, ascending: a phrase check looks a
# position up by bisection in the value (position_list) without decoding it.
_WIDTHS = ((256, "B"), (65_536, "H"), (1 << 32, "I"))
_SIZES = {"B": 1, "H": 2, "I": 4}
_SINGLE = [b"B" + bytes((position,)) if position < 256 else b"H" + pack("<H", position)
           for position in range(4096)]  # one position, as encoded: the common case
_LITTLE = sys.byteorder == "little"
_CODE_B = ord("B")
_BYTES = [bytes((value,)) for value in range(256)]
_CASTS: dict[int, Literal["B", "H", "I"]] = {ord("B"): "B", ord("H"): "H", ord("I"): "I"}


def encode_positions(positions: list[int]) -> bytes:
    last = positions[-1]
    if len(positions) == 1 and last < len(_SINGLE):  # most terms occur once in a letter
        return _SINGLE[last]
    if last < 256:
        return b"B" + bytes(positions)
    code = next(code for limit, code in _WIDTHS if last < limit)
    return code.encode() + pack(f"<{len(positions)}{code}", *positions)


def decode_positions(value: bytes) -> list[int]:
    code = chr(value[0])
    return list(unpack_from(f"<{(len(value) - 1) // _SIZES[code]}{code}", value, 1))


def position_list(value: bytes) -> Sequence[int]:
    """The positions as a sequence to bisect, without copying them where possible."""
    code = _CASTS.get(value[0])
    if code is not None and (code == "B" or _LITTLE):  # native order: no copy needed
        return memoryview(value)[1:].cast(code)
    return decode_positions(value)


def has_position(value: bytes, position: int) -> bool:
    """Whether an encoded value holds `position`: a byte search for one-byte positions,
    bisection in place for wider ones."""
    if value[0] == _CODE_B:
        return 0 <= position < 256 and value.find(_BYTES[position], 1) > 0
    positions = position_list(value)
    at = bisect_left(positions, position)
    return at < len(positions) and positions[at] == position


def position_count(value: bytes) -> int:
    return (len(value) - 1) // _SIZES[chr(value[0])]


class ArrayPositions(Positions):
    """Positions for a text field, analysed like FoldingAnalyzer(languages) in one pass."""

    def __init__(self, languages: tuple[str, ...] = (), field_boost: float = 1.0) -> None:
        super().__init__(field_boost=field_boost)
        self.languages = tuple(languages)

    def word_values(self, value: str, analyzer: Any, **kwargs: Any) -> Iterator[
            tuple[str, int, float, bytes]]:
        boost = self.field_boost
        for term, found in self.positions(value).items():
            yield term, len(found), len(found) * boost, encode_positions(found)

    def index_values(self, value: str) -> list[tuple[bytes, int, float, bytes]]:
        """word_values with the terms as UTF-8, as the writer stores them."""
        boost = self.field_boost
        return [(term.encode(), len(found), len(found) * boost, encode_positions(found))
                for term, found in self.positions(value).items()]

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each term's positions in `value`, the same as FoldingAnalyzer's."""
        # Whole-text calls (regular expression, join, lower, translate) do in C what the
        # analyzer does per token.
        folded = fold(" ".join(WORD.findall(value))).split(" ") if value else []
        positions: defaultdict[str, list[int]] = defaultdict(list)
        if not self.languages:
            for index, word in enumerate(folded):
                positions[word].append(index)
            return positions
        stemmed = [stemmer(language)(folded) for language in self.languages]
        for index, term in enumerate(stemmed[0]):
            positions[term].append(index)
        for other in stemmed[1:]:  # a second language adds its stem where it differs
            for index, (term, first) in enumerate(zip(other, stemmed[0], strict=True)):
                if term != first:
                    positions[term].append(index)
        if len(stemmed) > 1:
            for found in positions.values():
                found.sort()
        return positions

    def encode(self, poslist: list[int]) -> bytes:
        return encode_positions(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return position_count(valuestring)


class FoldedText(TEXT):
    """A phrase-capable text field analysed by FoldingAnalyzer(languages)."""

    def __init__(self, languages: tuple[str, ...] = ()) -> None:
        super().__init__(analyzer=FoldingAnalyzer(languages), phrase=True)
        self.format = ArrayPositions(languages)

    def index(self, value: str, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not text")
        return self.format.index_values(value)
