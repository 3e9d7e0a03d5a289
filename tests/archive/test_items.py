"""Registering originals, their link to a document, and who may see or handle them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.archive import movements
from dossier.archive.errors import InvalidLocation, ItemExists, NotAllowed
from dossier.archive.items import create_item, record_history_view, set_document, set_home
from dossier.archive.locations import update_location
from dossier.auth.permissions import Action, Feature, can
from dossier.compliance.models import AuditEvent
from dossier.documents.models import Storage
from dossier.extensions import db
from tests.factories import CustomerFactory, DocumentFactory, UserFactory


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == "PhysicalItem")
        .order_by(AuditEvent.id)))


def test_registering_an_original_gives_its_document_paper(clerk, tree, document):
    assert document.storage == Storage.NONE
    item = create_item(clerk, document=document, home=tree.shelf)
    assert document.paper_original and document.storage == Storage.PAPER
    assert item.home_location is tree.shelf and item.created_by_id == clerk.id
    [event] = _events("create")
    assert event.customer_id == document.customers[0].id and event.scope == "care"
    assert event.details == {"barcode": item.barcode, "document": document.id,
                             "home": tree.shelf.id}


def test_a_document_gets_one_original_only(clerk, item, document):
    with pytest.raises(ItemExists, match=f"already has its paper original, {item.barcode}"):
        create_item(clerk, document=document)


def test_an_original_can_be_registered_before_its_document_is_known(clerk, document):
    item = create_item(clerk)
    assert item.document is None
    set_document(clerk, item, document)
    assert item.document is document and document.paper_original


def test_relinking_moves_the_paper_flag(clerk, item, document):
    other = DocumentFactory(scopes=["care"], customers=[CustomerFactory()])
    set_document(clerk, item, other)
    assert other.paper_original and not document.paper_original
    set_document(clerk, item, None)
    assert item.document is None and not other.paper_original


def test_the_home_is_where_check_in_puts_it(clerk, tree, item):
    set_home(clerk, item, tree.other_shelf)
    movements.check_in(clerk, item)
    assert movements.queries.state_of(item).location is tree.other_shelf
    [event] = _events("update")
    assert event.details == {"home": [tree.shelf.id, tree.other_shelf.id]}


def test_a_retired_location_is_no_home(clerk, tree, item):
    update_location(clerk, tree.other_shelf, active=False)
    with pytest.raises(InvalidLocation):
        set_home(clerk, item, tree.other_shelf)


def test_destroying_the_original_leaves_the_document_without_paper(clerk, item, document):
    movements.record_destroyed(clerk, item, note="Bewaartermijn verstreken")
    assert not document.paper_original and document.storage == Storage.NONE


@pytest.mark.parametrize(("roles", "view", "edit"), [
    (("clerk",), True, True),
    (("admin",), True, True),
    (("care",), True, False),  # sees the document, so where its original is
    (("compliance",), True, False),
    (("sales",), False, False),  # the document is care's only
])
def test_who_sees_and_handles_an_original(item, roles, view, edit):
    user = UserFactory(roles=roles)
    assert can(user, Action.VIEW, item) is view
    assert can(user, Action.EDIT, item) is edit
    assert can(user, Action.EDIT, Feature.ARCHIVE) is edit


def test_an_original_without_document_is_for_the_archive_staff_only(clerk):
    item = create_item(clerk)
    assert can(clerk, Action.VIEW, item)
    assert not can(UserFactory(roles=("care",)), Action.VIEW, item)


def test_reading_the_history_is_audited_for_the_customer(item, document):
    reader = UserFactory(roles=("care",))
    record_history_view(reader, item)
    [event] = _events("view")
    assert (event.actor_id, event.customer_id) == (reader.id, document.customers[0].id)
    with pytest.raises(NotAllowed):
        record_history_view(UserFactory(roles=("sales",)), item)


def test_only_archive_staff_register_originals(document):
    with pytest.raises(NotAllowed):
        create_item(UserFactory(roles=("care",)), document=document)
    assert not document.paper_original
