"""The archive's rows: barcodes from ids, one original per document, append-only history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from dossier import barcodes
from dossier.archive import movements, queries
from dossier.archive.models import (
    AppendOnlyViolation,
    LocationKind,
    Movement,
    MovementKind,
    Status,
)
from dossier.extensions import db
from tests.archive.factories import LocationFactory, PhysicalItemFactory


def test_barcodes_come_from_the_id_with_a_check_character(app):
    shelf = LocationFactory()
    item = PhysicalItemFactory(home_location=shelf)
    assert barcodes.parse(item.barcode) == barcodes.ItemCode(item.id)
    assert barcodes.parse(shelf.barcode) == barcodes.LocationCode(shelf.id)
    assert item.barcode[:-1] == f"P{item.id}"


def test_a_document_has_at_most_one_paper_original(app, document):
    PhysicalItemFactory(document=document)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        PhysicalItemFactory(document=document)


def test_a_movement_is_of_an_item_or_a_location_never_both(app, tree, item):
    movement = Movement(item_id=item.id, location_id=tree.box.id, kind="transfer")
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(movement)
        db.session.flush()


@pytest.fixture
def movement(clerk, item) -> Movement:
    outcome = movements.check_in(clerk, item)
    assert outcome.movement is not None
    return outcome.movement


def test_a_movement_cannot_be_changed(movement):
    movement.note = "rewritten"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


def test_a_movement_cannot_be_deleted(movement):
    db.session.delete(movement)
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


def test_bulk_statements_cannot_change_or_delete_movements(movement):
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(update(Movement).values(note="rewritten"))
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(delete(Movement).where(Movement.id == movement.id))
    assert db.session.get(Movement, movement.id).note == ""


@pytest.mark.parametrize(("kind", "to_location", "to_person", "status"), [
    (MovementKind.CHECK_IN, True, False, Status.IN_ARCHIVE),
    (MovementKind.PUT_IN_BOX, True, False, Status.IN_ARCHIVE),
    (MovementKind.CENSUS_SEEN, True, False, Status.IN_ARCHIVE),
    (MovementKind.TRANSFER, True, False, Status.IN_ARCHIVE),
    (MovementKind.TRANSFER, False, False, Status.IN_TRANSIT),
    (MovementKind.CHECK_OUT, False, True, Status.CHECKED_OUT),
    (MovementKind.MISSING, False, False, Status.MISSING),
    (MovementKind.DESTROYED, False, False, Status.DESTROYED),
])
def test_the_status_is_that_of_the_latest_movement(tree, borrower, kind, to_location, to_person,
                                                    status):
    movement = Movement(kind=kind.value, to_location=tree.shelf if to_location else None,
                        to_person=borrower if to_person else None,
                        due_on=date.today() + timedelta(days=3) if to_person else None)
    state = queries.state_after(movement)
    assert state.status == status
    assert (state.location is tree.shelf) == to_location
    assert (state.person is borrower) == to_person


def test_an_item_never_moved_is_registered(item):
    assert queries.state_of(item).status == Status.REGISTERED


def test_a_box_is_a_location_of_kind_box(tree):
    assert tree.box.is_box and tree.box.kind == LocationKind.BOX
    assert not tree.shelf.is_box
