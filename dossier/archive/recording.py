"""Writing history: row locks, appending a movement, and the audit events it causes.

Every operation that moves an item or a box locks what it changes (SELECT ... FOR
UPDATE on PostgreSQL; SQLite transactions start with BEGIN IMMEDIATE and so are
serialised anyway), reads the state afresh under that lock, validates, and only then
appends. Locks are always taken destination first, then the thing that moves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from dossier.archive import queries
from dossier.archive.errors import InvalidLocation, LocationFull, NotAllowed
from dossier.archive.models import Location, Movement, MovementKind, PhysicalItem
from dossier.archive.queries import ItemState
from dossier.archive.request_states import follow_movement
from dossier.auth.models import User, utcnow
from dossier.auth.permissions import Action, Feature, can
from dossier.compliance.audit import AuditAction, record
from dossier.customers.models import Customer
from dossier.documents.models import DocumentScope, document_customer
from dossier.extensions import db


@dataclass(frozen=True)
class Outcome:
    """What an operation did: the movement it wrote, or none and the reason why not.

    `before` is the item's state before the operation (None for a box move).
    """

    movement: Movement | None
    reason: str = "done"
    before: ItemState | None = None

    @property
    def changed(self) -> bool:
        return self.movement is not None


def new_batch_id() -> str:
    return uuid.uuid4().hex


def require_clerk(actor: Any) -> None:
    if not can(actor, Action.EDIT, Feature.ARCHIVE):
        raise NotAllowed(_("Only archive clerks and administrators may change the archive."))


def lock_item(item: PhysicalItem) -> PhysicalItem:
    """The item, locked for this transaction and re-read, so its state is the latest.
    (Its latest movement is read after the lock, not joined into the locking statement:
    on PostgreSQL a statement that waited for the lock sees the locked row as it is now
    but joined rows as they were when it started.)"""
    return db.session.scalars(
        select(PhysicalItem).where(PhysicalItem.id == item.id).with_for_update()
        .execution_options(populate_existing=True)).one()


def lock_location(location: Location) -> Location:
    return db.session.scalars(
        select(Location).where(Location.id == location.id).with_for_update()
        .execution_options(populate_existing=True)).one()


def check_destination(location: Location, adding: int = 1) -> None:
    """`location` can take `adding` more things: it is active and has room."""
    if not location.active:
        raise InvalidLocation(_("%(place)s is no longer in use.",
                                place=queries.path_label(location)))
    if location.capacity is None:
        return
    held = queries.occupancy(location)
    if held + adding > location.capacity:
        raise LocationFull(_("%(place)s is full: it holds %(held)s of %(capacity)s.",
                             place=queries.path_label(location), held=held,
                             capacity=location.capacity))


def append_for_item(actor: Any, item: PhysicalItem, kind: MovementKind, *,
                    from_location: Location | None, to_location: Location | None = None,
                    to_person: User | None = None, due_on: date | None = None,
                    batch_id: str | None = None, note: str = "",
                    at: datetime | None = None) -> Movement:
    movement = _append(actor, kind, item_id=item.id, from_location=from_location,
                       to_location=to_location, to_person=to_person, due_on=due_on,
                       batch_id=batch_id, note=note, at=at)
    current = item.last_movement
    # Movements recorded late (an offline scanner's file) keep their own time; the
    # latest by time says where the item is.
    if current is None or (movement.at, movement.id) >= (current.at, current.id):
        item.last_movement = movement
    audit_item(actor, AuditAction.MOVE, item, _details(movement) | {"document": item.document_id})
    db.session.flush()
    follow_movement(actor, item, movement)  # retrieval requests follow their item
    db.session.flush()
    return movement


def append_for_location(actor: Any, location: Location, kind: MovementKind, *,
                        from_location: Location | None, to_location: Location | None,
                        batch_id: str | None = None, note: str = "",
                        at: datetime | None = None) -> Movement:
    movement = _append(actor, kind, location_id=location.id, from_location=from_location,
                       to_location=to_location, batch_id=batch_id, note=note, at=at)
    location.parent = to_location
    _audit_location(actor, location, movement)
    db.session.flush()
    return movement


def _append(actor: Any, kind: MovementKind, *, from_location: Location | None,
            to_location: Location | None, at: datetime | None, note: str,
            to_person: User | None = None, **columns: Any) -> Movement:
    movement = Movement(
        kind=kind.value, actor_id=getattr(actor, "id", None), at=at or utcnow(),
        from_location=from_location, to_location=to_location, to_person=to_person,
        note=note.strip()[:300], **columns)
    db.session.add(movement)
    db.session.flush()
    return movement


def _details(movement: Movement) -> dict[str, Any]:
    return {"movement": movement.id, "kind": movement.kind,
            "from": movement.from_location_id, "to": movement.to_location_id,
            "to_person": movement.to_person_id,
            "due_on": movement.due_on.isoformat() if movement.due_on else None,
            "batch": movement.batch_id}


def audit_item(actor: Any, action: str, item: PhysicalItem, details: dict[str, Any]) -> None:
    """An item of a customer's document is personal data: one event per customer."""
    customers, scope = _audit_subjects(item)
    for customer_id in customers or [None]:
        record(actor, action, item, customer_id=customer_id, scope=scope, details=details)


def _audit_subjects(item: PhysicalItem) -> tuple[list[int | None], str | None]:
    """The item's document's customers (by number) and scopes, as the document says.
    Read from the link tables unless the document is already loaded: loading it for a
    scan would also load its files (their text included) for nothing."""
    if item.document_id is None:
        return [], None
    if "document" not in sa_inspect(item).unloaded and item.document is not None:
        return [c.id for c in item.document.customers], ",".join(item.document.scopes)
    customers = db.session.scalars(
        select(document_customer.c.customer_id)
        .join(Customer, Customer.id == document_customer.c.customer_id)
        .where(document_customer.c.document_id == item.document_id)
        .order_by(Customer.number)).all()
    scopes = db.session.scalars(
        select(DocumentScope.scope).where(DocumentScope.document_id == item.document_id)
        .order_by(DocumentScope.scope)).all()
    return list(customers), ",".join(scopes)


def _audit_location(actor: Any, location: Location, movement: Movement) -> None:
    """A box's move moves the documents in it: the box's event, and one per customer."""
    record(actor, AuditAction.MOVE, location, details=_details(movement))
    by_customer: dict[int, list[int]] = {}
    for item in queries.items_at(location):
        for customer in item.document.customers if item.document else []:
            by_customer.setdefault(customer.id, []).append(item.id)
    for customer_id, item_ids in sorted(by_customer.items()):
        record(actor, AuditAction.MOVE, location, customer_id=customer_id,
               details=_details(movement) | {"items": item_ids})
