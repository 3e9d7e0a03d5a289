"""A document's paper original as the document screens show it: which item, where it is,
how it stands, and whether one may be registered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dossier.archive import queries
from dossier.archive.models import STATUS_LABELS, PhysicalItem, Status
from dossier.archive.queries import ItemState
from dossier.auth.permissions import Action, Feature, can
from dossier.documents.models import Document, Storage
from dossier.documents.policy import PolicyBook

STATUS_TONES = {
    Status.REGISTERED: "neutral",
    Status.IN_ARCHIVE: "ok",
    Status.CHECKED_OUT: "warn",
    Status.IN_TRANSIT: "warn",
    Status.MISSING: "bad",
    Status.DESTROYED: "neutral",
}


@dataclass(frozen=True)
class PaperOriginal:
    item: PhysicalItem
    state: ItemState
    place: str  # path in the location tree, "" when it is not in the archive
    home: str
    overdue: bool

    @property
    def status_label(self) -> Any:
        return STATUS_LABELS[self.state.status]

    @property
    def tone(self) -> str:
        return "bad" if self.overdue else STATUS_TONES[self.state.status]


def paper_original_of(document: Document) -> PaperOriginal | None:
    item = queries.item_of_document(document.id)
    if item is None:
        return None
    return describe(item)


def describe(item: PhysicalItem) -> PaperOriginal:
    state = queries.state_of(item)
    return PaperOriginal(item=item, state=state, place=queries.path_label(state.location),
                         home=queries.path_label(item.home_location),
                         overdue=state.is_overdue(queries.today()))


def keeps_paper(document: Document) -> bool:
    """The document has a registered original that still exists: its paper flag stays."""
    item = queries.item_of_document(document.id)
    return item is not None and queries.state_of(item).status != Status.DESTROYED


def may_register(actor: Any, document: Document) -> bool:
    """Archive staff may register the original of a static document, or of one that is
    kept on paper (paper or hybrid), when it has none yet."""
    if not can(actor, Action.CREATE, Feature.ARCHIVE):
        return False
    if queries.item_of_document(document.id) is not None:
        return False
    on_paper = document.storage in (Storage.PAPER, Storage.HYBRID)
    return on_paper or not PolicyBook.load().handled_as_dynamic(document)
