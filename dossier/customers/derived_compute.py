"""Computing derived values: all customers for one field (bulk, one statement per field),
or a few customers for the fields their changed inputs feed (incremental)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, DateTime, delete, func, insert, literal, select, union_all

from dossier.auth.models import utcnow
from dossier.customers.derived_models import (
    DerivedField,
    DerivedPeriod,
    DerivedSource,
    DerivedValue,
)
from dossier.customers.derived_sql import (
    CUSTOMER_IDS,
    customer_ids_param,
    months_cutoff,
    value_select,
)
from dossier.customers.models import Customer
from dossier.extensions import db

VALUE_COLUMNS = ("field_id", "customer_id", "value_number", "value_text", "value_date",
                 "computed_at")
# SQLite allows 500 terms in one compound SELECT; fewer keeps each statement readable.
FIELDS_PER_STATEMENT = 100
CUSTOMERS_PER_STATEMENT = 500


def _with_time(query: Any) -> Any:
    return query.add_columns(literal(utcnow(), DateTime).label("computed_at"))


def active_fields() -> list[DerivedField]:
    return list(db.session.scalars(select(DerivedField).where(DerivedField.active)
                                   .order_by(DerivedField.position, DerivedField.id)))


def recompute_field(connection: Connection, field: DerivedField, today: date) -> int:
    """Replace every customer's value of `field` (one DELETE, one INSERT ... SELECT)."""
    table = DerivedValue.__table__
    connection.execute(delete(table).where(table.c.field_id == field.id))
    if not field.active:
        return 0
    query = _with_time(value_select(field, today, connection.dialect.name))
    connection.execute(insert(table).from_select(VALUE_COLUMNS, query))
    # Counted, not rowcount: psycopg reports -1 for INSERT ... SELECT.
    return int(connection.execute(select(func.count()).select_from(table)
                                  .where(table.c.field_id == field.id)).scalar_one())


def purge_orphans(connection: Connection) -> None:
    """Remove values of customers deleted by bulk SQL and of fields no longer active
    (the table has no foreign keys to cascade them)."""
    table, customers = DerivedValue.__table__, Customer.__table__
    fields = DerivedField.__table__
    connection.execute(delete(table).where(
        table.c.customer_id.not_in(select(customers.c.id))))
    connection.execute(delete(table).where(
        table.c.field_id.not_in(select(fields.c.id).where(fields.c.active))))


def recompute_all(today: date | None = None, keys: Collection[str] | None = None,
                  progress: Callable[[DerivedField, int], None] | None = None,
                  commit_each: bool = False) -> int:
    """Recompute every active field (or those named in `keys`); returns the values stored.

    With `commit_each` (the CLI and the nightly task), each field is committed on its
    own so a long run never holds SQLite's write lock for more than one field.
    """
    today = today or date.today()
    fields = [field for field in active_fields() if keys is None or field.key in keys]
    purge_orphans(db.session.connection())
    total = 0
    for field in fields:
        stored = recompute_field(db.session.connection(), field, today)
        total += stored
        if commit_each:
            db.session.commit()
        if progress is not None:
            progress(field, stored)
    return total


def fields_fed_by(fields: Iterable[DerivedField], source: str,
                  document_type_ids: Collection[int | None] = ()) -> list[DerivedField]:
    """The fields whose input changes when rows of `source` (of these types) change."""
    chosen = []
    for field in fields:
        if field.source != source:
            continue
        if (source == DerivedSource.DOCUMENTS.value and field.document_type_id is not None
                and field.document_type_id not in document_type_ids):
            continue
        chosen.append(field)
    return chosen


# Built incremental statements by (fields as defined, database, day): building the
# SQL of dozens of definitions costs more than running it for one customer.
_BUILT: dict[tuple[Any, ...], tuple[Any, Any]] = {}
MAX_BUILT = 64


def choosing_columns(table: Any) -> list[Any]:
    """The columns that decide which fields a change feeds, and identify a definition."""
    return [table.c.id, table.c.updated_at, table.c.active, table.c.source,
            table.c.document_type_id, table.c.period, table.c.period_year,
            table.c.period_months]


def _incremental_statements(connection: Connection, fields: list[Any],
                            today: date) -> tuple[Any, Any]:
    """(DELETE, INSERT ... SELECT) for `fields`, for the customers bound at execution."""
    dialect = connection.dialect.name
    key = (tuple((f.id, f.updated_at) for f in fields), dialect, today)
    built = _BUILT.get(key)
    if built is not None:
        return built
    definitions = DerivedField.__table__
    full = {row.id: row for row in connection.execute(select(definitions).where(
        definitions.c.id.in_([f.id for f in fields])))}
    fields = [full[f.id] for f in fields]
    table = DerivedValue.__table__
    ids = customer_ids_param()
    remove = delete(table).where(table.c.customer_id.in_(ids),
                                 table.c.field_id.in_([field.id for field in fields]))
    selects = [value_select(field, today, dialect, ids) for field in fields]
    if len(selects) == 1:
        query = _with_time(selects[0])
    else:
        combined = union_all(*selects).subquery()
        query = _with_time(select(*combined.c))
    built = (remove, insert(table).from_select(VALUE_COLUMNS, query))
    if len(_BUILT) >= MAX_BUILT:
        _BUILT.clear()
    _BUILT[key] = built
    return built


def period_may_hold(field: Any, dates: Collection[date], today: date) -> bool:
    """Can a document dated on one of `dates` count for `field`? A document outside a
    field's calendar year or window cannot change its value (unknown dates: it can)."""
    if not dates:
        return True
    if field.period == DerivedPeriod.YEAR.value and field.period_year:
        return any(day.year == field.period_year for day in dates)
    if field.period == DerivedPeriod.MONTHS.value and field.period_months:
        cutoff = months_cutoff(today, field.period_months)
        return any(day >= cutoff for day in dates)
    return True


def recompute_customers(connection: Connection, customer_ids: Collection[int],
                        fields: list[Any], today: date) -> None:
    """Replace the values of `fields` for `customer_ids` only: a DELETE and one INSERT ...
    SELECT with a UNION ALL of the fields' grouped SELECTs, per chunk."""
    ids = sorted(set(customer_ids))
    fields = [field for field in fields if field.active]
    if not ids or not fields:
        return
    for first in range(0, len(fields), FIELDS_PER_STATEMENT):
        remove, add = _incremental_statements(
            connection, fields[first:first + FIELDS_PER_STATEMENT], today)
        for start in range(0, len(ids), CUSTOMERS_PER_STATEMENT):
            chunk = {CUSTOMER_IDS: ids[start:start + CUSTOMERS_PER_STATEMENT]}
            connection.execute(remove, chunk)
            connection.execute(add, chunk)


def recompute_for_customers(customer_ids: Collection[int], today: date | None = None) -> None:
    """Every active field for these customers: for callers that change inputs with bulk
    SQL the session listener cannot see (merges, imports)."""
    recompute_customers(db.session.connection(), customer_ids, active_fields(),
                        today or date.today())
