"""Paper originals: registering one (for a document or on its own), its home and document.

Registering an item marks its document as having a paper original
(`Document.paper_original`), which is what the document's storage is derived from;
destroying the item clears it again (see movements.record_destroyed).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from dossier import search
from dossier.archive import queries
from dossier.archive.errors import InvalidLocation, ItemExists, NotAllowed
from dossier.archive.models import Location, PhysicalItem
from dossier.archive.recording import audit_item, lock_item, require_clerk
from dossier.auth.permissions import Action, can
from dossier.compliance.audit import AuditAction
from dossier.documents.models import Document
from dossier.extensions import db


def create_item(actor: Any, *, document: Document | None = None,
                home: Location | None = None) -> PhysicalItem:
    """A new item with its barcode (from its id); it is `registered` until checked in."""
    require_clerk(actor)
    if home is not None:
        _check_home(home)
    if document is not None:
        _check_free(document)
    item = PhysicalItem(document=document, home_location=home,
                        created_by_id=getattr(actor, "id", None))
    db.session.add(item)
    db.session.flush()
    if document is not None:
        set_paper_original(document, True)
    audit_item(actor, AuditAction.CREATE, item,
           {"barcode": item.barcode, "document": item.document_id, "home": item.home_location_id})
    db.session.flush()
    return item


def set_home(actor: Any, item: PhysicalItem, home: Location | None) -> PhysicalItem:
    """Where the item belongs (check-in puts it back there); it does not move it."""
    require_clerk(actor)
    item = lock_item(item)
    if home is not None:
        _check_home(home)
    before = item.home_location_id
    item.home_location = home
    db.session.flush()
    if before != item.home_location_id:
        audit_item(actor, AuditAction.UPDATE, item, {"home": [before, item.home_location_id]})
        db.session.flush()
    return item


def set_document(actor: Any, item: PhysicalItem, document: Document | None) -> PhysicalItem:
    """Link the item to the document it is the original of (None: unlink)."""
    require_clerk(actor)
    item = lock_item(item)
    previous = item.document
    if previous is not None and document is not None and previous.id == document.id:
        return item
    if document is not None:
        _check_free(document)
    if previous is not None:
        set_paper_original(previous, False)
        audit_item(actor, AuditAction.UPDATE, item, {"document": [previous.id, None]})
    item.document = document
    db.session.flush()
    if document is not None:
        set_paper_original(document, True)
        audit_item(actor, AuditAction.UPDATE, item, {"document": [
            previous.id if previous else None, document.id]})
    db.session.flush()
    return item


def set_paper_original(document: Document, present: bool) -> None:
    """Whether the document's paper original exists; its storage (digital, paper, hybrid)
    is indexed for search, so the change is queued for the index too."""
    if document.paper_original != present:
        document.paper_original = present
        search.index([document.id])


def record_history_view(actor: Any, item: PhysicalItem) -> None:
    """Someone read where a customer's original is and where it has been."""
    if not can(actor, Action.VIEW, item):
        raise NotAllowed(_("You may not see this original."))
    audit_item(actor, AuditAction.VIEW, item, {"barcode": item.barcode, "shown": "history"})
    db.session.flush()


def _check_home(home: Location) -> None:
    if not home.active:
        raise InvalidLocation(_("%(place)s is no longer in use.",
                                place=queries.path_label(home)))


def _check_free(document: Document) -> None:
    existing = queries.item_of_document(document.id)
    if existing is not None:
        raise ItemExists(_("This document already has its paper original, %(code)s.",
                           code=existing.barcode))

