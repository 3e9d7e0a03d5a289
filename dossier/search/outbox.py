"""The search outbox: rows added in the changing transaction, applied to the index after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from dossier.auth.models import utcnow
from dossier.extensions import db

PENDING_FLAG = "search_outbox_pending"  # in Session.info: this transaction queued rows
# Customer fields the index holds: with the customer itself (IndexedCustomer) ...
CUSTOMER_INDEXED_FIELDS = frozenset({
    "number", "kind", "initials", "first_name", "infix", "last_name", "organisation_name",
    "postcode", "house_number", "house_number_addition", "email", "phone", "city"})
# ... and with each of the customer's documents (IndexedDocument's names and numbers).
CUSTOMER_FIELDS_ON_DOCUMENTS = frozenset({
    "number", "kind", "initials", "first_name", "infix", "last_name", "organisation_name"})


class OutboxKind(StrEnum):
    DOCUMENT = "document"
    CUSTOMER = "customer"


class OutboxOperation(StrEnum):
    INDEX = "index"
    REMOVE = "remove"


class SearchOutbox(db.Model):  # type: ignore[name-defined]
    """One pending index change; deleted once applied. No foreign key: a removed object's
    row must outlive it."""

    __tablename__ = "search_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    object_id: Mapped[int]
    operation: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SearchOutbox {self.kind} {self.object_id} {self.operation}>"


def _enqueue(kind: OutboxKind, ids: Iterable[int], operation: str) -> None:
    wanted = sorted({int(i) for i in ids if i is not None})
    if not wanted:
        return
    op = OutboxOperation(operation)
    db.session.add_all(SearchOutbox(kind=kind.value, object_id=i, operation=op.value)
                       for i in wanted)
    db.session.info[PENDING_FLAG] = True


def enqueue_documents(document_ids: Iterable[int], operation: str) -> None:
    """Outbox rows for these documents, in the current transaction (flush their ids first)."""
    _enqueue(OutboxKind.DOCUMENT, document_ids, operation)


def enqueue_customers(customer_ids: Iterable[int], operation: str,
                      with_documents: bool = True) -> None:
    """Outbox rows for these customers and (unless told not to) for the documents that
    carry their name and number."""
    from dossier.search.content import customer_document_ids

    ids = [int(i) for i in customer_ids if i is not None]
    _enqueue(OutboxKind.CUSTOMER, ids, operation)
    if with_documents:
        _enqueue(OutboxKind.DOCUMENT, customer_document_ids(ids), OutboxOperation.INDEX)


def customer_changed(customer_id: int, changed_fields: Iterable[str]) -> None:
    """Queue what a change of these customer fields makes stale in the index."""
    changed = set(changed_fields)
    if changed & CUSTOMER_INDEXED_FIELDS:
        enqueue_customers([customer_id], OutboxOperation.INDEX,
                          with_documents=bool(changed & CUSTOMER_FIELDS_ON_DOCUMENTS))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    # No SQL may run here; the drain runs in the worker (see docs/DECISIONS.md).
    if session.info.pop(PENDING_FLAG, False):
        from dossier.search.tasks import nudge_drain

        nudge_drain()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the whole transaction is gone, rows too
        session.info.pop(PENDING_FLAG, None)


def pending_count() -> int:
    """How many changes wait to reach the index."""
    return int(db.session.query(SearchOutbox).count())
