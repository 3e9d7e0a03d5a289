"""A posting pool for Whoosh's segment writer that groups postings by term as they arrive.

Whoosh's own pool keeps a 5-tuple per posting, sorts millions of them, and above its
memory limit pickles them to run files one by one and merges those back: at 50,000
letters per build process that was a third of the build. Documents arrive in order, so
each term's postings already are; keeping them per term in compact arrays leaves only
the (much shorter) list of terms to sort.
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

Key = tuple[str, bytes]
_TERM_OVERHEAD = 400  # bytes of a term's arrays and its dictionary entry
_POSTING_BYTES = 12  # document number, weight and value end, as 4-byte numbers


class _Term:
    __slots__ = ("docnums", "ends", "in_order", "values", "weights")

    def __init__(self) -> None:
        self.docnums = array("I")
        self.weights = array("f")
        self.ends = array("I")
        self.values = bytearray()
        self.in_order = True

    def add(self, docnum: int, weight: float, value: bytes | None) -> None:
        if self.docnums and docnum < self.docnums[-1]:
            self.in_order = False
        self.docnums.append(docnum)
        self.weights.append(weight)
        if value:
            self.values += value
        self.ends.append(len(self.values))

    def extend(self, other: _Term) -> None:
        base = len(self.values)
        if self.docnums and other.docnums and other.docnums[0] < self.docnums[-1]:
            self.in_order = False
        self.docnums.extend(other.docnums)
        self.weights.extend(other.weights)
        self.ends.extend(end + base for end in other.ends)
        self.values += other.values
        self.in_order = self.in_order and other.in_order

    def postings(self) -> Iterator[tuple[int, float, bytes]]:
        values = bytes(self.values)
        starts = [0, *self.ends[:-1]]
        found = zip(self.docnums, self.weights,
                    (values[start:end] for start, end in zip(starts, self.ends, strict=True)),
                    strict=True)
        return iter(sorted(found, key=itemgetter(0))) if not self.in_order else found

    def sorted(self) -> _Term:
        ordered = _Term()
        for docnum, weight, value in self.postings():
            ordered.docnums.append(docnum)
            ordered.weights.append(weight)
            ordered.values += value
            ordered.ends.append(len(ordered.values))
        return ordered

    def dump(self) -> tuple[bytes, bytes, bytes, bytes, bool]:
        return (self.docnums.tobytes(), self.weights.tobytes(), self.ends.tobytes(),
                bytes(self.values), self.in_order)

    @classmethod
    def load(cls, data: tuple[bytes, bytes, bytes, bytes, bool]) -> _Term:
        term = cls()
        term.docnums.frombytes(data[0])
        term.weights.frombytes(data[1])
        term.ends.frombytes(data[2])
        term.values += data[3]
        term.in_order = data[4]
        return term


class GroupingPool:
    """The pool interface SegmentWriter uses: add(), iter_postings(), cleanup()."""

    def __init__(self, limitmb: float = 128) -> None:
        self.fieldnames: set[str] = set()
        self._terms: dict[Key, _Term] = {}
        self._size = 0
        self._limit = int(limitmb * 1024 * 1024)
        self._runs: list[str] = []
        self._tempdir: str | None = None

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        # _Term.add inlined: this runs for every posting of every document.
        fieldname, text, docnum, weight, value = item
        key = (fieldname, text)
        term = self._terms.get(key)
        if term is None:
            term = self._terms[key] = _Term()
            self.fieldnames.add(fieldname)
            self._size += _TERM_OVERHEAD + len(text)
        docnums = term.docnums
        if docnums and docnum < docnums[-1]:
            term.in_order = False
        docnums.append(docnum)
        term.weights.append(weight)
        if value:
            term.values += value
            self._size += _POSTING_BYTES + len(value)
        else:
            self._size += _POSTING_BYTES
        term.ends.append(len(term.values))
        if self._size > self._limit:
            self._spill()

    def add_field(self, fieldname: str, docnum: int,
                  items: Iterable[tuple[bytes, int, float, bytes | None]],
                  scorable: bool) -> int:
        """add() for every term of one field of one document; returns the field's length.
        (The same steps as add(), inlined: this is the inner loop of a build.)"""
        terms = self._terms
        length = size = 0
        for text, frequency, weight, value in items:
            length += frequency
            key = (fieldname, text)
            term = terms.get(key)
            if term is None:
                term = terms[key] = _Term()
                size += _TERM_OVERHEAD + len(text)
            docnums = term.docnums
            if docnums and docnum < docnums[-1]:
                term.in_order = False
            docnums.append(docnum)
            term.weights.append(weight)
            if value:
                term.values += value
                size += _POSTING_BYTES + len(value)
            else:
                size += _POSTING_BYTES
            term.ends.append(len(term.values))
        self.fieldnames.add(fieldname)
        self._size += size
        if self._size > self._limit:
            self._spill()
        return length if scorable else 0

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """(fieldname, text, docnum, weight, value) sorted as Whoosh's field writer wants."""
        for (fieldname, text), term in self._grouped():
            for docnum, weight, value in term.postings():
                yield fieldname, text, docnum, weight, value

    def terms(self) -> Iterator[tuple[str, bytes, _Term]]:
        """(fieldname, text, postings) sorted as Whoosh's field writer wants; a term's
        postings in document order."""
        for (fieldname, text), term in self._grouped():
            if not term.in_order:
                term = term.sorted()
            yield fieldname, text, term

    def cleanup(self) -> None:
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None
        self._runs = []

    def _grouped(self) -> Iterator[tuple[Key, _Term]]:
        if not self._runs:
            for key in sorted(self._terms):
                yield key, self._terms[key]
            return
        self._spill()
        merged = heapq.merge(*(self._read(path, order) for order, path in
                               enumerate(self._runs)))
        for key, parts in groupby(merged, key=itemgetter(0)):
            term: _Term | None = None
            for _key, _order, part in parts:  # runs in the order written: documents too
                if term is None:
                    term = part
                else:
                    term.extend(part)
            if term is not None:
                yield key, term

    def _spill(self) -> None:
        if not self._terms:
            return
        if self._tempdir is None:
            self._tempdir = tempfile.mkdtemp(prefix="dossier-index-pool-")
        path = os.path.join(self._tempdir, f"run{len(self._runs)}")
        with open(path, "wb") as handle:
            for key in sorted(self._terms):
                pickle.dump((key, self._terms[key].dump()), handle, protocol=5)
        self._runs.append(path)
        self._terms = {}
        self._size = 0

    @staticmethod
    def _read(path: str, order: int) -> Iterator[tuple[Key, int, Any]]:
        with open(path, "rb") as handle:
            while True:
                try:
                    key, data = pickle.load(handle)  # noqa: S301 - our own run file
                except EOFError:
                    return
                yield key, order, _Term.load(data)
