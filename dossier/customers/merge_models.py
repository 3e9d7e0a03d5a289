"""What finding duplicates, merging and importing customers keep: redirects from merged
customers, duplicate candidates and dismissals, and an import's uploaded file while it is
prepared."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.auth.models import utcnow
from dossier.customers.models import Customer
from dossier.extensions import db


class CustomerRedirect(db.Model):  # type: ignore[name-defined]
    """A merged customer's id and number, pointing at the customer it was merged into.

    The merged id is a plain value (its customer is gone); audit rows keep naming it, and
    the dossier and the audit viewer follow it here. When the survivor is merged in turn,
    its redirects are re-pointed, so one lookup always reaches a customer that exists."""

    __tablename__ = "customer_redirect"
    merged_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    merged_number: Mapped[str] = mapped_column(String(20), index=True)
    survivor_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CustomerRedirect {self.merged_id} -> {self.survivor_id}>"


class DuplicateCandidate(db.Model):  # type: ignore[name-defined]
    """A pair of customers the finder thinks may be one, with its score and reasons.

    The pair is stored once, lower id first. Reasons are codes with values
    ({"code": "last_name_similar", "percent": 92}), translated when shown."""

    __tablename__ = "duplicate_candidate"
    __table_args__ = (
        CheckConstraint("first_id < second_id", name="ordered_pair"),
        Index("ix_duplicate_candidate_pair", "first_id", "second_id", unique=True),
        Index("ix_duplicate_candidate_score", "score"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    found_at: Mapped[datetime] = mapped_column(default=utcnow)

    first: Mapped[Customer] = relationship(foreign_keys=[first_id], lazy="joined",
                                           innerjoin=True)
    second: Mapped[Customer] = relationship(foreign_keys=[second_id], lazy="joined",
                                            innerjoin=True)

    def __repr__(self) -> str:
        return f"<DuplicateCandidate {self.first_id}/{self.second_id} {self.score}>"


class DuplicateDismissal(db.Model):  # type: ignore[name-defined]
    """Someone decided these two customers are not one: the finder no longer proposes them."""

    __tablename__ = "duplicate_dismissal"
    __table_args__ = (CheckConstraint("first_id < second_id", name="ordered_pair"),)
    first_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True)
    second_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True, index=True)
    dismissed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    dismissed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportStatus(StrEnum):
    UPLOADED = "uploaded"  # the file waits for its mapping, dry run and apply
    APPLIED = "applied"
    DISCARDED = "discarded"


class CustomerImport(db.Model):  # type: ignore[name-defined]
    """One upload of customers: the file is kept only until it is applied or discarded
    (or left for a day), so several web servers can prepare it without a shared disk."""

    __tablename__ = "customer_import"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(10))  # csv or xlsx
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    # {column index as text: target name ("last_name", "custom_fields.member")}
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=ImportStatus.UPLOADED.value)
    # Counts of the apply: {"created": n, "updated": n, "rejected": n, "unchanged": n}
    summary: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    finished_at: Mapped[datetime | None]

    @property
    def is_open(self) -> bool:
        return self.status == ImportStatus.UPLOADED.value

    def __repr__(self) -> str:
        return f"<CustomerImport {self.id} {self.status}>"
