"""An original registered or destroyed changes the document's storage in the search index."""

from __future__ import annotations

from dossier import search
from dossier.archive.items import create_item
from dossier.archive.movements import record_destroyed
from dossier.auth.models import User
from dossier.extensions import db
from tests.archive.conftest import build_tree
from tests.factories import CustomerFactory, DocumentFactory, UserFactory


def _found(text: str, actor: User) -> set[int]:
    return {hit.document.id for hit in search.search(text, actor, per_page=100).hits}


def test_registering_and_destroying_an_original_reaches_the_index(
        search_backend: str) -> None:
    clerk = UserFactory(roles=("clerk",))
    tree = build_tree(clerk)
    document = DocumentFactory(type_code="contract", scopes=["care"],
                               title="Onderhoudscontract lift", customers=[CustomerFactory()])
    search.index([document.id])
    db.session.commit()
    search.drain()
    care = UserFactory(roles=("care",))
    assert _found("onderhoudscontract storage:paper", care) == set()

    item = create_item(clerk, document=document, home=tree.shelf)
    db.session.commit()
    search.drain()
    assert _found("onderhoudscontract storage:paper", care) == {document.id}

    record_destroyed(clerk, item, note="retention over")  # not under a legal hold
    db.session.commit()
    search.drain()
    assert _found("onderhoudscontract storage:paper", care) == set()
    assert _found("onderhoudscontract storage:none", care) == {document.id}
