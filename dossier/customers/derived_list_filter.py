"""The customer list's query string as a query: search, kind and status, one condition on
any field the viewer sees (f, op, v: "derived:spent_2025 > 1000"), and a sort that may
name a derived field; shared by the list page and its CSV export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from dossier.customers import queries
from dossier.customers.derived_models import DerivedField, DerivedValue
from dossier.customers.derived_queries import visible_derived_fields
from dossier.customers.models import Customer
from dossier.customers.segment_conditions import (
    DERIVED,
    Condition,
    ConditionInvalid,
    FieldRef,
    check_condition,
    condition_clause,
)
from dossier.customers.segments import field_refs_for
from dossier.extensions import db

_SORT_NAMES = {"name": _l("Name"), "number": _l("Number"), "postcode": _l("Postcode"),
               "city": _l("City"), "created": _l("Created")}


def sort_labels() -> dict[str, str]:
    """The list's own sort orders, both ways, for the sort menu."""
    labels: dict[str, str] = {}
    for key, label in _SORT_NAMES.items():
        labels[key] = f"{label} ↑"
        labels["-" + key] = f"{label} ↓"
    return labels


@dataclass
class ListFilter:
    search: str = ""
    kind: str = ""
    status: str = ""
    sort: str = queries.DEFAULT_SORT
    condition: Condition | None = None
    problem: str | None = None  # why the condition was ignored
    refs: dict[str, FieldRef] = field(default_factory=dict)
    derived: list[DerivedField] = field(default_factory=list)  # visible to the viewer

    @property
    def shown_field(self) -> DerivedField | None:
        """The derived field sorted or filtered on: the list shows it as a column."""
        keys = []
        if self.sort.removeprefix("-").startswith(queries.DERIVED_SORT):
            keys.append(self.sort.removeprefix("-").removeprefix(queries.DERIVED_SORT))
        if self.condition is not None and self.condition.field.startswith(DERIVED + ":"):
            keys.append(self.condition.field.split(":", 1)[1])
        by_key = {f.key: f for f in self.derived}
        return next((by_key[key] for key in keys if key in by_key), None)

    @property
    def active(self) -> bool:
        return bool(self.search or self.kind or self.status or self.condition)

    def as_args(self) -> dict[str, str]:
        """The query string that gives this list again (for the export link)."""
        args = {"q": self.search, "kind": self.kind, "status": self.status, "sort": self.sort}
        if self.condition is not None:
            args |= {"f": self.condition.field, "op": self.condition.op,
                     "v": self.condition.value}
        return {key: value for key, value in args.items() if value}


def parse_list_args(actor: Any, args: Mapping[str, str]) -> ListFilter:
    derived = visible_derived_fields(actor)
    result = ListFilter(
        search=" ".join((args.get("q") or "").split())[:200],
        kind=queries.normalise_filter(args.get("kind"), queries.KINDS),
        status=queries.normalise_filter(args.get("status"), queries.STATUSES),
        sort=queries.normalise_sort(args.get("sort"), frozenset(f.key for f in derived)),
        refs=field_refs_for(actor), derived=derived)
    ref = (args.get("f") or "").strip()
    if ref:
        condition = Condition(ref, (args.get("op") or "=").strip(), (args.get("v") or "")[:200])
        try:
            check_condition(condition, result.refs)
            result.condition = condition
        except ConditionInvalid as error:
            result.problem = str(error)
    return result


def list_query(filters: ListFilter) -> Select[tuple[Customer]]:
    where = condition_clause(filters.condition, filters.refs) \
        if filters.condition is not None else None
    sort_key = filters.sort.removeprefix("-").removeprefix(queries.DERIVED_SORT)
    sorted_on = next((f for f in filters.derived if f.key == sort_key), None)
    return queries.customer_list(filters.search, filters.kind, filters.status, filters.sort,
                                 where=where, derived=sorted_on)


def shown_values(filters: ListFilter, customers: list[Customer]) -> dict[int, Any]:
    """The shown derived field's value per customer on the page."""
    shown = filters.shown_field
    if shown is None or not customers:
        return {}
    rows = db.session.scalars(select(DerivedValue).where(
        DerivedValue.field_id == shown.id,
        DerivedValue.customer_id.in_([c.id for c in customers])))
    return {row.customer_id: row.value for row in rows}
