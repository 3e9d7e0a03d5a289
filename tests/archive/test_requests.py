"""Retrieval requests: asking, picking at the scan station, delivery by check-out, return
by check-in, the queue for an original that is out, cancelling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dossier import barcodes
from dossier.archive import movements, queries, request_queries, requests
from dossier.archive.desk_models import RequestStatus, RetrievalRequest
from dossier.archive.errors import ItemDestroyed, NotAllowed
from dossier.archive.models import Movement, Status
from dossier.archive.picklist import desk
from dossier.archive.scan import Level
from dossier.auth.models import utcnow
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.archive.station import Station
from tests.factories import DocumentFactory, UserFactory


@pytest.fixture
def shelved(clerk, item):
    """The care contract's original, checked in on its home shelf."""
    movements.check_in(clerk, item)
    return item


@pytest.fixture
def colleague(app):
    return UserFactory(roles=("care",), full_name="Cora Collega")


def _ask(user, item, purpose="Complaint file"):
    return requests.ask(user, item.document, purpose)


def _movements() -> int:
    return db.session.scalar(select(func.count()).select_from(Movement)) or 0


def _hand_over(clerk, person, item):
    station = Station(clerk, "checkout")
    station.scan(barcodes.make_badge(person.id))
    return station.scan(item.barcode)


# -- asking -------------------------------------------------------------------------


def test_a_user_who_sees_the_document_asks_for_its_original(borrower, shelved):
    request = _ask(borrower, shelved, "  Complaint   about the contract ")
    assert (request.status, request.purpose) == ("requested", "Complaint about the contract")
    assert request.requester == borrower and request.item == shelved
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "RetrievalRequest")).all()
    assert [(e.action, e.customer_id) for e in events] == [
        ("create", shelved.document.customers[0].id)]
    assert [row.request for row in desk().pick] == [request]


def test_someone_who_cannot_see_the_document_cannot_ask(shelved):
    with pytest.raises(NotAllowed):
        _ask(UserFactory(roles=("sales",)), shelved)
    with pytest.raises(NotAllowed):
        _ask(UserFactory(roles=("clerk",)), shelved)


def test_a_purpose_is_required_and_short(borrower, shelved):
    with pytest.raises(requests.NoPurpose):
        _ask(borrower, shelved, "   ")
    with pytest.raises(requests.NoPurpose):
        _ask(borrower, shelved, "x" * 301)


def test_a_document_without_a_registered_original_cannot_be_asked_for(borrower):
    document = DocumentFactory(scopes=["care"], paper_original=True)
    with pytest.raises(requests.NoOriginal):
        requests.ask(borrower, document, "Audit")


def test_asking_twice_is_refused_with_the_first_requests_state(borrower, shelved):
    _ask(borrower, shelved)
    with pytest.raises(requests.AlreadyRequested, match="requested"):
        _ask(borrower, shelved)


def test_a_destroyed_original_cannot_be_asked_for(clerk, borrower, shelved):
    movements.record_destroyed(clerk, shelved)
    with pytest.raises(ItemDestroyed):
        _ask(borrower, shelved)


# -- picked, delivered, returned ----------------------------------------------------


def test_scanning_marks_picked_then_delivered_then_returned(clerk, borrower, shelved):
    request = _ask(borrower, shelved)
    picked = Station(clerk, "pick").scan(shelved.barcode)
    assert (picked.level, picked.reason, picked.changed) == (Level.OK, "picked", True)
    assert "Bart Lener" in picked.message
    assert request.status == "picked" and request.picked_by == clerk
    assert queries.state_of(shelved).status == Status.IN_TRANSIT
    assert [row.request for row in desk().picked] == [request]

    handed = _hand_over(clerk, borrower, shelved)
    assert handed.reason == "checked_out"
    assert request.status == "delivered"
    assert request.due_on == queries.state_of(shelved).due_on
    assert request.checkout_movement_id == handed.movement_ids[0]
    assert [row.request for row in desk().out] == [request]

    back = Station(clerk, "checkin").scan(shelved.barcode)
    assert back.reason == "checked_in"
    assert request.status == "returned" and request.returned_at is not None
    assert desk().pick == desk().out == []


def test_a_check_out_to_the_requester_without_picking_delivers_too(clerk, borrower, shelved):
    request = _ask(borrower, shelved)
    _hand_over(clerk, borrower, shelved)
    assert request.status == "delivered"
    assert request.picked_at == request.delivered_at


def test_picking_twice_changes_nothing_the_second_time(clerk, borrower, shelved):
    _ask(borrower, shelved)
    station = Station(clerk, "pick")
    station.scan(shelved.barcode)
    count = _movements()
    again = station.scan(shelved.barcode)
    assert (again.level, again.reason, again.changed) == (Level.OK, "already_picked", False)
    assert _movements() == count


def test_picking_an_original_nobody_asked_for_is_refused(clerk, shelved):
    result = Station(clerk, "pick").scan(shelved.barcode)
    assert (result.level, result.reason) == (Level.ERROR, "no_open_request")
    assert "put it back" in result.message
    assert queries.state_of(shelved).status == Status.IN_ARCHIVE


def test_a_location_is_not_scanned_when_picking(clerk, tree):
    result = Station(clerk, "pick").scan(tree.shelf.barcode)
    assert (result.level, result.reason) == (Level.ERROR, "wrong_step")


def test_a_picked_original_put_back_waits_on_the_pick_list_again(clerk, borrower, shelved):
    request = _ask(borrower, shelved)
    Station(clerk, "pick").scan(shelved.barcode)
    Station(clerk, "checkin").scan(shelved.barcode)
    assert request.status == "requested" and request.picked_at is None
    assert [row.request for row in desk().pick] == [request]


def test_the_pick_mode_works_from_the_shell(runner, clerk, borrower, shelved):
    request = _ask(borrower, shelved)
    result = runner.invoke(args=["dossier", "archive", "scan", shelved.barcode, "--mode",
                                 "pick", "--as", clerk.username])
    assert result.exit_code == 0, result.output
    assert request.status == "picked"


# -- the queue ----------------------------------------------------------------------


def test_requests_for_an_original_that_is_out_are_queued_and_served_in_order(
        clerk, borrower, colleague, shelved):
    first = _ask(borrower, shelved)
    second = _ask(colleague, shelved)
    assert [row.request for row in desk().pick] == [first]
    assert [(row.request, row.reason) for row in desk().waiting] == [
        (second, "asked for first by Bart Lener")]
    assert request_queries.position_in_queue(second) == 2

    _hand_over(clerk, borrower, shelved)
    waiting = desk().waiting
    assert [row.request for row in waiting] == [second]
    assert waiting[0].reason.startswith("checked out to Bart Lener until ")
    refused = Station(clerk, "pick").scan(shelved.barcode)
    assert (refused.reason, second.status) == ("item_out", "requested")

    back = Station(clerk, "checkin").scan(shelved.barcode)
    assert (back.level, back.reason) == (Level.WARNING, "requested")
    assert "Cora Collega asked for" in back.message
    assert first.status == "returned"
    assert [row.request for row in desk().pick] == [second]
    assert request_queries.position_in_queue(second) == 1


def test_a_request_for_an_original_lent_by_hand_waits_until_it_is_back(
        clerk, borrower, colleague, shelved):
    _hand_over(clerk, colleague, shelved)
    request = _ask(borrower, shelved)
    assert desk().pick == []
    assert [row.request for row in desk().waiting] == [request]
    Station(clerk, "checkin").scan(shelved.barcode)
    assert request.status == "requested"
    assert [row.request for row in desk().pick] == [request]


def test_a_check_out_to_someone_else_delivers_no_request(clerk, borrower, colleague, shelved):
    request = _ask(borrower, shelved)
    _hand_over(clerk, colleague, shelved)
    assert request.status == "requested"
    assert desk().pick == [] and [row.request for row in desk().waiting] == [request]


def test_a_missing_original_waits_with_the_reason(clerk, borrower, shelved):
    movements.mark_missing(clerk, shelved)
    _ask(borrower, shelved)
    assert [row.reason for row in desk().waiting] == ["reported missing"]


def test_a_movement_recorded_late_changes_no_request(clerk, borrower, tree, shelved):
    request = _ask(borrower, shelved)
    _hand_over(clerk, borrower, shelved)
    earlier = utcnow() - timedelta(days=3)
    movements.move(clerk, shelved, tree.other_shelf, at=earlier)  # an old scanner line
    assert request.status == "delivered"
    assert queries.state_of(shelved).status == Status.CHECKED_OUT


# -- cancelling and destruction -----------------------------------------------------


def test_the_requester_withdraws_a_request(borrower, shelved):
    request = _ask(borrower, shelved)
    requests.cancel(borrower, request)
    assert (request.status, request.cancel_reason) == ("cancelled", "withdrawn")
    assert desk().pick == []


def test_only_the_requester_or_the_archive_cancels(clerk, borrower, colleague, shelved):
    request = _ask(borrower, shelved)
    with pytest.raises(NotAllowed):
        requests.cancel(colleague, request)
    requests.cancel(clerk, request, "Not kept here")
    assert (request.status, request.cancel_reason, request.cancelled_by) == (
        "cancelled", "Not kept here", clerk)
    with pytest.raises(requests.CannotCancel):
        requests.cancel(clerk, request)


def test_a_delivered_request_is_closed_by_check_in_not_cancelled(clerk, borrower, shelved):
    request = _ask(borrower, shelved)
    _hand_over(clerk, borrower, shelved)
    with pytest.raises(requests.CannotCancel):
        requests.cancel(borrower, request)


def test_destroying_an_original_cancels_its_waiting_requests(clerk, borrower, shelved):
    request = _ask(borrower, shelved)
    movements.record_destroyed(clerk, shelved)
    assert (request.status, request.cancel_reason) == ("cancelled", "destroyed")


# -- overdue ------------------------------------------------------------------------


def test_overdue_loans_name_the_borrower_and_the_request(clerk, borrower, colleague, shelved):
    request = _ask(borrower, shelved)
    _hand_over(clerk, borrower, shelved)
    due = queries.state_of(shelved).due_on
    assert request_queries.overdue_loans(due) == []
    (loan,) = request_queries.overdue_loans(due + timedelta(days=3))
    assert (loan.item, loan.state.person, loan.request) == (shelved, borrower, request)
    assert loan.days_overdue(due + timedelta(days=3)) == 3


def test_an_overdue_loan_without_a_request_is_listed_too(clerk, colleague, shelved):
    _hand_over(clerk, colleague, shelved)
    due = queries.state_of(shelved).due_on
    (loan,) = request_queries.overdue_loans(due + timedelta(days=1))
    assert (loan.state.person, loan.request) == (colleague, None)


def test_requests_of_a_person_newest_first(borrower, clerk, shelved):
    first = _ask(borrower, shelved)
    requests.cancel(borrower, first)
    second = _ask(borrower, shelved)
    assert db.session.scalars(request_queries.requests_of(borrower)).all() == [second, first]
    assert db.session.scalar(select(func.count()).select_from(RetrievalRequest)) == 2
    assert RequestStatus(second.status) == RequestStatus.REQUESTED
