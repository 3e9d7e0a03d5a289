"""The archive desk's view of open requests: what to pick (sorted by where it lies, so one
walk through the archive collects it all), what is on its way, what is out, and what waits.

Each original's open requests are served oldest first: only the first can be picked,
and only while the original is in the archive; the rest wait in the queue, each with
the reason. Everything is read in a handful of queries (the locations' tree included),
so a list of hundreds of requests builds in milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from dossier.archive.desk_models import OPEN_STATUSES, RequestStatus, RetrievalRequest
from dossier.archive.models import Location, Movement, PhysicalItem, Status
from dossier.archive.queries import PATH_SEPARATOR, ItemState, state_after
from dossier.extensions import db

PICKABLE = (Status.IN_ARCHIVE,)


@dataclass(frozen=True)
class DeskRow:
    """One open request with its original's state and place (names from site to box)."""

    request: RetrievalRequest
    state: ItemState
    place: tuple[str, ...] = ()
    reason: str = ""  # why it waits (waiting rows only)

    @property
    def item(self) -> PhysicalItem:
        return self.request.item

    @property
    def place_label(self) -> str:
        return PATH_SEPARATOR.join(self.place)

    @property
    def requested_at(self) -> datetime:
        return self.request.requested_at


@dataclass
class Desk:
    pick: list[DeskRow] = field(default_factory=list)  # to take off the shelf now
    picked: list[DeskRow] = field(default_factory=list)  # on the way to the requester
    out: list[DeskRow] = field(default_factory=list)  # with the requester
    waiting: list[DeskRow] = field(default_factory=list)  # queued


def desk() -> Desk:
    requests = _open_requests()
    locations = _locations_of(requests)
    result = Desk()
    for queue in _queues(requests):
        _sort_queue(queue, locations, result)
    result.pick.sort(key=lambda row: (_path_key(row.place), row.item.id, row.request.id))
    result.picked.sort(key=lambda row: (row.request.picked_at or row.requested_at))
    result.out.sort(key=lambda row: (row.state.due_on or datetime.max.date(), row.item.id))
    result.waiting.sort(key=lambda row: (row.requested_at, row.request.id))
    return result


def pick_list() -> list[DeskRow]:
    return desk().pick


def _open_requests() -> list[RetrievalRequest]:
    last = joinedload(RetrievalRequest.item).joinedload(PhysicalItem.last_movement)
    return list(db.session.scalars(
        select(RetrievalRequest).where(RetrievalRequest.status.in_(OPEN_STATUSES))
        .options(last.selectinload(Movement.to_person),
                 selectinload(RetrievalRequest.requester))
        .order_by(RetrievalRequest.item_id, RetrievalRequest.requested_at,
                  RetrievalRequest.id)))


def _queues(requests: list[RetrievalRequest]) -> Iterable[list[RetrievalRequest]]:
    queue: list[RetrievalRequest] = []
    for request in requests:
        if queue and queue[0].item_id != request.item_id:
            yield queue
            queue = []
        queue.append(request)
    if queue:
        yield queue


def _sort_queue(queue: list[RetrievalRequest], locations: dict[int, Location],
                desk: Desk) -> None:
    first, rest = queue[0], queue[1:]
    state = state_after(first.item.last_movement)
    place = _place(state, locations)
    if first.status == RequestStatus.DELIVERED:
        desk.out.append(DeskRow(first, state, place))
    elif first.status == RequestStatus.PICKED:
        desk.picked.append(DeskRow(first, state, place))
    elif state.status in PICKABLE:
        desk.pick.append(DeskRow(first, state, place))
    else:
        desk.waiting.append(DeskRow(first, state, place, _unavailable(state)))
    if rest:
        behind = _behind(first, state)
        desk.waiting.extend(DeskRow(request, state, place, behind) for request in rest)


def _behind(first: RetrievalRequest, state: ItemState) -> str:
    """Why the requests after `first` wait."""
    name = first.requester.display_name
    if first.status == RequestStatus.DELIVERED:
        return _("checked out to %(name)s until %(date)s", name=name,
                 date=format_date(state.due_on) if state.due_on else "?")
    if first.status == RequestStatus.PICKED:
        return _("picked for %(name)s", name=name)
    if state.status in PICKABLE:
        return _("asked for first by %(name)s", name=name)
    return _unavailable(state)


def _unavailable(state: ItemState) -> str:
    if state.status == Status.CHECKED_OUT:
        name = state.person.display_name if state.person else "?"
        return _("checked out to %(name)s until %(date)s", name=name,
                 date=format_date(state.due_on) if state.due_on else "?")
    return {Status.REGISTERED: _("not in the archive yet"), Status.IN_TRANSIT: _("in transit"),
            Status.MISSING: _("reported missing")}.get(state.status, _("not available"))


def _locations_of(requests: list[RetrievalRequest]) -> dict[int, Location]:
    """Every location the requested items lie in, with all their ancestors, by id: one
    query per level of the tree."""
    known: dict[int, Location] = {}
    wanted = {request.item.last_movement.to_location_id for request in requests
              if request.item.last_movement is not None} - {None}
    while wanted:
        for location in db.session.scalars(select(Location).where(Location.id.in_(wanted))):
            known[location.id] = location
        wanted = {location.parent_id for location in known.values()
                  if location.parent_id is not None and location.parent_id not in known}
    return known


def _place(state: ItemState, locations: dict[int, Location]) -> tuple[str, ...]:
    if state.status != Status.IN_ARCHIVE or state.movement is None:
        return ()
    names: list[str] = []
    location_id = state.movement.to_location_id
    while location_id is not None and location_id in locations and len(names) < 20:
        location = locations[location_id]
        names.append(location.name)
        location_id = location.parent_id
    return tuple(reversed(names))


def _path_key(place: tuple[str, ...]) -> tuple[tuple[tuple[int, int | str], ...], ...]:
    """Shelf 2 before shelf 10: numbers in names compare as numbers."""
    return tuple(tuple((0, int(part)) if part.isdigit() else (1, part.casefold())
                       for part in re.split(r"(\d+)", name) if part) for name in place)
