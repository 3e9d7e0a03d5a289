"""Destroying originals past their retention date: one person proposes, a second approves.

A legal hold blocks both steps. Approval records the destroyed movement and fills the
destruction record with what the certificate states (item, document type, customer
numbers, retention date and basis, proposer, approver, date), copied so the certificate
reads the same after the document is erased.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from dossier.archive import movements, queries
from dossier.archive.desk_models import DestructionRecord, DestructionStatus
from dossier.archive.errors import ArchiveError, LegalHold
from dossier.archive.models import PhysicalItem, Status
from dossier.archive.recording import lock_item, require_clerk
from dossier.auth.models import utcnow
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db


class NotDue(ArchiveError):
    """No document, no retention date, or the date has not passed."""

    reason = "not_due"


class AlreadyProposed(ArchiveError):
    reason = "already_proposed"


class SecondPersonNeeded(ArchiveError):
    reason = "second_person_needed"


class NotProposed(ArchiveError):
    """The record was decided already."""

    reason = "not_proposed"


class StillOut(ArchiveError):
    reason = "still_out"


def open_proposal(item: PhysicalItem) -> DestructionRecord | None:
    return db.session.scalar(
        select(DestructionRecord).where(DestructionRecord.item_id == item.id,
                                        DestructionRecord.status == DestructionStatus.PROPOSED))


def propose(actor: Any, item: PhysicalItem, *, on: date | None = None) -> DestructionRecord:
    """Put `item` on the destruction list for a second person to approve."""
    require_clerk(actor)
    item = lock_item(item)
    _check_destroyable(item, on or queries.today())
    if open_proposal(item) is not None:
        raise AlreadyProposed(_("%(code)s is already proposed for destruction.",
                                code=item.barcode))
    proposal = DestructionRecord(item=item, proposed_by_id=actor.id, proposed_at=utcnow(),
                                 status=DestructionStatus.PROPOSED.value)
    _copy_certificate_data(proposal, item)
    db.session.add(proposal)
    db.session.flush()
    _audit(actor, AuditAction.CREATE, proposal, {"status": "proposed"})
    db.session.flush()
    return proposal


def approve(actor: Any, proposal: DestructionRecord, *, on: date | None = None
            ) -> DestructionRecord:
    """A second person approves: the original is recorded as destroyed."""
    require_clerk(actor)
    _check_open(proposal)
    if proposal.proposed_by_id == getattr(actor, "id", None):
        raise SecondPersonNeeded(_("You proposed this destruction: a second person must "
                                   "approve it."))
    item = lock_item(proposal.item)
    _check_destroyable(item, on or queries.today())
    state = queries.state_of(item)
    if state.status == Status.CHECKED_OUT:
        holder = state.person.display_name if state.person else "?"
        raise StillOut(_("%(code)s is checked out to %(name)s: check it in before it is "
                         "destroyed.", code=item.barcode, name=holder))
    outcome = movements.record_destroyed(actor, item, note=f"destruction record {proposal.id}")
    _copy_certificate_data(proposal, item)
    proposal.status = DestructionStatus.DESTROYED.value
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    proposal.movement_id = outcome.movement.id if outcome.movement else None
    _audit(actor, AuditAction.UPDATE, proposal,
           {"status": ["proposed", "destroyed"], "movement": proposal.movement_id})
    db.session.flush()
    return proposal


def reject(actor: Any, proposal: DestructionRecord, reason: str) -> DestructionRecord:
    """The proposal is turned down (or withdrawn by its proposer), with the reason."""
    require_clerk(actor)
    _check_open(proposal)
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise NotProposed(_("Say why the original is kept."))
    proposal.status = DestructionStatus.REJECTED.value
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    proposal.reject_reason = reason
    _audit(actor, AuditAction.UPDATE, proposal,
           {"status": ["proposed", "rejected"], "reason": reason})
    db.session.flush()
    return proposal


def _check_destroyable(item: PhysicalItem, on: date) -> None:
    document = item.document
    if queries.state_of(item).status == Status.DESTROYED:
        raise NotDue(_("%(code)s is destroyed already.", code=item.barcode))
    if document is None or document.retention_until is None:
        raise NotDue(_("%(code)s belongs to no document with a retention date.",
                       code=item.barcode))
    if document.retention_until >= on:
        raise NotDue(_("%(code)s must be kept until %(date)s.", code=item.barcode,
                       date=format_date(document.retention_until)))
    if document.legal_hold:
        raise LegalHold(_("%(code)s is under a legal hold and may not be destroyed.",
                          code=item.barcode))


def _check_open(proposal: DestructionRecord) -> None:
    if proposal.status != DestructionStatus.PROPOSED:
        raise NotProposed(_("This proposal was decided already."))


def _copy_certificate_data(proposal: DestructionRecord, item: PhysicalItem) -> None:
    document = item.document
    assert document is not None and document.retention_until is not None
    locale = current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")
    proposal.document_id = document.id
    proposal.item_code = item.barcode
    proposal.document_type = document.document_type.name(locale)[:80]
    proposal.customer_numbers = ", ".join(c.number for c in document.customers)[:300]
    proposal.retention_until = document.retention_until
    proposal.retention_basis = (document.document_type.retention_basis or "")[:300]


def _audit(actor: Any, action: str, proposal: DestructionRecord,
           details: dict[str, Any]) -> None:
    document = proposal.item.document
    customers: list[int | None] = [c.id for c in document.customers] if document else []
    for customer_id in customers or [None]:
        record(actor, action, proposal, customer_id=customer_id,
               details={"item": proposal.item_id, "code": proposal.item_code} | details)
