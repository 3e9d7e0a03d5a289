"""Retrieval requests: asking for a paper original, picking it, and cancelling a request.

Delivery and return are not operations of their own: checking the original out to the
requester delivers the request, checking it in returns it (request_states follows every
movement). Requests for one original are served in the order they were made; while the
original is out, later requests wait in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from dossier.archive import movements, queries
from dossier.archive.desk_models import REQUEST_STATUS_LABELS, RequestStatus, RetrievalRequest
from dossier.archive.errors import ArchiveError, ItemDestroyed, NotAllowed
from dossier.archive.models import PhysicalItem, Status
from dossier.archive.recording import Outcome, lock_item, require_clerk
from dossier.archive.request_states import audit_request, cancel_request, open_requests
from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, Feature, can
from dossier.compliance.audit import AuditAction
from dossier.documents.models import Document
from dossier.extensions import db

MAX_PURPOSE = 300


class NoOriginal(ArchiveError):
    reason = "no_original"


class NoPurpose(ArchiveError):
    reason = "no_purpose"


class AlreadyRequested(ArchiveError):
    reason = "already_requested"


class NoOpenRequest(ArchiveError):
    reason = "no_open_request"


class ItemOut(ArchiveError):
    reason = "item_out"


class CannotCancel(ArchiveError):
    reason = "cannot_cancel"


def ask(actor: Any, document: Document, purpose: str) -> RetrievalRequest:
    """`actor` asks for the paper original of `document`, saying why."""
    if not can(actor, Action.VIEW, document):
        raise NotAllowed(_("You may not see this document, so you cannot ask for its "
                           "original."))
    purpose = " ".join(purpose.split())
    if not purpose:
        raise NoPurpose(_("Say what you need the original for."))
    if len(purpose) > MAX_PURPOSE:
        raise NoPurpose(_("Keep the purpose under %(num)s characters.", num=MAX_PURPOSE))
    item = queries.item_of_document(document.id)
    if item is None:
        raise NoOriginal(_("This document has no registered paper original to ask for."))
    item = lock_item(item)  # two requests at once still queue in one order
    if queries.state_of(item).status == Status.DESTROYED:
        raise ItemDestroyed(_("The paper original of this document was destroyed."))
    for waiting in open_requests(item):
        if waiting.requester_id == getattr(actor, "id", None):
            raise AlreadyRequested(_(
                "You asked for this original on %(date)s already; that request is %(status)s.",
                date=format_date(waiting.requested_at), status=_status_word(waiting)))
    request = RetrievalRequest(item=item, requester_id=actor.id, purpose=purpose,
                               requested_at=utcnow())
    db.session.add(request)
    db.session.flush()
    audit_request(actor, AuditAction.CREATE, request, {"purpose": purpose})
    db.session.flush()
    return request


def cancel(actor: Any, request: RetrievalRequest, reason: str = "") -> RetrievalRequest:
    """The requester withdraws a request, or a clerk cancels it; an original already handed
    over is returned by checking it in instead."""
    own = request.requester_id == getattr(actor, "id", None)
    if not own and not can(actor, Action.EDIT, Feature.ARCHIVE):
        raise NotAllowed(_("Only the requester or the archive may cancel a request."))
    if not request.is_open:
        raise CannotCancel(_("This request is already closed."))
    if request.status == RequestStatus.DELIVERED:
        raise CannotCancel(_("The original was handed over: check it in to close the "
                             "request."))
    cancel_request(actor, request, " ".join(reason.split()) or (
        "withdrawn" if own else "cancelled by the archive"))
    db.session.flush()
    return request


@dataclass(frozen=True)
class Pick:
    request: RetrievalRequest
    outcome: Outcome  # no movement: the request was already picked

    @property
    def changed(self) -> bool:
        return self.outcome.changed


def pick(actor: Any, item: PhysicalItem, *, batch_id: str | None = None) -> Pick:
    """The clerk took `item` off the shelf for the first request in line: the item is in
    transit to the requester and the request is picked."""
    require_clerk(actor)
    item = lock_item(item)
    state = queries.state_of(item)
    waiting = open_requests(item)
    if not waiting:
        raise NoOpenRequest(_("%(code)s has no open request: put it back.", code=item.barcode))
    first = waiting[0]
    if first.status == RequestStatus.PICKED:
        return Pick(first, Outcome(None, "already_picked", state))
    if first.status == RequestStatus.DELIVERED or state.status == Status.CHECKED_OUT:
        holder = state.person.display_name if state.person else "?"
        raise ItemOut(_("%(code)s is checked out to %(name)s; the request waits in the queue.",
                        code=item.barcode, name=holder))
    outcome = movements.move(actor, item, None, batch_id=batch_id,
                             note=f"picked for request {first.id}")
    first.status = RequestStatus.PICKED.value
    first.picked_at = outcome.movement.at if outcome.movement else utcnow()
    first.picked_by_id = actor.id
    audit_request(actor, AuditAction.UPDATE, first, {"status": ["requested", "picked"]})
    db.session.flush()
    return Pick(first, outcome)


def _status_word(request: RetrievalRequest) -> str:
    return str(REQUEST_STATUS_LABELS[RequestStatus(request.status)])
