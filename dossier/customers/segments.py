"""Evaluating segments: which customers a segment holds, and how many.

Other packages use `segment_customers(segment)` (a Select of Customer in number order,
to narrow further or page through) and `segment_count(segment)`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from dossier.auth.permissions import Action, can
from dossier.customers.derived_queries import derived_field_list
from dossier.customers.models import Customer
from dossier.customers.queries import active_fields
from dossier.customers.segment_conditions import (
    Condition,
    FieldRef,
    conditions_clause,
    field_refs,
)
from dossier.customers.segment_models import Segment, SegmentMatch
from dossier.extensions import db


def all_field_refs() -> dict[str, FieldRef]:
    """Every field a saved segment may name (whoever evaluates it)."""
    return field_refs(active_fields(), [f for f in derived_field_list() if f.active])


def field_refs_for(actor: Any) -> dict[str, FieldRef]:
    """The fields `actor` may build conditions on: key fields and the fields they see."""
    custom = [field for field in active_fields() if can(actor, Action.VIEW, field)]
    derived = [field for field in derived_field_list()
               if field.active and can(actor, Action.VIEW, field)]
    return field_refs(custom, derived)


def conditions_of(segment: Segment) -> list[Condition]:
    return [Condition(str(c.get("field", "")), str(c.get("op", "")), str(c.get("value", "")))
            for c in segment.conditions or []]


def segment_clause(conditions: list[Condition], match: str = SegmentMatch.ALL.value,
                   refs: dict[str, FieldRef] | None = None) -> ColumnElement[bool]:
    return conditions_clause(conditions, refs if refs is not None else all_field_refs(),
                             match_any=match == SegmentMatch.ANY.value)


def segment_customers(segment: Segment) -> Select[tuple[Customer]]:
    """The segment's customers, in customer number order."""
    return (select(Customer).where(segment_clause(conditions_of(segment), segment.match))
            .order_by(Customer.number, Customer.id))


def segment_customer_ids(segment: Segment) -> Select[Any]:
    """The ids of the segment's customers, for an IN (...) in another query."""
    return select(Customer.id).where(segment_clause(conditions_of(segment), segment.match))


def count_matching(conditions: list[Condition], match: str,
                   refs: dict[str, FieldRef] | None = None) -> int:
    query = select(func.count(Customer.id)).where(segment_clause(conditions, match, refs))
    return int(db.session.scalar(query) or 0)


def segment_count(segment: Segment) -> int:
    return count_matching(conditions_of(segment), segment.match)


def visible_segments(actor: Any) -> list[Segment]:
    """Segments of the scopes `actor` reads, by name."""
    scopes = sorted(getattr(actor, "scopes", ()))
    return list(db.session.scalars(select(Segment).where(Segment.scope.in_(scopes))
                                   .order_by(Segment.name, Segment.id)))


def missing_fields(segment: Segment, refs: dict[str, FieldRef] | None = None) -> list[str]:
    """Fields the segment names that no longer exist or are inactive."""
    refs = refs if refs is not None else all_field_refs()
    return [c.field for c in conditions_of(segment) if c.field not in refs]
