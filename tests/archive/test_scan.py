"""The scan station: each mode, bad input, repeated reads and the state between scans."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dossier import barcodes
from dossier.archive import movements, queries
from dossier.archive.items import create_item
from dossier.archive.locations import update_location
from dossier.archive.models import Movement, Status
from dossier.archive.scan import Level, ScanMode, ScanState, Sound, scan, start
from dossier.extensions import db
from tests.archive.station import Station
from tests.factories import UserFactory


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Movement)) or 0


def _misread(code: str) -> str:
    """The code with its check character wrong, as a misread would give it."""
    wrong = "0" if code[-1] != "0" else "1"
    return code[:-1] + wrong


# -- reading codes ------------------------------------------------------------------


def test_a_wrong_check_character_is_refused(clerk, item):
    result = Station(clerk, "checkin").scan(_misread(item.barcode))
    assert (result.level, result.reason, result.message) == (
        Level.ERROR, "wrong_check_character", "Check digit wrong, scan again.")
    assert (result.colour, result.sound, result.changed) == ("red", Sound.ERROR, False)
    assert _count() == 0


def test_an_unknown_barcode_is_refused(clerk, item):
    result = Station(clerk, "checkin").scan(barcodes.make_item(item.id + 1000))
    assert result.reason == "unknown_barcode" and "Unknown barcode" in result.message
    assert _count() == 0


@pytest.mark.parametrize("code", ["", "4006381333931", "S" + barcodes.check_character("S"),
                                  barcodes.make_cover(12, "quote", "sales")])
def test_codes_that_are_no_archive_labels_are_refused(clerk, code):
    result = Station(clerk, "move").scan(code)
    assert (result.level, result.reason) == (Level.ERROR, "unreadable_code")


def test_codes_are_trimmed_and_normalised(clerk, item):
    result = Station(clerk, "checkin").scan(f"  {item.barcode.lower()}\r\n")
    assert result.reason == "checked_in" and result.code == item.barcode


def test_a_second_read_within_a_second_is_ignored(clerk, tree, item):
    station = Station(clerk, "checkin")
    station.scan(item.barcode)
    repeat = station.scan(item.barcode, after=timedelta(milliseconds=300))
    assert repeat.ignored and repeat.sound == Sound.NONE and repeat.reason == "repeat_read"
    later = station.scan(item.barcode, after=timedelta(seconds=1))
    assert not later.ignored and later.reason == "already_done"
    assert _count() == 1


def test_only_archive_staff_use_the_station(item):
    result = Station(UserFactory(roles=("care",)), "checkin").scan(item.barcode)
    assert (result.level, result.reason) == (Level.ERROR, "not_allowed")
    assert _count() == 0


# -- the state ----------------------------------------------------------------------


def test_the_state_survives_a_round_trip_through_plain_values(clerk, tree, borrower):
    station = Station(clerk, "checkout")
    station.scan(barcodes.make_badge(borrower.id))
    state = station.state
    assert ScanState.from_dict(state.to_dict()) == state
    assert ScanState.from_dict(start("move", due_on=queries.today()).to_dict()).due_on


@pytest.mark.parametrize("data", [None, {}, {"mode": "dance", "batch_id": "x"},
                                  {"mode": "move", "batch_id": "x", "target_id": "nine"},
                                  {"mode": "move", "batch_id": "x",
                                   "last_at": "2026-01-01T10:00:00+01:00"}, []])
def test_a_damaged_state_starts_afresh(data):
    assert ScanState.from_dict(data) is None


def test_another_mode_starts_afresh(clerk, tree, item):
    moving = scan(tree.other_shelf.barcode, "move", None, clerk)
    result = scan(item.barcode, "checkin", moving.state, clerk)
    assert result.state.mode == ScanMode.CHECK_IN and result.state.target_id is None
    assert queries.state_of(item).location is tree.shelf  # home, not the move's target


# -- check in -----------------------------------------------------------------------


def test_check_in_brings_an_original_home(clerk, tree, item):
    result = Station(clerk, "checkin").scan(item.barcode)
    assert (result.level, result.reason, result.changed) == (Level.OK, "checked_in", True)
    assert result.message == f"{item.barcode} checked in at {queries.path_label(tree.shelf)}."
    assert result.movement_ids == (queries.state_of(item).movement.id,)
    assert result.state.done == 1


def test_check_in_at_a_scanned_location(clerk, tree, item):
    station = Station(clerk, "checkin")
    assert station.scan(tree.other_shelf.barcode).reason == "target_chosen"
    station.scan(item.barcode)
    assert queries.state_of(item).location is tree.other_shelf


def test_checking_in_an_original_already_in_warns_and_changes_nothing(clerk, tree, item):
    movements.check_in(clerk, item)
    result = Station(clerk, "checkin").scan(item.barcode)
    assert (result.level, result.reason, result.changed) == (Level.WARNING, "already_in", False)
    assert "nothing changed" in result.message and _count() == 1


def test_a_missing_original_checked_in_is_found(clerk, item):
    movements.mark_missing(clerk, item)
    result = Station(clerk, "checkin").scan(item.barcode)
    assert (result.level, result.reason) == (Level.WARNING, "found")


def test_an_original_without_home_needs_a_location_first(clerk):
    result = Station(clerk, "checkin").scan(create_item(clerk).barcode)
    assert (result.level, result.reason) == (Level.ERROR, "no_destination")


def test_a_badge_is_no_use_when_checking_in(clerk, borrower):
    result = Station(clerk, "checkin").scan(barcodes.make_badge(borrower.id))
    assert (result.level, result.reason) == (Level.ERROR, "wrong_step")


# -- check out ----------------------------------------------------------------------


def test_check_out_to_the_person_whose_badge_was_scanned(app, clerk, borrower, item):
    station = Station(clerk, "checkout")
    chosen = station.scan(barcodes.make_badge(borrower.id))
    assert chosen.reason == "borrower_chosen" and "Bart Lener" in chosen.message
    result = station.scan(item.barcode)
    due = queries.today() + timedelta(days=app.config["ARCHIVE_LOAN_DAYS"])
    state = queries.state_of(item)
    assert result.reason == "checked_out" and (state.person, state.due_on) == (borrower, due)
    again = station.scan(item.barcode)
    assert (again.level, again.reason, again.changed) == (Level.OK, "already_done", False)


def test_a_due_date_chosen_for_the_session(clerk, borrower, item):
    due = queries.today() + timedelta(days=3)
    first = scan(barcodes.make_badge(borrower.id), "checkout", start("checkout", due_on=due),
                 clerk)
    scan(item.barcode, "checkout", first.state, clerk)
    assert queries.state_of(item).due_on == due


def test_check_out_needs_a_badge_first(clerk, item):
    result = Station(clerk, "checkout").scan(item.barcode)
    assert (result.level, result.reason) == (Level.ERROR, "no_borrower")


def test_what_someone_else_has_is_refused(clerk, borrower, item):
    movements.check_out(clerk, item, UserFactory(full_name="Els Ander"), queries.today())
    station = Station(clerk, "checkout")
    station.scan(barcodes.make_badge(borrower.id))
    result = station.scan(item.barcode)
    assert (result.level, result.reason) == (Level.ERROR, "checked_out_elsewhere")
    assert "Els Ander" in result.message and _count() == 1


def test_a_disabled_badge_and_a_location_are_refused_when_checking_out(clerk, tree, borrower):
    borrower.active = False
    station = Station(clerk, "checkout")
    assert station.scan(barcodes.make_badge(borrower.id)).reason == "no_borrower"
    assert station.scan(tree.shelf.barcode).reason == "wrong_step"


# -- move and box -------------------------------------------------------------------


def test_move_to_the_location_scanned_first(clerk, tree, item):
    station = Station(clerk, "move")
    assert station.scan(item.barcode).reason == "no_destination"
    station.scan(tree.other_shelf.barcode)
    result = station.scan(item.barcode)
    assert (result.reason, queries.state_of(item).location) == ("moved", tree.other_shelf)
    assert station.scan(item.barcode).reason == "already_there"


def test_moving_an_original_that_was_out_records_it_back(clerk, borrower, tree, item):
    movements.check_out(clerk, item, borrower, queries.today())
    station = Station(clerk, "move")
    station.scan(tree.other_shelf.barcode)
    result = station.scan(item.barcode)
    assert (result.level, result.reason, result.changed) == (Level.WARNING, "returned", True)
    assert "checked out" in result.message


def test_moving_a_destroyed_original_is_refused(clerk, tree, item):
    movements.record_destroyed(clerk, item)
    station = Station(clerk, "move")
    station.scan(tree.other_shelf.barcode)
    result = station.scan(item.barcode)
    assert (result.level, result.reason) == (Level.ERROR, "item_destroyed")
    assert "cannot be moved" in result.message and _count() == 1


def test_a_box_scanned_while_moving_moves_whole(clerk, tree, item):
    movements.put_in_box(clerk, item, tree.box)
    station = Station(clerk, "move")
    station.scan(tree.other_shelf.barcode)
    result = station.scan(tree.box.barcode)
    assert (result.reason, result.location_id) == ("box_moved", tree.box.id)
    assert "with 1 original in it" in result.message
    assert station.scan(tree.box.barcode).reason == "already_there"
    assert station.scan(tree.shelf.barcode).reason == "target_chosen"  # a shelf: new target


def test_box_mode_fills_a_box(clerk, tree, item):
    station = Station(clerk, "box")
    assert station.scan(tree.shelf.barcode).reason == "invalid_location"
    assert station.scan(item.barcode).reason == "no_destination"
    station.scan(tree.box.barcode)
    assert station.scan(item.barcode).reason == "put_in_box"
    assert queries.state_of(item).box is tree.box


def test_an_original_scanned_into_a_full_box_is_refused(clerk, tree, item):
    update_location(clerk, tree.box, capacity=1)
    movements.put_in_box(clerk, create_item(clerk), tree.box)
    station = Station(clerk, "box")
    station.scan(tree.box.barcode)
    result = station.scan(item.barcode)
    assert (result.level, result.reason) == (Level.ERROR, "location_full")
    assert "is full: it holds 1 of 1" in result.message
    assert queries.state_of(item).status == Status.REGISTERED


def test_a_retired_location_cannot_be_chosen(clerk, tree):
    update_location(clerk, tree.other_shelf, active=False)
    result = Station(clerk, "move").scan(tree.other_shelf.barcode)
    assert (result.level, result.reason) == (Level.ERROR, "invalid_location")


def test_feedback_comes_in_the_clerks_language(clerk, item):
    from flask_babel import force_locale

    with force_locale("nl"):
        result = Station(clerk, "checkin").scan(_misread(item.barcode))
    assert result.message == "Controleteken klopt niet, scan opnieuw."
