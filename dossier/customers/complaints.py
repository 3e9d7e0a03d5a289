"""Complaints: opened from an interaction or directly, followed until resolved or rejected.

The public interface (web views and the JSON API): `open_complaint`,
`change_complaint_status`, `resolve_complaint`, `reject_complaint`, `visible_complaints`,
`complaint_of`. Every change is audited; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select

from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, can, visible_complaint_clause, writable_scopes
from dossier.compliance.audit import AuditAction, record
from dossier.customers.interaction_models import (
    OPEN_COMPLAINT_STATUSES,
    Complaint,
    ComplaintStatus,
    Interaction,
)
from dossier.customers.interactions import contact_history_changed
from dossier.customers.interactions_errors import ComplaintInvalid, ContactRefused
from dossier.customers.interactions_validation import (
    Refused,
    handler_problem,
    parse_handler_id,
    subject,
    writable_scope,
)
from dossier.extensions import db

__all__ = [
    "STATUSES", "TRANSITIONS", "ComplaintInvalid", "ContactRefused", "change_complaint_status",
    "complaint_of", "open_complaint", "reject_complaint", "resolve_complaint",
    "visible_complaints", "visible_complaints_query",
]

RESOLUTION_MAX = 5_000
STATUSES: tuple[str, ...] = tuple(status.value for status in ComplaintStatus)
CLOSED = frozenset({ComplaintStatus.RESOLVED.value, ComplaintStatus.REJECTED.value})
# Where a complaint may go from each status; a closed one can only be reopened.
TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.OPEN.value: frozenset({"in_progress", "resolved", "rejected"}),
    ComplaintStatus.IN_PROGRESS.value: frozenset({"open", "resolved", "rejected"}),
    ComplaintStatus.RESOLVED.value: frozenset({"open"}),
    ComplaintStatus.REJECTED.value: frozenset({"open"}),
}


def open_complaint(actor: Any, customer: Any, data: Mapping[str, Any],
                   interaction: Interaction | None = None) -> Complaint:
    """A new open complaint: `data` has "subject", "handler_id" and (without an
    interaction) "scope"; raised in `interaction`, it takes that interaction's scope."""
    foreign = interaction is not None and (interaction.customer_id != customer.id
                                           or not can(actor, Action.EDIT, interaction))
    if foreign or not can(actor, Action.VIEW, customer) or not writable_scopes(actor):
        raise ContactRefused(_("You may not change the contact history in this scope."))
    values = {"handler_id": getattr(actor, "id", None)} | dict(data)
    if interaction is not None and not str(values.get("subject") or "").strip():
        values["subject"] = interaction.subject
    scope, subject_text, handler = _clean(actor, values, interaction)
    complaint = Complaint(customer_id=customer.id, interaction=interaction, scope=scope,
                          subject=subject_text, handler_id=handler, opened_at=utcnow(),
                          status=ComplaintStatus.OPEN.value, resolution="")
    db.session.add(complaint)
    db.session.flush()
    record(actor, AuditAction.CREATE, complaint, customer_id=customer.id, scope=scope,
           details={"interaction": interaction.id if interaction else None})
    db.session.flush()
    contact_history_changed.send(complaint, customer_id=customer.id, kind="complaint")
    return complaint


def _clean(actor: Any, data: Mapping[str, Any], interaction: Interaction | None
           ) -> tuple[str, str, int | None]:
    errors: dict[str, str] = {}
    scope = interaction.scope if interaction is not None else ""
    subject_text, handler = "", None
    try:
        if interaction is None:
            scope = writable_scope(actor, data.get("scope"))
    except Refused as error:
        errors["scope"] = str(error)
    try:
        subject_text = subject(data.get("subject"))
    except Refused as error:
        errors["subject"] = str(error)
    try:
        handler = parse_handler_id(data.get("handler_id"))
        problem = handler_problem(handler, scope) if scope else None
        if problem:
            errors["handler_id"] = problem
    except Refused as error:
        errors["handler_id"] = str(error)
    if errors:
        raise ComplaintInvalid(errors)
    return scope, subject_text, handler


def change_complaint_status(actor: Any, complaint: Complaint, status: str,
                            resolution: str = "") -> bool:
    """Move a complaint on; resolving or rejecting needs a resolution text, reopening
    clears it. Returns False when the status is already `status`."""
    if not can(actor, Action.EDIT, complaint):
        raise ContactRefused(_("You may not change the contact history in this scope."))
    status = (status or "").strip()
    if status not in STATUSES:
        raise ComplaintInvalid({"status": _("Choose a status.")})
    if status == complaint.status:
        return False
    if status not in TRANSITIONS[complaint.status]:
        raise ComplaintInvalid({"status": _("A closed complaint can only be reopened.")})
    text = (resolution or "").strip().replace("\r\n", "\n")
    if status in CLOSED and not text:
        raise ComplaintInvalid({"resolution": _("Say how the complaint was settled.")})
    if len(text) > RESOLUTION_MAX:
        raise ComplaintInvalid({"resolution": _("At most %(n)s characters.", n=RESOLUTION_MAX)})
    before = complaint.status
    complaint.status = status
    if status in CLOSED:
        complaint.resolution, complaint.closed_at = text, utcnow()
    elif before in CLOSED:  # reopened: the old resolution no longer holds
        complaint.resolution, complaint.closed_at = "", None
    db.session.flush()
    record(actor, AuditAction.UPDATE, complaint, customer_id=complaint.customer_id,
           scope=complaint.scope, details={"status": [before, status]})
    db.session.flush()
    contact_history_changed.send(complaint, customer_id=complaint.customer_id, kind="complaint")
    return True


def resolve_complaint(actor: Any, complaint: Complaint, resolution: str) -> bool:
    return change_complaint_status(actor, complaint, ComplaintStatus.RESOLVED.value, resolution)


def reject_complaint(actor: Any, complaint: Complaint, resolution: str) -> bool:
    return change_complaint_status(actor, complaint, ComplaintStatus.REJECTED.value, resolution)


def visible_complaints_query(actor: Any, customer: Any, *, open_only: bool = False,
                             interaction: Interaction | None = None
                             ) -> Select[tuple[Complaint]]:
    """The customer's complaints the actor may see, newest first, as a query to page."""
    stmt = select(Complaint).where(Complaint.customer_id == customer.id,
                                   visible_complaint_clause(actor))
    if open_only:
        stmt = stmt.where(Complaint.status.in_(sorted(OPEN_COMPLAINT_STATUSES)))
    if interaction is not None:
        stmt = stmt.where(Complaint.interaction_id == interaction.id)
    return stmt.order_by(Complaint.opened_at.desc(), Complaint.id.desc())


def visible_complaints(actor: Any, customer: Any, *, open_only: bool = False,
                       interaction: Interaction | None = None) -> list[Complaint]:
    return list(db.session.scalars(visible_complaints_query(
        actor, customer, open_only=open_only, interaction=interaction)))


def complaint_of(customer_id: int, complaint_id: int) -> Complaint | None:
    """The complaint with this id, if it belongs to this customer."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or complaint.customer_id != customer_id:
        return None
    return complaint


def may_open_complaint(actor: Any) -> bool:
    return bool(writable_scopes(actor))
