"""Issue 8's acceptance on the demo data, through the web pages: a loyalty user reads one
timeline, builds "spent more than 1,000 in 2025, no open complaint" and exports it; an
admin merges the demo duplicates and every document, original and contact follows."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.archive.models import PhysicalItem
from dossier.customers.interaction_models import OPEN_COMPLAINT_STATUSES, Complaint, Interaction
from dossier.customers.models import Customer
from dossier.customers.segment_models import Segment
from dossier.documents.models import Document, document_customer
from dossier.extensions import db

pytestmark = pytest.mark.committed
YEAR = 2025


@pytest.fixture
def demo(committed_app: Flask) -> Iterator[Flask]:
    result = committed_app.test_cli_runner().invoke(args=["dossier", "init"])
    assert result.exit_code == 0, result.output
    with committed_app.app_context():
        yield committed_app
        db.session.remove()


def _client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": "demo"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _expected_members() -> set[str]:
    """Computed here from the raw rows, not by the derived-attribute engine."""
    spent: dict[int, Decimal] = defaultdict(Decimal)
    orders = db.session.execute(
        select(document_customer.c.customer_id, Document.key_points, Document.document_date)
        .join(Document, Document.id == document_customer.c.document_id)
        .where(Document.document_type.has(code="order")))
    for customer_id, points, day in orders:
        if day.year == YEAR and (points or {}).get("amount"):
            spent[customer_id] += Decimal(str(points["amount"]))
    complaining = set(db.session.scalars(
        select(Complaint.customer_id).where(Complaint.status.in_(OPEN_COMPLAINT_STATUSES))))
    ids = {cid for cid, total in spent.items() if total > 1000 and cid not in complaining}
    return set(db.session.scalars(select(Customer.number).where(Customer.id.in_(ids))))


def test_loyalty_reads_a_timeline_builds_the_segment_and_exports_it(demo: Flask) -> None:
    client = _client(demo, "loyalty")
    contact = db.session.scalars(select(Interaction).where(Interaction.scope == "loyalty")
                                 .order_by(Interaction.occurred_at.desc())).first()
    assert contact is not None
    page = client.get(f"/customers/{contact.customer_id}").get_data(as_text=True)
    assert 'id="timeline"' in page

    expected = _expected_members()
    assert len(expected) >= 5
    form = {"name": "Spent > 1000 in 2025, no open complaint", "scope": "loyalty",
            "match": "all", "description": "", "action": "save",
            "field-1": f"derived:spent_{YEAR}", "op-1": ">", "value-1": "1000",
            "field-2": "derived:open_complaints", "op-2": "=", "value-2": "0"}
    response = client.post("/segments/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    segment = db.session.scalar(select(Segment).where(Segment.name == form["name"]))
    assert segment is not None
    exported = client.get(f"/segments/{segment.id}/export.csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    numbers = {row[header.index(next(h for h in header if "umber" in h or "ummer" in h))]
               for row in body}
    assert numbers == expected


def test_admin_merges_the_demo_duplicates_and_everything_follows(demo: Flask) -> None:
    pieter, twin = db.session.scalars(
        select(Customer).where(Customer.last_name.in_(["Jansen", "Janssen"]),
                               Customer.first_name.in_(["Pieter", "Piet"]))
        .order_by(Customer.id)).all()
    survivor_id, merged_id = pieter.id, twin.id
    documents = set(db.session.scalars(select(document_customer.c.document_id).where(
        document_customer.c.customer_id.in_([survivor_id, merged_id]))))
    contacts = set(db.session.scalars(select(Interaction.id).where(
        Interaction.customer_id.in_([survivor_id, merged_id]))))
    items = set(db.session.scalars(select(PhysicalItem.id).where(
        PhysicalItem.document_id.in_(documents))))
    assert documents
    db.session.remove()

    client = _client(demo, "admin")
    response = client.post(f"/admin/duplicates/merge/{survivor_id}/{merged_id}",
                           data={"survivor_id": survivor_id, "confirm": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    assert db.session.get(Customer, merged_id) is None
    assert set(db.session.scalars(select(document_customer.c.document_id).where(
        document_customer.c.customer_id == survivor_id))) == documents
    assert set(db.session.scalars(select(Interaction.id).where(
        Interaction.customer_id == survivor_id))) == contacts
    for item in items:  # originals hang off their documents, which now name the survivor
        document = db.session.get(PhysicalItem, item).document
        assert survivor_id in [c.id for c in document.customers]
    followed = client.get(f"/customers/{merged_id}")
    assert followed.status_code in (301, 302, 308)
    assert followed.headers["Location"].endswith(f"/customers/{survivor_id}")
