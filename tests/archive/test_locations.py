"""The location tree: its rules, capacities, retiring, and moving a box as a whole."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.archive import movements, queries
from dossier.archive.errors import InvalidLocation, LocationFull, NotAllowed
from dossier.archive.items import create_item
from dossier.archive.locations import create_location, move_location, update_location
from dossier.archive.models import LocationKind, Movement, MovementKind
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import UserFactory


def test_the_tree_runs_from_site_to_box(tree):
    assert queries.path(tree.box) == [tree.site, tree.room, tree.cabinet, tree.shelf, tree.box]
    assert queries.path_label(tree.shelf) == " \u203a ".join(["Archief Utrecht", "Kelder", "Kast A",
                                                             "Plank 1"])
    assert queries.children(None)[0] == tree.site
    assert queries.children(tree.cabinet) == [tree.shelf, tree.other_shelf]


@pytest.mark.parametrize(("kind", "parent_name", "message"), [
    (LocationKind.SITE, "room", "A site is not inside another location."),
    (LocationKind.ROOM, None, "Choose the location this one is in."),
    (LocationKind.SHELF, "box", "A shelf cannot be inside a box."),
    (LocationKind.CABINET, "cabinet", "A cabinet cannot be inside a cabinet."),
    ("attic", "room", "“attic” is not a kind of location."),
])
def test_a_location_must_fit_in_the_tree(clerk, tree, kind, parent_name, message):
    parent = getattr(tree, parent_name) if parent_name else None
    with pytest.raises(InvalidLocation, match=message):
        create_location(clerk, kind, "Nieuw", parent)


def test_levels_may_be_skipped(clerk, tree):
    box = create_location(clerk, LocationKind.BOX, "Doos op de vloer", tree.room)
    assert box.parent is tree.room


@pytest.mark.parametrize(("name", "capacity", "message"), [
    ("  ", None, "A location needs a name."),
    ("x" * 101, None, "at most 100 characters"),
    ("Doos", 0, "at least 1"),
])
def test_names_and_capacities_are_checked(clerk, tree, name, capacity, message):
    with pytest.raises(InvalidLocation, match=message):
        create_location(clerk, LocationKind.BOX, name, tree.shelf, capacity=capacity)


def test_only_clerks_and_admins_change_locations(tree):
    create_location(UserFactory(roles=("admin",)), LocationKind.SITE, "Archief Zwolle")
    with pytest.raises(NotAllowed):
        create_location(UserFactory(roles=("care",)), LocationKind.SITE, "Archief Zwolle")


def test_a_capacity_below_what_a_location_holds_is_refused(clerk, tree, item):
    movements.put_in_box(clerk, item, tree.box)
    movements.put_in_box(clerk, create_item(clerk), tree.box)
    with pytest.raises(InvalidLocation, match="already holds 2, more than 1"):
        update_location(clerk, tree.box, capacity=1)
    update_location(clerk, tree.box, capacity=2)
    assert tree.box.capacity == 2
    update_location(clerk, tree.box, capacity=None)
    assert tree.box.capacity is None


def test_a_location_that_holds_something_cannot_be_retired(clerk, tree, item):
    movements.put_in_box(clerk, item, tree.box)
    with pytest.raises(InvalidLocation, match="still holds something"):
        update_location(clerk, tree.box, active=False)
    movements.move(clerk, item, tree.other_shelf)
    update_location(clerk, tree.box, active=False, name="Doos 1 (oud)")
    assert not tree.box.active and tree.box.name == "Doos 1 (oud)"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update",
                                                        AuditEvent.object_type == "Location")
                               ).one()
    assert event.details["after"] == {"name": "Doos 1 (oud)", "capacity": 30, "active": False}


def test_nothing_goes_into_a_retired_location(clerk, tree, item):
    update_location(clerk, tree.other_shelf, active=False)
    with pytest.raises(InvalidLocation, match="no longer in use"):
        movements.move(clerk, item, tree.other_shelf)
    with pytest.raises(InvalidLocation, match="no longer in use"):
        create_location(clerk, LocationKind.BOX, "Doos 9", tree.other_shelf)


def test_moving_a_box_writes_one_movement_for_the_box(clerk, tree, item):
    movements.put_in_box(clerk, item, tree.box)
    outcome = move_location(clerk, tree.box, tree.other_shelf)
    assert outcome.changed and tree.box.parent is tree.other_shelf
    moved = outcome.movement
    assert (moved.location_id, moved.kind, moved.from_location_id, moved.to_location_id) == (
        tree.box.id, MovementKind.TRANSFER, tree.shelf.id, tree.other_shelf.id)
    assert [m.kind for m in queries.history(item)] == [MovementKind.PUT_IN_BOX]
    assert queries.place_of(item)[-2:] == [tree.other_shelf, tree.box]
    assert queries.location_history(tree.box) == [moved]


def test_moving_a_box_where_it_is_changes_nothing(clerk, tree):
    outcome = move_location(clerk, tree.box, tree.shelf)
    assert not outcome.changed and outcome.reason == "already_there"
    assert db.session.scalar(select(Movement.id).where(Movement.location_id == tree.box.id)
                             ) is None


def test_a_box_does_not_go_onto_a_full_shelf(clerk, tree):
    update_location(clerk, tree.other_shelf, capacity=1)
    create_location(clerk, LocationKind.BOX, "Doos 2", tree.other_shelf)
    with pytest.raises(LocationFull, match="Plank 2 is full: it holds 1 of 1"):
        move_location(clerk, tree.box, tree.other_shelf)
    assert tree.box.parent is tree.shelf


def test_a_box_move_is_audited_for_each_customer_whose_original_is_in_it(clerk, tree, item):
    movements.put_in_box(clerk, item, tree.box)
    create_item(clerk, home=tree.box)  # an original of no one's document: no customer event
    move_location(clerk, tree.box, tree.other_shelf)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "move",
                                                         AuditEvent.object_type == "Location")
                                .order_by(AuditEvent.id)).all()
    customer = item.document.customers[0]
    assert [(e.object_id, e.customer_id) for e in events] == [
        (str(tree.box.id), None), (str(tree.box.id), customer.id)]
    assert events[1].details["items"] == [item.id]
