"""Check in, check out, move, box, missing, destroyed: each validated, idempotent, audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from dossier.archive import movements, queries
from dossier.archive.errors import (
    CheckedOutToSomeoneElse,
    InvalidDueDate,
    InvalidLocation,
    ItemDestroyed,
    LegalHold,
    LocationFull,
    NoBorrower,
    NoDestination,
    NotAllowed,
)
from dossier.archive.items import create_item
from dossier.archive.locations import update_location
from dossier.archive.models import Movement, MovementKind, Status
from dossier.auth.models import utcnow
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import UserFactory


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Movement)) or 0


@pytest.fixture
def due(app: Flask) -> date:
    return queries.today() + timedelta(days=14)


def test_check_in_puts_an_original_at_home(clerk, tree, item):
    outcome = movements.check_in(clerk, item, batch_id="b1", note="Nieuw binnen")
    state = queries.state_of(item)
    assert outcome.changed and outcome.before.status == Status.REGISTERED
    assert (state.status, state.location) == (Status.IN_ARCHIVE, tree.shelf)
    moved = outcome.movement
    assert (moved.kind, moved.actor_id, moved.batch_id, moved.note) == (
        MovementKind.CHECK_IN, clerk.id, "b1", "Nieuw binnen")


def test_check_in_elsewhere_than_home(clerk, tree, item):
    movements.check_in(clerk, item, tree.box)
    assert queries.state_of(item).location is tree.box


def test_an_original_without_home_needs_a_place(clerk):
    with pytest.raises(NoDestination, match="has no home location"):
        movements.check_in(clerk, create_item(clerk))


def test_checking_in_what_is_in_changes_nothing(clerk, tree, item):
    movements.check_in(clerk, item)
    outcome = movements.check_in(clerk, item, tree.other_shelf)
    assert (outcome.changed, outcome.reason) == (False, "already_in")
    assert queries.state_of(item).location is tree.shelf and _count() == 1


def test_check_out_to_a_person_until_a_date(clerk, borrower, tree, item, due):
    movements.check_in(clerk, item)
    outcome = movements.check_out(clerk, item, borrower, due)
    state = queries.state_of(item)
    assert (state.status, state.person, state.due_on, state.location) == (
        Status.CHECKED_OUT, borrower, due, None)
    assert outcome.movement.from_location_id == tree.shelf.id
    again = movements.check_out(clerk, item, borrower, due)
    assert (again.changed, again.reason) == (False, "already_checked_out")


def test_what_one_person_has_is_not_checked_out_to_another(clerk, borrower, item, due):
    movements.check_out(clerk, item, borrower, due)
    with pytest.raises(CheckedOutToSomeoneElse, match="checked out to Bart Lener"):
        movements.check_out(clerk, item, UserFactory(), due)
    assert queries.state_of(item).person == borrower and _count() == 1


def test_a_disabled_account_borrows_nothing_and_due_dates_lie_ahead(clerk, borrower, item, due):
    with pytest.raises(InvalidDueDate):
        movements.check_out(clerk, item, borrower, queries.today() - timedelta(days=1))
    borrower.active = False
    with pytest.raises(NoBorrower, match="the account is disabled"):
        movements.check_out(clerk, item, borrower, due)
    assert _count() == 0


def test_a_returned_original_goes_back_home(clerk, borrower, tree, item, due):
    movements.check_out(clerk, item, borrower, due)
    outcome = movements.check_in(clerk, item)
    assert outcome.before.status == Status.CHECKED_OUT
    assert queries.state_of(item).location is tree.shelf


def test_moving_and_taking_away(clerk, tree, item):
    movements.check_in(clerk, item)
    assert movements.move(clerk, item, tree.other_shelf).movement.kind == MovementKind.TRANSFER
    assert movements.move(clerk, item, tree.other_shelf).reason == "already_there"
    movements.move(clerk, item, None)
    assert queries.state_of(item).status == Status.IN_TRANSIT
    assert movements.move(clerk, item, None).reason == "already_in_transit"
    assert movements.move(clerk, item, tree.box).movement.kind == MovementKind.PUT_IN_BOX
    assert _count() == 4  # check in, transfer, taken away, into the box


def test_only_a_box_is_a_box(clerk, tree, item):
    with pytest.raises(InvalidLocation, match="is not a box"):
        movements.put_in_box(clerk, item, tree.shelf)


def test_a_full_box_takes_nothing_more(clerk, tree, item):
    update_location(clerk, tree.box, capacity=1)
    movements.put_in_box(clerk, create_item(clerk), tree.box)
    with pytest.raises(LocationFull, match="Doos 1 is full: it holds 1 of 1"):
        movements.put_in_box(clerk, item, tree.box)
    assert queries.state_of(item).status == Status.REGISTERED and _count() == 1


def test_a_destroyed_original_stays_destroyed(clerk, borrower, tree, item, due):
    movements.check_in(clerk, item)
    movements.record_destroyed(clerk, item)
    assert movements.record_destroyed(clerk, item).reason == "already_destroyed"
    for attempt in (lambda: movements.check_in(clerk, item),
                    lambda: movements.check_out(clerk, item, borrower, due),
                    lambda: movements.move(clerk, item, tree.other_shelf),
                    lambda: movements.put_in_box(clerk, item, tree.box),
                    lambda: movements.mark_missing(clerk, item),
                    lambda: movements.record_seen(clerk, item, tree.shelf, batch_id="c")):
        with pytest.raises(ItemDestroyed, match="was destroyed on"):
            attempt()
    assert _count() == 2


def test_a_legal_hold_forbids_destruction(clerk, item, document):
    document.legal_hold = True
    with pytest.raises(LegalHold):
        movements.record_destroyed(clerk, item)
    assert queries.state_of(item).status == Status.REGISTERED and document.paper_original


def test_reported_missing_and_found_again(clerk, tree, item):
    movements.check_in(clerk, item)
    outcome = movements.mark_missing(clerk, item)
    assert outcome.movement.from_location_id == tree.shelf.id
    assert movements.mark_missing(clerk, item).reason == "already_missing"
    assert movements.check_in(clerk, item).before.status == Status.MISSING
    assert queries.state_of(item).status == Status.IN_ARCHIVE


def test_a_movement_recorded_late_does_not_overrule_a_newer_one(clerk, tree, item):
    movements.check_in(clerk, item)
    earlier = utcnow() - timedelta(hours=2)
    late = movements.move(clerk, item, tree.other_shelf, at=earlier).movement
    assert queries.state_of(item).location is tree.shelf
    assert queries.history(item)[0] is late


def test_only_archive_staff_move_originals(tree, item):
    with pytest.raises(NotAllowed):
        movements.check_in(UserFactory(roles=("care",)), item)


def test_each_movement_is_audited_for_the_customer(clerk, borrower, item, document, due):
    movements.check_in(clerk, item)
    movements.check_out(clerk, item, borrower, due, batch_id="b2")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "move")
                                .order_by(AuditEvent.id)).all()
    assert [e.customer_id for e in events] == [document.customers[0].id] * 2
    assert events[1].details | {"movement": None} == {
        "movement": None, "kind": "check_out", "from": item.home_location_id, "to": None,
        "to_person": borrower.id, "due_on": due.isoformat(), "batch": "b2",
        "document": document.id}
