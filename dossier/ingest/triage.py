"""The triage queue: parts of scans waiting for a customer, who read them, and filing several
at once.

A part has no scope until it is filed, so scope cannot limit who reads it: every reading
of its text, page image or file is written to the audit log instead (see DECISIONS.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from dossier.compliance.audit import AuditAction, record
from dossier.customers.models import Customer
from dossier.documents.models import Document, DocumentType
from dossier.documents.services import DocumentInvalid
from dossier.extensions import db
from dossier.ingest.models import IngestJob, TriageItem
from dossier.ingest.services import IngestRefused, assign

SORT_COLUMNS = {"arrived": TriageItem.id, "name": IngestJob.original_name}
DEFAULT_SORT = "arrived"
MAX_BULK = 200


class AssignRefused(ValueError):
    """One part of a bulk assignment was refused, so none was filed."""

    def __init__(self, item: TriageItem, message: str) -> None:
        super().__init__(message)
        self.item = item
        self.message = message


def normalise_sort(sort: str | None) -> str:
    if sort and sort.removeprefix("-") in SORT_COLUMNS:
        return sort
    return DEFAULT_SORT


def pending_items(sort: str = DEFAULT_SORT, job_id: int | None = None
                  ) -> Select[tuple[TriageItem]]:
    """Parts nobody filed yet, oldest first by default; those of one job when asked."""
    query = (select(TriageItem).join(TriageItem.job).options(joinedload(TriageItem.job))
             .where(TriageItem.document_id.is_(None)))
    if job_id is not None:
        query = query.where(TriageItem.job_id == job_id)
    sort = normalise_sort(sort)
    column = SORT_COLUMNS[sort.removeprefix("-")]
    ordered = column.desc() if sort.startswith("-") else column.asc()
    return query.order_by(ordered, TriageItem.id)


def pending_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(TriageItem).where(
        TriageItem.document_id.is_(None))) or 0)


def next_pending(after: TriageItem) -> TriageItem | None:
    """The part to show after `after` was filed: the next one waiting, else the first."""
    waiting = select(TriageItem).where(TriageItem.document_id.is_(None))
    return (db.session.scalar(waiting.where(TriageItem.id > after.id)
                              .order_by(TriageItem.id).limit(1))
            or db.session.scalar(waiting.order_by(TriageItem.id).limit(1)))


def items_by_id(ids: Iterable[int]) -> list[TriageItem]:
    wanted = list(dict.fromkeys(ids))[:MAX_BULK]
    query = (select(TriageItem).options(joinedload(TriageItem.job))
             .where(TriageItem.id.in_(wanted)).order_by(TriageItem.id))
    return list(db.session.scalars(query))


def customer_by_number(number: str) -> Customer | None:
    number = number.strip()
    if not number:
        return None
    return db.session.scalar(select(Customer).where(Customer.number == number))


def record_reading(actor: Any, item: TriageItem, shown: str, page: int | None = None) -> None:
    """Audit that `actor` saw the part's text ("text"), a page image ("page") or its file."""
    details: dict[str, Any] = {"shown": shown, "job": item.job_id, "file": item.job.original_name,
                               "pages": f"{item.first_page}-{item.last_page}"}
    if page is not None:
        details["page"] = page
    record(actor, AuditAction.DOWNLOAD if shown == "file" else AuditAction.VIEW, item,
           details=details)
    db.session.flush()


def assign_many(items: list[TriageItem], customer: Customer, document_type: DocumentType,
                scopes: list[str], actor: Any) -> list[Document]:
    """File every part for one customer, type and scopes: all of them, or none.

    Raises AssignRefused naming the first part that could not be filed.
    """
    documents = []
    with db.session.begin_nested():
        for item in items:
            try:
                documents.append(assign(item, customer, document_type, scopes, actor))
            except IngestRefused as error:
                raise AssignRefused(item, str(error)) from error
            except DocumentInvalid as error:
                raise AssignRefused(item, " ".join(error.errors.values())) from error
    return documents


def refusal_message(error: AssignRefused) -> str:
    return _("Part %(part)s of %(file)s: %(reason)s", part=error.item.position,
             file=error.item.job.original_name, reason=error.message)
