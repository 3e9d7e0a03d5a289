"""The PostgreSQL full-text search backend: the search tables, written in the caller's transaction.

Writes go through db.session (the drain commits them with its outbox rows). Documents
are ranked by RUM's distance when the index is RUM, else by ts_rank over a GIN index;
which one is read from the index itself, so a server without RUM simply works slower.
The pieces: postgres_schema (tables, tsvector recipe), postgres_rows (document rows),
postgres_text (query words -> tsquery), postgres_filters (visibility, filters, class),
postgres_search (total, facets, page), postgres_snippets, postgres_customers,
postgres_build (full builds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.orm import Session

from dossier.extensions import db
from dossier.search.backends import postgres_build as build
from dossier.search.backends.base import DocumentPage, Visibility
from dossier.search.backends.postgres_customers import search_customers, write_customers
from dossier.search.backends.postgres_rows import write_documents
from dossier.search.backends.postgres_schema import (
    search_customer,
    search_document,
    tables_exist,
    tsv_index_method,
)
from dossier.search.backends.postgres_search import search_documents
from dossier.search.backends.postgres_snippets import snippets
from dossier.search.backends.postgres_text import TextQuery, text_query
from dossier.search.content import IndexedCustomer, IndexedDocument
from dossier.search.query import ParsedQuery

WORDS_KEPT = 256  # normalised queries remembered per process


class PostgresBackend:
    name = "postgres"

    def __init__(self, ranking: str | None = None) -> None:
        """`ranking` "rum" or "gin" forces one (tests); None reads the index's kind."""
        self._ranking = ranking
        self._words: dict[ParsedQuery, TextQuery] = {}

    def words(self, query: ParsedQuery) -> TextQuery:
        """The query's tsquery texts, kept for the snippets of the same search (and the
        next page): normalising them costs a round trip."""
        words = self._words.get(query)
        if words is None:
            if len(self._words) >= WORDS_KEPT:
                self._words.clear()
            words = self._words[query] = text_query(self._session, query)
        return words

    @property
    def _session(self) -> Session:
        return db.session  # type: ignore[return-value]

    def ranking(self) -> str:
        """"rum" or "gin": how pages are ordered by relevance (the index's kind, kept once
        known; while a rebuild has the index down, ts_rank, which needs no index)."""
        if self._ranking is None:
            self._ranking = tsv_index_method(self._session)
        return self._ranking or "gin"

    def index_documents(self, docs: Sequence[IndexedDocument]) -> None:
        write_documents(self._session, docs)

    def remove_documents(self, ids: Sequence[int]) -> None:
        if ids:
            self._session.execute(delete(search_document)
                                  .where(search_document.c.document_id.in_(list(ids))))

    def index_customers(self, customers: Sequence[IndexedCustomer]) -> None:
        write_customers(self._session, customers)

    def remove_customers(self, ids: Sequence[int]) -> None:
        if ids:
            self._session.execute(delete(search_customer)
                                  .where(search_customer.c.customer_id.in_(list(ids))))

    def search_documents(self, query: ParsedQuery, visibility: Visibility, page: int,
                         per_page: int, order: str) -> DocumentPage:
        return search_documents(self._session, query, self.words(query), visibility, page,
                                per_page, order, self.ranking())

    def search_customers(self, query: ParsedQuery, limit: int) -> list[tuple[int, float]]:
        return search_customers(self._session, query, limit)

    def snippets(self, query: ParsedQuery, texts: dict[int, str]) -> dict[int, str]:
        return snippets(self._session, self.words(query).rank, texts)

    def clear(self) -> None:
        build.clear(self._session)

    def bulk_load(self, docs: Iterable[Sequence[IndexedDocument]],
                  customers: Iterable[Sequence[IndexedCustomer]],
                  progress: Callable[[int], None]) -> None:
        build.load_batches(self._session, docs, customers, progress)

    def rebuild_from_database(self, progress: Callable[[int], None]) -> int:
        """The fast full build: clear, then fill from the tables in SQL alone (no rows
        through Python), committing as it goes; returns the number of documents."""
        return build.load_from_tables(self._session, progress)

    def health(self) -> str | None:
        if self._ranking is not None and self._ranking == tsv_index_method(self._session):
            return None  # the usual case: one catalogue lookup
        if not tables_exist(self._session):
            return _("The PostgreSQL search tables are missing: run the database "
                     "migrations (flask db upgrade).")
        if tsv_index_method(self._session) is None:
            return _("The full-text index of the search table is missing: the index is "
                     "rebuilt.")
        return None


def create(app: Flask) -> PostgresBackend:
    return PostgresBackend()
