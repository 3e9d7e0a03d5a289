"""Derived attributes: admin-defined values computed from documents, interactions and
complaints ("spent in 2025", "open complaints"), and each customer's computed value."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.auth.models import utcnow
from dossier.customers.interaction_models import Interaction
from dossier.extensions import db


class DerivedFunction(StrEnum):
    COUNT = "count"
    SUM = "sum"
    MIN = "min"
    MAX = "max"
    LATEST = "latest"
    MONTHS_SINCE = "months_since"


class DerivedSource(StrEnum):
    DOCUMENTS = "documents"
    INTERACTIONS = "interactions"
    COMPLAINTS = "complaints"


class DerivedPeriod(StrEnum):
    ALL = "all"
    YEAR = "year"  # one calendar year
    MONTHS = "months"  # the last N months, counted back from today


class DerivedValueType(StrEnum):
    NUMBER = "number"
    MONEY = "money"
    TEXT = "text"
    DATE = "date"


# Functions whose value is 0, not empty, for a customer without any matching input.
ZERO_WHEN_NONE = frozenset({DerivedFunction.COUNT.value, DerivedFunction.SUM.value})


class DerivedField(db.Model):  # type: ignore[name-defined]
    """One definition: `function` over `attribute` of the `source` rows that pass
    `conditions`, within the period."""

    __tablename__ = "derived_field"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    function: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    document_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_type.id", ondelete="SET NULL"), index=True)
    # What is summed, compared or taken: a key point, or a column such as "channel".
    attribute: Mapped[str] = mapped_column(String(50), default="")
    # {name: [allowed values]}: key points of documents, channel/direction/scope of
    # interactions, status/scope of complaints. All must hold.
    conditions: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    period: Mapped[str] = mapped_column(String(10), default=DerivedPeriod.ALL.value)
    period_year: Mapped[int | None]
    period_months: Mapped[int | None]
    value_type: Mapped[str] = mapped_column(String(10), default=DerivedValueType.NUMBER.value)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    help_text: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    document_type: Mapped[Any] = relationship("DocumentType", lazy="joined")

    @property
    def zero_when_none(self) -> bool:
        return self.function in ZERO_WHEN_NONE

    @property
    def relative_to_today(self) -> bool:
        """Changes with the calendar alone, so the nightly run recomputes it."""
        return (self.function == DerivedFunction.MONTHS_SINCE.value
                or self.period == DerivedPeriod.MONTHS.value)

    def __repr__(self) -> str:
        return f"<DerivedField {self.key}>"


class DerivedValue(db.Model):  # type: ignore[name-defined]
    """A customer's value of one derived field; customers without input have no row."""

    __tablename__ = "derived_value"
    # A cache of values computed from other tables, so no foreign keys: PostgreSQL checks
    # one per inserted row, which cost more than computing the values (see
    # docs/DECISIONS.md). Fields are never deleted (deactivating removes their values);
    # a deleted customer's values go in the same flush (derived_listener), and any left
    # by bulk SQL at the next `flask dossier derive` or nightly run.
    # Only the index segments and sorting use: text is compared case-free (lower()),
    # which no plain index serves.
    __table_args__ = (Index("ix_derived_value_field_number", "field_id", "value_number"),)
    customer_id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(primary_key=True)
    value_number: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    value_text: Mapped[str | None] = mapped_column(String(200))
    value_date: Mapped[date | None]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    field: Mapped[DerivedField] = relationship(
        lazy="joined", primaryjoin="DerivedField.id == foreign(DerivedValue.field_id)")

    @property
    def value(self) -> Any:
        kind = self.field.value_type
        if kind in (DerivedValueType.NUMBER, DerivedValueType.MONEY):
            return self.value_number
        if kind == DerivedValueType.DATE:
            return self.value_date
        return self.value_text


# Derived counts filter contacts by channel (and direction) over a period: this index
# answers them without reading the table (an index-only scan on PostgreSQL), where a
# full scan of a million contacts per definition made the bulk recompute too slow.
Index("ix_interaction_channel_occurred", Interaction.channel, Interaction.occurred_at,
      Interaction.direction, Interaction.customer_id)
