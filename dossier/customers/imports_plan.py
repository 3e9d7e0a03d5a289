"""The dry run of an import: per row, whether it creates a customer, updates one (matched
by customer number, else by e-mail address), changes nothing, or is rejected and why.

The plan reads the database in a few chunked queries and checks every row with the same
rules as the customer form (key_fields.clean_customer, custom_values.parse_value), so
the apply can trust it and write in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from dossier.customers.custom_values import TypedValue, parse_value
from dossier.customers.imports_mapping import CUSTOM_PREFIX, choice_value, yes_no
from dossier.customers.imports_reading import Sheet
from dossier.customers.key_fields import KEY_FIELDS, clean_customer
from dossier.customers.models import Customer, CustomerKind, CustomField, CustomFieldType
from dossier.customers.models import CustomFieldValue as Value
from dossier.customers.queries import suggest_number
from dossier.customers.validation import InvalidValue, normalise_email
from dossier.extensions import db

CHUNK = 500
NEW_CUSTOMER_DEFAULTS = {"kind": CustomerKind.PERSON.value, "status": "active",
                         "preferred_channel": "email", "country": "NL"}


class RowAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"


@dataclass
class PlannedRow:
    """One row's outcome; `clean` and `custom` are what the apply writes."""

    line: int
    action: RowAction
    number: str = ""
    name: str = ""
    customer_id: int | None = None
    reasons: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    clean: dict[str, Any] = field(default_factory=dict)
    custom: dict[CustomField, TypedValue] = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]

    @property
    def counts(self) -> dict[str, int]:
        counts = {action.value: 0 for action in RowAction}
        for row in self.rows:
            counts[row.action.value] += 1
        return counts


class _Planner:
    def __init__(self, sheet: Sheet, mapping: Mapping[str, str],
                 fields: Sequence[CustomField], labels: Mapping[str, str], today: date) -> None:
        self.sheet = sheet
        self.columns = {int(index): target for index, target in mapping.items()}
        self.fields = {CUSTOM_PREFIX + f.key: f for f in fields}
        self.labels = labels
        self.today = today
        self.seen_numbers: dict[str, int] = {}
        self.seen_customers: dict[int, int] = {}
        self.by_number: dict[str, int] = {}
        self.by_email: dict[str, list[int]] = {}
        self.stored: dict[int, dict[str, Any]] = {}  # matched customers' key fields
        self.stored_custom: dict[int, dict[int, TypedValue]] = {}  # their custom values
        self.next_number = 0

    def plan(self) -> ImportPlan:
        raw_rows = [self._raw(index, row) for index, row in enumerate(self.sheet.rows)]
        self._look_up(raw_rows)
        numbers_in_file = {raw.get("number", "") for raw in raw_rows}
        self.next_number = int(suggest_number())
        self.numbers_in_file = numbers_in_file
        rows = [self._row(line, raw, index)
                for index, (line, raw) in enumerate(zip(self.sheet.lines, raw_rows, strict=True))]
        return ImportPlan(rows)

    def _raw(self, index: int, row: list[str]) -> dict[str, str]:
        return {target: row[column] for column, target in self.columns.items()
                if column < len(row)}

    def _look_up(self, raw_rows: list[dict[str, str]]) -> None:
        numbers = sorted({raw["number"] for raw in raw_rows if raw.get("number")})
        emails = sorted({_email_key(raw["email"]) for raw in raw_rows
                         if raw.get("email") and not raw.get("number")} - {""})
        for chunk in _chunks(numbers):
            for number, customer_id in db.session.execute(
                    select(Customer.number, Customer.id).where(Customer.number.in_(chunk))):
                self.by_number[number] = customer_id
        for chunk in _chunks(emails):
            for email, customer_id in db.session.execute(
                    select(Customer.email, Customer.id).where(Customer.email.in_(chunk))):
                self.by_email.setdefault(email, []).append(customer_id)
        wanted = sorted({*self.by_number.values(),
                         *(ids[0] for ids in self.by_email.values() if len(ids) == 1)})
        columns = [Customer.__table__.c[name] for name in KEY_FIELDS]
        for chunk in _chunks(wanted):
            for row in db.session.execute(select(Customer.id, *columns)
                                          .where(Customer.id.in_(chunk))):
                self.stored[row.id] = {name: getattr(row, name) for name in KEY_FIELDS}
            self._load_custom(chunk)

    def _load_custom(self, customer_ids: Sequence[int]) -> None:
        by_id = {field.id: field for field in self.fields.values()}
        query = select(Value).where(Value.customer_id.in_(customer_ids),
                                    Value.field_id.in_(list(by_id)))
        for row in db.session.execute(query.with_only_columns(
                Value.customer_id, Value.field_id, Value.value_text, Value.value_number,
                Value.value_date, Value.value_bool)):
            kind = by_id[row.field_id].field_type
            value: TypedValue = (
                row.value_number if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY)
                else row.value_date if kind == CustomFieldType.DATE
                else row.value_bool if kind == CustomFieldType.BOOLEAN else row.value_text)
            self.stored_custom.setdefault(row.customer_id, {})[row.field_id] = value

    def _row(self, line: int, raw: dict[str, str], index: int) -> PlannedRow:
        formulas = self.sheet.formulas.get(index)
        if formulas and any(column in self.columns for column in formulas):
            return PlannedRow(line, RowAction.REJECT, raw.get("number", ""), reasons=[
                _("A cell holds a formula; import values only.")])
        customer, problem = self._match(line, raw)
        if problem:
            return PlannedRow(line, RowAction.REJECT, raw.get("number", ""), reasons=[problem])
        return self._checked(line, raw, customer)

    def _match(self, line: int, raw: dict[str, str]) -> tuple[int | None, str]:
        number = raw.get("number", "")
        if number:
            earlier = self.seen_numbers.setdefault(number, line)
            if earlier != line:
                return None, _("Customer number %(number)s is also on line %(line)s.",
                               number=number, line=earlier)
            customer_id = self.by_number.get(number)
        else:
            ids = self.by_email.get(_email_key(raw.get("email", "")), [])
            if len(ids) > 1:
                return None, _("The e-mail address belongs to %(n)s customers; add the "
                               "customer number.", n=len(ids))
            customer_id = ids[0] if ids else None
        if customer_id is None:
            return None, ""
        earlier = self.seen_customers.setdefault(customer_id, line)
        if earlier != line:
            return None, _("This customer is also on line %(line)s.", line=earlier)
        return customer_id, ""

    def _checked(self, line: int, raw: dict[str, str], customer: int | None) -> PlannedRow:
        given = {name: choice_value(name, raw[name]) for name in KEY_FIELDS if raw.get(name)}
        if customer is None:
            data = NEW_CUSTOMER_DEFAULTS | self._new_kind(given) | given
            data.setdefault("number", self._new_number())
        else:
            data = self.stored[customer] | given
        clean, errors = clean_customer(data, self.today)
        reasons = [f"{self.labels.get(name, name)}: {message}" for name, message in errors.items()]
        custom, custom_reasons = self._custom(raw, customer)
        reasons += custom_reasons
        planned = PlannedRow(line, RowAction.CREATE, str(data.get("number") or ""),
                             _name(clean), customer, clean=clean, custom=custom)
        if reasons:
            planned.action, planned.reasons = RowAction.REJECT, reasons
        elif customer is not None:
            planned.changed = _changes(self.stored[customer],
                                       self.stored_custom.get(customer, {}), clean, custom)
            planned.action = RowAction.UPDATE if planned.changed else RowAction.UNCHANGED
        return planned

    def _new_kind(self, given: Mapping[str, Any]) -> dict[str, str]:
        if "kind" not in given and given.get("organisation_name") and not given.get("last_name"):
            return {"kind": CustomerKind.ORGANISATION.value}
        return {}

    def _new_number(self) -> str:
        while str(self.next_number) in self.numbers_in_file:
            self.next_number += 1
        number = str(self.next_number)
        self.next_number += 1
        return number

    def _custom(self, raw: Mapping[str, str], customer: int | None
                ) -> tuple[dict[CustomField, TypedValue], list[str]]:
        values: dict[CustomField, TypedValue] = {}
        reasons: list[str] = []
        for target, custom_field in self.fields.items():
            text = raw.get(target, "")
            if not text:  # an empty cell keeps what is stored; a new customer needs required
                if customer is None and custom_field.required:
                    reasons.append(f"{custom_field.label}: {_('This field is required.')}")
                continue
            if custom_field.field_type == CustomFieldType.BOOLEAN:
                text = yes_no(text)
            try:
                values[custom_field] = parse_value(custom_field, text)
            except InvalidValue as error:
                reasons.append(f"{custom_field.label}: {error.message}")
        return values, reasons


def _changes(before: Mapping[str, Any], stored: Mapping[int, TypedValue],
             clean: Mapping[str, Any], custom: Mapping[CustomField, TypedValue]) -> list[str]:
    changed = [name for name in KEY_FIELDS
               if (before.get(name) if before.get(name) is not None else "")
               != (clean[name] if clean[name] is not None else "")]
    changed += [CUSTOM_PREFIX + f.key for f, value in custom.items()
                if stored.get(f.id) != value]
    return changed


def _name(clean: Mapping[str, Any]) -> str:
    if clean.get("kind") == CustomerKind.ORGANISATION.value:
        return str(clean.get("organisation_name") or "")
    given = clean.get("first_name") or clean.get("initials") or ""
    return " ".join(part for part in (given, clean.get("infix"), clean.get("last_name")) if part)


def _email_key(text: str) -> str:
    """The address as stored (normalised like the form does), or "" when it is not one."""
    try:
        return normalise_email(text) if text else ""
    except InvalidValue:
        return ""


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def plan_import(sheet: Sheet, mapping: Mapping[str, str], fields: Sequence[CustomField],
                labels: Mapping[str, str], today: date) -> ImportPlan:
    """What applying `sheet` with `mapping` would do, row by row."""
    return _Planner(sheet, mapping, fields, labels, today).plan()
