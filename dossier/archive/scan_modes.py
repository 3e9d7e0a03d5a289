"""What a scanned item, location or badge means in each scan-station mode.

check in:  [location] item...   back home, or into the location scanned first
check out: badge item...        to the badge's owner until the due date
move:      location item|box... to the location (a box scanned moves as a whole)
box:       box item...          into the box, within its capacity
census:    location item|box... seen there; a new location starts a new count
pick:      item...             taken for the first request in line (pick_mode)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from dossier.archive import locations, movements, pick_mode, queries
from dossier.archive.errors import InvalidLocation, NoBorrower, NoDestination, WrongStep
from dossier.archive.models import STATUS_LABELS, Location, PhysicalItem, Status
from dossier.archive.recording import Outcome
from dossier.archive.scan_state import Level, ScanMode, ScanResult, ScanState
from dossier.auth.models import User

DEFAULT_LOAN_DAYS = 14


def act(found: PhysicalItem | Location | User, state: ScanState, actor: Any) -> ScanResult:
    if isinstance(found, PhysicalItem):
        return _ITEM[state.mode](found, state, actor)
    if isinstance(found, Location):
        return _LOCATION[state.mode](found, state, actor)
    if state.mode != ScanMode.CHECK_OUT:
        raise WrongStep(_("A badge is only scanned when checking out."))
    return _choose_borrower(found, state)


# -- check in -----------------------------------------------------------------------


def _check_in_item(item: PhysicalItem, state: ScanState, actor: Any) -> ScanResult:
    outcome = movements.check_in(actor, item, _target(state), batch_id=state.batch_id)
    place = queries.path_label(queries.state_of(item).location)
    if outcome.changed:
        before = outcome.before
        if before is not None and before.status == Status.MISSING:
            return _done(outcome, state, item, Level.WARNING, "found", _(
                "%(code)s was reported missing and is found: checked in at %(place)s.",
                code=item.barcode, place=place))
        waiting = pick_mode.waiting_request_note(item)
        if waiting is not None:  # the next request in line: not back onto the shelf
            return _done(outcome, state, item, Level.WARNING, "requested", " ".join((_(
                "%(code)s checked in at %(place)s.", code=item.barcode, place=place), waiting)))
        return _done(outcome, state, item, Level.OK, "checked_in", _(
            "%(code)s checked in at %(place)s.", code=item.barcode, place=place))
    if _done_in_this_batch(outcome, state):
        return _unchanged(state, item, Level.OK, "already_done", _(
            "%(code)s is already checked in at %(place)s.", code=item.barcode, place=place))
    return _unchanged(state, item, Level.WARNING, "already_in", _(
        "%(code)s is already in the archive, at %(place)s: nothing changed.",
        code=item.barcode, place=place))


def _check_in_location(location: Location, state: ScanState, actor: Any) -> ScanResult:
    return _new_target(location, state, _("Checking in at %(place)s: scan the originals."))


# -- check out ----------------------------------------------------------------------


def _choose_borrower(person: User, state: ScanState) -> ScanResult:
    if not person.active:
        raise NoBorrower(_("%(name)s cannot borrow originals: the account is disabled.",
                           name=person.display_name))
    state = state.next_batch(person_id=person.id)
    return ScanResult(Level.OK, _(
        "Checking out to %(name)s until %(date)s: scan the originals.",
        name=person.display_name, date=format_date(_due_on(state))), "borrower_chosen", state)


def _check_out_item(item: PhysicalItem, state: ScanState, actor: Any) -> ScanResult:
    person = queries.find_person(state.person_id) if state.person_id else None
    if person is None:
        raise NoBorrower(_("Scan the borrower's badge first."))
    due_on = _due_on(state)
    outcome = movements.check_out(actor, item, person, due_on, batch_id=state.batch_id)
    if not outcome.changed:
        return _unchanged(state, item, Level.OK, "already_done", _(
            "%(code)s is already checked out to %(name)s.", code=item.barcode,
            name=person.display_name))
    return _done(outcome, state, item, Level.OK, "checked_out", _(
        "%(code)s checked out to %(name)s until %(date)s.", code=item.barcode,
        name=person.display_name, date=format_date(due_on)))


def _check_out_location(location: Location, state: ScanState, actor: Any) -> ScanResult:
    raise WrongStep(_("When checking out, scan the borrower's badge and then the originals."))


def _due_on(state: ScanState) -> Any:
    days = current_app.config.get("ARCHIVE_LOAN_DAYS", DEFAULT_LOAN_DAYS)
    return state.due_on or queries.today() + timedelta(days=days)


# -- move and box -------------------------------------------------------------------


def _move_location(location: Location, state: ScanState, actor: Any) -> ScanResult:
    target = _target(state)
    if target is None or target.is_box or not location.is_box or location.id == target.id:
        return _new_target(location, state, _("Moving to %(place)s: scan the originals or "
                                              "boxes."))
    outcome = locations.move_location(actor, location, target, batch_id=state.batch_id)
    place = queries.path_label(target)
    if not outcome.changed:
        return _unchanged(state, None, Level.OK, "already_there", _(
            "Box %(box)s is already in %(place)s.", box=location.name, place=place),
            location_id=location.id)
    held = len(queries.items_at(location))
    return _done(outcome, state, None, Level.OK, "box_moved", ngettext(
        "Box %(box)s moved to %(place)s, with %(num)s original in it.",
        "Box %(box)s moved to %(place)s, with the %(num)s originals in it.",
        held, box=location.name, place=place), location_id=location.id)


def _box_location(location: Location, state: ScanState, actor: Any) -> ScanResult:
    if not location.is_box:
        raise InvalidLocation(_("%(place)s is not a box: scan a box's label.",
                                place=queries.path_label(location)))
    return _new_target(location, state, _("Filling box %(place)s: scan the originals."))


def _move_item(item: PhysicalItem, state: ScanState, actor: Any) -> ScanResult:
    target = _target(state)
    if target is None:
        raise NoDestination(_("Scan where the originals go first."))
    if state.mode == ScanMode.BOX and not target.is_box:
        raise NoDestination(_("Scan the box first."))
    outcome = movements.move(actor, item, target, batch_id=state.batch_id)
    place = queries.path_label(target)
    if not outcome.changed:
        return _unchanged(state, item, Level.OK, "already_there", _(
            "%(code)s is already in %(place)s.", code=item.barcode, place=place))
    before = outcome.before
    if before is not None and before.status not in (Status.IN_ARCHIVE, Status.REGISTERED):
        return _done(outcome, state, item, Level.WARNING, "returned", _(
            "%(code)s was recorded as %(status)s; it is now in %(place)s.", code=item.barcode,
            status=STATUS_LABELS[before.status], place=place))
    reason = "put_in_box" if target.is_box else "moved"
    return _done(outcome, state, item, Level.OK, reason, _(
        "%(code)s moved to %(place)s.", code=item.barcode, place=place))


# -- census -------------------------------------------------------------------------


def _census_location(location: Location, state: ScanState, actor: Any) -> ScanResult:
    target = _target(state)
    if target is None or target.is_box or not location.is_box or location.id == target.id:
        return _new_target(location, state, _("Counting %(place)s: scan everything in it."))
    outcome = locations.record_location_seen(actor, location, target, batch_id=state.batch_id)
    if not outcome.changed:
        return _unchanged(state, None, Level.OK, "already_seen", _(
            "Box %(box)s was already counted.", box=location.name), location_id=location.id)
    movement = outcome.movement
    assert movement is not None
    if movement.from_location_id != target.id:
        return _done(outcome, state, None, Level.WARNING, "misplaced", _(
            "Box %(box)s was recorded in %(place)s; it is now recorded here.",
            box=location.name, place=queries.path_label(movement.from_location)),
            location_id=location.id)
    return _done(outcome, state, None, Level.OK, "seen", _(
        "Box %(box)s counted.", box=location.name), location_id=location.id)


def _census_item(item: PhysicalItem, state: ScanState, actor: Any) -> ScanResult:
    target = _target(state)
    if target is None:
        raise NoDestination(_("Scan the shelf or box you are counting first."))
    outcome = movements.record_seen(actor, item, target, batch_id=state.batch_id)
    if not outcome.changed:
        return _unchanged(state, item, Level.OK, "already_seen", _(
            "%(code)s was already counted.", code=item.barcode))
    before = outcome.before
    assert before is not None
    recorded = before.location if before.status == Status.IN_ARCHIVE else None
    if before.status != Status.IN_ARCHIVE:
        return _done(outcome, state, item, Level.WARNING, "unexpected", _(
            "%(code)s was recorded as %(status)s; it is now recorded here.",
            code=item.barcode, status=STATUS_LABELS[before.status]))
    if recorded is not None and not queries.is_within(recorded, target):
        return _done(outcome, state, item, Level.WARNING, "misplaced", _(
            "%(code)s was recorded in %(place)s; it is now recorded here.",
            code=item.barcode, place=queries.path_label(recorded)))
    return _done(outcome, state, item, Level.OK, "seen", _("%(code)s counted.",
                                                            code=item.barcode))


# -- shared -------------------------------------------------------------------------


def _target(state: ScanState) -> Location | None:
    return queries.find_location(state.target_id) if state.target_id else None


def _new_target(location: Location, state: ScanState, message: str) -> ScanResult:
    if not location.active:
        raise InvalidLocation(_("%(place)s is no longer in use.",
                                place=queries.path_label(location)))
    state = state.next_batch(target_id=location.id)
    return ScanResult(Level.OK, message % {"place": queries.path_label(location)},
                      "target_chosen", state, location_id=location.id)


def _done_in_this_batch(outcome: Outcome, state: ScanState) -> bool:
    last = outcome.before.movement if outcome.before else None
    return last is not None and last.batch_id == state.batch_id


def _done(outcome: Outcome, state: ScanState, item: PhysicalItem | None, level: Level,
          reason: str, message: str, location_id: int | None = None) -> ScanResult:
    assert outcome.movement is not None
    return ScanResult(level, message, reason, replace(state, done=state.done + 1),
                      changed=True, item_id=item.id if item else None,
                      location_id=location_id, movement_ids=(outcome.movement.id,))


def _unchanged(state: ScanState, item: PhysicalItem | None, level: Level, reason: str,
               message: str, location_id: int | None = None) -> ScanResult:
    return ScanResult(level, message, reason, state, item_id=item.id if item else None,
                      location_id=location_id)


_ITEM = {ScanMode.CHECK_IN: _check_in_item, ScanMode.CHECK_OUT: _check_out_item,
         ScanMode.MOVE: _move_item, ScanMode.BOX: _move_item, ScanMode.CENSUS: _census_item,
         ScanMode.PICK: pick_mode.pick_item}
_LOCATION = {ScanMode.CHECK_IN: _check_in_location, ScanMode.CHECK_OUT: _check_out_location,
             ScanMode.MOVE: _move_location, ScanMode.BOX: _box_location,
             ScanMode.CENSUS: _census_location, ScanMode.PICK: pick_mode.pick_location}
