"""The archive screens' objects for the route walk: a shelf with a box on it, and the
paper original of the walk's sales document, made through the services."""

from __future__ import annotations

from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import LocationKind
from dossier.documents.models import Document
from dossier.extensions import db
from tests.factories import UserFactory


def archive_objects(sales_document_id: int) -> dict[str, int]:
    clerk = UserFactory(roles=("clerk",))
    site = create_location(clerk, LocationKind.SITE, "Wandelarchief B")
    shelf = create_location(clerk, LocationKind.SHELF, "Wandelplank B", site)
    box = create_location(clerk, LocationKind.BOX, "Wandeldoos", shelf, capacity=10)
    document = db.session.get(Document, sales_document_id)
    item = create_item(clerk, document=document, home=shelf)
    return {"archive_shelf": shelf.id, "archive_box": box.id, "archive_item": item.id}
