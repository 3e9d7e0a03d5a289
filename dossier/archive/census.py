"""Stock-take: what a census of one location found, and recording what it did not find.

Scanning during a census already records each original where it was seen (a
`census_seen` movement in the census's batch); the findings compare that with what was
recorded before: in place, misplaced (recorded elsewhere), unexpected (recorded as out,
missing or never checked in) and missing (recorded here, not seen).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dossier.archive import movements, queries
from dossier.archive.models import Location, Movement, MovementKind, PhysicalItem, Status


@dataclass(frozen=True)
class CensusFindings:
    location: Location
    batch_id: str
    in_place: list[PhysicalItem] = field(default_factory=list)
    misplaced: list[tuple[PhysicalItem, Location]] = field(default_factory=list)
    unexpected: list[tuple[PhysicalItem, Status]] = field(default_factory=list)
    missing: list[PhysicalItem] = field(default_factory=list)
    boxes_seen: list[Location] = field(default_factory=list)
    boxes_missing: list[Location] = field(default_factory=list)


def findings(location: Location, batch_id: str) -> CensusFindings:
    result = CensusFindings(location, batch_id)
    seen = queries.batch_movements(batch_id)
    for movement in seen:
        if movement.kind != MovementKind.CENSUS_SEEN:
            continue
        if movement.location is not None:
            result.boxes_seen.append(movement.location)
        elif movement.item is not None:
            _classify(result, movement.item, movement)
    result.missing.extend(item for item in queries.items_at(location)
                          if not _last_in_batch(item, batch_id))
    seen_boxes = {box.id for box in result.boxes_seen}
    result.boxes_missing.extend(box for box in queries.boxes_in(location)
                                if box.id not in seen_boxes)
    return result


def record_missing(actor: Any, found: CensusFindings, note: str = "") -> list[Movement]:
    """The one click after a census: every original not seen is reported missing."""
    written = []
    for item in found.missing:
        outcome = movements.mark_missing(actor, item, batch_id=found.batch_id, note=note)
        if outcome.movement is not None:
            written.append(outcome.movement)
    return written


def _classify(result: CensusFindings, item: PhysicalItem, movement: Movement) -> None:
    before = queries.state_after(queries.previous_movement(movement))
    if before.status != Status.IN_ARCHIVE:
        result.unexpected.append((item, before.status))
    elif before.location is not None and not queries.is_within(before.location,
                                                                 result.location):
        result.misplaced.append((item, before.location))
    else:
        result.in_place.append(item)


def _last_in_batch(item: PhysicalItem, batch_id: str) -> bool:
    last = item.last_movement
    return last is not None and last.batch_id == batch_id
