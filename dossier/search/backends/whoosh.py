"""The embedded search backend: Whoosh indexes for documents and customers in one
directory (the app's SEARCH_INDEX).

Writes go through one writer at a time (a file lock across processes, then Whoosh's own
lock with a timeout), always with update_document on the unique id (add_document would
duplicate) and never through AsyncWriter (it returns before committing and loses updates
when several processes write). Each process keeps one searcher per index and reopens it
only when a commit changed the index.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from flask import Flask
from whoosh.writing import CLEAR

from dossier.search.backends import index_directory
from dossier.search.backends.base import DocumentPage, Visibility
from dossier.search.backends.whoosh_build import build_in_processes
from dossier.search.backends.whoosh_customers import search as search_customer_index
from dossier.search.backends.whoosh_documents import DocumentSearch, empty_page
from dossier.search.backends.whoosh_schema import (
    CUSTOMERS,
    DOCUMENTS,
    customer_fields,
    customer_schema,
    document_fields,
    document_schema,
)
from dossier.search.backends.whoosh_sets import ResultCache, SegmentCache
from dossier.search.backends.whoosh_snippets import highlight_for, snippet
from dossier.search.backends.whoosh_store import IndexStore
from dossier.search.content import IndexedCustomer, IndexedDocument
from dossier.search.query import ParsedQuery

BUILD_PROCESSES = 2  # on 2 cores: 587 docs/s at 100,000 letters (one process: ~300)
BUILD_MEMORY_MB = 256
SMALL_BUILD = 2_000  # fewer documents than this are built in this process


class WhooshBackend:
    name = "whoosh"

    def __init__(self, path: str | os.PathLike[str], processes: int = BUILD_PROCESSES,
                 small_build: int = SMALL_BUILD) -> None:
        self.path = Path(path)
        self.processes = processes
        self.small_build = small_build
        self.store = IndexStore(self.path, {DOCUMENTS: document_schema,
                                            CUSTOMERS: customer_schema})
        self.cache = SegmentCache()
        self.results = ResultCache()
        self._searched: dict[str, Any] = {}
        self._verified: dict[str, Any] = {}  # searchers health() has read from

    # --- writing ----------------------------------------------------------------------

    def index_documents(self, docs: Sequence[IndexedDocument]) -> None:
        self._update(DOCUMENTS, [document_fields(doc) for doc in docs])

    def remove_documents(self, ids: Sequence[int]) -> None:
        self._delete(DOCUMENTS, ids)

    def index_customers(self, customers: Sequence[IndexedCustomer]) -> None:
        self._update(CUSTOMERS, [customer_fields(customer) for customer in customers])

    def remove_customers(self, ids: Sequence[int]) -> None:
        self._delete(CUSTOMERS, ids)

    def _update(self, name: str, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        with self.store.writing():
            writer = self.store.writer(name)
            try:
                for record in records:
                    writer.update_document(**record)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def _delete(self, name: str, ids: Sequence[int]) -> None:
        if not ids:
            return
        with self.store.writing():
            writer = self.store.writer(name)
            try:
                for id_ in ids:
                    writer.delete_by_term("id", str(id_))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def clear(self) -> None:
        with self.store.writing():
            self.store.clear()

    def bulk_load(self, docs: Iterable[Sequence[IndexedDocument]],
                  customers: Iterable[Sequence[IndexedCustomer]],
                  progress: Callable[[int], None]) -> None:
        """Build both indexes from scratch and swap them in with one commit each (the
        old contents stay searchable until then, so a rebuild needs no clear() first);
        then the files of other index versions go."""
        with self.store.writing():
            self._build_documents(docs, progress)
            writer = self.store.writer(CUSTOMERS, limitmb=BUILD_MEMORY_MB)
            for batch in customers:
                for customer in batch:
                    writer.add_document(**customer_fields(customer))
            writer.commit(mergetype=CLEAR)
            self.store.remove_other_versions()

    def _build_documents(self, batches: Iterable[Sequence[IndexedDocument]],
                         progress: Callable[[int], None]) -> None:
        iterator = iter(batches)
        first: list[Sequence[IndexedDocument]] = []
        count = 0
        for batch in iterator:  # a small index is built faster in this process
            first.append(batch)
            count += len(batch)
            if count >= self.small_build:
                break
        if count >= self.small_build and self.processes > 1:
            build_in_processes(self.store.open(DOCUMENTS), chain(first, iterator), progress,
                               self.processes, BUILD_MEMORY_MB, self.store.write_timeout)
            return
        writer = self.store.writer(DOCUMENTS, limitmb=BUILD_MEMORY_MB)
        try:
            for batch in chain(first, iterator):
                for doc in batch:
                    writer.add_document(**document_fields(doc))
                progress(len(batch))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR)

    # --- searching --------------------------------------------------------------------

    def search_documents(self, query: ParsedQuery, visibility: Visibility, page: int,
                         per_page: int, order: str) -> DocumentPage:
        if not visibility.scopes or per_page <= 0:
            return empty_page()
        with self.store.searching(DOCUMENTS) as searcher:
            if searcher is None:
                return empty_page()
            self._note_searcher(DOCUMENTS, searcher)
            return DocumentSearch(searcher, self.cache, self.results, query,
                                  visibility).page(page, per_page, order)

    def search_customers(self, query: ParsedQuery, limit: int) -> list[tuple[int, float]]:
        with self.store.searching(CUSTOMERS) as searcher:
            if searcher is None:
                return []
            return search_customer_index(searcher, query, limit)

    def snippets(self, query: ParsedQuery, texts: dict[int, str]) -> dict[int, str]:
        wanted = highlight_for(query)
        return {key: snippet(text, wanted) for key, text in texts.items()}

    def _note_searcher(self, name: str, searcher: Any) -> None:
        """Forget cached sets of segments a new searcher no longer has."""
        if self._searched.get(name) is not searcher:
            self._searched[name] = searcher
            self.cache.forget_other_segments(searcher)

    # --- health -----------------------------------------------------------------------

    def health(self) -> str | None:
        """None when both indexes open and read; else what is wrong (the core rebuilds)."""
        if not self.path.is_dir():
            self.store.close()
            return f"the search index directory {self.path} does not exist"
        for name in (DOCUMENTS, CUSTOMERS):
            try:
                with self.store.searching(name) as searcher:
                    if searcher is None:
                        return f"the {name} search index in {self.path} is missing"
                    if self._verified.get(name) is not searcher:
                        _read_a_little(searcher)
                        self._verified[name] = searcher
            except Exception as error:  # any failure to read means: rebuild
                return f"the {name} search index in {self.path} cannot be read: {error!r}"
        return None

    def close(self) -> None:
        self.store.close()


def create(app: Flask) -> WhooshBackend:
    """The backend for `app` (see backends.create_backend)."""
    return WhooshBackend(index_directory(app))


def _read_a_little(searcher: Any) -> None:
    """Touch every file of every segment: terms, postings, lengths, stored fields."""
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if not reader.doc_count_all():
            continue
        reader.stored_fields(0)
        first = next(iter(reader.lexicon("id")), None)
        if first is not None:
            list(reader.postings("id", first).all_ids())
        leaf.doc_field_length(0, "title" if "title" in reader.schema else "name")
