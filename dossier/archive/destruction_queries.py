"""Reads for the destruction list: originals past their retention date, proposals waiting
for a second person, and destructions done (with their certificates)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from dossier.archive.desk_models import DestructionRecord, DestructionStatus
from dossier.archive.models import Movement, MovementKind, PhysicalItem
from dossier.documents.models import Document
from dossier.extensions import db


def due(on: date) -> Select[tuple[PhysicalItem]]:
    """Originals whose document's retention date passed before `on`, not destroyed and not
    proposed yet, oldest date first (legal holds included: the list shows them blocked)."""
    proposed = exists().where(DestructionRecord.item_id == PhysicalItem.id,
                              DestructionRecord.status == DestructionStatus.PROPOSED.value)
    return (select(PhysicalItem)
            .join(Document, Document.id == PhysicalItem.document_id)
            .outerjoin(Movement, Movement.id == PhysicalItem.last_movement_id)
            .where(Document.retention_until < on, ~proposed,
                   or_(Movement.id.is_(None), Movement.kind != MovementKind.DESTROYED.value))
            .options(joinedload(PhysicalItem.document).selectinload(Document.customers),
                     joinedload(PhysicalItem.last_movement))
            .order_by(Document.retention_until, PhysicalItem.id))


def proposals() -> list[DestructionRecord]:
    return list(db.session.scalars(
        select(DestructionRecord)
        .where(DestructionRecord.status == DestructionStatus.PROPOSED.value)
        .options(selectinload(DestructionRecord.proposed_by),
                 joinedload(DestructionRecord.item).joinedload(PhysicalItem.document))
        .order_by(DestructionRecord.proposed_at, DestructionRecord.id)))


def decided(limit: int = 50) -> list[DestructionRecord]:
    """The latest destructions and rejections, newest first."""
    return list(db.session.scalars(
        select(DestructionRecord)
        .where(DestructionRecord.status != DestructionStatus.PROPOSED.value)
        .options(selectinload(DestructionRecord.proposed_by),
                 selectinload(DestructionRecord.decided_by))
        .order_by(DestructionRecord.decided_at.desc(), DestructionRecord.id.desc())
        .limit(limit)))
