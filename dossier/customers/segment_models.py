"""Segments: saved customer filters over key, custom and derived fields, owned by a scope."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.auth.models import User, utcnow
from dossier.extensions import db


class SegmentMatch(StrEnum):
    ALL = "all"  # every condition holds (AND)
    ANY = "any"  # at least one holds (OR)


class Segment(db.Model):  # type: ignore[name-defined]
    __tablename__ = "segment"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(String(20), index=True)
    match: Mapped[str] = mapped_column(String(5), default=SegmentMatch.ALL.value)
    # [{"field": "derived:spent_2025", "op": ">", "value": "1000"}, ...]
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Segment {self.id} {self.name!r}>"
