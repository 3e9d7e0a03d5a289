"""Complaints: opened from a contact or directly, moved on, resolved or rejected."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.complaints import (
    change_complaint_status,
    complaint_of,
    open_complaint,
    reject_complaint,
    resolve_complaint,
    visible_complaints,
)
from dossier.customers.interactions_errors import ComplaintInvalid, ContactRefused
from dossier.extensions import db
from tests.customers.contact_objects import make_complaint, make_interaction
from tests.factories import CustomerFactory, UserFactory


def test_open_from_an_interaction_takes_its_scope_and_subject(app: Flask) -> None:
    actor, customer = UserFactory(roles=("care",)), CustomerFactory()
    interaction = make_interaction(customer, "care", subject="Monteur niet verschenen")
    complaint = open_complaint(actor, customer, {"scope": "sales"}, interaction)
    assert (complaint.scope, complaint.subject) == ("care", "Monteur niet verschenen")
    assert complaint.status == "open" and complaint.is_open
    assert complaint.interaction_id == interaction.id and complaint.handler_id == actor.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "Complaint"))
    assert event is not None and event.details == {"interaction": interaction.id}


def test_open_directly_needs_a_writable_scope_and_a_subject(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    with pytest.raises(ComplaintInvalid) as caught:
        open_complaint(actor, customer, {"scope": "care", "subject": ""})
    assert set(caught.value.errors) == {"scope", "subject"}
    complaint = open_complaint(actor, customer, {"scope": "sales", "subject": "Factuur fout"})
    assert complaint.scope == "sales"


def test_not_from_someone_elses_interaction(app: Flask) -> None:
    customer = CustomerFactory()
    care_contact = make_interaction(customer, "care")
    with pytest.raises(ContactRefused):
        open_complaint(UserFactory(roles=("sales",)), customer, {}, care_contact)
    with pytest.raises(ContactRefused):  # an interaction of another customer
        open_complaint(UserFactory(roles=("admin",)), CustomerFactory(), {}, care_contact)
    with pytest.raises(ContactRefused):
        open_complaint(UserFactory(roles=("compliance",)), customer,
                       {"scope": "care", "subject": "X"})


def test_status_moves_on_and_closing_needs_a_resolution(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    complaint = make_complaint(customer, "sales")
    assert change_complaint_status(actor, complaint, "in_progress")
    assert not change_complaint_status(actor, complaint, "in_progress")
    with pytest.raises(ComplaintInvalid) as caught:
        resolve_complaint(actor, complaint, "   ")
    assert set(caught.value.errors) == {"resolution"}
    assert resolve_complaint(actor, complaint, "Factuur gecorrigeerd.")
    assert complaint.status == "resolved" and not complaint.is_open
    assert complaint.resolution == "Factuur gecorrigeerd." and complaint.closed_at is not None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Complaint",
                                                         AuditEvent.action == "update"))
    assert [e.details["status"] for e in events] == [["open", "in_progress"],
                                                     ["in_progress", "resolved"]]


def test_a_closed_complaint_can_only_be_reopened(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    complaint = make_complaint(customer, "sales")
    reject_complaint(actor, complaint, "Buiten de garantie.")
    with pytest.raises(ComplaintInvalid):
        change_complaint_status(actor, complaint, "in_progress")
    with pytest.raises(ComplaintInvalid):
        change_complaint_status(actor, complaint, "lost")
    assert change_complaint_status(actor, complaint, "open")
    assert (complaint.resolution, complaint.closed_at) == ("", None)


def test_status_changes_respect_scope(app: Flask) -> None:
    complaint = make_complaint(CustomerFactory(), "care")
    for role in ("sales", "clerk", "compliance"):
        with pytest.raises(ContactRefused):
            change_complaint_status(UserFactory(roles=(role,)), complaint, "in_progress")
    assert change_complaint_status(UserFactory(roles=("admin",)), complaint, "in_progress")


def test_visible_complaints_by_scope_and_openness(app: Flask) -> None:
    customer = CustomerFactory()
    open_sales = make_complaint(customer, "sales")
    make_complaint(customer, "sales", status="resolved")
    make_complaint(customer, "care")
    sales = UserFactory(roles=("sales",))
    assert len(visible_complaints(sales, customer)) == 2
    assert visible_complaints(sales, customer, open_only=True) == [open_sales]
    assert visible_complaints(UserFactory(roles=("clerk",)), customer) == []
    assert complaint_of(customer.id, open_sales.id) is open_sales
    assert complaint_of(CustomerFactory().id, open_sales.id) is None
