"""The location tree: making, changing and moving sites, rooms, cabinets, shelves and boxes.

Moving a location (a box to another shelf) is a movement of the location itself; the
items in it keep their history and follow it through containment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from dossier.archive import queries
from dossier.archive.errors import InvalidLocation
from dossier.archive.models import KIND_LABELS, RANK, Location, LocationKind, MovementKind
from dossier.archive.recording import (
    Outcome,
    append_for_location,
    check_destination,
    lock_location,
    require_clerk,
)
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db

MAX_NAME_LENGTH = 100
_UNCHANGED: Any = object()


def create_location(actor: Any, kind: LocationKind | str, name: str,
                    parent: Location | None = None, capacity: int | None = None) -> Location:
    require_clerk(actor)
    kind = _kind(kind)
    _check_name(name)
    _check_capacity(capacity)
    _check_parent(kind, parent)
    location = Location(kind=kind.value, name=name.strip(), parent=parent, capacity=capacity)
    db.session.add(location)
    db.session.flush()
    record(actor, AuditAction.CREATE, location,
           details={"kind": kind.value, "name": location.name, "parent": location.parent_id,
                    "capacity": capacity})
    db.session.flush()
    return location


def update_location(actor: Any, location: Location, *, name: str | None = None,
                    capacity: int | None = _UNCHANGED, active: bool | None = None
                    ) -> Location:
    """Rename, set the capacity (None: no limit) or retire a location. A capacity below
    what it holds, or retiring a location that still holds something, is refused."""
    require_clerk(actor)
    location = lock_location(location)
    before = _snapshot(location)
    if name is not None:
        _check_name(name)
        location.name = name.strip()
    if capacity is not _UNCHANGED:
        _check_capacity(capacity)
        held = queries.occupancy(location)
        if capacity is not None and capacity < held:
            raise InvalidLocation(_("%(place)s already holds %(held)s, more than %(capacity)s.",
                                    place=location.name, held=held, capacity=capacity))
        location.capacity = capacity
    if active is False and location.active:
        _check_empty(location)
    if active is not None:
        location.active = active
    after = _snapshot(location)
    if after != before:
        record(actor, AuditAction.UPDATE, location, details={"before": before, "after": after})
    db.session.flush()
    return location


def move_location(actor: Any, location: Location, to: Location, *,
                  batch_id: str | None = None, note: str = "", at: datetime | None = None
                  ) -> Outcome:
    """Put `location` (usually a box) into `to`: one movement, for the location."""
    require_clerk(actor)
    if to.capacity is not None:
        lock_location(to)
    location = lock_location(location)
    if location.parent_id == to.id:
        return Outcome(None, "already_there")
    _check_parent(LocationKind(location.kind), to)
    check_destination(to, adding=1 if location.is_box else 0)
    movement = append_for_location(actor, location, MovementKind.TRANSFER,
                                   from_location=location.parent, to_location=to,
                                   batch_id=batch_id, note=note, at=at)
    return Outcome(movement)


def record_location_seen(actor: Any, location: Location, where: Location, *, batch_id: str,
                         note: str = "", at: datetime | None = None) -> Outcome:
    """A census of `where` found the box `location` there (it stays put when it was
    recorded somewhere inside `where`); counted once per census."""
    require_clerk(actor)
    location = lock_location(location)
    if queries.seen_in_batch(location, batch_id):
        return Outcome(None, "already_seen")
    parent = location.parent
    found_in = parent if parent is not None and queries.is_within(parent, where) else where
    if found_in is not parent:
        _check_parent(LocationKind(location.kind), found_in)
    movement = append_for_location(actor, location, MovementKind.CENSUS_SEEN,
                                   from_location=parent, to_location=found_in,
                                   batch_id=batch_id, note=note, at=at)
    return Outcome(movement)


def _kind(kind: LocationKind | str) -> LocationKind:
    try:
        return LocationKind(kind)
    except ValueError:
        raise InvalidLocation(_("“%(kind)s” is not a kind of location.", kind=kind)) from None


def _check_name(name: str) -> None:
    if not name.strip():
        raise InvalidLocation(_("A location needs a name."))
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise InvalidLocation(_("A location's name is at most %(max)s characters long.",
                                max=MAX_NAME_LENGTH))


def _check_capacity(capacity: int | None) -> None:
    if capacity is not None and (isinstance(capacity, bool) or capacity < 1):
        raise InvalidLocation(_("The capacity is a whole number of at least 1, or empty for "
                                "no limit."))


def _check_parent(kind: LocationKind, parent: Location | None) -> None:
    """Sites stand alone; everything else sits in an active location of a higher level."""
    if kind == LocationKind.SITE:
        if parent is not None:
            raise InvalidLocation(_("A site is not inside another location."))
        return
    if parent is None:
        raise InvalidLocation(_("Choose the location this one is in."))
    if not parent.active:
        raise InvalidLocation(_("%(place)s is no longer in use.",
                                place=queries.path_label(parent)))
    if RANK[LocationKind(parent.kind)] >= RANK[kind]:
        raise InvalidLocation(_("A %(kind)s cannot be inside a %(parent)s.",
                                kind=KIND_LABELS[kind], parent=KIND_LABELS[
                                    LocationKind(parent.kind)]))


def _check_empty(location: Location) -> None:
    held = queries.occupancy(location)
    inside = [child for child in queries.children(location) if child.active]
    if held or inside:
        raise InvalidLocation(_("%(place)s still holds something: empty it first.",
                                place=queries.path_label(location)))


def _snapshot(location: Location) -> dict[str, Any]:
    return {"name": location.name, "capacity": location.capacity, "active": location.active}
