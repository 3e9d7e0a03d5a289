"""Acceptance through the screens: a clerk builds the shelves, registers and labels 30
originals, fills a box with 31 scans, moves the box to another shelf, checks one original
out to a colleague, and the dossier shows where it is and everything that happened to it.
(The overdue list after the due date is the retrieval screens' part.)"""

from __future__ import annotations

from sqlalchemy import select

from dossier import barcodes
from dossier.archive import queries
from dossier.archive.models import Location, MovementKind, Status
from dossier.extensions import db
from tests.archive.web import codes_in, path, scan, signed_in, switch
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login


def _location(client, kind: str, name: str, parent: Location | None = None,
              capacity: int | None = None) -> Location:
    data = {"kind": kind, "name": name, "parent": parent.id if parent else "",
            "capacity": capacity or ""}
    assert client.post("/archive/locations/new", data=data).status_code == 302
    found = db.session.scalar(select(Location).where(Location.name == name))
    assert found is not None
    return found


def test_labels_a_box_of_30_a_move_a_loan_and_the_dossier_shows_it_all(client):
    colleague = UserFactory(roles=("sales",), full_name="Sanne Verkoop")
    customer = CustomerFactory()
    contracts = [DocumentFactory(type_code="contract", scopes=["sales"], customers=[customer])
                 for _ in range(30)]
    signed_in(client, "clerk", full_name="Karin Klerk")

    site = _location(client, "site", "Archief Utrecht")
    cabinet = _location(client, "cabinet", "Kast A", _location(client, "room", "Kelder", site))
    shelf = _location(client, "shelf", "Plank 1", cabinet)
    other_shelf = _location(client, "shelf", "Plank 2", cabinet)
    box = _location(client, "box", "Doos 1", shelf, capacity=30)

    for contract in contracts:
        response = client.post(f"/archive/items/new?document={contract.id}",
                               data={"home": box.id})
        assert response.status_code == 302
    items = [queries.item_of_document(contract.id) for contract in contracts]
    assert all(contract.paper_original for contract in contracts)

    codes = [item.barcode for item in items] + [box.barcode, shelf.barcode,
                                                other_shelf.barcode]
    sheet = client.get("/archive/labels", query_string={"codes": "\n".join(codes),
                                                         "layout": "3x8"})
    assert sheet.headers["X-Label-Sheets"] == "2"
    assert codes_in(sheet.data) == codes  # every printed label reads back

    switch(client, "box")
    answers = [scan(client, box.barcode)] + [scan(client, item.barcode) for item in items]
    assert len(answers) == 31 and {a["colour"] for a in answers} == {"green"}
    assert answers[-1]["state"]["done"] == 30 and queries.occupancy(box) == 30

    switch(client, "move")
    scan(client, other_shelf.barcode)
    moved = scan(client, box.barcode)
    assert moved["reason"] == "box_moved" and "with the 30 originals in it" in moved["message"]
    assert all(len(queries.history(item)) == 1 for item in items)  # history not rewritten

    lent = items[7]
    switch(client, "checkout")
    assert scan(client, barcodes.make_badge(colleague.id))["reason"] == "borrower_chosen"
    assert scan(client, lent.barcode)["reason"] == "checked_out"
    client.post("/logout")

    login(client, colleague)
    document_page = client.get(f"/documents/{lent.document_id}").get_data(as_text=True)
    card = document_page[document_page.index('id="paper-title"'):]
    assert lent.barcode in card and "checked out" in card and "Sanne Verkoop" in card
    assert f'href="/archive/items/{lent.id}"' in card
    staying = items[8]
    other_page = client.get(f"/documents/{staying.document_id}").get_data(as_text=True)
    assert path("Archief Utrecht", "Kelder", "Kast A", "Plank 2", "Doos 1") in other_page

    history_page = client.get(f"/archive/items/{lent.id}").get_data(as_text=True)
    history = history_page[history_page.index('id="history-title"'):]
    assert history.index("checked out") < history.index("box Doos 1 moved") < history.index(
        "put in box")
    assert "Karin Klerk" in history
    state = queries.state_of(lent)
    assert (state.status, state.person) == (Status.CHECKED_OUT, colleague)
    assert [m.kind for m in queries.history(lent)] == [MovementKind.PUT_IN_BOX,
                                                       MovementKind.CHECK_OUT]
