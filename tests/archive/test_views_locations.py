"""The location screens: the tree with occupancy, making, changing and moving places."""

from __future__ import annotations

from sqlalchemy import select

from dossier.archive import movements, queries
from dossier.archive.items import create_item
from dossier.archive.models import Location, MovementKind
from dossier.extensions import db
from tests.archive.web import path, signed_in


def _named(name: str) -> Location:
    found = db.session.scalar(select(Location).where(Location.name == name))
    assert found is not None
    return found


def test_the_tree_shows_every_level_with_occupancy_and_capacity(clerk_client, clerk, tree):
    for _ in range(3):
        movements.put_in_box(clerk, create_item(clerk), tree.box)
    html = clerk_client.get("/archive/locations").get_data(as_text=True)
    for place in (tree.site, tree.room, tree.cabinet, tree.shelf, tree.other_shelf, tree.box):
        assert f'data-location-id="{place.id}"' in html
    assert html.index("Archief Utrecht") < html.index("Kelder") < html.index("Doos 1")
    assert "3 / 30" in html  # the box: three of thirty
    assert tree.box.barcode in html


def test_a_clerk_builds_a_tree_from_site_to_box(clerk_client):
    response = clerk_client.post("/archive/locations/new",
                                 data={"kind": "site", "name": "Depot Zwolle"})
    assert response.status_code == 302
    site = _named("Depot Zwolle")
    form = clerk_client.get(f"/archive/locations/new?parent={site.id}").get_data(as_text=True)
    assert '<option selected value="room">' in form  # the next level down is offered
    previous = site
    for kind, name in (("room", "Zolder"), ("cabinet", "Kast Z"), ("shelf", "Plank Z1")):
        response = clerk_client.post("/archive/locations/new", data={
            "kind": kind, "name": name, "parent": previous.id})
        assert response.status_code == 302
        previous = _named(name)
    clerk_client.post("/archive/locations/new", data={
        "kind": "box", "name": "Doos Z", "parent": previous.id, "capacity": "25"})
    box = _named("Doos Z")
    assert (box.capacity, queries.path_label(box)) == (
        25, path("Depot Zwolle", "Zolder", "Kast Z", "Plank Z1", "Doos Z"))


def test_a_location_that_does_not_fit_is_refused_with_the_reason(clerk_client, tree):
    response = clerk_client.post("/archive/locations/new", data={
        "kind": "shelf", "name": "Plank in doos", "parent": tree.box.id})
    assert response.status_code == 422
    assert "A shelf cannot be inside a box." in response.get_data(as_text=True)
    response = clerk_client.post("/archive/locations/new", data={"kind": "room", "name": "Los"})
    assert response.status_code == 422
    assert "Choose the location this one is in." in response.get_data(as_text=True)


def test_a_capacity_below_what_it_holds_is_refused(clerk_client, clerk, tree):
    for _ in range(2):
        movements.put_in_box(clerk, create_item(clerk), tree.box)
    db.session.commit()  # a refused change rolls the request back
    response = clerk_client.post(f"/archive/locations/{tree.box.id}/edit", data={
        "name": "Doos 1", "capacity": "1", "active": "y"})
    assert response.status_code == 422
    assert "already holds 2, more than 1" in response.get_data(as_text=True)
    assert db.session.get(Location, tree.box.id).capacity == 30


def test_an_empty_location_is_retired_and_a_full_one_is_not(clerk_client, clerk, tree):
    db.session.commit()
    response = clerk_client.post(f"/archive/locations/{tree.other_shelf.id}/edit",
                                 data={"name": "Plank 2"})
    assert response.status_code == 302 and not tree.other_shelf.active
    response = clerk_client.post(f"/archive/locations/{tree.shelf.id}/edit",
                                 data={"name": "Plank 1"})
    assert response.status_code == 422 and tree.shelf.active
    assert "still holds something" in response.get_data(as_text=True)
    tree_page = clerk_client.get("/archive/locations").get_data(as_text=True)
    assert f'data-location-id="{tree.other_shelf.id}"' not in tree_page
    assert f'data-location-id="{tree.other_shelf.id}"' in clerk_client.get(
        "/archive/locations?retired=1").get_data(as_text=True)


def test_a_box_moves_as_a_whole_with_one_movement(clerk_client, clerk, tree):
    items = [create_item(clerk) for _ in range(4)]
    for item in items:
        movements.put_in_box(clerk, item, tree.box)
    response = clerk_client.post(f"/archive/locations/{tree.box.id}/move",
                                 data={"to": tree.other_shelf.id})
    assert response.status_code == 302
    assert tree.box.parent == tree.other_shelf
    assert [m.kind for m in queries.location_history(tree.box)] == [MovementKind.TRANSFER]
    for item in items:
        assert len(queries.history(item)) == 1
        assert queries.place_of(item)[-2] == tree.other_shelf
    page = clerk_client.get(f"/archive/locations/{tree.box.id}").get_data(as_text=True)
    assert "Moves of this location" in page and "Plank 2" in page


def test_a_place_cannot_move_into_itself(clerk_client, tree):
    db.session.commit()
    response = clerk_client.post(f"/archive/locations/{tree.cabinet.id}/move",
                                 data={"to": tree.shelf.id})
    assert response.status_code == 422
    assert "Choose a place outside Kast A." in response.get_data(as_text=True)


def test_the_location_page_lists_what_lies_there_and_offers_labels(clerk_client, clerk, tree):
    item = create_item(clerk, home=tree.shelf)
    movements.check_in(clerk, item)
    page = clerk_client.get(f"/archive/locations/{tree.shelf.id}").get_data(as_text=True)
    assert item.barcode in page and "in the archive" in page
    assert "Labels for this location and everything in it" in page
    assert f"/archive/labels?codes={tree.shelf.barcode}" in page


def test_only_archive_staff_see_locations(client, tree):
    signed_in(client, "care")
    assert client.get("/archive/locations").status_code == 403
    assert client.get(f"/archive/locations/{tree.shelf.id}").status_code == 403
