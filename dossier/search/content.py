"""What goes into a search index, read from the database in batches of a few statements each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from dossier.customers.models import Customer
from dossier.documents.models import (
    DigitalFile,
    Document,
    DocumentScope,
    DocumentType,
    Storage,
    document_customer,
)
from dossier.extensions import db

# The customers module's own rule for a customer's name (person or organisation);
# it reads only name columns, so it works on a plain row too.
_display_name = Customer.display_name.fget  # type: ignore[attr-defined]
_CUSTOMER_COLUMNS = (Customer.id, Customer.number, Customer.kind, Customer.initials,
                     Customer.first_name, Customer.infix, Customer.last_name,
                     Customer.organisation_name)


@dataclass(frozen=True)
class IndexedDocument:
    id: int
    title: str
    body: str  # the current file's extracted text ("" for paper only)
    key_points: str  # key point values and notes as text
    type_code: str
    document_date: date
    customer_ids: tuple[int, ...]
    customer_numbers: tuple[str, ...]
    customer_names: tuple[str, ...]
    scopes: tuple[str, ...]
    storage: str  # digital | paper | hybrid | none
    type_id: int
    status: str  # key_points["status"] lowercased, "" if none (policy conditions)
    end_date: str  # key_points["end_date"] as stored (YYYY-MM-DD) or ""
    language: str  # the current file's languages ("nld", "nld+eng", "")


@dataclass(frozen=True)
class IndexedCustomer:
    id: int
    number: str
    name: str
    postcode: str
    house_number: str  # number and addition, "12A"
    email: str
    phone: str
    city: str


def key_points_text(points: dict[str, Any] | None, notes: str) -> str:
    """Key point values (not their labels or yes/no flags) and the notes, one text."""
    values = [str(value) for value in (points or {}).values()
              if value not in (None, "") and not isinstance(value, bool)]
    return "\n".join([*values, notes] if notes else values)


def _current_files(ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    latest = (select(DigitalFile.document_id, func.max(DigitalFile.version).label("version"))
              .where(DigitalFile.document_id.in_(ids))
              .group_by(DigitalFile.document_id).subquery())
    rows = db.session.execute(
        select(DigitalFile.document_id, DigitalFile.text, DigitalFile.languages)
        .join(latest, (DigitalFile.document_id == latest.c.document_id)
              & (DigitalFile.version == latest.c.version)))
    return {row.document_id: (row.text or "", row.languages or "") for row in rows}


def _scopes(ids: Sequence[int]) -> dict[int, list[str]]:
    scopes: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(select(DocumentScope.document_id, DocumentScope.scope)
                              .where(DocumentScope.document_id.in_(ids))
                              .order_by(DocumentScope.document_id, DocumentScope.scope))
    for document_id, scope in rows:
        scopes[document_id].append(scope)
    return scopes


def _document_customers(ids: Sequence[int]) -> dict[int, list[Any]]:
    customers: dict[int, list[Any]] = defaultdict(list)
    rows = db.session.execute(
        select(document_customer.c.document_id, *_CUSTOMER_COLUMNS)
        .join(Customer, Customer.id == document_customer.c.customer_id)
        .where(document_customer.c.document_id.in_(ids))
        .order_by(document_customer.c.document_id, Customer.number))
    for row in rows:
        customers[row.document_id].append(row)
    return customers


def _storage(has_file: bool, paper: bool) -> str:
    if has_file and paper:
        return Storage.HYBRID.value
    if has_file:
        return Storage.DIGITAL.value
    return (Storage.PAPER if paper else Storage.NONE).value


def load_documents(ids: Sequence[int]) -> list[IndexedDocument]:
    """The documents with these ids (ids no longer in the database are left out), in id
    order, in four statements whatever the number of ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = db.session.execute(
        select(Document.id, Document.title, Document.document_date, Document.key_points,
               Document.notes, Document.paper_original, Document.document_type_id,
               DocumentType.code)
        .join(DocumentType, DocumentType.id == Document.document_type_id)
        .where(Document.id.in_(wanted)).order_by(Document.id)).all()
    files, scopes = _current_files(wanted), _scopes(wanted)
    customers = _document_customers(wanted)
    return [_indexed_document(row, files.get(row.id), scopes[row.id], customers[row.id])
            for row in rows]


def _indexed_document(row: Any, current: tuple[str, str] | None, scopes: list[str],
                      customers: list[Any]) -> IndexedDocument:
    points = row.key_points or {}
    body, language = current or ("", "")
    return IndexedDocument(
        id=row.id, title=row.title, body=body,
        key_points=key_points_text(points, row.notes or ""),
        type_code=row.code, document_date=row.document_date,
        customer_ids=tuple(c.id for c in customers),
        customer_numbers=tuple(c.number for c in customers),
        customer_names=tuple(_display_name(c) for c in customers),
        scopes=tuple(scopes), storage=_storage(current is not None, row.paper_original),
        type_id=row.document_type_id, status=str(points.get("status") or "").lower(),
        end_date=str(points.get("end_date") or ""), language=language)


def _id_batches(column: Any, batch: int) -> Iterator[list[int]]:
    """Ids in ascending batches by keyset, so a long run never re-reads or skips rows."""
    last = 0
    while True:
        ids = list(db.session.scalars(select(column).where(column > last)
                                      .order_by(column).limit(batch)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def iter_all_documents(batch: int = 500) -> Iterator[list[IndexedDocument]]:
    for ids in _id_batches(Document.id, batch):
        yield load_documents(ids)


def load_customers(ids: Sequence[int]) -> list[IndexedCustomer]:
    """The customers with these ids (missing ones left out), in id order, one statement."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = db.session.execute(
        select(*_CUSTOMER_COLUMNS, Customer.postcode, Customer.house_number,
               Customer.house_number_addition, Customer.email, Customer.phone, Customer.city)
        .where(Customer.id.in_(wanted)).order_by(Customer.id))
    return [IndexedCustomer(
        id=row.id, number=row.number, name=_display_name(row), postcode=row.postcode or "",
        house_number=f"{row.house_number or ''}{row.house_number_addition or ''}",
        email=row.email or "", phone=row.phone or "", city=row.city or "") for row in rows]


def iter_all_customers(batch: int = 2000) -> Iterator[list[IndexedCustomer]]:
    for ids in _id_batches(Customer.id, batch):
        yield load_customers(ids)


def customer_document_ids(customer_ids: Sequence[int]) -> list[int]:
    """The documents linked to these customers (their names and numbers are indexed)."""
    if not customer_ids:
        return []
    return sorted(set(db.session.scalars(
        select(document_customer.c.document_id)
        .where(document_customer.c.customer_id.in_(list(customer_ids))))))
