"""Full builds of the PostgreSQL search tables: from IndexedDocument batches, or all in SQL.

Both drop the text index first and build it once at the end: RUM updated row by row
manages ~200 documents/s, built in one go it takes ~25 s for 100,000 documents. While a
build runs, searches see a partial table without that index (slow, and the search page
says the index is being rebuilt); health() reports a missing index, so a build that
died half-way is redone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from dossier.search.backends.postgres_customers import ALL_WORDS, write_customers
from dossier.search.backends.postgres_customers import INSERT_FROM_TABLES as CUSTOMERS_FROM_TABLES
from dossier.search.backends.postgres_rows import INSERT_FROM_TABLES as DOCUMENTS_FROM_TABLES
from dossier.search.backends.postgres_rows import write_documents
from dossier.search.backends.postgres_schema import (
    create_tsv_index,
    drop_tsv_index,
    rum_available,
    tsv_index_method,
)
from dossier.search.content import IndexedCustomer, IndexedDocument

CHUNK = 5_000  # documents per INSERT ... SELECT: a progress step, and a commit
# Chunks inserted at once, each on a connection of its own: computing the tsvectors is
# the server's work, one core per statement (54 of the 109 s of a build of 100,000
# letters when they went one after another), so two keep both cores of a small server
# busy.
BUILD_CONNECTIONS = 2
_UPPER_BOUND = text("SELECT id FROM document WHERE id > :after ORDER BY id "
                    "OFFSET :skip LIMIT 1")
_LAST_ID = text("SELECT max(id) FROM document")


def clear(session: Session) -> None:
    session.execute(text("TRUNCATE search_document, search_customer, search_name_word"))


def _index_method(session: Session) -> str:
    """The kind of text index to build: the one there is, else RUM when installed."""
    return tsv_index_method(session) or ("rum" if rum_available(session) else "gin")


def _finish(session: Session, method: str) -> None:
    session.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    create_tsv_index(session, method)
    session.execute(text("ANALYZE search_document"))
    session.execute(text("ANALYZE search_customer"))
    session.execute(text("ANALYZE search_name_word"))


def load_batches(session: Session, docs: Iterable[Sequence[IndexedDocument]],
                 customers: Iterable[Sequence[IndexedCustomer]],
                 progress: Callable[[int], None]) -> None:
    """Replace the tables' contents with the batches given, the text index built once at
    the end (one transaction: searches see the old rows until it commits)."""
    method = _index_method(session)
    clear(session)
    drop_tsv_index(session)
    for batch in docs:
        write_documents(session, batch)
        progress(len(batch))
    for customer_batch in customers:
        write_customers(session, customer_batch)
    _finish(session, method)


def _chunks(session: Session, size: int) -> Iterable[tuple[int, int]]:
    """(after, up to) id ranges holding `size` documents each (the last one fewer)."""
    after = 0
    last = session.execute(_LAST_ID).scalar() or 0
    while after < last:
        bound = session.execute(_UPPER_BOUND, {"after": after, "skip": size - 1}).scalar()
        upto = last if bound is None else int(bound)
        yield after, upto
        after = upto


def _insert_chunk(connection: Connection, after: int, upto: int) -> int:
    connection.execute(text("SET LOCAL work_mem = '64MB'"))
    result = connection.execute(DOCUMENTS_FROM_TABLES, {"low": after, "high": upto})
    return int(getattr(result, "rowcount", 0))


def _insert_in_parallel(engine: Engine, chunks: list[tuple[int, int]],
                        progress: Callable[[int], None], workers: int) -> int:
    """The chunks on `workers` connections at once (the server computes the tsvectors: one
    statement uses one core), each committed by itself; progress from this thread."""
    def insert(bounds: tuple[int, int]) -> int:
        with engine.begin() as connection:
            return _insert_chunk(connection, *bounds)

    count = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="search-build") as pool:
        for added in pool.map(insert, chunks):
            count += added
            progress(added)
    return count


def load_from_tables(session: Session, progress: Callable[[int], None],
                     size: int = CHUNK, workers: int = BUILD_CONNECTIONS) -> int:
    """Empty the tables and fill them from the database in SQL alone; the number of
    documents indexed. Each chunk commits by itself, so searches meanwhile are not
    blocked and a long build never holds one transaction open.

    With the session on an engine the chunks go `workers` at a time, each on a
    connection of its own; a session bound to one connection (the tests' rolled-back
    transaction, whose rows no other connection sees) inserts them one after another."""
    method = _index_method(session)
    clear(session)
    drop_tsv_index(session)
    session.commit()
    chunks = list(_chunks(session, size))
    session.commit()
    bind = session.get_bind()
    if isinstance(bind, Engine) and workers > 1 and len(chunks) > 1:
        count = _insert_in_parallel(bind, chunks, progress, workers)
    else:
        count = 0
        for after, upto in chunks:
            added = _insert_chunk(session.connection(), after, upto)
            session.commit()
            count += added
            progress(added)
    session.execute(CUSTOMERS_FROM_TABLES)
    session.execute(ALL_WORDS)
    _finish(session, method)
    session.commit()
    return count
