"""How retrieval requests follow their item: every movement of an item passes here.

A check-out to the person first in line delivers that request (with the loan's due
date); the item back in the archive returns the delivered request, so the next one in
line comes up on the pick list; a destroyed original cancels what still waits. A
movement recorded late (an offline scanner's file) that is not the item's latest says
nothing about now and changes no request.

This module is called by `recording.append_for_item` and so must not import it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dossier.archive.desk_models import OPEN_STATUSES, RequestStatus, RetrievalRequest
from dossier.archive.models import Movement, MovementKind, PhysicalItem, Status
from dossier.archive.queries import STATUS_OF_KIND
from dossier.auth.models import utcnow
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db


def follow_movement(actor: Any, item: PhysicalItem, movement: Movement) -> None:
    if item.last_movement_id != movement.id:
        return
    kind = MovementKind(movement.kind)
    if kind == MovementKind.CHECK_OUT:
        _deliver(actor, item, movement)
    elif kind == MovementKind.DESTROYED:
        for request in open_requests(item):
            cancel_request(actor, request, "destroyed")
    elif _in_archive(movement):
        for request in open_requests(item):
            if request.status == RequestStatus.DELIVERED:
                _change(actor, request, RequestStatus.RETURNED, returned_at=movement.at)
            elif request.status == RequestStatus.PICKED:  # put back before it was handed over
                _change(actor, request, RequestStatus.REQUESTED, picked_at=None,
                        picked_by_id=None)


def open_requests(item: PhysicalItem) -> list[RetrievalRequest]:
    """The item's open requests in the order they are served (oldest first)."""
    return list(db.session.scalars(
        select(RetrievalRequest)
        .where(RetrievalRequest.item_id == item.id,
               RetrievalRequest.status.in_(OPEN_STATUSES))
        .order_by(RetrievalRequest.requested_at, RetrievalRequest.id)))


def cancel_request(actor: Any, request: RetrievalRequest, reason: str) -> None:
    _change(actor, request, RequestStatus.CANCELLED, cancelled_at=utcnow(),
            cancelled_by_id=getattr(actor, "id", None), cancel_reason=reason[:300])


def _deliver(actor: Any, item: PhysicalItem, movement: Movement) -> None:
    """The borrower's own waiting request, if any, is delivered by this check-out. A loan
    to someone else (a colleague, by hand) delivers nothing; requests keep waiting."""
    for request in open_requests(item):
        if request.requester_id != movement.to_person_id:
            continue
        if request.status in (RequestStatus.REQUESTED, RequestStatus.PICKED):
            _change(actor, request, RequestStatus.DELIVERED, delivered_at=movement.at,
                    due_on=movement.due_on, checkout_movement_id=movement.id,
                    picked_at=request.picked_at or movement.at)
        return


def _in_archive(movement: Movement) -> bool:
    kind = MovementKind(movement.kind)
    if kind == MovementKind.TRANSFER:
        return movement.to_location_id is not None
    return STATUS_OF_KIND.get(kind) == Status.IN_ARCHIVE


def _change(actor: Any, request: RetrievalRequest, status: RequestStatus,
            **columns: Any) -> None:
    before = request.status
    request.status = status.value
    for name, value in columns.items():
        setattr(request, name, value)
    audit_request(actor, AuditAction.UPDATE, request,
                  {"status": [before, status.value]} | _plain(columns))


def audit_request(actor: Any, action: str, request: RetrievalRequest,
                  details: dict[str, Any]) -> None:
    """A request names a customer's document: one event per customer, as for the item."""
    document = request.item.document if request.item is not None else None
    customers: list[int | None] = [c.id for c in document.customers] if document else []
    scope = ",".join(document.scopes) if document else None
    for customer_id in customers or [None]:
        record(actor, action, request, customer_id=customer_id, scope=scope,
               details={"item": request.item_id} | details)


def _plain(columns: dict[str, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in columns.items()}
