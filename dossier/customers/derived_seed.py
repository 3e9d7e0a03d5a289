"""Demo definitions of derived fields and the loyalty demo segment, as an admin would
make them on the admin pages (through the same services, so they are audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from dossier.auth.roles import ALL_SCOPES
from dossier.customers.derived_models import DerivedField
from dossier.customers.derived_services import create_derived_field
from dossier.customers.segment_conditions import Condition
from dossier.customers.segment_models import Segment
from dossier.customers.segment_services import SegmentInput, create_segment
from dossier.documents.models import DocumentType
from dossier.extensions import db


def demo_definitions(order_type_id: int, year: int) -> list[dict[str, Any]]:
    everyone = ["sales", "care", "loyalty"]
    return [
        {"key": f"spent_{year}", "label": f"Spent in {year}", "function": "sum",
         "source": "documents", "document_type_id": order_type_id, "attribute": "amount",
         "period": "year", "period_year": year, "scopes": ["sales", "loyalty"],
         "help_text": f"Sum of the amounts of orders dated {year}."},
        {"key": "open_complaints", "label": "Open complaints", "function": "count",
         "source": "complaints", "conditions": {"status": ["open", "in_progress"]},
         "scopes": everyone, "help_text": "Complaints that are open or in progress."},
        {"key": "last_contact_channel", "label": "Last contact channel",
         "function": "latest", "source": "interactions", "attribute": "channel",
         "scopes": everyone},
        {"key": "months_since_last_order", "label": "Months since last purchase",
         "function": "months_since", "source": "documents", "document_type_id": order_type_id,
         "scopes": ["sales", "loyalty"]},
        {"key": "orders_12_months", "label": "Orders in the last 12 months",
         "function": "count", "source": "documents", "document_type_id": order_type_id,
         "period": "months", "period_months": 12, "scopes": ["sales", "loyalty"]},
    ]


@dataclass(frozen=True)
class DemoAdmin:
    """The demo loader acting as an administrator (audited as "demo")."""

    username: str = "demo"
    id: None = None
    roles: frozenset[str] = frozenset({"admin"})
    scopes: frozenset[str] = frozenset(ALL_SCOPES)
    is_authenticated: bool = True


def load_demo_derived(actor: Any = None, year: int | None = None,
                      today: date | None = None) -> dict[str, int]:
    """Add the demo definitions that are missing (computed at once) and the loyalty
    segment; returns how many of each were added."""
    actor = actor or DemoAdmin()
    year = year or (today or date.today()).year - 1
    order = db.session.scalar(select(DocumentType).where(DocumentType.code == "order"))
    if order is None:
        return {"derived fields": 0, "segments": 0}
    existing = set(db.session.scalars(select(DerivedField.key)))
    added = 0
    for definition in demo_definitions(order.id, year):
        if definition["key"] not in existing:
            create_derived_field(actor, definition, today)
            added += 1
    segments = 0
    name = f"Loyalty: spent more than 1,000 in {year}, no open complaint"
    if db.session.scalar(select(Segment.id).where(Segment.name == name)) is None:
        create_segment(actor, SegmentInput(
            name=name, scope="loyalty", description="Candidates for the loyalty mailing.",
            conditions=[Condition(f"derived:spent_{year}", ">", "1000"),
                        Condition("derived:open_complaints", "=", "0")]))
        segments = 1
    return {"derived fields": added, "segments": segments}
