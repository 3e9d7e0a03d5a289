"""A derived field as SQL: one grouped SELECT giving each customer's value, the same on
SQLite and PostgreSQL (key points are read with SQLAlchemy's JSON index operators)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    BindParameter,
    Date,
    Numeric,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    extract,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from dossier.customers.derived_models import (
    DerivedField,
    DerivedFunction,
    DerivedPeriod,
    DerivedSource,
    DerivedValueType,
)
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.documents.models import Document, document_customer

TEXT_LENGTH = 200  # DerivedValue.value_text
CUSTOMER_IDS = "customer_ids"
DOCUMENT_DATE = "document_date"  # the attribute that names a document's own date
INTERACTION_ATTRIBUTES = ("channel", "direction", "scope", "subject", "occurred_at")
COMPLAINT_ATTRIBUTES = ("status", "scope", "subject", "opened_at")
INTERACTION_CONDITIONS = ("channel", "direction", "scope")
COMPLAINT_CONDITIONS = ("status", "scope")
NUMERIC_TYPES = (DerivedValueType.NUMBER.value, DerivedValueType.MONEY.value)


@dataclass(frozen=True)
class SourceRows:
    """The rows a definition reads: whose they are, when, a tie-breaker, and filters."""

    customer_id: Any
    when: Any  # a date or timestamp column: periods, "latest" and "months since"
    row_id: Any
    from_clause: Any
    where: list[ColumnElement[bool]]


def months_cutoff(today: date, months: int) -> date:
    """The same day `months` months before `today` (the month's last day when shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in range(today.day, 0, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, 1)  # pragma: no cover - day 1 always exists


def _source_rows(field: DerivedField) -> SourceRows:
    if field.source == DerivedSource.DOCUMENTS.value:
        where: list[ColumnElement[bool]] = []
        if field.document_type_id is not None:
            where.append(Document.document_type_id == field.document_type_id)
        for key, values in sorted((field.conditions or {}).items()):
            where.append(Document.key_points[key].as_string().in_(list(values)))
        joined = document_customer.join(Document, Document.id == document_customer.c.document_id)
        return SourceRows(document_customer.c.customer_id, Document.document_date, Document.id,
                          joined, where)
    if field.source == DerivedSource.INTERACTIONS.value:
        table = Interaction.__table__
        where = [table.c[name].in_(list(values))
                 for name, values in sorted((field.conditions or {}).items())]
        return SourceRows(table.c.customer_id, table.c.occurred_at, table.c.id, table, where)
    table = Complaint.__table__
    where = [table.c[name].in_(list(values))
             for name, values in sorted((field.conditions or {}).items())]
    return SourceRows(table.c.customer_id, table.c.opened_at, table.c.id, table, where)


def _period_clause(field: DerivedField, rows: SourceRows, today: date) -> list[Any]:
    is_date = field.source == DerivedSource.DOCUMENTS.value
    if field.period == DerivedPeriod.YEAR.value and field.period_year:
        start, end = date(field.period_year, 1, 1), date(field.period_year + 1, 1, 1)
    elif field.period == DerivedPeriod.MONTHS.value and field.period_months:
        start, end = months_cutoff(today, field.period_months), None
    else:
        return []
    lower: date | datetime = start if is_date else datetime.combine(start, time())
    clauses = [rows.when >= lower]
    if end is not None:
        clauses.append(rows.when < (end if is_date else datetime.combine(end, time())))
    return clauses


def _attribute(field: DerivedField, rows: SourceRows) -> Any:
    """The column or key point the function works on, typed by the field's value type."""
    if field.source != DerivedSource.DOCUMENTS.value:
        table = Interaction.__table__ if field.source == DerivedSource.INTERACTIONS.value \
            else Complaint.__table__
        return table.c[field.attribute]
    if field.attribute == DOCUMENT_DATE:
        return Document.document_date
    point = Document.key_points[field.attribute]
    if field.value_type in NUMERIC_TYPES:
        return point.as_float()
    return point.as_string()


def _as_date(expression: Any, dialect: str) -> Any:
    """A date from a date, timestamp or ISO text, on either database."""
    if dialect == "sqlite":
        return func.date(expression)  # "YYYY-MM-DD", which the Date type reads back
    return cast(expression, Date)


def _typed(field: DerivedField, value: Any, dialect: str) -> tuple[Any, Any, Any]:
    """(value_number, value_text, value_date) for a value of the field's type."""
    number, text, day = cast(null(), Numeric(18, 4)), cast(null(), String), cast(null(), Date)
    if field.value_type in NUMERIC_TYPES:
        return value, text, day
    if field.value_type == DerivedValueType.DATE.value:
        return number, text, _as_date(value, dialect)
    return number, func.substr(cast(value, String), 1, TEXT_LENGTH), day


def customer_ids_param() -> BindParameter[Any]:
    """A placeholder for the customers of an incremental recompute, filled at execution
    (`customer_ids=[...]`), so one built statement serves every flush."""
    return bindparam(CUSTOMER_IDS, expanding=True)


def value_select(field: DerivedField, today: date, dialect: str,
                 customer_ids: Collection[int] | BindParameter[Any] | None = None
                 ) -> Select[Any]:
    """SELECT field_id, customer_id, value_number, value_text, value_date: one row per
    customer with at least one input row (all customers, or only `customer_ids`)."""
    rows = _source_rows(field)
    where = [*rows.where, *_period_clause(field, rows, today)]
    if isinstance(customer_ids, BindParameter):
        where.append(rows.customer_id.in_(customer_ids))
    elif customer_ids is not None:
        where.append(rows.customer_id.in_(sorted(customer_ids)))
    function = field.function
    if function == DerivedFunction.LATEST.value:
        return _latest(field, rows, where, dialect)
    if function == DerivedFunction.MONTHS_SINCE.value:
        return _months_since(field, rows, where, today, dialect)
    if function == DerivedFunction.COUNT.value:
        aggregate: Any = func.count()
    else:
        aggregate = getattr(func, function)(_attribute(field, rows))
    number, text, day = _typed(field, aggregate, dialect)
    return (select(literal(field.id).label("field_id"), rows.customer_id.label("customer_id"),
                   number.label("value_number"), text.label("value_text"),
                   day.label("value_date"))
            .select_from(rows.from_clause).where(*where).group_by(rows.customer_id))


def _latest(field: DerivedField, rows: SourceRows, where: list[Any],
            dialect: str) -> Select[Any]:
    """The attribute of each customer's newest row: the newest time per customer (one
    grouped pass), then the rows at that time (by index), the highest id among ties.
    Cheaper than ranking every row: only the few newest rows are ever sorted."""
    newest = (select(rows.customer_id.label("customer_id"), func.max(rows.when).label("at"))
              .select_from(rows.from_clause).where(*where).group_by(rows.customer_id)
              .subquery())
    ranked = (select(rows.customer_id.label("customer_id"),
                     _attribute(field, rows).label("value"),
                     func.row_number().over(partition_by=rows.customer_id,
                                            order_by=rows.row_id.desc()).label("rank"))
              .select_from(rows.from_clause)
              .join(newest, and_(newest.c.customer_id == rows.customer_id,
                                 newest.c.at == rows.when))
              .where(*where).subquery())
    number, text, day = _typed(field, ranked.c.value, dialect)
    return (select(literal(field.id).label("field_id"), ranked.c.customer_id,
                   number.label("value_number"), text.label("value_text"),
                   day.label("value_date"))
            .where(ranked.c.rank == 1, ranked.c.value.is_not(None)))


def _months_since(field: DerivedField, rows: SourceRows, where: list[Any], today: date,
                  dialect: str) -> Select[Any]:
    last = (select(rows.customer_id.label("customer_id"), func.max(rows.when).label("last"))
            .select_from(rows.from_clause).where(*where).group_by(rows.customer_id).subquery())
    months = ((today.year - extract("year", last.c.last)) * 12
              + (today.month - extract("month", last.c.last))
              - case((extract("day", last.c.last) > today.day, 1), else_=0))
    return select(literal(field.id).label("field_id"), last.c.customer_id,
                  cast(months, Numeric(18, 4)).label("value_number"),
                  cast(null(), String).label("value_text"),
                  _as_date(last.c.last, dialect).label("value_date"))
