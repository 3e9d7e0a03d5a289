"""Document-number sets and columns per index segment, cached while the segment exists.

A segment's documents never change (only deletions are added), so the documents a
filter query matches in it (a scope combination, a class under today's rules, a type)
stay valid for as long as the segment does; callers remove deleted documents. Building
a filter from a query costs ~145 ms at 100,000 documents, looking it up nothing.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from whoosh.query import And, Every, MultiTerm, Not, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from dossier.search.backends.whoosh_codec import term_docs

MAX_CACHED_DOCNUMS = 2_000_000  # about 100 MB of sets at most
MAX_CACHED_RESULTS = 600_000  # documents in cached text results (~50 MB)
MAX_LABELS = 64  # values of one facet field counted per segment (types, storages, scopes)


@dataclass(frozen=True)
class SegmentColumns:
    ids: list[int]  # database id per document number
    date_keys: list[int]  # newest-first order: date, then id


def segment_key(leaf: Searcher) -> str | None:
    segment = leaf.reader().segment()
    return None if segment is None else str(segment.segment_id())


class SegmentCache:
    def __init__(self, max_docnums: int = MAX_CACHED_DOCNUMS) -> None:
        self._sets: OrderedDict[tuple[str, Hashable], frozenset[int]] = OrderedDict()
        self._size = 0
        self._max = max_docnums
        self._columns: dict[str, SegmentColumns] = {}
        self._terms: dict[tuple[str, str], tuple[str, ...]] = {}
        self._labels: dict[tuple[str, str], tuple[tuple[str, ...], array]] = {}
        self._lock = threading.Lock()

    def docs(self, leaf: Searcher, query: Query) -> frozenset[int]:
        """Document numbers (in the leaf) `query` matches; may include deleted ones."""
        segment = segment_key(leaf)
        if segment is None:
            return frozenset()
        key = (segment, query)
        with self._lock:
            found = self._sets.get(key)
            if found is not None:
                self._sets.move_to_end(key)
                return found
        found = frozenset(query_docs(leaf, query))
        with self._lock:
            if key not in self._sets:
                self._sets[key] = found
                self._size += len(found)
                while self._size > self._max and len(self._sets) > 1:
                    _key, dropped = self._sets.popitem(last=False)
                    self._size -= len(dropped)
        return found

    def terms(self, leaf: Searcher, field: str) -> tuple[str, ...]:
        """The distinct values of a filter field in the leaf (types, storages)."""
        segment = segment_key(leaf)
        if segment is None:
            return ()
        key = (segment, field)
        found = self._terms.get(key)
        if found is None:
            found = tuple(leaf.reader().field_terms(field))
            self._terms[key] = found
        return found

    def labels(self, leaf: Searcher, field: str) -> tuple[tuple[str, ...], array]:
        """The values of a filter field in the leaf and, per document, the bits of the
        values it has (bit i: values[i]); for counting facets in one pass."""
        segment = segment_key(leaf) or ""
        found = self._labels.get((segment, field))
        if found is None:
            values = self.terms(leaf, field)[:MAX_LABELS]
            bits = array("Q", bytes(8 * leaf.reader().doc_count_all()))
            for index, value in enumerate(values):
                for doc in term_docs(leaf.reader(), field, value):
                    bits[doc] |= 1 << index
            found = (values, bits)
            self._labels[(segment, field)] = found
        return found

    def columns(self, leaf: Searcher) -> SegmentColumns:
        segment = segment_key(leaf) or ""
        found = self._columns.get(segment)
        if found is None:
            reader = leaf.reader()
            ids = list(reader.column_reader("doc_id"))
            days = list(reader.column_reader("day"))
            found = SegmentColumns(ids, [day << 40 | id_ for day, id_ in zip(days, ids,
                                                                              strict=True)])
            self._columns[segment] = found
        return found

    def forget_other_segments(self, searcher: Searcher) -> None:
        """Drop what belongs to segments the searcher no longer has (merged, cleared)."""
        current = {segment_key(leaf) for leaf, _offset in searcher.leaf_searchers()}
        with self._lock:
            for key in [key for key in self._sets if key[0] not in current]:
                self._size -= len(self._sets.pop(key))
            for segment in [s for s in self._columns if s not in current]:
                del self._columns[segment]
            for key in [key for key in self._terms if key[0] not in current]:
                del self._terms[key]
            for key in [key for key in self._labels if key[0] not in current]:
                del self._labels[key]


class ResultCache:
    """The text part's outcome per segment (matching documents and their scores) for the
    searcher in use: paging on, clicking a facet or asking again costs a lookup. Scores
    use index-wide statistics, so the whole cache goes when the searcher changes."""

    def __init__(self, max_docnums: int = MAX_CACHED_RESULTS) -> None:
        self._results: OrderedDict[Hashable, tuple[frozenset[int], dict[int, float]]] = \
            OrderedDict()
        self._size = 0
        self._max = max_docnums
        self._searcher: Any = None

    def get(self, searcher: Searcher, key: Hashable) -> tuple[frozenset[int],
                                                              dict[int, float]] | None:
        if searcher is not self._searcher:
            self._results.clear()
            self._size = 0
            self._searcher = searcher
            return None
        found = self._results.get(key)
        if found is not None:
            self._results.move_to_end(key)
        return found

    def put(self, key: Hashable, found: frozenset[int], scores: dict[int, float]) -> None:
        if key in self._results or len(scores) > self._max:
            return
        self._results[key] = (found, scores)
        self._size += len(scores) + len(found)
        while self._size > self._max and self._results:
            _key, (dropped, dropped_scores) = self._results.popitem(last=False)
            self._size -= len(dropped) + len(dropped_scores)


def query_docs(leaf: Searcher, query: Query) -> set[int]:
    """Document numbers (in the leaf) matching a filter query, deleted documents included,
    by set operations over whole posting lists."""
    reader = leaf.reader()
    if isinstance(query, Term):
        return set(term_docs(reader, query.fieldname, query.text))
    if isinstance(query, Or):
        found: set[int] = set()
        for sub in query.subqueries:
            found.update(query_docs(leaf, sub))
        return found
    if isinstance(query, And):
        parts = [query_docs(leaf, sub) for sub in query.subqueries]
        return parts[0].intersection(*parts[1:]) if parts else set()
    if isinstance(query, Not):
        return set(range(reader.doc_count_all())).difference(query_docs(leaf, query.query))
    if isinstance(query, Every):
        return set(range(reader.doc_count_all()))
    if query is NullQuery:
        return set()
    if isinstance(query, MultiTerm):  # ranges of dates: their expansion
        found = set()
        for field, text in query.expanded_terms(reader):
            found.update(term_docs(reader, field, text))
        return found
    return set(query.docs(leaf))


def live(leaf: Searcher, docnums: Any) -> frozenset[int]:
    """`docnums` without the leaf's deleted documents."""
    deleted = leaf.reader().deleted_docs_set if leaf.reader().has_deletions() else ()
    return frozenset(docnums).difference(deleted) if deleted else frozenset(docnums)
