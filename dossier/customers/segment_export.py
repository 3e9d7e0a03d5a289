"""CSV export of a list of customers (a segment, or the customer list as filtered): key
fields plus the custom and derived fields the exporter may see, streamed in chunks."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select

from dossier.auth.permissions import visible_fields
from dossier.compliance.audit import AuditAction, record
from dossier.customers.custom_values import value_as_text
from dossier.customers.derived_models import DerivedField, DerivedValue
from dossier.customers.derived_queries import visible_derived_fields
from dossier.customers.models import Customer, CustomField, CustomFieldValue
from dossier.customers.queries import active_fields
from dossier.extensions import db

KEY_COLUMNS = ("number", "kind", "initials", "first_name", "infix", "last_name",
               "organisation_name", "street", "house_number", "house_number_addition",
               "postcode", "city", "country", "email", "phone", "date_of_birth",
               "preferred_channel", "status")
CHUNK = 500
# A cell starting with one of these is a formula to a spreadsheet: quote it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumns:
    custom: list[CustomField]
    derived: list[DerivedField]

    @property
    def header(self) -> list[str]:
        return [*KEY_COLUMNS, *(f.key for f in self.custom), *(f.key for f in self.derived)]


def export_columns(actor: Any) -> ExportColumns:
    """Key fields, and only the custom and derived fields `actor` may see."""
    return ExportColumns(visible_fields(actor, active_fields()), visible_derived_fields(actor))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral() else value
        return format(value, "f")
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _line(cells: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([_cell(cell) for cell in cells])
    return buffer.getvalue()


def _extra_values(columns: ExportColumns, ids: list[int]) -> dict[tuple[int, str], Any]:
    values: dict[tuple[int, str], Any] = {}
    if columns.custom:
        by_id = {f.id: f for f in columns.custom}
        for stored in db.session.scalars(select(CustomFieldValue).where(
                CustomFieldValue.customer_id.in_(ids), CustomFieldValue.field_id.in_(by_id))):
            field = by_id[stored.field_id]
            values[(stored.customer_id, "c" + field.key)] = value_as_text(field, stored.value)
    if columns.derived:
        by_id_d = {f.id: f for f in columns.derived}
        for derived in db.session.scalars(select(DerivedValue).where(
                DerivedValue.customer_id.in_(ids), DerivedValue.field_id.in_(by_id_d))):
            values[(derived.customer_id, "d" + by_id_d[derived.field_id].key)] = derived.value
    return values


def _rows(customers: list[Customer], columns: ExportColumns) -> Iterator[str]:
    values = _extra_values(columns, [c.id for c in customers])
    for customer in customers:
        cells: list[Any] = [getattr(customer, name) for name in KEY_COLUMNS]
        cells += [values.get((customer.id, "c" + f.key)) for f in columns.custom]
        cells += [values.get((customer.id, "d" + f.key),
                             0 if f.zero_when_none else None) for f in columns.derived]
        yield _line(cells)


def csv_lines(query: Select[tuple[Customer]], columns: ExportColumns) -> Iterator[str]:
    """The header, then one line per customer of `query`, read CHUNK customers at a time."""
    yield _line(columns.header)
    ids = list(db.session.scalars(query.with_only_columns(Customer.id)))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        by_id = {c.id: c for c in db.session.scalars(
            select(Customer).where(Customer.id.in_(chunk)))}
        # The identity map holds rows weakly: a chunk is freed once written.
        yield from _rows([by_id[i] for i in chunk if i in by_id], columns)


def record_export(actor: Any, query: Select[tuple[Customer]], columns: ExportColumns,
                  what: dict[str, Any], scope: str | None = None) -> int:
    """Audit the export (which customers, which columns) before a byte is sent."""
    ids = list(db.session.scalars(query.with_only_columns(Customer.id)))
    record(actor, AuditAction.EXPORT, object_type="CustomerList", scope=scope,
           details=what | {"format": "csv", "rows": len(ids), "columns": columns.header,
                           "customers": ids})
    db.session.flush()
    return len(ids)
