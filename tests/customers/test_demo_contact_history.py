"""The demo contact history: every channel and scope, open complaints, and 2025 orders that
give the loyalty segment "spent > 1000 in 2025, no open complaint" members."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select

from dossier.customers.interaction_models import (
    OPEN_COMPLAINT_STATUSES,
    Complaint,
    Interaction,
    InteractionChannel,
)
from dossier.demo.customers import build_customers
from dossier.demo.documents import build_documents
from dossier.demo.interactions import load_contact_history
from dossier.demo.loader import SEED
from dossier.documents.key_points import as_form_value, validate_key_points
from dossier.documents.models import Document, DocumentType
from dossier.extensions import db
from tests.factories import UserFactory

TODAY = date(2026, 11, 24)


@pytest.fixture
def counts(app: Flask) -> dict[str, int]:
    for username in ("sales", "care", "loyalty"):
        UserFactory(username=username, roles=(username,))
    rng = random.Random(SEED)
    demo = build_customers(rng, TODAY, 100001)
    db.session.add_all(demo.customers)
    db.session.flush()
    # A few types keep this quick; contacts link to whatever the customer has.
    types = {t.code: t for t in db.session.scalars(select(DocumentType))
             if t.code in ("order", "service_call", "correspondence")}
    documents = build_documents(rng, TODAY, types, demo)
    db.session.add_all(documents)
    db.session.flush()
    return load_contact_history(SEED, TODAY, demo.customers, documents)


def test_contacts_on_every_channel_scope_and_direction(counts: dict[str, int]) -> None:
    contacts = list(db.session.scalars(select(Interaction)))
    assert len(contacts) == counts["interactions"]
    assert 700 <= len(contacts) <= 2500
    assert {c.channel for c in contacts} == {channel.value for channel in InteractionChannel}
    assert {c.scope for c in contacts} == {"sales", "care", "loyalty"}
    assert {c.direction for c in contacts} == {"inbound", "outbound"}
    assert all(c.handler_id is not None for c in contacts)
    assert all(c.occurred_at <= datetime(2026, 11, 25) for c in contacts)
    linked = [c for c in contacts if c.documents]
    assert len(linked) > 50
    for contact in linked:
        assert all(contact.customer in d.customers and contact.scope in d.scopes
                   for d in contact.documents)


def test_complaints_open_and_closed(counts: dict[str, int]) -> None:
    complaints = list(db.session.scalars(select(Complaint)))
    assert len(complaints) == counts["complaints"]
    open_ones = [c for c in complaints if c.is_open]
    assert len(open_ones) >= 6
    assert {c.status for c in complaints} == {"open", "in_progress", "resolved", "rejected"}
    for complaint in complaints:
        assert complaint.interaction is not None
        assert complaint.interaction.customer_id == complaint.customer_id
        assert bool(complaint.resolution) == (not complaint.is_open)
        assert (complaint.closed_at is None) == complaint.is_open


def test_the_loyalty_segment_has_members(counts: dict[str, int]) -> None:
    spent: dict[int, Decimal] = defaultdict(Decimal)
    orders = db.session.scalars(select(Document).join(DocumentType).where(
        DocumentType.code == "order", Document.document_date >= date(2025, 1, 1),
        Document.document_date <= date(2025, 12, 31)))
    for order in orders:
        for customer in order.customers:
            spent[customer.id] += Decimal(order.key_points["amount"])
    complaining = set(db.session.scalars(select(Complaint.customer_id).where(
        Complaint.status.in_(OPEN_COMPLAINT_STATUSES))))
    big = {customer_id for customer_id, total in spent.items() if total > 1000}
    assert len(big - complaining) >= 20
    assert len(big & complaining) >= 5
    assert counts["orders in 2025"] >= 30


def test_orders_are_valid_documents(counts: dict[str, int]) -> None:
    extra = list(db.session.scalars(select(Document).where(
        Document.title == "Order vaste klant")))
    assert len(extra) == counts["orders in 2025"]
    assert all(document.scopes == ["loyalty", "sales"] for document in extra)
    numbers = db.session.scalars(select(Document.key_points)).all()
    order_numbers = [points["order_number"] for points in numbers if "order_number" in points]
    assert len(order_numbers) == len(set(order_numbers))
    for document in extra:
        schema = document.document_type.key_point_schema
        raw = {spec["key"]: as_form_value(spec, document.key_points.get(spec["key"]))
               for spec in schema}
        _values, errors = validate_key_points(document.document_type, raw)
        assert not errors


def test_same_seed_same_contacts(counts: dict[str, int]) -> None:
    first = db.session.execute(select(func.count(), func.min(Interaction.occurred_at),
                                      func.max(Interaction.occurred_at))).one()
    assert first[0] == counts["interactions"]
    # The generator has its own random stream: the rest of the demo data is unaffected.
    again = random.Random(f"{SEED}-contact-history")
    assert again.random() == random.Random(f"{SEED}-contact-history").random()
