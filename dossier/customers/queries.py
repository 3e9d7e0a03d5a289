"""Reads on customers and custom fields: the searchable list, number suggestions, fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from dossier.auth.permissions import Action, can, visible_fields
from dossier.customers.custom_values import TypedValue, stored_values
from dossier.customers.derived_models import DerivedField, DerivedValue
from dossier.customers.models import Customer, CustomerKind, CustomerStatus, CustomField
from dossier.customers.models import CustomFieldValue as Value
from dossier.extensions import db

SORT_COLUMNS = {
    "number": Customer.number,
    "name": Customer.sort_name,
    "postcode": Customer.postcode,
    "city": Customer.city,
    "created": Customer.created_at,
}
DEFAULT_SORT = "name"
FIRST_NUMBER = 100001
_POSTCODE_QUERY = re.compile(r"^([1-9][0-9]{3})([A-Z]{2})?$")


DERIVED_SORT = "derived:"  # sort=derived:spent_2025 sorts on that derived field


def normalise_sort(sort: str | None, derived_keys: frozenset[str] = frozenset()) -> str:
    """`sort` if it names a known column or one of `derived_keys` (optionally "-" for
    descending), else the default."""
    name = (sort or "").removeprefix("-")
    if name in SORT_COLUMNS or (name.removeprefix(DERIVED_SORT) in derived_keys and \
            name.startswith(DERIVED_SORT)):
        return sort or DEFAULT_SORT
    return DEFAULT_SORT


def normalise_filter(value: str | None, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else ""


KINDS = tuple(kind.value for kind in CustomerKind)
STATUSES = tuple(status.value for status in CustomerStatus)


def _contains(text: str) -> str:
    """A LIKE pattern for `text` anywhere, with the wildcards in `text` escaped."""
    return "%" + _escape(text) + "%"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_clause(search: str) -> ColumnElement[bool]:
    pattern = _contains(search)
    names = (Customer.first_name, Customer.last_name, Customer.organisation_name)
    alternatives: list[ColumnElement[bool]] = [
        Customer.number.like(_escape(search) + "%", escape="\\"),
        Customer.email.ilike(pattern, escape="\\"),
        *(column.ilike(pattern, escape="\\") for column in names),
    ]
    words = search.split()
    if len(words) > 1:  # "jan jansen": every word in some part of the name
        alternatives.append(and_(*(
            or_(*(column.ilike(_contains(word), escape="\\")
                  for column in (*names, Customer.infix, Customer.initials)))
            for word in words
        )))
    postcode = _POSTCODE_QUERY.match("".join(words).upper())
    if postcode:  # stored as "1234 AB": "1234ab" and "1234 ab" find it, "1234" finds all
        digits, letters = postcode.groups()
        alternatives.append(Customer.postcode == f"{digits} {letters}" if letters
                            else Customer.postcode.like(f"{digits} %"))
    return or_(*alternatives)


def customer_list(search: str = "", kind: str = "", status: str = "",
                  sort: str = DEFAULT_SORT, where: ColumnElement[bool] | None = None,
                  derived: DerivedField | None = None) -> Select[tuple[Customer]]:
    """Customers matching `search`, the filters and `where`, ordered by `sort`; a sort
    on a derived field needs that `derived` field."""
    query = select(Customer)
    if where is not None:
        query = query.where(where)
    search = " ".join(search.split())
    if search:
        query = query.where(_search_clause(search))
    if kind in KINDS:
        query = query.where(Customer.kind == kind)
    if status in STATUSES:
        query = query.where(Customer.status == status)
    if derived is not None and sort.removeprefix("-") == DERIVED_SORT + derived.key:
        return _by_derived(query, derived, descending=sort.startswith("-"))
    sort = normalise_sort(sort)
    column = SORT_COLUMNS[sort.removeprefix("-")]
    ordered = column.desc() if sort.startswith("-") else column.asc()
    return query.order_by(ordered, Customer.id)


def _by_derived(query: Select[tuple[Customer]], field: DerivedField,
                descending: bool) -> Select[tuple[Customer]]:
    """Ordered by the field's value (customers without one last, or 0 for counts)."""
    stored = aliased(DerivedValue)
    column: Any = {"date": stored.value_date, "text": stored.value_text}.get(
        field.value_type, stored.value_number)
    if field.zero_when_none:
        column = func.coalesce(column, 0)
    ordered = (column.desc() if descending else column.asc()).nulls_last()
    return (query.outerjoin(stored, and_(stored.customer_id == Customer.id,
                                         stored.field_id == field.id))
            .order_by(ordered, Customer.sort_name, Customer.id))


def number_taken(number: str, exclude_id: int | None = None) -> bool:
    query = select(Customer.id).where(Customer.number == number)
    if exclude_id is not None:
        query = query.where(Customer.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def suggest_number() -> str:
    """The next free customer number: one above the highest all-digit number."""
    longest_first = (select(Customer.number)
                     .order_by(func.length(Customer.number).desc(), Customer.number.desc())
                     .limit(200))
    numbers = [number for number in db.session.scalars(longest_first) if number.isdigit()]
    candidate = max((int(number) + 1 for number in numbers), default=FIRST_NUMBER)
    while number_taken(str(candidate)):
        candidate += 1
    return str(candidate)


def field_list() -> list[CustomField]:
    """Every custom field, active or not, in form order."""
    query = select(CustomField).order_by(CustomField.position, CustomField.label, CustomField.id)
    return list(db.session.scalars(query))


def active_fields() -> list[CustomField]:
    return [field for field in field_list() if field.active]


def field_key_taken(key: str) -> bool:
    return db.session.scalar(select(CustomField.id).where(CustomField.key == key)) is not None


def field_has_values(field: CustomField) -> bool:
    return bool(db.session.scalar(select(exists().where(Value.field_id == field.id))))


@dataclass(frozen=True)
class CustomRow:
    """One custom field as a viewer meets it: its value, and whether they may change it."""

    field: CustomField
    value: TypedValue
    editable: bool


def custom_rows(actor: Any, customer: Customer | None) -> list[CustomRow]:
    """The active custom fields `actor` may see, with `customer`'s values (None: a new one)."""
    stored = stored_values(customer) if customer is not None and customer.id else {}
    return [
        CustomRow(field, stored[field.id].value if field.id in stored else None,
                  can(actor, Action.EDIT, field))
        for field in visible_fields(actor, active_fields())
    ]
