"""Reads for the archive screens as a whole: the location tree with what each place holds,
counts per status, what is out, and originals past their retention date.

Each is a handful of grouped queries, whatever the size of the archive; the tree is
assembled in Python from one list of locations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from dossier.archive.models import (
    Location,
    LocationKind,
    Movement,
    MovementKind,
    PhysicalItem,
    Status,
)
from dossier.archive.queries import ItemState, state_of
from dossier.documents.models import Document
from dossier.extensions import db

# The kind of an item's latest movement gives its status, except a transfer (see below).
_STATUS_OF_KIND = {
    MovementKind.CHECK_IN.value: Status.IN_ARCHIVE,
    MovementKind.PUT_IN_BOX.value: Status.IN_ARCHIVE,
    MovementKind.CENSUS_SEEN.value: Status.IN_ARCHIVE,
    MovementKind.CHECK_OUT.value: Status.CHECKED_OUT,
    MovementKind.MISSING.value: Status.MISSING,
    MovementKind.DESTROYED.value: Status.DESTROYED,
}


@dataclass
class Node:
    """A location in the tree, with what lies directly in it and in everything below."""

    location: Location
    children: list[Node] = field(default_factory=list)
    items: int = 0  # items lying directly here
    boxes: int = 0  # boxes directly here
    items_below: int = 0  # items here and anywhere inside

    @property
    def held(self) -> int:
        """What counts against the capacity (as queries.occupancy)."""
        return self.items + self.boxes

    @property
    def fill(self) -> float | None:
        capacity = self.location.capacity
        return None if not capacity else self.held / capacity


def items_per_location() -> dict[int, int]:
    """Items lying directly in each location, by location id."""
    rows = db.session.execute(
        select(Movement.to_location_id, func.count())
        .select_from(PhysicalItem).join(Movement, Movement.id == PhysicalItem.last_movement_id)
        .where(Movement.to_location_id.is_not(None)).group_by(Movement.to_location_id))
    return {location_id: count for location_id, count in rows if location_id}


def boxes_per_location() -> dict[int, int]:
    rows = db.session.execute(
        select(Location.parent_id, func.count())
        .where(Location.kind == LocationKind.BOX.value, Location.parent_id.is_not(None))
        .group_by(Location.parent_id))
    return {parent_id: count for parent_id, count in rows if parent_id}


def location_tree(include_retired: bool = False) -> list[Node]:
    """The sites, each with everything inside it, and the counts of every place."""
    query = select(Location).order_by(Location.kind, Location.name, Location.id)
    if not include_retired:
        query = query.where(Location.active.is_(True))
    nodes = {location.id: Node(location) for location in db.session.scalars(query)}
    items, boxes = items_per_location(), boxes_per_location()
    roots: list[Node] = []
    for node in nodes.values():
        node.items = items.get(node.location.id, 0)
        node.boxes = boxes.get(node.location.id, 0)
        parent = nodes.get(node.location.parent_id or 0)
        (parent.children if parent is not None else roots).append(node)
    for root in roots:
        _count_below(root)
    return roots


def _count_below(node: Node) -> int:
    node.items_below = node.items + sum(_count_below(child) for child in node.children)
    return node.items_below


def walk(nodes: list[Node], depth: int = 0) -> list[tuple[Node, int]]:
    """The tree in reading order, each node with its depth."""
    rows: list[tuple[Node, int]] = []
    for node in nodes:
        rows.append((node, depth))
        rows.extend(walk(node.children, depth + 1))
    return rows


def fullest(nodes: list[Node], limit: int = 10) -> list[Node]:
    """Places with a capacity, fullest first."""
    limited = [node for node, _depth in walk(nodes) if node.fill is not None]
    return sorted(limited, key=lambda node: (-(node.fill or 0), node.location.id))[:limit]


def status_counts() -> dict[Status, int]:
    """How many items stand in each status."""
    counts = dict.fromkeys(Status, 0)
    counts[Status.REGISTERED] = db.session.scalar(
        select(func.count()).select_from(PhysicalItem)
        .where(PhysicalItem.last_movement_id.is_(None))) or 0
    rows = db.session.execute(
        select(Movement.kind, Movement.to_location_id.is_(None), func.count())
        .select_from(PhysicalItem).join(Movement, Movement.id == PhysicalItem.last_movement_id)
        .group_by(Movement.kind, Movement.to_location_id.is_(None)))
    for kind, nowhere, count in rows:
        if kind == MovementKind.TRANSFER.value:
            status = Status.IN_TRANSIT if nowhere else Status.IN_ARCHIVE
        else:
            status = _STATUS_OF_KIND[kind]
        counts[status] += count
    return counts


def items_out(limit: int = 20) -> list[tuple[PhysicalItem, ItemState]]:
    """Checked-out items, the earliest due first."""
    items = db.session.scalars(
        select(PhysicalItem).join(Movement, Movement.id == PhysicalItem.last_movement_id)
        .where(Movement.kind == MovementKind.CHECK_OUT.value)
        .order_by(Movement.due_on, PhysicalItem.id).limit(limit))
    return [(item, state_of(item)) for item in items]


def overdue_count(on: date) -> int:
    return db.session.scalar(
        select(func.count()).select_from(PhysicalItem)
        .join(Movement, Movement.id == PhysicalItem.last_movement_id)
        .where(Movement.kind == MovementKind.CHECK_OUT.value, Movement.due_on < on)) or 0


def past_retention_count(on: date) -> tuple[int, int]:
    """Originals (not destroyed) whose document's retention date has passed: how many,
    and how many of those are under a legal hold."""
    not_destroyed = (PhysicalItem.last_movement_id.is_(None)
                     | (Movement.kind != MovementKind.DESTROYED.value))
    rows = db.session.execute(
        select(Document.legal_hold, func.count()).select_from(PhysicalItem)
        .join(Document, Document.id == PhysicalItem.document_id)
        .outerjoin(Movement, Movement.id == PhysicalItem.last_movement_id)
        .where(Document.retention_until < on, not_destroyed)
        .group_by(Document.legal_hold))
    counts = {bool(hold): count for hold, count in rows}
    return counts.get(False, 0) + counts.get(True, 0), counts.get(True, 0)
