"""Reads: an item's place through its box, its history, what a place holds, what is overdue."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from dossier.archive import movements, queries
from dossier.archive.items import create_item
from dossier.archive.locations import move_location
from dossier.archive.models import MovementKind, Status


def test_an_item_in_a_box_is_wherever_the_box_is(clerk, tree, item):
    movements.put_in_box(clerk, item, tree.box)
    assert queries.place_of(item)[-2:] == [tree.shelf, tree.box]
    assert queries.state_of(item).box is tree.box
    move_location(clerk, tree.box, tree.other_shelf)
    assert queries.place_of(item)[-2:] == [tree.other_shelf, tree.box]
    assert queries.is_within(tree.box, tree.other_shelf)
    assert not queries.is_within(tree.box, tree.shelf)


def test_an_item_out_of_the_archive_has_no_place(clerk, borrower, item):
    movements.check_out(clerk, item, borrower, queries.today())
    assert queries.place_of(item) == []
    assert queries.state_of(item).box is None


def test_history_is_oldest_first_with_who_and_where(clerk, borrower, tree, item):
    movements.check_in(clerk, item)
    movements.check_out(clerk, item, borrower, queries.today())
    movements.check_in(clerk, item, tree.box)
    history = queries.history(item)
    assert [m.kind for m in history] == [MovementKind.CHECK_IN, MovementKind.CHECK_OUT,
                                         MovementKind.CHECK_IN]
    assert history[1].to_person is borrower and history[1].actor is clerk
    assert history[2].to_location is tree.box
    assert queries.previous_movement(history[2]) is history[1]
    assert queries.previous_movement(history[0]) is None


def test_what_a_place_holds(clerk, tree, item):
    other = create_item(clerk, home=tree.shelf)
    movements.check_in(clerk, item)
    movements.check_in(clerk, other)
    assert queries.items_at(tree.shelf) == [item, other]
    assert queries.boxes_in(tree.shelf) == [tree.box]
    assert queries.occupancy(tree.shelf) == 3  # two originals and a box
    assert queries.occupancy(tree.box) == 0
    assert queries.item_of_document(item.document_id) is item


def test_the_overdue_list_shows_the_borrower(clerk, borrower, tree, item):
    today = queries.today()
    on_time = create_item(clerk, home=tree.shelf)
    movements.check_out(clerk, item, borrower, today)
    movements.check_out(clerk, on_time, borrower, today + timedelta(days=7))
    assert queries.overdue(today) == []
    [(late, state)] = queries.overdue(today + timedelta(days=1))
    assert late is item and state.person is borrower and state.due_on == today
    assert state.is_overdue(today + timedelta(days=1)) and not state.is_overdue(today)
    movements.check_in(clerk, item)
    assert queries.overdue(today + timedelta(days=1)) == []


def test_labels_follow_the_language(app, item):
    from dossier.archive.models import STATUS_LABELS

    with force_locale("nl"):
        assert str(STATUS_LABELS[Status.CHECKED_OUT]) == "uitgeleend"
