"""Acceptance: a box of 30 originals goes to another shelf, and history is not rewritten."""

from __future__ import annotations

from sqlalchemy import func, select

from dossier.archive import queries
from dossier.archive.items import create_item
from dossier.archive.models import Movement, MovementKind
from dossier.extensions import db
from tests.archive.station import Station


def _item_movements() -> int:
    return db.session.scalar(select(func.count()).select_from(Movement)
                             .where(Movement.item_id.is_not(None))) or 0


def test_a_box_of_30_is_filled_with_31_scans_and_moved_with_one_movement(clerk, tree):
    items = [create_item(clerk, home=tree.box) for _ in range(30)]
    filling = Station(clerk, "box")
    results = [filling.scan(tree.box.barcode)] + [filling.scan(i.barcode) for i in items]
    assert len(results) == 31 and all(r.level == "ok" for r in results)
    assert filling.state.done == 30 and queries.occupancy(tree.box) == 30

    one_more = filling.scan(create_item(clerk).barcode)
    assert one_more.reason == "location_full"

    moving = Station(clerk, "move")
    moving.scan(tree.other_shelf.barcode)
    moved = moving.scan(tree.box.barcode)
    assert moved.reason == "box_moved" and "with the 30 originals in it" in moved.message
    assert len(moved.movement_ids) == 1 and _item_movements() == 30
    for item in items:
        assert [m.kind for m in queries.history(item)] == [MovementKind.PUT_IN_BOX]
        assert queries.place_of(item)[-2:] == [tree.other_shelf, tree.box]
    assert queries.items_at(tree.box) == items
    assert [m.to_location for m in queries.location_history(tree.box)] == [tree.other_shelf]
