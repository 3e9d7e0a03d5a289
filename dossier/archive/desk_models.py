"""What the archive desk keeps beside movements: retrieval requests, destruction records,
lines applied from a portable scanner's file, and originals sent for digitisation.

Unlike movements these rows change state (a request is picked, then delivered, then
returned); every change is also an audit event, and the item's own history stays in its
movements.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.archive.models import Location, Movement, PhysicalItem
from dossier.auth.models import User, utcnow
from dossier.documents.models import DigitalFile, Document
from dossier.extensions import db


class RequestStatus(StrEnum):
    REQUESTED = "requested"  # waiting: on the pick list, or queued behind a loan
    PICKED = "picked"  # taken off the shelf, on its way to the requester
    DELIVERED = "delivered"  # checked out to the requester
    RETURNED = "returned"
    CANCELLED = "cancelled"


OPEN_STATUSES = (RequestStatus.REQUESTED.value, RequestStatus.PICKED.value,
                 RequestStatus.DELIVERED.value)
REQUEST_STATUS_LABELS = {
    RequestStatus.REQUESTED: _l("requested"),
    RequestStatus.PICKED: _l("picked"),
    RequestStatus.DELIVERED: _l("delivered"),
    RequestStatus.RETURNED: _l("returned"),
    RequestStatus.CANCELLED: _l("cancelled"),
}


class RetrievalRequest(db.Model):  # type: ignore[name-defined]
    """Someone asks for a paper original, with a purpose. Requests for one item are
    served in the order they were made."""

    __tablename__ = "retrieval_request"
    __table_args__ = (Index("ix_retrieval_request_item_id_status", "item_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("physical_item.id"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default=RequestStatus.REQUESTED.value,
                                        index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    picked_at: Mapped[datetime | None]
    picked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    delivered_at: Mapped[datetime | None]
    due_on: Mapped[date | None]  # the loan's due date, from the check-out
    checkout_movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"))
    returned_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")

    item: Mapped[PhysicalItem] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    picked_by: Mapped[User | None] = relationship(foreign_keys=[picked_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    checkout_movement: Mapped[Movement | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<RetrievalRequest {self.id} {self.status} item {self.item_id}>"


class DestructionStatus(StrEnum):
    PROPOSED = "proposed"
    DESTROYED = "destroyed"
    REJECTED = "rejected"


DESTRUCTION_STATUS_LABELS = {
    DestructionStatus.PROPOSED: _l("proposed"),
    DestructionStatus.DESTROYED: _l("destroyed"),
    DestructionStatus.REJECTED: _l("rejected"),
}


class DestructionRecord(db.Model):  # type: ignore[name-defined]
    """A proposal to destroy an original past its retention date, and once a second person
    approved it, the destruction certificate's data. What the certificate says is copied
    here, so it still reads the same after the document itself is erased."""

    __tablename__ = "destruction_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("physical_item.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=DestructionStatus.PROPOSED.value,
                                        index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    reject_reason: Mapped[str] = mapped_column(String(300), default="")
    movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"))
    item_code: Mapped[str] = mapped_column(String(40))
    document_type: Mapped[str] = mapped_column(String(80))
    customer_numbers: Mapped[str] = mapped_column(String(300), default="")
    retention_until: Mapped[date]
    retention_basis: Mapped[str] = mapped_column(String(300), default="")

    item: Mapped[PhysicalItem] = relationship()
    document: Mapped[Document | None] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    movement: Mapped[Movement | None] = relationship()

    def __repr__(self) -> str:
        return f"<DestructionRecord {self.id} {self.status} item {self.item_id}>"


class UploadedScan(db.Model):  # type: ignore[name-defined]
    """One line of a portable scanner's file that was applied. A scanner reads a code once
    at a given second, so (code, time) names the line in any later upload of the same
    memory, also when the file has grown since: a re-upload applies nothing twice."""

    __tablename__ = "uploaded_scan"
    __table_args__ = (UniqueConstraint("code", "scanned_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    scanned_at: Mapped[datetime]  # UTC, the scanner's clock
    upload_id: Mapped[str] = mapped_column(String(32), index=True)
    line_number: Mapped[int]
    file_sha256: Mapped[str] = mapped_column(String(64))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("archive_location.id"))
    movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    location: Mapped[Location | None] = relationship()


class DigitisationStatus(StrEnum):
    WAITING = "waiting"  # cover sheet printed, scan not in yet
    SCANNED = "scanned"  # the scan is the document's file: it is hybrid
    CANCELLED = "cancelled"


class DigitisationOrder(db.Model):  # type: ignore[name-defined]
    """An original sent for scanning: its cover sheet was printed; the scan that comes
    back through the inbox becomes a file of the same document."""

    __tablename__ = "digitisation_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("physical_item.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=DigitisationStatus.WAITING.value)
    scope: Mapped[str] = mapped_column(String(20))
    ordered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ordered_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    digital_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("digital_file.id", ondelete="SET NULL"))

    item: Mapped[PhysicalItem] = relationship()
    document: Mapped[Document | None] = relationship()
    ordered_by: Mapped[User | None] = relationship()
    digital_file: Mapped[DigitalFile | None] = relationship()
