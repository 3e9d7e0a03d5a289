"""Reads of retrieval requests: a person's own, an item's queue, the loans overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from dossier.archive import queries
from dossier.archive.desk_models import OPEN_STATUSES, RequestStatus, RetrievalRequest
from dossier.archive.models import PhysicalItem
from dossier.archive.queries import ItemState
from dossier.auth.models import User
from dossier.extensions import db


def first_in_line(item: PhysicalItem) -> RetrievalRequest | None:
    """The oldest open request for the item: the one served next (or being served)."""
    return db.session.scalar(
        select(RetrievalRequest)
        .where(RetrievalRequest.item_id == item.id, RetrievalRequest.status.in_(OPEN_STATUSES))
        .order_by(RetrievalRequest.requested_at, RetrievalRequest.id).limit(1))


def waiting_for(item: PhysicalItem) -> RetrievalRequest | None:
    """The request to serve now that the item is back: first in line and not yet picked."""
    first = first_in_line(item)
    return first if first is not None and first.status == RequestStatus.REQUESTED else None


def requests_of(user: User) -> Select[tuple[RetrievalRequest]]:
    """A person's own requests, newest first (for pagination)."""
    return (select(RetrievalRequest).where(RetrievalRequest.requester_id == user.id)
            .options(joinedload(RetrievalRequest.item).joinedload(PhysicalItem.document))
            .order_by(RetrievalRequest.requested_at.desc(), RetrievalRequest.id.desc()))


def open_request_of(user: User, item: PhysicalItem) -> RetrievalRequest | None:
    return db.session.scalar(
        select(RetrievalRequest)
        .where(RetrievalRequest.item_id == item.id, RetrievalRequest.requester_id == user.id,
               RetrievalRequest.status.in_(OPEN_STATUSES)).limit(1))


def position_in_queue(request: RetrievalRequest) -> int:
    """1 for the request served next; 0 for a closed one."""
    if not request.is_open:
        return 0
    ahead = db.session.scalars(
        select(RetrievalRequest.id)
        .where(RetrievalRequest.item_id == request.item_id,
               RetrievalRequest.status.in_(OPEN_STATUSES))
        .order_by(RetrievalRequest.requested_at, RetrievalRequest.id)).all()
    return ahead.index(request.id) + 1 if request.id in ahead else 0


@dataclass(frozen=True)
class OverdueLoan:
    item: PhysicalItem
    state: ItemState  # the borrower is state.person, the due date state.due_on
    request: RetrievalRequest | None  # the request the loan serves, if it came from one

    def days_overdue(self, on: date) -> int:
        return (on - self.state.due_on).days if self.state.due_on else 0


def overdue_loans(on: date | None = None) -> list[OverdueLoan]:
    """Originals out past their due date, longest overdue first, with their request."""
    loans = queries.overdue(on)
    movement_ids = [state.movement.id for _item, state in loans if state.movement]
    by_movement = {request.checkout_movement_id: request for request in db.session.scalars(
        select(RetrievalRequest).where(RetrievalRequest.checkout_movement_id.in_(movement_ids))
        .options(selectinload(RetrievalRequest.requester)))} if movement_ids else {}
    return [OverdueLoan(item, state, by_movement.get(state.movement.id if state.movement
                                                     else None))
            for item, state in loans]
