"""Helpers for the derived field and segment tests: definitions, orders, contacts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from dossier.customers.derived_models import DerivedField, DerivedValue
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.models import Customer
from dossier.documents.models import Document
from dossier.extensions import db
from tests.factories import DocumentFactory, document_type

TODAY = date(2026, 6, 15)


def define(key: str, **columns: Any) -> DerivedField:
    """A saved, active definition (not computed: tests call the code under test)."""
    values = {"label": key.replace("_", " ").title(), "function": "count",
              "source": "documents", "scopes": ["sales", "care", "loyalty"],
              "value_type": "number"} | columns
    field = DerivedField(key=key, **values)
    db.session.add(field)
    db.session.flush()
    return field


def spent_in(year: int, key: str = "spent") -> DerivedField:
    return define(key, function="sum", document_type_id=document_type("order").id,
                  attribute="amount", period="year", period_year=year, value_type="money",
                  scopes=["sales", "loyalty"])


def open_complaints() -> DerivedField:
    return define("open_complaints", source="complaints",
                  conditions={"status": ["open", "in_progress"]})


def last_channel() -> DerivedField:
    return define("last_channel", function="latest", source="interactions",
                  attribute="channel", value_type="text")


def order(customer: Customer, amount: str, day: date = date(2025, 3, 1)) -> Document:
    return DocumentFactory(type_code="order", scopes=["sales"], customers=[customer],
                           document_date=day,
                           key_points={"order_number": f"O-{amount}", "amount": amount})


def contact(customer: Customer, channel: str, when: datetime) -> Interaction:
    interaction = Interaction(customer_id=customer.id, channel=channel, direction="inbound",
                              subject="Call", scope="care", occurred_at=when)
    db.session.add(interaction)
    db.session.flush()
    return interaction


def complaint(customer: Customer, status: str = "open") -> Complaint:
    raised = Complaint(customer_id=customer.id, scope="care", subject="Late", status=status)
    db.session.add(raised)
    db.session.flush()
    return raised


def value_of(customer: Customer, field: DerivedField) -> Any:
    stored = db.session.scalar(select(DerivedValue).where(
        DerivedValue.customer_id == customer.id, DerivedValue.field_id == field.id))
    if stored is None:
        return None
    db.session.refresh(stored)  # written by Core statements behind the ORM's back
    value = stored.value
    return Decimal(value).normalize() if isinstance(value, Decimal) else value
