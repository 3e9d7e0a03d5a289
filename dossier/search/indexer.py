"""The one indexer: drains the outbox into the backend, and rebuilds the index from the database.

One drainer at a time (locks.py): a second one waits briefly, then leaves the
rows to the drainer at work. Each batch is one transaction: read rows, apply them to
the backend, delete them, commit. A crash before the commit leaves the rows, which the
next drain applies again (applying is idempotent: upsert by id), so nothing is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import delete, select

from dossier.extensions import db
from dossier.search.backends import get_backend
from dossier.search.backends.base import Backend
from dossier.search.content import (
    iter_all_customers,
    iter_all_documents,
    load_customers,
    load_documents,
)
from dossier.search.locks import drain_lock, rebuild_lock
from dossier.search.outbox import OutboxKind, OutboxOperation, SearchOutbox

log = logging.getLogger(__name__)
MAX_BATCHES = 1000  # a drain call stops after this many batches; the next one goes on
DELETE_CHUNK = 900  # ids per DELETE ... IN (...): under SQLite's variable limit
T = TypeVar("T")


def drain_outbox(limit: int = 500, wait: float = 2.0) -> int:
    """Apply committed outbox rows, `limit` per transaction, until none are left.

    Commits the session after each batch. Returns the number of rows applied; 0 when
    another drainer (or a rebuild) holds the lock for longer than `wait` seconds.
    """
    applied = 0
    with drain_lock(wait) as acquired:
        if not acquired:
            return 0
        for _batch in range(MAX_BATCHES):
            done = _drain_batch(get_backend(), max(1, limit))
            db.session.commit()
            applied += done
            if done < limit:
                break
    return applied


def _drain_batch(backend: Backend, limit: int) -> int:
    rows = db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id).limit(limit)).all()
    if not rows:
        return 0
    latest: dict[tuple[str, int], str] = {}
    for row in rows:  # ordered by id: the last operation on an object wins
        latest[(row.kind, row.object_id)] = row.operation
    _apply(backend, latest)
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
    return len(rows)


def _wanted(latest: dict[tuple[str, int], str], kind: OutboxKind) -> tuple[list[int], list[int]]:
    index = sorted(i for (k, i), op in latest.items() if k == kind and op == OutboxOperation.INDEX)
    remove = sorted(i for (k, i), op in latest.items()
                    if k == kind and op == OutboxOperation.REMOVE)
    return index, remove


def _apply(backend: Backend, latest: dict[tuple[str, int], str]) -> None:
    """The database is the truth: an "index" row whose object is gone becomes a removal."""
    index, remove = _wanted(latest, OutboxKind.DOCUMENT)
    documents = load_documents(index)
    remove += sorted(set(index) - {d.id for d in documents})
    if documents:
        backend.index_documents(documents)
    if remove:
        backend.remove_documents(remove)
    index, remove = _wanted(latest, OutboxKind.CUSTOMER)
    customers = load_customers(index)
    remove += sorted(set(index) - {c.id for c in customers})
    if customers:
        backend.index_customers(customers)
    if remove:
        backend.remove_customers(remove)


def rebuild_index(progress: Callable[[int], None] | None = None, wait: bool = True) -> int:
    """Replace the index with every document and customer from the database.

    Drains are held off meanwhile; rows committed before the rebuild began are covered
    by it and deleted at the end, later ones are drained afterwards. Each batch is read in
    a transaction of its own, committed before the batch is indexed, so a long rebuild
    never holds SQLite's write lock while it works. Returns the number of
    documents indexed (0 when `wait` is false and another rebuild is running).
    """
    backend = get_backend()
    count = 0

    def counted(batches: Iterator[list[T]], counts: bool) -> Iterator[list[T]]:
        nonlocal count
        for batch in batches:
            # End the read transaction before the batch is indexed: on SQLite every
            # transaction holds the write lock (BEGIN IMMEDIATE), and a build that kept
            # it while Whoosh worked left every other request "database is locked".
            db.session.commit()
            if counts:
                count += len(batch)
            yield batch

    with rebuild_lock(wait) as acquired:
        if not acquired:
            return 0
        covered = list(db.session.scalars(select(SearchOutbox.id)))
        db.session.commit()
        fast = getattr(backend, "rebuild_from_database", None)
        if fast is not None:  # PostgreSQL: filled from the tables in SQL, no rows via Python
            count = fast(progress or _ignore)
        else:  # no clear() first: the old contents stay searchable until the swap
            backend.bulk_load(counted(iter_all_documents(), True),
                              counted(iter_all_customers(), False), progress or _ignore)
        _delete_rows(covered)
        db.session.commit()
        log.info("search index rebuilt: %d documents", count)
    drain_outbox()
    return count


def _delete_rows(ids: Sequence[int]) -> None:
    for start in range(0, len(ids), DELETE_CHUNK):
        chunk = list(ids[start:start + DELETE_CHUNK])
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(chunk)))


def _ignore(_count: int) -> None:
    return None


def check_health() -> str | None:
    """The backend's own diagnosis: None when the index is usable."""
    return get_backend().health()
