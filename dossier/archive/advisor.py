"""The digitisation advisor: static originals that people keep asking for.

The scope policy said the document may stay on paper; its requests say otherwise. An
original asked for more than N times in the last M months (ARCHIVE_ADVISOR_REQUESTS,
ARCHIVE_ADVISOR_MONTHS) whose document is handled as static and has no digital file
yet is listed, most asked for first (a cancelled request does not count: nobody
needed the original after all), with the policy rule that keeps it static in each
scope (to change it) and any digitisation already ordered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from dossier.archive import queries
from dossier.archive.desk_models import DigitisationOrder, RequestStatus, RetrievalRequest
from dossier.archive.digitise import waiting_order
from dossier.archive.models import PhysicalItem, Status
from dossier.documents.models import Document
from dossier.documents.policy import Classification, PolicyBook
from dossier.documents.retention import add_months
from dossier.extensions import db


@dataclass(frozen=True)
class Advice:
    item: PhysicalItem
    document: Document
    requests: int
    static_in: list[Classification]  # per scope of the document: static, and why
    order: DigitisationOrder | None  # a digitisation already ordered and waiting


def advice(min_requests: int, months: int, today: date | None = None) -> list[Advice]:
    """Static originals asked for more than `min_requests` times in the last `months`."""
    today = today or queries.today()
    since = datetime.combine(add_months(today, -months), time.min)
    counted = (select(RetrievalRequest.item_id, func.count().label("asked"))
               .where(RetrievalRequest.requested_at >= since,
                      RetrievalRequest.status != RequestStatus.CANCELLED.value)
               .group_by(RetrievalRequest.item_id)
               .having(func.count() > min_requests).subquery())
    rows = db.session.execute(
        select(PhysicalItem, counted.c.asked).join(counted, counted.c.item_id == PhysicalItem.id)
        .options(joinedload(PhysicalItem.document), joinedload(PhysicalItem.last_movement))
        .order_by(counted.c.asked.desc(), PhysicalItem.id)).all()
    book = PolicyBook.load()
    found = []
    for item, asked in rows:
        document = item.document
        if document is None or document.files or book.handled_as_dynamic(document):
            continue  # digital already, or scanned by policy
        if queries.state_of(item).status == Status.DESTROYED:
            continue
        found.append(Advice(item, document, int(asked), [
            book.classify(document, scope, today) for scope in document.scopes],
            waiting_order(item)))
    return found
