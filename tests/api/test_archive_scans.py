"""Archive scans through the API: the scan station's state machine, state kept by the caller."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from dossier.archive import queries
from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import Location, LocationKind, PhysicalItem, Status
from dossier.extensions import db
from tests.api.conftest import CallerFactory
from tests.factories import DocumentFactory, UserFactory

URL = "/api/v1/archive/scans"


@dataclass
class Shelves:
    home: Location
    other: Location
    item: PhysicalItem


@pytest.fixture
def shelves(app: Flask) -> Shelves:
    clerk = UserFactory(roles=("clerk",))
    site = create_location(clerk, LocationKind.SITE, "API-archief")
    home = create_location(clerk, LocationKind.SHELF, "Plank thuis", site)
    other = create_location(clerk, LocationKind.SHELF, "Plank elders", site)
    item = create_item(clerk, document=DocumentFactory(scopes=["sales"]), home=home)
    db.session.commit()
    return Shelves(home, other, item)


def test_a_move_takes_two_scans_and_the_state_travels_back(caller: CallerFactory,
                                                           shelves: Shelves) -> None:
    api = caller("clerk")
    other, item = shelves.other, shelves.item
    first = api.post(URL, json={"code": other.barcode, "mode": "move"})
    assert first.status_code == 200, first.get_json()
    state = first.get_json()["state"]
    assert first.get_json()["station"]["target"].endswith("Plank elders")
    second = api.post(URL, json={"code": item.barcode, "mode": "move", "state": state})
    body = second.get_json()
    assert body["level"] == "ok" and body["changed"] is True and body["item_id"] == item.id
    assert queries.state_of(item).location.id == other.id


def test_refused_codes_are_answers_not_http_errors(caller: CallerFactory,
                                                   shelves: Shelves) -> None:
    body = caller("clerk").post(URL, json={"code": "P12345", "mode": "checkin"}).get_json()
    assert body["level"] == "error" and body["changed"] is False


def test_a_forged_state_is_refused(caller: CallerFactory, shelves: Shelves) -> None:
    api = caller("clerk")
    response = api.post(URL, json={"code": "x", "mode": "checkout", "state": "made.up"})
    assert response.status_code == 400 and "state" in response.get_json()["fields"]


def test_another_users_state_is_refused(caller: CallerFactory,
                                        shelves: Shelves) -> None:
    other = shelves.other
    state = caller("clerk").post(URL, json={"code": other.barcode,
                                            "mode": "move"}).get_json()["state"]
    response = caller("clerk").post(URL, json={"code": "x", "mode": "move", "state": state})
    assert response.status_code == 400


@pytest.mark.parametrize("role, status", [("sales", 403), ("care", 403), ("loyalty", 403),
                                          ("compliance", 403), ("clerk", 200), ("admin", 200)])
def test_only_archive_staff_scan(caller: CallerFactory, shelves: Shelves, role: str,
                                 status: int) -> None:
    item = shelves.item
    response = caller(role).post(URL, json={"code": item.barcode,
                                            "mode": "checkin"})
    assert response.status_code == status


def test_a_checkout_to_a_badge_goes_through_the_station(caller: CallerFactory,
                                                        shelves: Shelves) -> None:
    from dossier import barcodes

    api = caller("clerk")
    borrower = UserFactory(roles=("sales",))
    db.session.commit()
    item = shelves.item
    badge = api.post(URL, json={"code": barcodes.make_badge(borrower.id), "mode": "checkout"})
    state = badge.get_json()["state"]
    out = api.post(URL, json={"code": item.barcode, "mode": "checkout",
                              "state": state}).get_json()
    assert out["changed"] is True
    assert queries.state_of(item).status == Status.CHECKED_OUT


def test_bad_mode_is_400(caller: CallerFactory) -> None:
    response = caller("clerk").post(URL, json={"code": "x", "mode": "dance"})
    assert response.status_code == 400 and "mode" in response.get_json()["fields"]
