"""Conditions on customers ("spent_2025 > 1000") as SQL, over key fields, custom fields
and derived fields; used by segments and by the customer list's filter.

Custom and derived values live in their own tables, one row per customer and field, and
a customer without a row has the field's default (0 for counts and sums, else empty).
So a condition that the default satisfies is written as "not among the customers whose
stored value fails it", one that it does not as "among those whose value passes": both
are set-based and use the (field, value) indexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select, true

from dossier.customers.derived_models import DerivedField, DerivedValue, DerivedValueType
from dossier.customers.models import Customer, CustomField, CustomFieldValue

OPERATORS = {"=": _l("equals"), "!=": _l("differs from"), ">": _l("more than"),
             ">=": _l("at least"), "<": _l("less than"), "<=": _l("at most"),
             "contains": _l("contains"), "empty": _l("is empty"),
             "not_empty": _l("is not empty")}
NO_VALUE = frozenset({"empty", "not_empty"})
ORDERED = frozenset({">", ">=", "<", "<="})
TEXT_KINDS = frozenset({"text", "choice"})
NUMBER_KINDS = frozenset({"number", "money"})
KEY, CUSTOM, DERIVED = "key", "custom", "derived"
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
TRUE_WORDS = frozenset({"yes", "ja", "true", "1"})
FALSE_WORDS = frozenset({"no", "nee", "false", "0"})

# Key fields offered in conditions: attribute -> (label, kind, choices)
KEY_FIELDS: dict[str, tuple[Any, str]] = {
    "number": (_l("Customer number"), "text"),
    "kind": (_l("Kind"), "choice"),
    "last_name": (_l("Last name"), "text"),
    "first_name": (_l("First name"), "text"),
    "organisation_name": (_l("Organisation name"), "text"),
    "postcode": (_l("Postcode"), "text"),
    "city": (_l("City"), "text"),
    "country": (_l("Country"), "text"),
    "email": (_l("E-mail"), "text"),
    "phone": (_l("Phone"), "text"),
    "date_of_birth": (_l("Date of birth"), "date"),
    "preferred_channel": (_l("Preferred channel"), "choice"),
    "status": (_l("Status"), "choice"),
}


class ConditionInvalid(ValueError):
    """A condition cannot be used; the message is safe to show."""


@dataclass(frozen=True)
class FieldRef:
    """A field a condition can name: "key:city", "custom:vip", "derived:spent_2025"."""

    ref: str
    label: Any
    kind: str  # text, choice, number, money, date, boolean
    group: str  # KEY, CUSTOM or DERIVED
    target: Any = None  # the CustomField or DerivedField
    zero_default: bool = False  # a derived count or sum: 0 without a stored row

    @property
    def operators(self) -> list[str]:
        if self.kind in TEXT_KINDS:
            return ["=", "!=", "contains", "empty", "not_empty"]
        if self.kind == "boolean":
            return ["=", "empty", "not_empty"]
        return ["=", "!=", ">", ">=", "<", "<=", "empty", "not_empty"]


def field_refs(custom_fields: list[CustomField],
               derived_fields: list[DerivedField]) -> dict[str, FieldRef]:
    """Every field a condition may name, given the custom and derived fields in reach."""
    refs = {f"{KEY}:{name}": FieldRef(f"{KEY}:{name}", label, kind, KEY)
            for name, (label, kind) in KEY_FIELDS.items()}
    for custom in custom_fields:
        refs[f"{CUSTOM}:{custom.key}"] = FieldRef(f"{CUSTOM}:{custom.key}", custom.label,
                                                  custom.field_type, CUSTOM, custom)
    for derived in derived_fields:
        refs[f"{DERIVED}:{derived.key}"] = FieldRef(
            f"{DERIVED}:{derived.key}", derived.label, derived.value_type, DERIVED, derived,
            derived.zero_when_none)
    return refs


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "op": self.op, "value": self.value}


def parse_value(kind: str, raw: str) -> Any:
    text = raw.strip()
    if kind in NUMBER_KINDS:
        try:
            value = Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ConditionInvalid(_("“%(value)s” is not a number; e.g. 1000 or 12.50.",
                                     value=text)) from None
        if not value.is_finite():
            raise ConditionInvalid(_("“%(value)s” is not a number; e.g. 1000 or 12.50.",
                                     value=text))
        return value
    if kind == "date":
        match = _DUTCH_DATE.match(text)
        try:
            if match:
                day, month, year = (int(part) for part in match.groups())
                return date(year, month, day)
            return date.fromisoformat(text)
        except ValueError:
            raise ConditionInvalid(_("“%(value)s” is not a date; use YYYY-MM-DD or "
                                     "DD-MM-YYYY.", value=text)) from None
    if kind == "boolean":
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ConditionInvalid(_("Answer yes or no."))
    if not text:
        raise ConditionInvalid(_("Enter a value, or choose “is empty”."))
    return text


def check_condition(condition: Condition, refs: dict[str, FieldRef]) -> Any:
    """The typed value of a valid condition; ConditionInvalid says what is wrong."""
    ref = refs.get(condition.field)
    if ref is None:
        raise ConditionInvalid(_("Choose a field from the list."))
    if condition.op not in ref.operators:
        raise ConditionInvalid(_("“%(op)s” cannot be used with %(field)s.",
                                 op=OPERATORS.get(condition.op, condition.op), field=ref.label))
    return None if condition.op in NO_VALUE else parse_value(ref.kind, condition.value)


def _compare(column: Any, op: str, value: Any, kind: str) -> ColumnElement[bool]:
    """`column op value`, text compared without regard to case."""
    if op == "empty":
        return column.is_(None) | (column == "") if kind in TEXT_KINDS else column.is_(None)
    if op == "not_empty":
        return and_(column.is_not(None), column != "") if kind in TEXT_KINDS \
            else column.is_not(None)
    if kind in TEXT_KINDS:
        column, value = func.lower(column), str(value).lower()
        if op == "contains":
            escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return column.like(f"%{escaped}%", escape="\\")
    operations = {"=": column == value, ">": column > value, ">=": column >= value,
                  "<": column < value, "<=": column <= value}
    if op == "!=":
        return or_(column.is_(None), column != value)
    return operations[op]


def _default_passes(op: str, value: Any, default: Any) -> bool:
    """Does a customer without a stored row (value `default`) satisfy the condition?"""
    if default is None:
        return op in ("empty", "!=")
    tests = {"=": default == value, "!=": default != value, ">": default > value,
             ">=": default >= value, "<": default < value, "<=": default <= value,
             "empty": False, "not_empty": True}
    return bool(tests[op])


def _stored(ref: FieldRef, op: str, value: Any) -> ColumnElement[bool]:
    """The condition on a custom or derived field, through its value table."""
    if ref.group == CUSTOM:
        table, owner, column = CustomFieldValue, CustomFieldValue.field_id, {
            "number": CustomFieldValue.value_number, "money": CustomFieldValue.value_number,
            "date": CustomFieldValue.value_date, "boolean": CustomFieldValue.value_bool,
        }.get(ref.kind, CustomFieldValue.value_text)
    else:
        table, owner, column = DerivedValue, DerivedValue.field_id, {
            DerivedValueType.NUMBER.value: DerivedValue.value_number,
            DerivedValueType.MONEY.value: DerivedValue.value_number,
            DerivedValueType.DATE.value: DerivedValue.value_date,
        }.get(ref.kind, DerivedValue.value_text)
    default = Decimal(0) if ref.zero_default else None
    passes = _compare(column, op, value, ref.kind)
    of_field = owner == ref.target.id
    if _default_passes(op, value, default):
        failing = select(table.customer_id).where(of_field, not_(passes))
        return Customer.id.not_in(failing)
    return Customer.id.in_(select(table.customer_id).where(of_field, passes))


def condition_clause(condition: Condition, refs: dict[str, FieldRef]) -> ColumnElement[bool]:
    """SQL for one condition; a field no longer in reach matches no one."""
    ref = refs.get(condition.field)
    if ref is None:
        return false()
    value = check_condition(condition, refs)
    if ref.group == KEY:
        return _compare(getattr(Customer, ref.ref.split(":", 1)[1]), condition.op, value,
                        ref.kind)
    return _stored(ref, condition.op, value)


def conditions_clause(conditions: list[Condition], refs: dict[str, FieldRef],
                      match_any: bool = False) -> ColumnElement[bool]:
    if not conditions:
        return true()
    clauses = [condition_clause(condition, refs) for condition in conditions]
    return or_(*clauses) if match_any else and_(*clauses)
