"""Locations, physical items and their append-only movements.

An item's current place and status are not stored as such: they are those of its
latest movement, which the item points to (`last_movement_id`) so that finding them,
and locking them, is one row away. A box is a Location; an item in a box is wherever
the box is, so moving the box writes one movement (for the box) and leaves the items'
history alone.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from dossier.auth.models import User, utcnow
from dossier.barcodes import make_item, make_location
from dossier.documents.models import Document
from dossier.extensions import db


class LocationKind(StrEnum):
    SITE = "site"
    ROOM = "room"
    CABINET = "cabinet"
    RACK = "rack"
    SHELF = "shelf"
    BOX = "box"


# A location sits inside one of a lower rank: site > room > cabinet/rack > shelf > box.
# Levels may be skipped (a box on the floor of a room), never reversed.
RANK = {LocationKind.SITE: 0, LocationKind.ROOM: 1, LocationKind.CABINET: 2,
        LocationKind.RACK: 2, LocationKind.SHELF: 3, LocationKind.BOX: 4}


class MovementKind(StrEnum):
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    TRANSFER = "transfer"  # to a location; with none: taken away, in transit
    PUT_IN_BOX = "put_in_box"
    CENSUS_SEEN = "census_seen"
    MISSING = "missing"
    DESTROYED = "destroyed"


class Status(StrEnum):
    REGISTERED = "registered"  # labelled, never checked in yet
    IN_ARCHIVE = "in_archive"
    CHECKED_OUT = "checked_out"
    IN_TRANSIT = "in_transit"
    MISSING = "missing"
    DESTROYED = "destroyed"


KIND_LABELS = {
    LocationKind.SITE: _l("site"),
    LocationKind.ROOM: _l("room"),
    LocationKind.CABINET: _l("cabinet"),
    LocationKind.RACK: _l("rack"),
    LocationKind.SHELF: _l("shelf"),
    LocationKind.BOX: _l("box"),
}
MOVEMENT_LABELS = {
    MovementKind.CHECK_IN: _l("checked in"),
    MovementKind.CHECK_OUT: _l("checked out"),
    MovementKind.TRANSFER: _l("moved"),
    MovementKind.PUT_IN_BOX: _l("put in box"),
    MovementKind.CENSUS_SEEN: _l("seen in census"),
    MovementKind.MISSING: _l("reported missing"),
    MovementKind.DESTROYED: _l("destroyed"),
}
STATUS_LABELS = {
    Status.REGISTERED: _l("registered, not yet in the archive"),
    Status.IN_ARCHIVE: _l("in the archive"),
    Status.CHECKED_OUT: _l("checked out"),
    Status.IN_TRANSIT: _l("in transit"),
    Status.MISSING: _l("missing"),
    Status.DESTROYED: _l("destroyed"),
}


class Location(db.Model):  # type: ignore[name-defined]
    __tablename__ = "archive_location"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    # The current parent. For a box it changes when the box moves, and each change is
    # also a Movement of the box (its history).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("archive_location.id"), index=True)
    capacity: Mapped[int | None]  # items and boxes held directly; None: no limit
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Location | None] = relationship(remote_side=[id])

    @property
    def barcode(self) -> str:
        return make_location(self.id)

    @property
    def is_box(self) -> bool:
        return self.kind == LocationKind.BOX

    def __repr__(self) -> str:
        return f"<Location {self.id} {self.kind} {self.name!r}>"


class PhysicalItem(db.Model):  # type: ignore[name-defined]
    """A paper original: at most one per document, and possibly none (not yet linked)."""

    __tablename__ = "physical_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), unique=True)
    home_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("archive_location.id"), index=True)
    last_movement_id: Mapped[int | None] = mapped_column(
        ForeignKey("movement.id", use_alter=True), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document | None] = relationship()
    home_location: Mapped[Location | None] = relationship()
    last_movement: Mapped[Movement | None] = relationship(
        foreign_keys=[last_movement_id], post_update=True)

    @property
    def barcode(self) -> str:
        return make_item(self.id)

    def __repr__(self) -> str:
        return f"<PhysicalItem {self.id}>"


class Movement(db.Model):  # type: ignore[name-defined]
    """One thing that happened to an item or a box; written once, never changed."""

    __tablename__ = "movement"
    __table_args__ = (
        CheckConstraint("(item_id IS NULL) <> (location_id IS NULL)", name="one_subject"),
        Index("ix_movement_item_id_at", "item_id", "at"),
        Index("ix_movement_location_id_at", "location_id", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("physical_item.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("archive_location.id"))  # a box
    kind: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("archive_location.id"))
    to_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("archive_location.id"), index=True)
    to_person_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date | None]
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    note: Mapped[str] = mapped_column(String(300), default="")

    item: Mapped[PhysicalItem | None] = relationship(foreign_keys=[item_id])
    location: Mapped[Location | None] = relationship(foreign_keys=[location_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    from_location: Mapped[Location | None] = relationship(foreign_keys=[from_location_id])
    to_location: Mapped[Location | None] = relationship(foreign_keys=[to_location_id])
    to_person: Mapped[User | None] = relationship(foreign_keys=[to_person_id])

    def __repr__(self) -> str:
        subject = f"item {self.item_id}" if self.item_id else f"location {self.location_id}"
        return f"<Movement {self.id} {self.kind} {subject}>"


class AppendOnlyViolation(RuntimeError):
    """Code tried to change or delete a movement: history is never rewritten."""


@event.listens_for(Movement, "before_update")
def _refuse_update(_mapper: object, _connection: object, movement: Movement) -> None:
    raise AppendOnlyViolation(f"movement {movement.id} cannot be changed")


@event.listens_for(Movement, "before_delete")
def _refuse_delete(_mapper: object, _connection: object, movement: Movement) -> None:
    raise AppendOnlyViolation(f"movement {movement.id} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """`update(Movement)` and `delete(Movement)` bypass the mapper events above."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ is Movement:
        raise AppendOnlyViolation("movements cannot be changed or deleted")
