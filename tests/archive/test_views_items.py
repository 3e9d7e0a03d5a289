"""A paper original on screen: registering it from its document, its page with place,
status and full history (an audited read), and the document page and form showing it."""

from __future__ import annotations

from sqlalchemy import select

from dossier.archive import locations, movements, queries
from dossier.archive.items import create_item
from dossier.archive.models import PhysicalItem
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.archive.web import signed_in
from tests.factories import CustomerFactory, DocumentFactory


def _views_of(item: PhysicalItem) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "view", AuditEvent.object_type == "PhysicalItem",
        AuditEvent.object_id == str(item.id))))


def test_an_admin_registers_the_original_from_the_document_page(client, tree):
    signed_in(client, "admin")
    contract = DocumentFactory(type_code="contract", scopes=["sales"],
                               customers=[CustomerFactory()])
    page = client.get(f"/documents/{contract.id}").get_data(as_text=True)
    assert "Register the paper original" in page
    form = client.get(f"/archive/items/new?document={contract.id}").get_data(as_text=True)
    assert contract.title in form
    response = client.post(f"/archive/items/new?document={contract.id}",
                           data={"home": tree.shelf.id})
    assert response.status_code == 302
    item = queries.item_of_document(contract.id)
    assert item is not None and item.home_location == tree.shelf
    assert contract.paper_original and response.headers["Location"].endswith(
        f"/archive/items/{item.id}")
    page = client.get(f"/documents/{contract.id}").get_data(as_text=True)
    assert "Register the paper original" not in page and item.barcode in page


def test_a_clerk_registers_an_original_without_seeing_the_document(clerk_client, tree):
    contract = DocumentFactory(type_code="contract", scopes=["sales"], title="Geheim contract")
    form = clerk_client.get(f"/archive/items/new?document={contract.id}")
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and f"document {contract.id}" in html
    assert "Geheim contract" not in html
    clerk_client.post(f"/archive/items/new?document={contract.id}", data={"home": ""})
    assert queries.item_of_document(contract.id) is not None


def test_a_dynamic_digital_document_gets_no_original_and_a_second_one_is_refused(
        client, tree):
    signed_in(client, "admin")
    quote = DocumentFactory(type_code="quote", scopes=["sales"])
    assert "Register the paper original" not in client.get(
        f"/documents/{quote.id}").get_data(as_text=True)
    assert client.get(f"/archive/items/new?document={quote.id}").status_code == 409
    contract = DocumentFactory(type_code="contract", scopes=["sales"])
    client.post(f"/archive/items/new?document={contract.id}", data={"home": ""})
    again = client.get(f"/archive/items/new?document={contract.id}")
    assert again.status_code == 302 and "/archive/items/" in again.headers["Location"]


def test_the_item_page_shows_place_status_and_full_history_and_audits_it(
        clerk_client, clerk, borrower, tree, item):
    movements.put_in_box(clerk, item, tree.box)
    locations.move_location(clerk, tree.box, tree.other_shelf)
    movements.check_out(clerk, item, borrower, queries.today())
    page = clerk_client.get(f"/archive/items/{item.id}").get_data(as_text=True)
    assert "checked out" in page and "Bart Lener" in page
    history = page[page.index("History"):]
    assert history.index("checked out") < history.index("box Doos 1 moved") < history.index(
        "put in box")
    assert len(_views_of(item)) == len(item.document.customers) >= 1


def test_scope_staff_see_the_item_of_a_document_they_see_and_nothing_else(client, tree, item):
    signed_in(client, "care")  # the fixture item is a care contract's original
    page = client.get(f"/archive/items/{item.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert item.document.title in html
    assert 'href="/archive/locations/' not in html  # no archive screens for them
    assert "Change home location" not in html
    client.post("/logout")
    signed_in(client, "sales")
    assert client.get(f"/archive/items/{item.id}").status_code == 403


def test_the_document_page_shows_the_original_next_to_the_key_points(
        client, clerk, tree, item):
    movements.check_in(clerk, item)
    signed_in(client, "care")
    html = client.get(f"/documents/{item.document.id}").get_data(as_text=True)
    card = html[html.index("Key points"):html.index("Class per scope")]
    assert "Paper original" in card and item.barcode in card
    assert "in the archive" in card and queries.path_label(tree.shelf) in card
    assert f'href="/archive/items/{item.id}"' in card
    assert "Register the paper original" not in card


def test_the_document_form_shows_the_original_instead_of_the_paper_flag(client, clerk, item):
    movements.check_in(clerk, item)
    db.session.commit()
    signed_in(client, "care")
    document = item.document
    form = client.get(f"/documents/{document.id}/edit").get_data(as_text=True)
    assert 'name="paper_original"' not in form and item.barcode in form
    response = client.post(f"/documents/{document.id}/edit", data={
        "title": document.title, "document_date": "2025-03-01",
        "customers": ", ".join(c.number for c in document.customers), "scopes": ["care"],
        "kp_start_date": "2025-01-01", "kp_end_date": "2030-01-01",
        "kp_signed_by": "Bart"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.get(type(document), document.id).paper_original


def test_without_an_original_the_paper_flag_is_still_a_choice(client):
    signed_in(client, "sales")
    document = DocumentFactory(scopes=["sales"])
    form = client.get(f"/documents/{document.id}/edit").get_data(as_text=True)
    assert 'name="paper_original"' in form


def test_a_clerk_changes_the_home_location(clerk_client, tree, item):
    response = clerk_client.post(f"/archive/items/{item.id}/edit",
                                 data={"home": tree.other_shelf.id})
    assert response.status_code == 302 and item.home_location == tree.other_shelf


def test_an_unlinked_item_is_for_archive_staff_only(client, clerk):
    loose = create_item(clerk)
    signed_in(client, "compliance")
    assert client.get(f"/archive/items/{loose.id}").status_code == 403


def test_the_item_page_sends_its_original_for_digitisation(clerk_client, clerk, item):
    page = clerk_client.get(f"/archive/items/{item.id}").get_data(as_text=True)
    action = f'action="/archive/digitise/items/{item.id}/order"'
    assert action in page and "Digitise: print the cover sheet" in page
    response = clerk_client.post(f"/archive/digitise/items/{item.id}/order")
    assert response.status_code == 302
    assert "/cover-sheet.pdf" in response.headers["Location"]
    movements.record_destroyed(clerk, item)
    page = clerk_client.get(f"/archive/items/{item.id}").get_data(as_text=True)
    assert action not in page
