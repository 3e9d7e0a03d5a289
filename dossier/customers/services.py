"""Create and change customers, with their custom field values; every change is audited."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import get_timezone
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from dossier.auth.permissions import Action, can
from dossier.compliance.audit import AuditAction, record
from dossier.customers import queries
from dossier.customers.custom_values import (
    TypedValue,
    apply_values,
    parse_value,
    stored_values,
)
from dossier.customers.key_fields import (
    KEY_FIELDS,
    CustomerInvalid,
    clean_customer,
    current_values,
)
from dossier.customers.models import Customer, CustomField
from dossier.customers.validation import InvalidValue
from dossier.extensions import db
from dossier.search import customer_changed, index_customers

CUSTOM_FIELDS = "custom_fields"  # key in `data`: {field key: text as typed}


def custom_field_name(field: CustomField) -> str:
    """The name a custom field's input (and its error) has in forms and in CustomerInvalid."""
    return f"cf_{field.key}"


def create_customer(actor: Any, data: Mapping[str, Any]) -> Customer:
    """A new customer from `data` (key fields, plus custom field text under "custom_fields")."""
    customer = Customer()
    key_data = {name: data.get(name) for name in KEY_FIELDS}
    with _number_guard(key_data):
        changed = _apply(actor, customer, key_data, data)
        db.session.add(customer)
        db.session.flush()
    record(actor, AuditAction.CREATE, customer, customer_id=customer.id,
           details={"fields": changed})
    index_customers([customer.id])
    db.session.flush()
    return customer


def update_customer(actor: Any, customer: Customer, data: Mapping[str, Any]) -> list[str]:
    """Change the fields present in `data`; returns the names of the fields that changed."""
    merged = current_values(customer) | {name: data[name] for name in KEY_FIELDS if name in data}
    with _number_guard(merged):
        changed = _apply(actor, customer, merged, data)
        db.session.flush()
    if changed:
        record(actor, AuditAction.UPDATE, customer, customer_id=customer.id,
               details={"fields": changed})
        customer_changed(customer.id, changed)
        db.session.flush()
    return changed


def _apply(actor: Any, customer: Customer, key_data: Mapping[str, Any],
           data: Mapping[str, Any]) -> list[str]:
    """Validate everything, then set it on `customer`; the changed names, or CustomerInvalid."""
    clean, errors = clean_customer(key_data, _today())
    if "number" not in errors and queries.number_taken(clean["number"], customer.id):
        errors["number"] = _("Customer number %(number)s is already in use.",
                             number=clean["number"])
    values, custom_errors = _custom_values(actor, customer, data.get(CUSTOM_FIELDS) or {})
    errors.update(custom_errors)
    if errors:
        raise CustomerInvalid(errors)
    before = current_values(customer)
    changed = [name for name in KEY_FIELDS if _differs(before.get(name), clean[name])]
    with db.session.no_autoflush:  # flushed by the caller, under its savepoint
        for name in KEY_FIELDS:
            setattr(customer, name, clean[name])
        customer.refresh_sort_name()
        changed += [f"custom_fields.{key}" for key in apply_values(customer, values)]
    return changed


def _differs(old: Any, new: Any) -> bool:
    return (old if old is not None else "") != (new if new is not None else "")


def _custom_values(actor: Any, customer: Customer, raw: Mapping[str, Any]
                   ) -> tuple[dict[CustomField, TypedValue], dict[str, str]]:
    """Parsed values of the active fields `actor` may edit; any other key in `raw` is ignored."""
    values: dict[CustomField, TypedValue] = {}
    errors: dict[str, str] = {}
    stored = stored_values(customer) if customer.id is not None else {}
    for field in queries.active_fields():
        if not can(actor, Action.EDIT, field):
            continue
        if field.key not in raw:  # not sent: keep what is stored, but a required one must be
            if field.required and field.id not in stored:
                errors[custom_field_name(field)] = _("This field is required.")
            continue
        try:
            values[field] = parse_value(field, raw[field.key])
        except InvalidValue as error:
            errors[custom_field_name(field)] = error.message
    return values, errors


@contextmanager
def _number_guard(key_data: Mapping[str, Any]) -> Iterator[None]:
    """Make the changes under a savepoint: a number taken meanwhile becomes a field error."""
    db.session.flush()  # earlier work of the request stays outside the savepoint
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as error:
        if "number" not in str(error.orig).lower():
            raise
        number = str(key_data.get("number") or "").strip()
        raise CustomerInvalid({"number": _("Customer number %(number)s is already in use.",
                                           number=number)}) from error


def _today() -> date:
    return datetime.now(UTC).astimezone(get_timezone()).date()
