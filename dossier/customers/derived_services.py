"""Define, change, deactivate and preview derived fields; every change is audited and
recomputes the field's values for all customers in the same transaction."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dossier.auth.roles import ALL_SCOPES
from dossier.compliance.audit import AuditAction, record
from dossier.customers.derived_compute import recompute_field
from dossier.customers.derived_models import (
    DerivedField,
    DerivedFunction,
    DerivedPeriod,
    DerivedSource,
    DerivedValueType,
)
from dossier.customers.derived_sql import (
    COMPLAINT_ATTRIBUTES,
    COMPLAINT_CONDITIONS,
    DOCUMENT_DATE,
    INTERACTION_ATTRIBUTES,
    INTERACTION_CONDITIONS,
    value_select,
)
from dossier.customers.interaction_models import ComplaintStatus, Direction, InteractionChannel
from dossier.customers.models import Customer
from dossier.documents.models import DocumentType
from dossier.extensions import db

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
EDITABLE = ("label", "function", "source", "document_type_id", "attribute", "conditions",
            "period", "period_year", "period_months", "value_type", "scopes", "help_text",
            "position")
FUNCTIONS = tuple(f.value for f in DerivedFunction)
SOURCES = tuple(s.value for s in DerivedSource)
PERIODS = tuple(p.value for p in DerivedPeriod)
NEEDS_ATTRIBUTE = frozenset({"sum", "min", "max", "latest"})
DATE_ATTRIBUTES = frozenset({DOCUMENT_DATE, "occurred_at", "opened_at"})
ROW_VALUES = {
    "channel": tuple(c.value for c in InteractionChannel),
    "direction": tuple(d.value for d in Direction),
    "scope": ALL_SCOPES,
    "status": tuple(s.value for s in ComplaintStatus),
}
KEY_POINT_VALUE_TYPES = {"money": "money", "number": "number", "date": "date"}
MIN_YEAR, MAX_YEAR, MAX_MONTHS = 1900, 2100, 600


class DerivedFieldInvalid(ValueError):
    """The definition was refused; `errors` maps form field names to messages."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


def parse_conditions(raw: str | Mapping[str, Any] | None) -> dict[str, list[str]]:
    """Conditions from lines like "status = open, in_progress" (or a mapping already)."""
    if isinstance(raw, Mapping):
        return {str(k): [str(v) for v in values] for k, values in raw.items()}
    conditions: dict[str, list[str]] = {}
    for line in (raw or "").splitlines():
        if not line.strip():
            continue
        name, _sep, values = line.partition("=")
        conditions[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
    return conditions


def conditions_text(conditions: Mapping[str, list[str]]) -> str:
    return "\n".join(f"{name} = {', '.join(values)}" for name, values in conditions.items())


def _document_type(data: Mapping[str, Any]) -> DocumentType | None:
    type_id = str(data.get("document_type_id") or "")
    return db.session.get(DocumentType, int(type_id)) if type_id.isdigit() else None


def _key_point(doc_type: DocumentType | None, key: str) -> dict[str, Any] | None:
    schema = doc_type.key_point_schema if doc_type is not None else []
    return next((spec for spec in schema if spec.get("key") == key), None)


@dataclass
class _Check:
    clean: dict[str, Any]
    errors: dict[str, str]


def _check_attribute(check: _Check, doc_type: DocumentType | None) -> None:
    clean, function, source = check.clean, check.clean["function"], check.clean["source"]
    if function not in NEEDS_ATTRIBUTE:
        clean["attribute"] = ""
        clean["value_type"] = DerivedValueType.NUMBER.value
        return
    attribute = clean["attribute"]
    numeric_only = function == DerivedFunction.SUM.value
    if source == DerivedSource.DOCUMENTS.value:
        spec = _key_point(doc_type, attribute)
        if attribute == DOCUMENT_DATE:
            value_type = DerivedValueType.DATE.value
        elif spec is None:
            check.errors["attribute"] = _(
                "Name a key point of the chosen document type, or document_date.")
            return
        else:
            value_type = KEY_POINT_VALUE_TYPES.get(str(spec.get("type")), "text")
    else:
        allowed = INTERACTION_ATTRIBUTES if source == DerivedSource.INTERACTIONS.value \
            else COMPLAINT_ATTRIBUTES
        if attribute not in allowed:
            check.errors["attribute"] = _("Choose one of: %(names)s.", names=", ".join(allowed))
            return
        value_type = "date" if attribute in DATE_ATTRIBUTES else "text"
    if numeric_only and value_type not in ("number", "money"):
        check.errors["attribute"] = _("A sum needs a key point holding a number or an amount.")
    elif function in ("min", "max") and value_type == "text":
        check.errors["attribute"] = _("Lowest and highest need a number, amount or date.")
    clean["value_type"] = value_type


def _check_conditions(check: _Check, doc_type: DocumentType | None) -> None:
    source = check.clean["source"]
    for name, values in check.clean["conditions"].items():
        if not values:
            check.errors["conditions"] = _("Give at least one value after “%(name)s =”.",
                                           name=name)
            return
        if source == DerivedSource.DOCUMENTS.value:
            if _key_point(doc_type, name) is None:
                check.errors["conditions"] = _(
                    "“%(name)s” is not a key point of the chosen document type.", name=name)
                return
            continue
        allowed = INTERACTION_CONDITIONS if source == DerivedSource.INTERACTIONS.value \
            else COMPLAINT_CONDITIONS
        if name not in allowed:
            check.errors["conditions"] = _("Conditions can use: %(names)s.",
                                           names=", ".join(allowed))
            return
        wrong = [v for v in values if v not in ROW_VALUES[name]]
        if wrong:
            check.errors["conditions"] = _("%(name)s can be: %(values)s.", name=name,
                                           values=", ".join(ROW_VALUES[name]))
            return


def _check_period(check: _Check) -> None:
    clean = check.clean
    if clean["period"] not in PERIODS:
        check.errors["period"] = _("Choose one of the options.")
        return
    if clean["period"] == DerivedPeriod.YEAR.value:
        year = clean["period_year"]
        if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            check.errors["period_year"] = _("Enter a year, e.g. 2025.")
    else:
        clean["period_year"] = None
    if clean["period"] == DerivedPeriod.MONTHS.value:
        months = clean["period_months"]
        if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
            check.errors["period_months"] = _("Enter a number of months from 1 to %(max)s.",
                                              max=MAX_MONTHS)
    else:
        clean["period_months"] = None


def clean_definition(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The definition's columns from form data, and a message per field that is wrong."""
    doc_type = _document_type(data)
    check = _Check({
        "label": str(data.get("label") or "").strip(),
        "function": str(data.get("function") or ""),
        "source": str(data.get("source") or ""),
        "document_type_id": doc_type.id if doc_type is not None else None,
        "attribute": str(data.get("attribute") or "").strip(),
        "conditions": parse_conditions(data.get("conditions")),
        "period": str(data.get("period") or DerivedPeriod.ALL.value),
        "period_year": data.get("period_year"),
        "period_months": data.get("period_months"),
        "value_type": DerivedValueType.NUMBER.value,
        "scopes": [scope for scope in ALL_SCOPES if scope in set(data.get("scopes") or [])],
        "help_text": str(data.get("help_text") or "").strip(),
        "position": data.get("position") or 0,
    }, {})
    clean, errors = check.clean, check.errors
    if not clean["label"] or len(clean["label"]) > 100:
        errors["label"] = _("Enter a label of at most 100 characters.")
    if len(clean["help_text"]) > 300:
        errors["help_text"] = _("Use at most %(n)s characters.", n=300)
    if clean["function"] not in FUNCTIONS:
        errors["function"] = _("Choose one of the options.")
    if clean["source"] not in SOURCES:
        errors["source"] = _("Choose one of the options.")
    if clean["source"] != DerivedSource.DOCUMENTS.value:
        clean["document_type_id"] = None
    if not errors:
        _check_attribute(check, doc_type)
        _check_conditions(check, doc_type)
    _check_period(check)
    if not clean["scopes"]:
        errors["scopes"] = _("Choose at least one scope.")
    if not isinstance(clean["position"], int) or isinstance(clean["position"], bool):
        errors["position"] = _("Enter a whole number.")
    return clean, errors


def key_taken(key: str) -> bool:
    return db.session.scalar(select(DerivedField.id).where(DerivedField.key == key)) is not None


def create_derived_field(actor: Any, data: Mapping[str, Any],
                         today: date | None = None) -> DerivedField:
    key = str(data.get("key") or "").strip()
    clean, errors = clean_definition(data)
    if not KEY_PATTERN.match(key):
        errors["key"] = _("Use lower-case letters, digits and _, starting with a letter.")
    elif key_taken(key):
        errors["key"] = _("The key %(key)s is already in use.", key=key)
    if errors:
        raise DerivedFieldInvalid(errors)
    field = DerivedField(key=key, active=True, **clean)
    db.session.add(field)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # another admin took the key a moment ago
        raise DerivedFieldInvalid(
            {"key": _("The key %(key)s is already in use.", key=key)}) from error
    record(actor, AuditAction.CREATE, field, details={"key": key, "fields": sorted(clean)})
    recompute_field(db.session.connection(), field, today or date.today())
    db.session.flush()
    return field


def update_derived_field(actor: Any, field: DerivedField, data: Mapping[str, Any],
                         today: date | None = None) -> list[str]:
    """Change the definition (never the key); returns what changed, recomputed at once."""
    clean, errors = clean_definition(data)
    if errors:
        raise DerivedFieldInvalid(errors)
    changed = [name for name in EDITABLE if getattr(field, name) != clean[name]]
    for name in changed:
        setattr(field, name, clean[name])
    if changed:
        record(actor, AuditAction.UPDATE, field, details={"fields": changed})
        db.session.flush()
        recompute_field(db.session.connection(), field, today or date.today())
    return changed


def set_derived_active(actor: Any, field: DerivedField, active: bool,
                       today: date | None = None) -> None:
    """Deactivating hides the field and drops its values; activating computes them again."""
    if field.active == active:
        return
    field.active = active
    record(actor, AuditAction.UPDATE, field, details={"fields": ["active"], "active": active})
    db.session.flush()
    recompute_field(db.session.connection(), field, today or date.today())


@dataclass(frozen=True)
class Preview:
    customer: Customer
    field: DerivedField  # the definition as typed; never saved
    value: Any


def preview_value(actor: Any, data: Mapping[str, Any], customer: Customer,
                  today: date | None = None) -> Preview:
    """The value a definition (saved or not) gives `customer`; reading it is audited."""
    clean, errors = clean_definition(data)
    if errors:
        raise DerivedFieldInvalid(errors)
    field = DerivedField(id=0, key="preview", **clean)  # transient: never added
    query = value_select(field, today or date.today(), db.session.connection().dialect.name,
                         [customer.id])
    row = db.session.execute(query).first()
    value = None
    if row is not None:
        value = row.value_date if field.value_type == "date" else (
            row.value_text if field.value_type == "text" else row.value_number)
    record(actor, AuditAction.VIEW, customer, customer_id=customer.id,
           details={"page": "derived field preview", "label": field.label})
    return Preview(customer, field, value)
