"""Typed custom field values: parse what a user typed, show it again, and save it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from dossier.customers.models import Customer, CustomField, CustomFieldType, CustomFieldValue
from dossier.customers.validation import InvalidValue, parse_date, parse_decimal, parse_money

MAX_TEXT_LENGTH = 1000
NUMBER_PLACES = 4  # value_number is Numeric(18, 4)
NUMBER_LIMIT = Decimal(10) ** 14
YES, NO = "yes", "no"
TypedValue = str | Decimal | date | bool | None


def parse_value(field: CustomField, raw: Any) -> TypedValue:
    """The typed value of `raw` for `field`; None when empty. Raises InvalidValue."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        if field.required:
            raise InvalidValue(_l("This field is required."))
        return None
    kind = field.field_type
    if kind == CustomFieldType.TEXT:
        if len(text) > MAX_TEXT_LENGTH:
            raise InvalidValue(_l("Use at most %(n)s characters.", n=MAX_TEXT_LENGTH))
        return text
    if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY):
        number = parse_money(text) if kind == CustomFieldType.MONEY else parse_decimal(
            text, max_places=NUMBER_PLACES)
        if abs(number) >= NUMBER_LIMIT:
            raise InvalidValue(_l("This number is too large."))
        return number
    if kind == CustomFieldType.DATE:
        return parse_date(text)
    if kind == CustomFieldType.BOOLEAN:
        if text.lower() not in (YES, NO):
            raise InvalidValue(_l("Choose yes or no."))
        return text.lower() == YES
    if kind == CustomFieldType.CHOICE:
        if text not in field.choices:
            raise InvalidValue(_l("Choose one of the options."))
        return text
    raise InvalidValue(_l("This field has an unknown type."))


def value_as_text(field: CustomField, value: TypedValue) -> str:
    """A stored value written the way a user would type it (for the edit form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, Decimal):
        pattern = "0.00" if field.field_type == CustomFieldType.MONEY else "0.####"
        return str(format_decimal(value, format=pattern))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def stored_values(customer: Customer) -> dict[int, CustomFieldValue]:
    return {row.field_id: row for row in customer.custom_values}


def apply_values(customer: Customer, values: Mapping[CustomField, TypedValue]) -> list[str]:
    """Store `values` (None removes the row); returns the keys of fields that changed."""
    rows = stored_values(customer)
    changed: list[str] = []
    for field, value in values.items():
        row = rows.get(field.id)
        if (row.value if row is not None else None) == value:
            continue
        changed.append(field.key)
        if value is None:
            if row is not None:
                customer.custom_values.remove(row)
            continue
        if row is None:
            row = CustomFieldValue(field=field)
            customer.custom_values.append(row)
        _set_typed(row, field, value)
    return changed


def _set_typed(row: CustomFieldValue, field: CustomField, value: TypedValue) -> None:
    row.value_text = row.value_date = row.value_number = row.value_bool = None
    if isinstance(value, bool):
        row.value_bool = value
    elif isinstance(value, Decimal):
        row.value_number = value
    elif isinstance(value, date):
        row.value_date = value
    else:
        row.value_text = value
