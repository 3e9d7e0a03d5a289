"""Reads of documents: the dossier's document section, document types, the policy overview."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import get_locale
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import lazyload

from dossier.auth.permissions import visible_document_clause, writable_scopes
from dossier.auth.roles import ALL_SCOPES
from dossier.documents.key_points import summary
from dossier.documents.models import (
    Document,
    DocumentClass,
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


def _filter_clauses(filters: DossierFilters) -> list[ColumnElement[bool]]:
    clauses = []
    if filters.type_code:
        clauses.append(Document.document_type_id == select(DocumentType.id).where(
            DocumentType.code == filters.type_code).scalar_subquery())
    if filters.date_from:
        clauses.append(Document.document_date >= filters.date_from)
    if filters.date_to:
        clauses.append(Document.document_date <= filters.date_to)
    return clauses


@dataclass(frozen=True)
class _DossierQuery:
    """The SQL of one dossier view: the database classifies, counts and pages."""

    where: list[ColumnElement[bool]]  # on Document: the customer's, visible, filtered
    scopes: list[str]
    document_class: ColumnElement[str]  # per Document and DocumentScope row
    wanted_class: str | None

    @classmethod
    def build(cls, actor: Any, customer: Any, filters: DossierFilters, scopes: list[str],
              book: PolicyBook, today: date) -> _DossierQuery:
        mine = select(document_customer.c.document_id).where(
            document_customer.c.customer_id == customer.id)
        where = [Document.id.in_(mine), visible_document_clause(actor),
                 *_filter_clauses(filters)]
        expression = book.class_expression(DocumentScope.scope, Document.document_type_id,
                                           Document.key_points, today)
        return cls(where, scopes, expression, filters.document_class)

    def counts(self) -> Select[Any]:
        """(scope, class, rows) for every scope of the dossier's documents, and their number.

        Counted without the class filter: with it, the other class simply counts zero.
        Scopes the actor does not see are counted too and left out by the caller: cheaper
        than testing each row's scope against a list.
        """
        rows = (select(DocumentScope.scope, self.document_class.label("document_class"))
                .join(Document, Document.id == DocumentScope.document_id)
                .where(*self.where)
                .subquery("dossier_rows"))
        total = select(func.count()).select_from(self._documents().subquery())
        return select(rows.c.scope, rows.c.document_class, func.count(),
                      total.scalar_subquery()).group_by(rows.c.scope, rows.c.document_class)

    def page_ids(self, page: int) -> Select[Any]:
        """One page of document ids, newest first."""
        return (self._documents().order_by(Document.document_date.desc(), Document.id.desc())
                .limit(DOSSIER_PAGE_SIZE).offset((page - 1) * DOSSIER_PAGE_SIZE))

    def _documents(self) -> Select[Any]:
        """One row per document in the dossier (with a scope of the wanted class, if any).

        The visibility clause already asks for a scope of the actor's, which are the
        visible scopes; only the class filter needs a look at each scope's class.
        """
        stmt = select(Document.id).where(*self.where)
        if not self.wanted_class:
            return stmt
        in_class = select(DocumentScope.document_id).where(
            DocumentScope.document_id == Document.id, DocumentScope.scope.in_(self.scopes),
            self.document_class == self.wanted_class).correlate(Document)
        return stmt.where(in_class.exists())


def _count_groups(query: _DossierQuery, groups: dict[str, DossierGroup]) -> int:
    """Fill each group's counts; return the number of distinct documents."""
    total_documents = 0
    for scope, document_class, count, documents in db.session.execute(query.counts()):
        total_documents = documents  # the same on every row
        if scope not in groups or query.wanted_class not in (None, document_class):
            continue
        if document_class == DocumentClass.DYNAMIC.value:
            groups[scope].dynamic_count = count
        else:
            groups[scope].static_count = count
    return int(total_documents)


def _page_documents(ids: list[int]) -> list[Document]:
    if not ids:
        return []
    stmt = select(Document).where(Document.id.in_(ids)).options(
        lazyload(Document.customers))  # the dossier already knows its customer
    found = {document.id: document for document in db.session.scalars(stmt)}
    return [found[document_id] for document_id in ids if document_id in found]


def visible_scopes(actor: Any) -> list[str]:
    return [scope for scope in ALL_SCOPES if scope in actor.scopes]


def dossier_documents(actor: Any, customer: Any, filters: DossierFilters) -> DossierDocuments:
    """The customer's documents the actor may see, grouped by scope and class, one page.

    The database classifies, counts and pages (a few queries, whatever the number of
    documents); only the page's documents are classified here, with their explanations.
    """
    scopes = visible_scopes(actor)
    result = DossierDocuments(filters=filters, document_types=types_for_scopes(scopes))
    book, today = PolicyBook.load(), date.today()
    query = _DossierQuery.build(actor, customer, filters, scopes, book, today)
    groups = {scope: DossierGroup(scope) for scope in scopes}
    result.groups = list(groups.values())
    result.total = _count_groups(query, groups)
    result.pages = math.ceil(result.total / DOSSIER_PAGE_SIZE)
    result.page = min(max(filters.page, 1), max(result.pages, 1))
    if not result.total:
        return result
    for document in _page_documents(list(db.session.scalars(query.page_ids(result.page)))):
        for scope in (s for s in document.scopes if s in groups):
            verdict = book.classify(document, scope, today)
            if filters.document_class in (None, verdict.document_class.value):
                entry = DossierEntry(document, verdict,
                                     summary(document.document_type, document.key_points))
                group = groups[scope]
                (group.dynamic if verdict.is_dynamic else group.static).append(entry)
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
