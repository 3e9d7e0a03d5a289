"""Applying a portable scanner's file: each location code sets where the items after it
are (moved there, or seen there in a census), at the scanner's own times.

As at the scan station, the first location is the destination, a box scanned after it
moves there whole, and another location becomes the new destination. Every applied
line is kept as an UploadedScan keyed by (code, time), in the same savepoint as its
movement, so uploading the file again (or a longer export of the same memory) applies
nothing twice. A bad line is reported with its number and changes nothing; the good
lines around it are applied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dossier import barcodes
from dossier.archive import locations, movements, queries
from dossier.archive.desk_models import UploadedScan
from dossier.archive.errors import ArchiveError
from dossier.archive.models import Location
from dossier.archive.recording import Outcome, new_batch_id, require_clerk
from dossier.archive.scanner_file import ScannerLine, decode, read_lines
from dossier.auth.models import utcnow
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db

MODES = ("move", "census")
CHECKPOINT_EVERY = 200


@dataclass(frozen=True)
class LineOutcome:
    number: int
    text: str
    status: str  # applied, unchanged, already, location, error
    message: str


@dataclass
class UploadReport:
    upload_id: str
    sha256: str
    outcomes: list[LineOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def errors(self) -> list[LineOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "error"]


@dataclass
class _Context:
    actor: Any
    mode: str
    sha256: str
    upload_id: str
    target: Location | None = None
    batch_id: str = ""


def apply_file(actor: Any, data: bytes, *, mode: str = "move", max_bytes: int,
               max_lines: int, checkpoint: Callable[[], None] = lambda: None
               ) -> UploadReport:
    """Apply the file line by line; `checkpoint` (the caller's commit) runs every few
    hundred lines so a long file does not hold the database for its whole run."""
    require_clerk(actor)
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    lines = read_lines(decode(data, max_bytes=max_bytes, max_lines=max_lines), utcnow())
    sha256 = hashlib.sha256(data).hexdigest()
    context = _Context(actor, mode, sha256, new_batch_id())
    report = UploadReport(context.upload_id, sha256)
    for index, line in enumerate(lines, start=1):
        report.outcomes.append(_apply_line(context, line))
        if index % CHECKPOINT_EVERY == 0:
            checkpoint()
    record(actor, AuditAction.CREATE, object_type="ScannerUpload", object_id=context.upload_id,
           details={"sha256": sha256, "mode": mode, "lines": len(lines),
                    "applied": report.count("applied"), "errors": len(report.errors)})
    db.session.flush()
    return report


def _apply_line(context: _Context, line: ScannerLine) -> LineOutcome:
    if line.problem:
        return _outcome(line, "error", line.problem)
    try:
        found = _lookup(line)
        if isinstance(found, Location) and _starts_destination(context, found):
            return _set_destination(context, line, found)
        if context.target is None:
            return _outcome(line, "error", _("Scan a location before the originals."))
        if _applied_before(line):
            return _outcome(line, "already", _("Applied by an earlier upload; skipped."))
        with db.session.begin_nested():
            outcome = _act(context, found, line)
            db.session.add(UploadedScan(
                code=line.code, scanned_at=line.scanned_at, upload_id=context.upload_id,
                line_number=line.number, file_sha256=context.sha256,
                location_id=context.target.id, actor_id=getattr(context.actor, "id", None),
                movement_id=outcome.movement.id if outcome.movement else None))
            db.session.flush()
    except ArchiveError as error:
        return _outcome(line, "error", error.message)
    except IntegrityError:  # the same line, applied by an upload running at the same time
        return _outcome(line, "already", _("Applied by an earlier upload; skipped."))
    return _described(context, line, outcome)


def _lookup(line: ScannerLine) -> Any:
    value = line.value
    found: Any = None
    if isinstance(value, barcodes.ItemCode):
        found = queries.find_item(value.number)
    elif isinstance(value, barcodes.LocationCode):
        found = queries.find_location(value.number)
    else:
        raise ArchiveError(_("%(code)s is no archive label.", code=line.code))
    if found is None:
        raise ArchiveError(_("Unknown barcode %(code)s: nothing in Dossier has it.",
                             code=line.code))
    return found


def _starts_destination(context: _Context, location: Location) -> bool:
    target = context.target
    return (target is None or target.is_box or not location.is_box
            or location.id == target.id)


def _set_destination(context: _Context, line: ScannerLine, location: Location) -> LineOutcome:
    if not location.active:
        context.target = None
        return _outcome(line, "error", _("%(place)s is no longer in use.",
                                         place=queries.path_label(location)))
    context.target = location
    # The same line of the same file gives the same batch, also when uploaded again.
    context.batch_id = hashlib.sha256(f"{context.sha256}:{line.number}".encode()
                                      ).hexdigest()[:32]
    return _outcome(line, "location", _("Destination: %(place)s.",
                                        place=queries.path_label(location)))


def _act(context: _Context, found: Any, line: ScannerLine) -> Outcome:
    target, at, batch = context.target, line.scanned_at, context.batch_id
    assert target is not None
    note = "scanner upload"
    if isinstance(found, Location):  # a box, into the destination
        if context.mode == "census":
            return locations.record_location_seen(context.actor, found, target,
                                                  batch_id=batch, note=note, at=at)
        return locations.move_location(context.actor, found, target, batch_id=batch,
                                       note=note, at=at)
    if context.mode == "census":
        return movements.record_seen(context.actor, found, target, batch_id=batch, note=note,
                                     at=at)
    return movements.move(context.actor, found, target, batch_id=batch, note=note, at=at)


def _applied_before(line: ScannerLine) -> bool:
    return db.session.scalar(select(UploadedScan.id).where(
        UploadedScan.code == line.code, UploadedScan.scanned_at == line.scanned_at)
        .limit(1)) is not None


def _described(context: _Context, line: ScannerLine, outcome: Outcome) -> LineOutcome:
    place = queries.path_label(context.target)
    if outcome.movement is None:
        return _outcome(line, "unchanged", _("%(code)s was already recorded in %(place)s.",
                                             code=line.code, place=place))
    when = format_datetime(line.scanned_at, "short") if line.scanned_at else ""
    item = outcome.movement.item
    if item is not None and item.last_movement_id != outcome.movement.id:
        return _outcome(line, "applied", _(
            "%(code)s: recorded in its history at %(time)s; a later movement says where it "
            "is now.", code=line.code, time=when))
    return _outcome(line, "applied", _("%(code)s recorded in %(place)s at %(time)s.",
                                       code=line.code, place=place, time=when))


def _outcome(line: ScannerLine, status: str, message: str) -> LineOutcome:
    return LineOutcome(line.number, line.text, status, message)
