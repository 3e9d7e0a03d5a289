"""Interactions and complaints for the contact-history tests, and the route walk's ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dossier.customers.interaction_models import Complaint, Interaction
from dossier.extensions import db
from tests.factories import CustomerFactory


def make_interaction(customer: Any, scope: str = "sales", channel: str = "phone",
                     direction: str = "inbound", at: datetime | None = None,
                     subject: str = "Belde over de levering", **extra: Any) -> Interaction:
    interaction = Interaction(customer_id=customer.id, scope=scope, channel=channel,
                              direction=direction, subject=subject,
                              occurred_at=at or datetime(2025, 6, 1, 10, 0), **extra)
    db.session.add(interaction)
    db.session.flush()
    return interaction


def make_complaint(customer: Any, scope: str = "sales", status: str = "open",
                   interaction: Interaction | None = None, at: datetime | None = None,
                   subject: str = "Te late levering") -> Complaint:
    complaint = Complaint(customer_id=customer.id, scope=scope, status=status,
                          interaction=interaction, subject=subject,
                          opened_at=at or datetime(2025, 6, 2, 9, 0))
    db.session.add(complaint)
    db.session.flush()
    return complaint


def contact_objects(customer_id: int) -> dict[str, int]:
    """The route walk's: a sales and a care contact, and a complaint raised in the first."""
    customer = db.session.get(CustomerFactory._meta.model, customer_id)
    sales = make_interaction(customer, "sales")
    care = make_interaction(customer, "care", channel="email", subject="Storing")
    complaint = make_complaint(customer, "sales", interaction=sales)
    return {"sales_interaction": sales.id, "care_interaction": care.id,
            "sales_complaint": complaint.id}
