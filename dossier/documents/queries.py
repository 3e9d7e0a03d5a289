"""Reads of documents: the dossier's document section, document types, the policy overview."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from dossier.auth.permissions import visible_document_clause, writable_scopes
from dossier.auth.roles import ALL_SCOPES
from dossier.documents.key_points import summary
from dossier.documents.models import (
    Document,
    DocumentScope,
    DocumentType,
    PolicyRule,
    document_customer,
)
from dossier.documents.policy import CONDITION_ORDER, Classification, PolicyBook
from dossier.extensions import db

# NOTE: interface agreed between the customers and documents packages; the documents
# package owns the implementation.
DOSSIER_PAGE_SIZE = 50


@dataclass
class DossierFilters:
    type_code: str | None = None
    document_class: str | None = None  # "dynamic" | "static"
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    def as_args(self) -> dict[str, str]:
        """The filters as query arguments, for links that keep them (page excluded)."""
        args = {"type": self.type_code or "", "class": self.document_class or "",
                "from": self.date_from.isoformat() if self.date_from else "",
                "to": self.date_to.isoformat() if self.date_to else ""}
        return {key: value for key, value in args.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.as_args())


@dataclass(frozen=True)
class DossierEntry:
    """One document as shown in one scope's group, with its class there."""

    document: Document
    classification: Classification
    summary: str


@dataclass
class DossierGroup:
    scope: str
    dynamic: list[DossierEntry] = field(default_factory=list)  # this page only
    static: list[DossierEntry] = field(default_factory=list)
    dynamic_count: int = 0  # all pages
    static_count: int = 0

    @property
    def count(self) -> int:
        return self.dynamic_count + self.static_count


@dataclass
class DossierDocuments:
    """What the dossier page shows of a customer's documents for one viewer."""

    filters: DossierFilters
    groups: list[Any] = field(default_factory=list)  # one DossierGroup per visible scope
    total: int = 0  # distinct documents over all pages
    page: int = 1
    pages: int = 0
    per_page: int = DOSSIER_PAGE_SIZE
    document_types: list[DocumentType] = field(default_factory=list)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class _Light:
    """The few columns classification needs, for every matching document and scope."""

    id: int
    type_id: int
    key_points: dict[str, Any]
    document_date: date
    scope: str


def _light_rows(actor: Any, customer: Any, filters: DossierFilters,
                scopes: list[str]) -> list[_Light]:
    stmt = (
        select(Document.id, Document.document_type_id, Document.key_points,
               Document.document_date, DocumentScope.scope)
        .join(document_customer, document_customer.c.document_id == Document.id)
        .join(DocumentScope, DocumentScope.document_id == Document.id)
        .where(document_customer.c.customer_id == customer.id,
               visible_document_clause(actor), DocumentScope.scope.in_(scopes))
    )
    if filters.type_code:
        stmt = stmt.where(Document.document_type_id == select(DocumentType.id).where(
            DocumentType.code == filters.type_code).scalar_subquery())
    if filters.date_from:
        stmt = stmt.where(Document.document_date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Document.document_date <= filters.date_to)
    rows = [_Light(*row) for row in db.session.execute(stmt)]
    rows.sort(key=lambda row: (row.document_date, row.id), reverse=True)
    return rows


def visible_scopes(actor: Any) -> list[str]:
    return [scope for scope in ALL_SCOPES if scope in actor.scopes]


def dossier_documents(actor: Any, customer: Any, filters: DossierFilters) -> DossierDocuments:
    """The customer's documents the actor may see, grouped by scope and class, one page."""
    scopes = visible_scopes(actor)
    result = DossierDocuments(filters=filters, document_types=types_for_scopes(scopes))
    book, today = PolicyBook.load(), date.today()
    classified = []
    for row in _light_rows(actor, customer, filters, scopes):
        verdict = book.classify_values(row.type_id, row.key_points or {}, row.scope, today)
        if filters.document_class in (None, verdict.document_class.value):
            classified.append((row, verdict))
    ordered_ids = list(dict.fromkeys(row.id for row, _verdict in classified))
    result.total = len(ordered_ids)
    result.pages = math.ceil(result.total / DOSSIER_PAGE_SIZE)
    result.page = min(max(filters.page, 1), max(result.pages, 1))
    start = (result.page - 1) * DOSSIER_PAGE_SIZE
    page_ids = set(ordered_ids[start:start + DOSSIER_PAGE_SIZE])
    page_rows = select(Document).where(Document.id.in_(page_ids)).options(
        lazyload(Document.customers))  # the dossier already knows its customer
    documents = {d.id: d for d in db.session.scalars(page_rows)} if page_ids else {}
    groups = {scope: DossierGroup(scope) for scope in scopes}
    for row, verdict in classified:
        group = groups[row.scope]
        dynamic = verdict.is_dynamic
        if dynamic:
            group.dynamic_count += 1
        else:
            group.static_count += 1
        if row.id in documents:
            document = documents[row.id]
            entry = DossierEntry(document, verdict,
                                 summary(document.document_type, document.key_points))
            (group.dynamic if dynamic else group.static).append(entry)
    result.groups = list(groups.values())
    return result


def _locale() -> str:
    return str(get_locale() or "nl")


def types_for_scopes(scopes: list[str] | frozenset[str]) -> list[DocumentType]:
    """Document types serving any of `scopes`, by name in the user's language."""
    wanted = set(scopes)
    found = [t for t in all_types() if wanted & set(t.scopes or [])]
    return found


def all_types() -> list[DocumentType]:
    locale = _locale()
    types = list(db.session.scalars(select(DocumentType)))
    return sorted(types, key=lambda t: t.name(locale).lower())


def creatable_types(actor: Any) -> list[DocumentType]:
    """Active types the actor can file a document under (one writable scope at least)."""
    return [t for t in types_for_scopes(writable_scopes(actor)) if t.active]


def type_by_code(code: str | None) -> DocumentType | None:
    if not code:
        return None
    return db.session.scalar(select(DocumentType).where(DocumentType.code == code))


def policy_by_scope() -> dict[str, list[PolicyRule]]:
    """Every rule, grouped by scope, by type name and then most specific condition first."""
    locale = _locale()
    grouped: dict[str, list[PolicyRule]] = {scope: [] for scope in ALL_SCOPES}
    for rule in db.session.scalars(select(PolicyRule)):
        grouped.setdefault(rule.scope, []).append(rule)
    for rules in grouped.values():
        rules.sort(key=lambda r: (r.document_type.name(locale).lower(),
                                  CONDITION_ORDER.get(r.condition, 99), r.id))
    return grouped
