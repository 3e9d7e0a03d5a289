"""Reads on derived fields: definitions, the ones a viewer may see, a customer's values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from dossier.auth.permissions import visible_fields
from dossier.customers.derived_models import DerivedField, DerivedValue
from dossier.customers.models import Customer
from dossier.extensions import db


def derived_field_list() -> list[DerivedField]:
    """Every definition, active or not, in display order."""
    return list(db.session.scalars(select(DerivedField).order_by(
        DerivedField.position, DerivedField.label, DerivedField.id)))


def visible_derived_fields(actor: Any) -> list[DerivedField]:
    """The active derived fields `actor` may see (by the field's scopes)."""
    return visible_fields(actor, [f for f in derived_field_list() if f.active])


def derived_field_by_key(key: str) -> DerivedField | None:
    return db.session.scalar(select(DerivedField).where(DerivedField.key == key))


def value_counts() -> dict[int, int]:
    """How many customers have a stored value, per field id."""
    rows = db.session.execute(select(DerivedValue.field_id, func.count())
                              .group_by(DerivedValue.field_id)).all()
    return {int(field_id): int(count) for field_id, count in rows}


@dataclass(frozen=True)
class DerivedRow:
    """One derived field as a viewer meets it on a dossier."""

    field: DerivedField
    value: Any
    computed_at: Any


def derived_rows(actor: Any, customer: Customer) -> list[DerivedRow]:
    """The derived fields `actor` may see with `customer`'s values (0 for counts and
    sums without input, None for the others)."""
    fields = visible_derived_fields(actor)
    if not fields:
        return []
    stored = {value.field_id: value for value in db.session.scalars(
        select(DerivedValue).where(DerivedValue.customer_id == customer.id,
                                   DerivedValue.field_id.in_([f.id for f in fields])))}
    rows = []
    for field in fields:
        value = stored.get(field.id)
        if value is not None:
            rows.append(DerivedRow(field, value.value, value.computed_at))
        else:
            rows.append(DerivedRow(field, Decimal(0) if field.zero_when_none else None, None))
    return rows
