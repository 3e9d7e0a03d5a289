"""Retention and destruction: the list of originals past their date, proposal and approval
by two people, legal holds, the destroyed movement and the certificate."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from dossier import barcodes
from dossier.archive import destruction, destruction_queries, movements, queries
from dossier.archive.desk_models import DestructionRecord
from dossier.archive.destruction_certificate import certificate_pdf
from dossier.archive.errors import LegalHold, NotAllowed
from dossier.archive.items import create_item
from dossier.archive.models import MovementKind, Status
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.archive.station import Station
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login

PAST = date(2020, 6, 30)


@pytest.fixture
def approver(app):
    return UserFactory(roles=("clerk",), full_name="Anna Akkoord")


@pytest.fixture
def expired(clerk, tree):
    """A care contract kept until mid 2020, its original on the shelf."""
    customer = CustomerFactory(number="204512")
    document = DocumentFactory(type_code="contract", scopes=["care"], customers=[customer],
                               retention_until=PAST, paper_original=True)
    item = create_item(clerk, document=document, home=tree.shelf)
    movements.check_in(clerk, item)
    return item


def _due() -> list:
    return db.session.scalars(destruction_queries.due(queries.today())).all()


def test_originals_past_their_retention_date_are_listed(clerk, tree, expired):
    kept = DocumentFactory(scopes=["care"], retention_until=date.today() + timedelta(days=9))
    create_item(clerk, document=kept, home=tree.shelf)
    no_date = DocumentFactory(scopes=["care"], retention_until=None)
    create_item(clerk, document=no_date, home=tree.shelf)
    create_item(clerk, home=tree.shelf)  # an original of no document
    assert _due() == [expired]


def test_a_proposal_copies_what_the_certificate_will_say(clerk, expired):
    proposal = destruction.propose(clerk, expired)
    assert proposal.status == "proposed" and proposal.proposed_by_id == clerk.id
    assert (proposal.item_code, proposal.customer_numbers, proposal.retention_until) == (
        expired.barcode, "204512", PAST)
    assert proposal.document_type == expired.document.document_type.name("en")
    assert proposal.retention_basis == expired.document.document_type.retention_basis
    assert _due() == []
    assert destruction_queries.proposals() == [proposal]
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "DestructionRecord"))
    assert (event.action, event.customer_id) == ("create", expired.document.customers[0].id)


def test_a_second_person_approves_and_the_original_is_destroyed(clerk, approver, expired):
    proposal = destruction.propose(clerk, expired)
    with pytest.raises(destruction.SecondPersonNeeded):
        destruction.approve(clerk, proposal)
    assert queries.state_of(expired).status == Status.IN_ARCHIVE
    destruction.approve(approver, proposal)
    state = queries.state_of(expired)
    assert state.status == Status.DESTROYED
    assert state.movement.kind == MovementKind.DESTROYED and state.movement.actor == approver
    assert (proposal.status, proposal.decided_by, proposal.movement_id) == (
        "destroyed", approver, state.movement.id)
    assert expired.document.paper_original is False
    assert _due() == [] and destruction_queries.decided() == [proposal]


def test_the_certificate_states_item_type_customer_basis_people_and_date(
        clerk, approver, expired):
    proposal = destruction.propose(clerk, expired)
    destruction.approve(approver, proposal)
    text = PdfReader(io.BytesIO(certificate_pdf(proposal))).pages[0].extract_text()
    for expected in ("Destruction certificate", expired.barcode, proposal.document_type,
                     "204512", "June 30, 2020", "Karin Klerk", "Anna Akkoord",
                     f"Number {proposal.id}"):
        assert expected in text


def test_a_legal_hold_blocks_the_proposal(clerk, expired):
    expired.document.legal_hold = True
    with pytest.raises(LegalHold):
        destruction.propose(clerk, expired)
    assert _due() == [expired]  # listed, shown as blocked


def test_a_legal_hold_placed_after_the_proposal_blocks_the_approval(clerk, approver, expired):
    proposal = destruction.propose(clerk, expired)
    expired.document.legal_hold = True
    with pytest.raises(LegalHold):
        destruction.approve(approver, proposal)
    assert proposal.status == "proposed"
    assert queries.state_of(expired).status == Status.IN_ARCHIVE


def test_an_original_still_kept_or_proposed_twice_is_refused(clerk, expired):
    expired.document.retention_until = date.today()
    with pytest.raises(destruction.NotDue, match="must be kept until"):
        destruction.propose(clerk, expired)
    expired.document.retention_until = PAST
    destruction.propose(clerk, expired)
    with pytest.raises(destruction.AlreadyProposed):
        destruction.propose(clerk, expired)


def test_an_original_that_is_out_is_checked_in_before_destruction(
        clerk, approver, borrower, expired):
    proposal = destruction.propose(clerk, expired)
    station = Station(clerk, "checkout")
    station.scan(barcodes.make_badge(borrower.id))
    station.scan(expired.barcode)
    with pytest.raises(destruction.StillOut):
        destruction.approve(approver, proposal)


def test_keeping_it_needs_a_reason_and_puts_it_back_on_the_list(clerk, approver, expired):
    proposal = destruction.propose(clerk, expired)
    with pytest.raises(destruction.NotProposed):
        destruction.reject(approver, proposal, "  ")
    destruction.reject(approver, proposal, "Lopende klacht")
    assert (proposal.status, proposal.reject_reason) == ("rejected", "Lopende klacht")
    assert _due() == [expired]
    with pytest.raises(destruction.NotProposed):
        destruction.approve(approver, proposal)


def test_only_archive_staff_propose(expired):
    with pytest.raises(NotAllowed):
        destruction.propose(UserFactory(roles=("care",)), expired)


def test_the_certificate_outlives_the_document(clerk, approver, expired):
    proposal = destruction.propose(clerk, expired)
    destruction.approve(approver, proposal)
    db.session.delete(expired.document)
    db.session.flush()
    db.session.expire_all()
    kept = db.session.get(DestructionRecord, proposal.id)
    assert kept.document_id is None
    text = PdfReader(io.BytesIO(certificate_pdf(kept))).pages[0].extract_text()
    assert "204512" in text and kept.item_code in text


# -- screens ------------------------------------------------------------------------


def test_two_clerks_destroy_an_original_through_the_screens(client, clerk, approver, expired):
    login(client, clerk)
    page = client.get("/archive/destruction").get_data(as_text=True)
    assert expired.barcode in page and "204512" in page
    response = client.post("/archive/destruction/propose", data={"item": [expired.id]})
    assert response.status_code == 302
    proposal = db.session.scalar(select(DestructionRecord))
    page = client.get("/archive/destruction").get_data(as_text=True)
    assert "You proposed it: a colleague approves." in page
    assert client.post(f"/archive/destruction/{proposal.id}/approve").status_code == 302
    assert proposal.status == "proposed"  # refused: the proposer

    client.post("/logout")
    login(client, approver)
    client.post(f"/archive/destruction/{proposal.id}/approve")
    assert proposal.status == "destroyed"
    certificate = client.get(f"/archive/destruction/{proposal.id}/certificate.pdf")
    assert certificate.mimetype == "application/pdf"
    assert expired.barcode in PdfReader(io.BytesIO(certificate.data)).pages[0].extract_text()


def test_the_screen_shows_a_legal_hold_without_a_tick_box(client, clerk, expired):
    expired.document.legal_hold = True
    login(client, clerk)
    page = client.get("/archive/destruction").get_data(as_text=True)
    assert "legal hold" in page and f'value="{expired.id}"' not in page


def test_a_certificate_exists_only_for_a_destroyed_original(client, clerk, expired):
    proposal = destruction.propose(clerk, expired)
    login(client, clerk)
    assert client.get(f"/archive/destruction/{proposal.id}/certificate.pdf").status_code == 404
