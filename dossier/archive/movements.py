"""What can happen to a paper original: check in, check out, move, box, census, loss,
destruction. Each operation locks the item, validates, appends one movement (or none
when it was already done: every operation is idempotent) and flushes; the caller
commits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from dossier.archive import queries
from dossier.archive.errors import (
    CheckedOutToSomeoneElse,
    InvalidDueDate,
    InvalidLocation,
    ItemDestroyed,
    LegalHold,
    NoBorrower,
    NoDestination,
)
from dossier.archive.items import set_paper_original
from dossier.archive.models import Location, MovementKind, PhysicalItem, Status
from dossier.archive.queries import ItemState
from dossier.archive.recording import (
    Outcome,
    append_for_item,
    check_destination,
    lock_item,
    lock_location,
    require_clerk,
)
from dossier.auth.models import User


def check_in(actor: Any, item: PhysicalItem, to: Location | None = None, *,
             batch_id: str | None = None, note: str = "", at: datetime | None = None
             ) -> Outcome:
    """Back into the archive: at `to`, or else at the item's home location."""
    require_clerk(actor)
    destination = to or item.home_location
    if destination is None:
        raise NoDestination(_("%(code)s has no home location: scan where it goes first.",
                              code=item.barcode))
    item, state = _locked(item, destination)
    if state.status == Status.IN_ARCHIVE:
        return Outcome(None, "already_in", state)
    check_destination(destination)
    movement = append_for_item(actor, item, MovementKind.CHECK_IN, from_location=None,
                               to_location=destination, batch_id=batch_id, note=note, at=at)
    return Outcome(movement, before=state)


def check_out(actor: Any, item: PhysicalItem, person: User, due_on: date, *,
              batch_id: str | None = None, note: str = "", at: datetime | None = None
              ) -> Outcome:
    """Into `person`'s hands until `due_on`."""
    require_clerk(actor)
    if not person.active:
        raise NoBorrower(_("%(name)s cannot borrow originals: the account is disabled.",
                           name=person.display_name))
    if due_on < queries.today():
        raise InvalidDueDate(_("The due date %(date)s has already passed.",
                               date=format_date(due_on)))
    item, state = _locked(item)
    if state.status == Status.CHECKED_OUT:
        if state.person is not None and state.person.id == person.id:
            return Outcome(None, "already_checked_out", state)
        holder = state.person.display_name if state.person else "?"
        raise CheckedOutToSomeoneElse(_(
            "%(code)s is checked out to %(name)s: check it in first.",
            code=item.barcode, name=holder))
    movement = append_for_item(actor, item, MovementKind.CHECK_OUT,
                               from_location=_lying_at(state), to_person=person,
                               due_on=due_on, batch_id=batch_id, note=note, at=at)
    return Outcome(movement, before=state)


def move(actor: Any, item: PhysicalItem, to: Location | None, *,
         batch_id: str | None = None, note: str = "", at: datetime | None = None) -> Outcome:
    """To another place (into a box: `put_in_box`), or with `to` None: taken away, in
    transit. An item that was out is back once it is put somewhere."""
    require_clerk(actor)
    item, state = _locked(item, to)
    lying = _lying_at(state)
    if to is None and state.status == Status.IN_TRANSIT:
        return Outcome(None, "already_in_transit", state)
    if to is not None and lying is not None and lying.id == to.id:
        return Outcome(None, "already_there", state)
    if to is not None:
        check_destination(to)
    kind = MovementKind.PUT_IN_BOX if to is not None and to.is_box else MovementKind.TRANSFER
    movement = append_for_item(actor, item, kind, from_location=lying, to_location=to,
                               batch_id=batch_id, note=note, at=at)
    return Outcome(movement, before=state)


def put_in_box(actor: Any, item: PhysicalItem, box: Location, *,
               batch_id: str | None = None, note: str = "", at: datetime | None = None
               ) -> Outcome:
    if not box.is_box:
        raise InvalidLocation(_("%(place)s is not a box.", place=queries.path_label(box)))
    return move(actor, item, box, batch_id=batch_id, note=note, at=at)


def record_seen(actor: Any, item: PhysicalItem, where: Location, *, batch_id: str,
                note: str = "", at: datetime | None = None) -> Outcome:
    """A census found the item in `where`. Seen there, it is there from now on (in its
    box, when the box is in `where`); seen twice in one census, it is recorded once."""
    require_clerk(actor)
    item, state = _locked(item)
    previous = state.movement
    if (previous is not None and previous.kind == MovementKind.CENSUS_SEEN
            and previous.batch_id == batch_id):
        return Outcome(None, "already_seen", state)
    recorded = _lying_at(state)
    found_in = recorded if recorded is not None and queries.is_within(recorded, where) else where
    movement = append_for_item(actor, item, MovementKind.CENSUS_SEEN, from_location=recorded,
                               to_location=found_in, batch_id=batch_id, note=note, at=at)
    return Outcome(movement, before=state)


def mark_missing(actor: Any, item: PhysicalItem, *, batch_id: str | None = None,
                 note: str = "", at: datetime | None = None) -> Outcome:
    require_clerk(actor)
    item, state = _locked(item)
    if state.status == Status.MISSING:
        return Outcome(None, "already_missing", state)
    movement = append_for_item(actor, item, MovementKind.MISSING,
                               from_location=_lying_at(state), batch_id=batch_id, note=note,
                               at=at)
    return Outcome(movement, before=state)


def record_destroyed(actor: Any, item: PhysicalItem, *, note: str = "",
                     batch_id: str | None = None, at: datetime | None = None) -> Outcome:
    """The original was destroyed (approval and certificate are the destruction list's
    business). Its document no longer has paper; a legal hold forbids it."""
    require_clerk(actor)
    item, state = _locked(item, allow_destroyed=True)
    if state.status == Status.DESTROYED:
        return Outcome(None, "already_destroyed", state)
    if item.document is not None and item.document.legal_hold:
        raise LegalHold(_("%(code)s is under a legal hold and may not be destroyed.",
                          code=item.barcode))
    movement = append_for_item(actor, item, MovementKind.DESTROYED,
                               from_location=_lying_at(state), batch_id=batch_id, note=note,
                               at=at)
    if item.document is not None:
        set_paper_original(item.document, False)
    return Outcome(movement, before=state)


def _locked(item: PhysicalItem, destination: Location | None = None, *,
            allow_destroyed: bool = False) -> tuple[PhysicalItem, ItemState]:
    """Lock the destination (its room is counted) and then the item; the item's fresh
    state. A destroyed item is refused here, before anything is written."""
    if destination is not None and destination.capacity is not None:
        lock_location(destination)
    item = lock_item(item)
    state = queries.state_of(item)
    if state.status == Status.DESTROYED and not allow_destroyed:
        since = format_date(state.since) if state.since else "?"
        raise ItemDestroyed(_("%(code)s was destroyed on %(date)s and cannot be moved.",
                              code=item.barcode, date=since))
    return item, state


def _lying_at(state: ItemState) -> Location | None:
    return state.location if state.status == Status.IN_ARCHIVE else None
