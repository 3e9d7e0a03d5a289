"""The archive desk's objects for the route walk: an original on a shelf with a request for
it and sent for digitisation, originals past their retention date (one proposed for
destruction, one destroyed), made through the services as clerks would."""

from __future__ import annotations

from datetime import date

from dossier.archive import destruction, digitise, movements
from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import Location, LocationKind, PhysicalItem
from dossier.archive.requests import ask
from dossier.auth.models import User
from tests.factories import CustomerFactory, DocumentFactory, UserFactory

DESK_NAMES = frozenset({"requested_document", "retrieval_request", "desk_item", "desk_shelf",
                        "destruction_proposal", "destruction_done", "digitisation_order"})


class WithDeskObjects(dict[str, int]):
    """The route walk's ids; the desk's objects are made the first time a case names one,
    so the hundreds of cases that need none do not pay for them."""

    def __missing__(self, name: str) -> int:
        if name not in DESK_NAMES or DESK_NAMES & self.keys():
            raise KeyError(name)
        self.update(desk_objects())
        return self[name]


def desk_objects() -> dict[str, int]:
    """A sales document whose original is on a shelf, asked for by a sales colleague."""
    clerk = UserFactory(roles=("clerk",))
    site = create_location(clerk, LocationKind.SITE, "Wandelarchief")
    shelf = create_location(clerk, LocationKind.SHELF, "Wandelplank", site)
    document = DocumentFactory(scopes=["sales"], customers=[CustomerFactory()],
                               paper_original=True)
    item = create_item(clerk, document=document, home=shelf)
    movements.check_in(clerk, item)
    request = ask(UserFactory(roles=("sales",)), document, "Walked")
    proposed = destruction.propose(clerk, _expired(clerk, shelf))
    destroyed = destruction.propose(clerk, _expired(clerk, shelf))
    destruction.approve(UserFactory(roles=("clerk",)), destroyed)
    placed = digitise.order(clerk, item)
    return {"requested_document": document.id, "retrieval_request": request.id,
            "desk_item": item.id, "desk_shelf": shelf.id,
            "destruction_proposal": proposed.id, "destruction_done": destroyed.id,
            "digitisation_order": placed.id}


def _expired(clerk: User, shelf: Location) -> PhysicalItem:
    document = DocumentFactory(scopes=["sales"], customers=[CustomerFactory()],
                               retention_until=date(2020, 1, 31))
    item = create_item(clerk, document=document, home=shelf)
    movements.check_in(clerk, item)
    return item
