"""One timeline per customer: interactions, complaints, documents (by document date) and
what happened to the paper originals, newest first, one page at a time, showing each
actor only what they may see.

Each kind is its own query, filtered and ordered by the database; a page takes the
newest `page * size` keys (moment, id) of each kind, merges them and loads the page's
few objects. A dossier holds hundreds of entries, not millions, so this stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import lazyload, selectinload

from dossier.archive.models import Movement, PhysicalItem
from dossier.auth.permissions import (
    Action,
    Feature,
    can,
    visible_complaint_clause,
    visible_document_clause,
    visible_interaction_clause,
)
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.interactions_queries import visible_linked_documents
from dossier.customers.timeline_filters import (
    ARCHIVE,
    COMPLAINT,
    DOCUMENT,
    INTERACTION,
    KINDS,
    TimelineFilters,
)
from dossier.documents.models import Document, DocumentScope, document_customer
from dossier.extensions import db

PAGE_SIZE = 20
# At the same moment, newest first: a complaint above the contact it was raised in.
_RANK = {DOCUMENT: 0, ARCHIVE: 1, INTERACTION: 2, COMPLAINT: 3}


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # one of KINDS
    at: datetime  # for a document: the start of its document date
    item: Any  # Interaction, Complaint, Document or Movement
    documents: Sequence[Document] = ()  # an interaction's documents the viewer may see
    document_visible: bool = False  # a movement: may the viewer see the item's document?
    item_visible: bool = False  # a movement: may the viewer open the item's page?

    @property
    def date_only(self) -> bool:
        return self.kind == DOCUMENT


@dataclass
class Timeline:
    filters: TimelineFilters
    entries: list[TimelineEntry] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    per_page: int = PAGE_SIZE

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class _Source:
    """One kind's rows in the timeline, as (moment, id) keys."""

    kind: str
    at: Any  # the column giving the moment
    id: Any
    where: list[ColumnElement[bool]]

    def count(self) -> int:
        inner = select(self.id).where(*self.where).subquery()
        return int(db.session.scalar(select(func.count()).select_from(inner)) or 0)

    def newest(self, limit: int) -> list[tuple[datetime, int, str]]:
        stmt = (select(self.at, self.id).where(*self.where)
                .order_by(self.at.desc(), self.id.desc()).limit(limit))
        return [(_moment(at), key, self.kind) for at, key in db.session.execute(stmt)]


def _moment(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.min)


def customer_timeline(actor: Any, customer: Any, filters: TimelineFilters,
                      per_page: int = PAGE_SIZE) -> Timeline:
    """One page of the customer's timeline as `actor` may see it, newest first."""
    sources = [source for source in _sources(actor, customer, filters) if source is not None]
    result = Timeline(filters=filters, per_page=per_page)
    result.total = sum(source.count() for source in sources)
    result.pages = math.ceil(result.total / per_page)
    result.page = min(max(filters.page, 1), max(result.pages, 1))
    if not result.total:
        return result
    keys = [key for source in sources for key in source.newest(result.page * per_page)]
    keys.sort(key=lambda key: (key[0], _RANK[key[2]], key[1]), reverse=True)
    page_keys = keys[(result.page - 1) * per_page:result.page * per_page]
    result.entries = _entries(actor, page_keys)
    return result


def _sources(actor: Any, customer: Any, filters: TimelineFilters) -> list[_Source | None]:
    documents = select(document_customer.c.document_id).where(
        document_customer.c.customer_id == customer.id)
    return [
        _interactions(actor, customer, filters) if filters.wants(INTERACTION) else None,
        _complaints(actor, customer, filters) if filters.wants(COMPLAINT) else None,
        _documents(actor, documents, filters) if filters.wants(DOCUMENT) else None,
        _movements(actor, documents, filters) if filters.wants(ARCHIVE) else None,
    ]


def _interactions(actor: Any, customer: Any, filters: TimelineFilters) -> _Source:
    where = [Interaction.customer_id == customer.id, visible_interaction_clause(actor)]
    if filters.channel:
        where.append(Interaction.channel == filters.channel)
    if filters.scope:
        where.append(Interaction.scope == filters.scope)
    return _Source(INTERACTION, Interaction.occurred_at, Interaction.id, where)


def _complaints(actor: Any, customer: Any, filters: TimelineFilters) -> _Source:
    where = [Complaint.customer_id == customer.id, visible_complaint_clause(actor)]
    if filters.channel:
        where.append(Complaint.interaction_id.in_(select(Interaction.id).where(
            Interaction.customer_id == customer.id, Interaction.channel == filters.channel)))
    if filters.scope:
        where.append(Complaint.scope == filters.scope)
    return _Source(COMPLAINT, Complaint.opened_at, Complaint.id, where)


def _in_scope(scope: str) -> ColumnElement[bool]:
    return select(DocumentScope.document_id).where(
        DocumentScope.document_id == Document.id, DocumentScope.scope == scope
    ).correlate(Document).exists()


def _documents(actor: Any, documents: Any, filters: TimelineFilters) -> _Source:
    where = [Document.id.in_(documents), visible_document_clause(actor)]
    if filters.scope:
        where.append(_in_scope(filters.scope))
    return _Source(DOCUMENT, Document.document_date, Document.id, where)


def _movements(actor: Any, documents: Any, filters: TimelineFilters) -> _Source | None:
    """The moves of the customer's paper originals: for archive staff all of them, for
    others those of documents they may see (as on an original's own page)."""
    wanted: list[ColumnElement[bool]] = [Document.id.in_(documents)]
    if not can(actor, Action.VIEW, Feature.ARCHIVE):
        wanted.append(visible_document_clause(actor))
    if filters.scope:
        wanted.append(_in_scope(filters.scope))
    items = select(PhysicalItem.id).join(Document, Document.id == PhysicalItem.document_id)
    return _Source(ARCHIVE, Movement.at, Movement.id,
                   [Movement.item_id.in_(items.where(*wanted))])


def _entries(actor: Any, keys: list[tuple[datetime, int, str]]) -> list[TimelineEntry]:
    wanted: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for _at, key, kind in keys:
        wanted[kind].append(key)
    loaded = {kind: _load(kind, ids) for kind, ids in wanted.items() if ids}
    entries = []
    for at, key, kind in keys:
        item = loaded[kind].get(key)
        if item is not None:
            entries.append(_entry(actor, kind, at, item))
    return entries


def _load(kind: str, ids: list[int]) -> dict[int, Any]:
    stmt: Any
    if kind == INTERACTION:
        stmt = select(Interaction).options(selectinload(Interaction.handler))
    elif kind == COMPLAINT:
        stmt = select(Complaint).options(selectinload(Complaint.handler),
                                         selectinload(Complaint.interaction))
    elif kind == DOCUMENT:
        stmt = select(Document).options(lazyload(Document.customers))
    else:
        stmt = select(Movement).options(
            selectinload(Movement.item).selectinload(PhysicalItem.document)
            .lazyload(Document.customers),
            selectinload(Movement.from_location), selectinload(Movement.to_location),
            selectinload(Movement.to_person))
    model = stmt.column_descriptions[0]["entity"]
    return {item.id: item for item in db.session.scalars(stmt.where(model.id.in_(ids)))}


def _entry(actor: Any, kind: str, at: datetime, item: Any) -> TimelineEntry:
    if kind == INTERACTION:
        return TimelineEntry(kind, at, item, documents=visible_linked_documents(actor, item))
    if kind == ARCHIVE:
        physical = item.item
        document = physical.document if physical is not None else None
        return TimelineEntry(
            kind, at, item,
            document_visible=document is not None and can(actor, Action.VIEW, document),
            item_visible=physical is not None and can(actor, Action.VIEW, physical))
    return TimelineEntry(kind, at, item)
