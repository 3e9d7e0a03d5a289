"""Document types, the scope policy, documents and their digital files."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.auth.models import utcnow
from dossier.customers.models import Customer
from dossier.extensions import db


class DocumentClass(StrEnum):
    DYNAMIC = "dynamic"
    STATIC = "static"


class Storage(StrEnum):
    DIGITAL = "digital"
    PAPER = "paper"
    HYBRID = "hybrid"
    NONE = "none"


class DocumentType(db.Model):  # type: ignore[name-defined]
    __tablename__ = "document_type"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_nl: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"key", "label_nl", "label_en", "type", "required", "choices"}]
    key_point_schema: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    retention_months: Mapped[int] = mapped_column(default=84)
    retention_basis: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, locale: str = "nl") -> str:
        return self.name_en if locale.startswith("en") else self.name_nl

    def __repr__(self) -> str:
        return f"<DocumentType {self.code}>"


class PolicyRule(db.Model):  # type: ignore[name-defined]
    """(scope, document type, optional condition) -> dynamic or static, with a reason."""

    __tablename__ = "policy_rule"
    __table_args__ = (UniqueConstraint("scope", "document_type_id", "condition"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    document_type_id: Mapped[int] = mapped_column(
        ForeignKey("document_type.id", ondelete="CASCADE")
    )
    condition: Mapped[str] = mapped_column(String(20), default="always")
    document_class: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    document_type: Mapped[DocumentType] = relationship(lazy="joined")


document_customer = Table(
    "document_customer",
    db.metadata,
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("customer_id", ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_document_customer_customer_id", "customer_id"),
)


class DocumentScope(db.Model):  # type: ignore[name-defined]
    __tablename__ = "document_scope"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)


class Document(db.Model):  # type: ignore[name-defined]
    __tablename__ = "document"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_type_id: Mapped[int] = mapped_column(ForeignKey("document_type.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    document_date: Mapped[date] = mapped_column(index=True)
    key_points: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    paper_original: Mapped[bool] = mapped_column(default=False)
    retention_until: Mapped[date | None]
    legal_hold: Mapped[bool] = mapped_column(default=False)
    legal_hold_reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    document_type: Mapped[DocumentType] = relationship(lazy="joined")
    scope_rows: Mapped[list[DocumentScope]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=DocumentScope.scope
    )
    customers: Mapped[list[Customer]] = relationship(
        secondary=document_customer, lazy="selectin", order_by=Customer.number
    )
    files: Mapped[list[DigitalFile]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="DigitalFile.version",
    )

    @property
    def scopes(self) -> list[str]:
        return [row.scope for row in self.scope_rows]

    def set_scopes(self, scopes: set[str] | list[str]) -> None:
        wanted = set(scopes)
        self.scope_rows = [row for row in self.scope_rows if row.scope in wanted]
        for scope in sorted(wanted - set(self.scopes)):
            self.scope_rows.append(DocumentScope(scope=scope))

    @property
    def storage(self) -> Storage:
        """Derived from what exists: digital files, a paper original, or both."""
        digital, paper = bool(self.files), self.paper_original
        if digital and paper:
            return Storage.HYBRID
        if digital:
            return Storage.DIGITAL
        return Storage.PAPER if paper else Storage.NONE

    @property
    def current_file(self) -> DigitalFile | None:
        return self.files[-1] if self.files else None

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.title!r}>"


class DigitalFile(db.Model):  # type: ignore[name-defined]
    """One version of a document's file, stored content-addressed by SHA-256."""

    __tablename__ = "digital_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    pages: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text, default="")
    ocr_confidence: Mapped[float | None]
    languages: Mapped[str] = mapped_column(String(40), default="")
    origin: Mapped[str] = mapped_column(String(20), default="upload")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="files")

    @property
    def page_texts(self) -> list[str]:
        """The extracted text page by page (stored with a form feed between pages)."""
        return self.text.split("\f") if self.text else []
