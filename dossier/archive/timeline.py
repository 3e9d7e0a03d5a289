"""An item's full history as people read it: its own movements and, while it lay in a
box, the moves of that box (the items' history is never rewritten when a box moves,
so the two are merged only for display)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dossier.archive import queries
from dossier.archive.models import Location, Movement, PhysicalItem


@dataclass(frozen=True)
class Entry:
    movement: Movement
    box: Location | None = None  # set when this is a move of the box the item lay in

    @property
    def at(self) -> datetime:
        return self.movement.at


def timeline(item: PhysicalItem) -> list[Entry]:
    """Oldest first. Each box's moves are read once, however often the item went back
    into it (an original lent out a hundred times returns to its box a hundred times)."""
    own = queries.history(item)
    entries = [Entry(movement) for movement in own]
    box_moves: dict[int, list[Movement]] = {}
    for index, movement in enumerate(own):
        box = movement.to_location
        if box is None or not box.is_box:
            continue
        if box.id not in box_moves:
            box_moves[box.id] = queries.location_history(box)
        until = own[index + 1].at if index + 1 < len(own) else None
        entries.extend(Entry(box_move, box) for box_move in box_moves[box.id]
                       if box_move.at > movement.at and (until is None or box_move.at < until))
    return sorted(entries, key=lambda entry: (entry.at, entry.box is None, entry.movement.id))
