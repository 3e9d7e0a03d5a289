"""Contact history: interactions on every channel, and the complaints some of them raise."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.auth.models import utcnow
from dossier.extensions import db

if TYPE_CHECKING:
    from dossier.auth.models import User
    from dossier.customers.models import Customer
    from dossier.documents.models import Document


class InteractionChannel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    POST = "post"
    WEB = "web"
    COUNTER = "counter"
    APP = "app"
    SOCIAL = "social"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"


OPEN_COMPLAINT_STATUSES = frozenset({ComplaintStatus.OPEN.value, ComplaintStatus.IN_PROGRESS.value})


interaction_document = Table(
    "interaction_document",
    db.metadata,
    Column("interaction_id", ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_interaction_document_document_id", "document_id"),
)


class Interaction(db.Model):  # type: ignore[name-defined]
    """One contact moment with a customer; it serves one scope, like a document does."""

    __tablename__ = "interaction"
    __table_args__ = (Index("ix_interaction_customer_occurred", "customer_id", "occurred_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    subject: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(String(20), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship()
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    documents: Mapped[list[Document]] = relationship(
        secondary=interaction_document, lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Interaction {self.id} {self.channel} {self.subject!r}>"


class Complaint(db.Model):  # type: ignore[name-defined]
    """A complaint raised in an interaction, followed until it is resolved or rejected."""

    __tablename__ = "complaint"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL"), index=True
    )
    scope: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=ComplaintStatus.OPEN.value, index=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship()
    interaction: Mapped[Interaction | None] = relationship()
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_COMPLAINT_STATUSES

    def __repr__(self) -> str:
        return f"<Complaint {self.id} {self.status}>"
