"""Mailings: a numbered letter to each recipient, and what each recipient answered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.auth.models import User, utcnow
from dossier.barcodes import make_mailing
from dossier.customers.models import Customer
from dossier.extensions import db


class RecipientStatus(StrEnum):
    SENT = "sent"
    RESPONDED = "responded"


class AnswerSource(StrEnum):
    COUPON = "coupon"  # read from a scanned reply coupon
    MANUAL = "manual"  # set or corrected by a person


class Mailing(db.Model):  # type: ignore[name-defined]
    __tablename__ = "mailing"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # for the staff, not printed
    scope: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    answer_options: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Keep a returned coupon's scan as a document in the recipient's dossier.
    store_coupon_images: Mapped[bool] = mapped_column(default=False)
    # The customer filter that chose the recipients, as it was when the mailing was made.
    recipient_filter: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    created_by: Mapped[User | None] = relationship()
    recipients: Mapped[list[MailingRecipient]] = relationship(
        back_populates="mailing", cascade="all, delete-orphan", passive_deletes=True,
        order_by="MailingRecipient.sequence")

    def __repr__(self) -> str:
        return f"<Mailing {self.id} {self.name!r}>"


class MailingRecipient(db.Model):  # type: ignore[name-defined]
    """One letter of a mailing: to whom, its number, and the answer once it came back."""

    __tablename__ = "mailing_recipient"
    # Leading columns serve the lookups: a mailing's letters in order, a customer's letters.
    __table_args__ = (UniqueConstraint("mailing_id", "sequence",
                                       name="uq_mailing_recipient_mailing_sequence"),
                      UniqueConstraint("customer_id", "mailing_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailing.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    sequence: Mapped[int]  # "letter 17 of 250"
    status: Mapped[str] = mapped_column(String(12), default=RecipientStatus.SENT.value)
    responded_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(40))  # None once responded: unknown
    answer_source: Mapped[str | None] = mapped_column(String(12))
    source_job_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_job.id", ondelete="SET NULL"))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"))  # the coupon's scan, when kept
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    mailing: Mapped[Mailing] = relationship(back_populates="recipients")
    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)

    @property
    def code(self) -> str:
        """The M code printed on this recipient's letter and coupon."""
        return make_mailing(self.mailing_id, self.id)

    @property
    def responded(self) -> bool:
        return self.status == RecipientStatus.RESPONDED.value

    def __repr__(self) -> str:
        return f"<MailingRecipient {self.id} mailing={self.mailing_id} #{self.sequence}>"
