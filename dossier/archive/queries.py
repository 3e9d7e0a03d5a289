"""Reads of the archive: where an item is and in what state, its history, what a place holds.

An item's state is that of its latest movement; an item in a box is wherever the box
is, so its place is the box's path in the location tree at the moment of asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import to_user_timezone
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.base import ExecutableOption

from dossier.archive.models import (
    Location,
    LocationKind,
    Movement,
    MovementKind,
    PhysicalItem,
    Status,
)
from dossier.auth.models import User
from dossier.extensions import db

STATUS_OF_KIND = {
    MovementKind.CHECK_IN: Status.IN_ARCHIVE,
    MovementKind.PUT_IN_BOX: Status.IN_ARCHIVE,
    MovementKind.CENSUS_SEEN: Status.IN_ARCHIVE,
    MovementKind.CHECK_OUT: Status.CHECKED_OUT,
    MovementKind.MISSING: Status.MISSING,
    MovementKind.DESTROYED: Status.DESTROYED,
}
PATH_SEPARATOR = " \u203a "  # single right-pointing angle quotation mark


@dataclass(frozen=True)
class ItemState:
    """Where an item is and how it stands, as its latest movement says."""

    status: Status
    location: Location | None = None  # where it lies (a box, a shelf) when in the archive
    person: User | None = None  # who has it, when checked out
    due_on: date | None = None
    since: datetime | None = None  # UTC
    movement: Movement | None = None

    @property
    def box(self) -> Location | None:
        return self.location if self.location is not None and self.location.is_box else None

    def is_overdue(self, on: date) -> bool:
        return (self.status == Status.CHECKED_OUT and self.due_on is not None
                and self.due_on < on)


def state_after(movement: Movement | None) -> ItemState:
    if movement is None:
        return ItemState(Status.REGISTERED)
    kind = MovementKind(movement.kind)
    if kind == MovementKind.TRANSFER:
        status = Status.IN_ARCHIVE if movement.to_location is not None else Status.IN_TRANSIT
    else:
        status = STATUS_OF_KIND[kind]
    return ItemState(status=status, location=movement.to_location, person=movement.to_person,
                     due_on=movement.due_on, since=movement.at, movement=movement)


def state_of(item: PhysicalItem) -> ItemState:
    return state_after(item.last_movement)


def path(location: Location | None) -> list[Location]:
    """From the site down to `location` itself; [] for None."""
    if location is not None:
        _load_ancestors(location)
    chain: list[Location] = []
    seen: set[int] = set()
    while location is not None and location.id not in seen:
        seen.add(location.id)
        chain.append(location)
        location = location.parent
    return chain[::-1]


def _load_ancestors(location: Location) -> None:
    """Read all of `location`'s ancestors in one statement (a recursive query up the
    tree) unless they are at hand already, so that walking up takes no further round
    trips: a scan's feedback names the place from the site down to the box."""
    parent_id = location.parent_id
    if parent_id is None:
        return
    parent = db.session.identity_map.get(identity_key(Location, parent_id))
    if parent is not None and not inspect(parent).expired:
        return
    up = select(Location.id, Location.parent_id).where(Location.id == parent_id).cte(
        "ancestors", recursive=True)
    above = aliased(Location)
    up = up.union_all(select(above.id, above.parent_id).join(up, above.id == up.c.parent_id))
    _keep(db.session.scalars(select(Location).where(Location.id.in_(select(up.c.id)))
                             .execution_options(populate_existing=True)).all())


def _keep(found: Sequence[object]) -> None:
    """Hold what a request looked up until the session ends. The session only holds its
    objects weakly: a place read for one message would otherwise be forgotten and read
    again, with its whole path, for the next (the scan station's answer names the
    destination after the scan did)."""
    kept: list[object] = db.session.info.setdefault("archive_kept", [])
    kept.extend(found)


def path_label(location: Location | None) -> str:
    return PATH_SEPARATOR.join(place.name for place in path(location))


def place_of(item: PhysicalItem) -> list[Location]:
    """The item's place in the tree through its box, or [] when it is not in the archive."""
    return path(state_of(item).location)


def is_within(location: Location | None, ancestor: Location) -> bool:
    return any(place.id == ancestor.id for place in path(location))


def history(item: PhysicalItem) -> list[Movement]:
    """Everything that happened to the item, oldest first (boxes' moves are in
    `location_history` of the box)."""
    return list(db.session.scalars(
        select(Movement).where(Movement.item_id == item.id)
        .options(*_movement_loads()).order_by(Movement.at, Movement.id)))


def location_history(location: Location) -> list[Movement]:
    """The moves of a location itself (a box taken to another shelf), oldest first."""
    return list(db.session.scalars(
        select(Movement).where(Movement.location_id == location.id)
        .options(*_movement_loads()).order_by(Movement.at, Movement.id)))


def _movement_loads() -> tuple[ExecutableOption, ...]:
    return (selectinload(Movement.actor), selectinload(Movement.from_location),
            selectinload(Movement.to_location), selectinload(Movement.to_person))


def items_at(location: Location) -> list[PhysicalItem]:
    """Items lying directly in `location` (for a box: its contents)."""
    return list(db.session.scalars(
        select(PhysicalItem).join(Movement, Movement.id == PhysicalItem.last_movement_id)
        .where(Movement.to_location_id == location.id).order_by(PhysicalItem.id)))


def boxes_in(location: Location) -> list[Location]:
    return list(db.session.scalars(
        select(Location).where(Location.parent_id == location.id,
                               Location.kind == LocationKind.BOX.value).order_by(Location.id)))


def children(location: Location | None) -> list[Location]:
    """The locations directly inside `location` (None: the sites)."""
    parent = Location.parent_id.is_(None) if location is None else (
        Location.parent_id == location.id)
    return list(db.session.scalars(select(Location).where(parent)
                                   .order_by(Location.kind, Location.name, Location.id)))


def occupancy(location: Location) -> int:
    """What counts against the capacity: items and boxes lying directly in it."""
    items = db.session.scalar(
        select(func.count()).select_from(PhysicalItem)
        .join(Movement, Movement.id == PhysicalItem.last_movement_id)
        .where(Movement.to_location_id == location.id)) or 0
    boxes = db.session.scalar(
        select(func.count()).select_from(Location)
        .where(Location.parent_id == location.id, Location.kind == LocationKind.BOX.value)) or 0
    return items + boxes


def find_item(item_id: int) -> PhysicalItem | None:
    return db.session.get(PhysicalItem, item_id)


def find_location(location_id: int) -> Location | None:
    location = db.session.get(Location, location_id)
    if location is not None:
        _keep([location])
    return location


def find_person(user_id: int) -> User | None:
    """A borrower or a badge's owner, kept for the rest of the request (see `_keep`)."""
    person = db.session.get(User, user_id)
    if person is not None:
        _keep([person])
    return person


def item_of_document(document_id: int) -> PhysicalItem | None:
    return db.session.scalar(select(PhysicalItem).where(PhysicalItem.document_id == document_id))


def overdue(on: date | None = None) -> list[tuple[PhysicalItem, ItemState]]:
    """Checked-out items whose due date has passed, longest overdue first."""
    on = on or today()
    items = db.session.scalars(
        select(PhysicalItem).join(Movement, Movement.id == PhysicalItem.last_movement_id)
        .where(Movement.kind == MovementKind.CHECK_OUT.value, Movement.due_on < on)
        .order_by(Movement.due_on, PhysicalItem.id))
    return [(item, state_of(item)) for item in items]


def today() -> date:
    """Today where the user is: due dates are calendar days in the user's time zone."""
    return to_user_timezone(datetime.now(UTC)).date()


def batch_movements(batch_id: str) -> list[Movement]:
    return list(db.session.scalars(
        select(Movement).where(Movement.batch_id == batch_id).order_by(Movement.id)))


def seen_in_batch(location: Location, batch_id: str) -> bool:
    """Whether a census with this batch already counted the location (a box)."""
    return db.session.scalar(
        select(Movement.id).where(Movement.location_id == location.id,
                                  Movement.batch_id == batch_id,
                                  Movement.kind == MovementKind.CENSUS_SEEN.value).limit(1)
    ) is not None


def previous_movement(movement: Movement) -> Movement | None:
    """The movement of the same item or box just before `movement`."""
    if movement.item_id is not None:
        subject = Movement.item_id == movement.item_id
    else:
        subject = Movement.location_id == movement.location_id
    return db.session.scalar(
        select(Movement).where(subject, Movement.id != movement.id,
                               (Movement.at < movement.at)
                               | ((Movement.at == movement.at) & (Movement.id < movement.id)))
        .order_by(Movement.at.desc(), Movement.id.desc()).limit(1))
