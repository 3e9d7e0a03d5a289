"""Reads for the dashboard: counts an actor is allowed to see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from dossier.auth.permissions import Action, Feature, can, visible_document_clause
from dossier.customers.models import Customer
from dossier.documents.models import Document
from dossier.extensions import db


@dataclass(frozen=True)
class DashboardCounts:
    """None means the actor may not see that kind of record at all."""

    customers: int | None = None
    documents: int | None = None


def dashboard_counts(actor: Any) -> DashboardCounts:
    customers = None
    documents = None
    if can(actor, Action.VIEW, Feature.CUSTOMERS):
        customers = db.session.scalar(select(func.count(Customer.id))) or 0
    if can(actor, Action.VIEW, Feature.DOCUMENTS):
        visible = select(func.count(Document.id)).where(visible_document_clause(actor))
        documents = db.session.scalar(visible) or 0
    return DashboardCounts(customers=customers, documents=documents)
