"""Customers (people and organisations) and the custom fields admins define."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.auth.models import utcnow
from dossier.extensions import db


class CustomerKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class Channel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POST = "post"
    SMS = "sms"
    APP = "app"
    COUNTER = "counter"


class CustomerStatus(StrEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    INACTIVE = "inactive"


class Customer(db.Model):  # type: ignore[name-defined]
    __tablename__ = "customer"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=CustomerKind.PERSON.value)
    initials: Mapped[str] = mapped_column(String(20), default="")
    first_name: Mapped[str] = mapped_column(String(80), default="")
    infix: Mapped[str] = mapped_column(String(20), default="")
    last_name: Mapped[str] = mapped_column(String(120), default="")
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(120), default="")
    house_number: Mapped[int | None]
    house_number_addition: Mapped[str] = mapped_column(String(10), default="")
    postcode: Mapped[str] = mapped_column(String(7), default="", index=True)
    city: Mapped[str] = mapped_column(String(80), default="")
    country: Mapped[str] = mapped_column(String(2), default="NL")
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    date_of_birth: Mapped[date | None]
    preferred_channel: Mapped[str] = mapped_column(String(20), default=Channel.EMAIL.value)
    status: Mapped[str] = mapped_column(String(20), default=CustomerStatus.ACTIVE.value)
    sort_name: Mapped[str] = mapped_column(String(200), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    custom_values: Mapped[list[CustomFieldValue]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        if self.kind == CustomerKind.ORGANISATION.value:
            return self.organisation_name
        given = self.first_name or self.initials
        return " ".join(part for part in (given, self.infix, self.last_name) if part)

    @property
    def address_line(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}"
        return " ".join(part for part in (self.street, number) if part)

    def refresh_sort_name(self) -> None:
        if self.kind == CustomerKind.ORGANISATION.value:
            self.sort_name = self.organisation_name.lower()
        else:
            self.sort_name = f"{self.last_name} {self.first_name or self.initials}".lower().strip()

    def __repr__(self) -> str:
        return f"<Customer {self.number}>"


class CustomFieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"


class CustomField(db.Model):  # type: ignore[name-defined]
    __tablename__ = "custom_field"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    field_type: Mapped[str] = mapped_column(String(20))
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    help_text: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<CustomField {self.key}>"


class CustomFieldValue(db.Model):  # type: ignore[name-defined]
    """One typed value; exactly one value_* column is used, by the field's type."""

    __tablename__ = "custom_field_value"
    __table_args__ = (UniqueConstraint("customer_id", "field_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(ForeignKey("custom_field.id", ondelete="CASCADE"))
    value_text: Mapped[str | None] = mapped_column(Text)
    value_number: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    value_date: Mapped[date | None]
    value_bool: Mapped[bool | None]

    customer: Mapped[Customer] = relationship(back_populates="custom_values")
    field: Mapped[CustomField] = relationship(lazy="joined")

    @property
    def value(self) -> Any:
        kind = self.field.field_type
        if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY):
            return self.value_number
        if kind == CustomFieldType.DATE:
            return self.value_date
        if kind == CustomFieldType.BOOLEAN:
            return self.value_bool
        return self.value_text


Index("ix_customer_last_name", Customer.last_name)
