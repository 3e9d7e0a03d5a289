"""Incremental recompute: whenever a flush changes documents, interactions or complaints,
the values they feed are recomputed for just those customers, in the same transaction.

Nobody has to call this: `before_flush` notes which customers (and document types) a
change touches, `after_flush` recomputes with Core statements on the flush's own
connection, so a rollback takes the new values with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from dossier.customers.derived_compute import (
    choosing_columns,
    fields_fed_by,
    period_may_hold,
    recompute_customers,
)
from dossier.customers.derived_models import DerivedField, DerivedSource, DerivedValue
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.models import Customer
from dossier.documents.models import Document

PENDING_KEY = "derived_pending"
DOCUMENT_INPUTS = ("key_points", "document_type_id", "document_date", "customers")
ROW_INPUTS = {
    Interaction: ("customer_id", "channel", "direction", "scope", "subject", "occurred_at"),
    Complaint: ("customer_id", "status", "scope", "subject", "opened_at"),
}


@dataclass
class Pending:
    """What one flush touched: objects whose customers are read once ids exist."""

    documents: list[Document] = field(default_factory=list)
    document_customers: list[Any] = field(default_factory=list)  # Customer objects
    document_types: set[int | None] = field(default_factory=set)
    document_dates: set[date] = field(default_factory=set)  # old and new dates
    rows: dict[str, list[Any]] = field(default_factory=dict)  # source -> objects
    old_customer_ids: dict[str, set[int]] = field(default_factory=dict)
    deleted_customers: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.documents or self.document_customers or self.rows
                    or self.old_customer_ids or self.deleted_customers)


def _changed(obj: Any, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note_document(pending: Pending, document: Document, is_new_or_deleted: bool) -> None:
    if not is_new_or_deleted and not _changed(document, DOCUMENT_INPUTS):
        return
    state: Any = inspect(document)
    pending.documents.append(document)
    links = state.attrs["customers"].history  # unlinked customers lose an input too
    pending.document_customers.extend(chain(links.deleted or (), document.customers))
    types = state.attrs["document_type_id"].history
    pending.document_types.update(chain(types.deleted or (), types.unchanged or ()))
    dates = state.attrs["document_date"].history
    pending.document_dates.update(d for d in chain(dates.deleted or (), dates.unchanged or ())
                                  if d is not None)


def _note_row(pending: Pending, source: str, obj: Any, is_new_or_deleted: bool) -> None:
    if not is_new_or_deleted and not _changed(obj, ROW_INPUTS[type(obj)]):
        return
    pending.rows.setdefault(source, []).append(obj)
    old = inspect(obj).attrs["customer_id"].history.deleted or ()
    pending.old_customer_ids.setdefault(source, set()).update(i for i in old if i)


_SOURCES = {Interaction: DerivedSource.INTERACTIONS.value,
            Complaint: DerivedSource.COMPLAINTS.value}


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    pending: Pending = session.info.setdefault(PENDING_KEY, Pending())
    for obj, new_or_deleted in chain(((o, True) for o in session.new),
                                     ((o, True) for o in session.deleted),
                                     ((o, False) for o in session.dirty)):
        if isinstance(obj, Customer) and obj in session.deleted and obj.id is not None:
            pending.deleted_customers.add(obj.id)  # no foreign key cascades their values
        elif isinstance(obj, Document):
            _note_document(pending, obj, new_or_deleted)
        elif type(obj) in _SOURCES:
            _note_row(pending, _SOURCES[type(obj)], obj, new_or_deleted)


@event.listens_for(Session, "after_flush")
def _recompute(session: Session, flush_context: UOWTransaction) -> None:
    pending: Pending | None = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    connection = session.connection()
    if pending.deleted_customers:
        values = DerivedValue.__table__
        connection.execute(delete(values).where(
            values.c.customer_id.in_(sorted(pending.deleted_customers))))
    table = DerivedField.__table__
    # Core rows, not ORM objects: nothing is added to the session while it flushes; and
    # only the columns that choose the fields (the full definitions are read only when
    # their statement is built, see derived_compute._incremental_statements).
    fields: list[Any] = list(connection.execute(select(*choosing_columns(table))
                                                .where(table.c.active)))
    if not fields:
        return
    today = date.today()
    for source, customer_ids, types in _touched(pending):
        chosen = fields_fed_by(fields, source, types)
        if source == DerivedSource.DOCUMENTS.value:
            chosen = [f for f in chosen if period_may_hold(f, pending.document_dates, today)]
        recompute_customers(connection, customer_ids, chosen, today)


def _touched(pending: Pending) -> list[tuple[str, set[int], set[int | None]]]:
    """(source, customer ids, document type ids) for each source the flush touched."""
    touched = []
    if pending.documents:
        ids = {customer.id for customer in pending.document_customers}
        for document in pending.documents:
            ids.update(customer.id for customer in document.customers)
            pending.document_types.add(document.document_type_id)
            if document.document_date is not None:
                pending.document_dates.add(document.document_date)
        ids.discard(None)
        touched.append((DerivedSource.DOCUMENTS.value, ids, pending.document_types))
    for source in set(pending.rows) | set(pending.old_customer_ids):
        ids = {obj.customer_id for obj in pending.rows.get(source, ())}
        ids |= pending.old_customer_ids.get(source, set())
        ids.discard(None)
        touched.append((source, ids, set()))
    return touched
