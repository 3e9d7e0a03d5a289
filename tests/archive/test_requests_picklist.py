"""The pick list: in walking order (numbers in names as numbers), on screen and as a PDF,
and 500 requests within a second."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from dossier.archive import movements
from dossier.archive.desk_models import RetrievalRequest
from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import LocationKind, Movement, MovementKind, PhysicalItem
from dossier.archive.picklist import desk, pick_list
from dossier.archive.picklist_pdf import pick_list_pdf
from dossier.archive.queries import PATH_SEPARATOR
from dossier.archive.requests import ask
from dossier.extensions import db
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login


def _shelved_request(clerk, requester, where, purpose="Audit"):
    document = DocumentFactory(scopes=["care"], customers=[CustomerFactory()])
    item = create_item(clerk, document=document, home=where)
    movements.check_in(clerk, item)
    return ask(requester, document, purpose)


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pick_list_follows_the_walk_through_the_archive(clerk, borrower, tree):
    shelves = {n: create_location(clerk, LocationKind.SHELF, f"Plank {n}", tree.cabinet)
               for n in (10, 3)}
    box = create_location(clerk, LocationKind.BOX, "Doos 2", shelves[3])
    on_10 = _shelved_request(clerk, borrower, shelves[10])
    in_box = _shelved_request(clerk, borrower, box)
    on_2 = _shelved_request(clerk, borrower, tree.other_shelf)
    on_1 = _shelved_request(clerk, borrower, tree.shelf)
    rows = pick_list()
    assert [row.request for row in rows] == [on_1, on_2, in_box, on_10]
    assert rows[2].place == ("Archief Utrecht", "Kelder", "Kast A", "Plank 3", "Doos 2")
    assert rows[2].place_label == PATH_SEPARATOR.join(rows[2].place)


def test_the_printed_pick_list_has_a_row_per_original_in_the_same_order(clerk, tree):
    requester = UserFactory(roles=("care",), full_name="Şahin Łukasz")
    first = _shelved_request(clerk, requester, tree.shelf, "Klacht <script>")
    second = _shelved_request(clerk, requester, tree.other_shelf, "Audit 2026")
    text = _pdf_text(pick_list_pdf(pick_list()))
    assert "Pick list" in text and "2 originals, in walking order" in text
    assert text.index(first.item.barcode) < text.index(second.item.barcode)
    assert "Şahin Łukasz" in text and "Klacht <script>" in text
    assert "Plank 1" in text


def test_an_empty_pick_list_prints_one_page_saying_so(app):
    pdf = pick_list_pdf([])
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Nothing to pick" in _pdf_text(pdf)


@pytest.fixture
def five_hundred_requests(clerk, tree):
    """500 originals in 50 boxes on 10 shelves, each asked for once. Rows are written
    directly, as the benchmark loads them: the services would take half a minute here."""
    requesters = [UserFactory(roles=("care",)) for _ in range(5)]
    shelves = [create_location(clerk, LocationKind.SHELF, f"Plank {n}", tree.cabinet)
               for n in range(3, 13)]
    boxes = [create_location(clerk, LocationKind.BOX, f"Doos {n}", shelves[n % 10])
             for n in range(50)]
    items = [PhysicalItem(home_location=boxes[n % 50]) for n in range(500)]
    db.session.add_all(items)
    db.session.flush()
    checked_in = [Movement(item_id=item.id, kind=MovementKind.CHECK_IN.value,
                           to_location=item.home_location, actor_id=clerk.id)
                  for item in items]
    db.session.add_all(checked_in)
    db.session.flush()
    for item, movement in zip(items, checked_in, strict=True):
        item.last_movement = movement
    asked = [RetrievalRequest(item=item, requester=requesters[n % 5],
                              purpose=f"Dossier check {n}") for n, item in enumerate(items)]
    db.session.add_all(asked)
    db.session.flush()
    return asked


def test_500_requests_list_and_print_within_a_second(five_hundred_requests):
    db.session.expire_all()  # as in a fresh request: nothing cached in the session
    started = time.perf_counter()
    rows = desk().pick
    pdf = pick_list_pdf(rows)
    elapsed = time.perf_counter() - started
    assert len(rows) == 500
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 22  # 23 rows a page
    assert elapsed <= 1.0, f"pick list of 500 took {elapsed:.2f} s"


def test_the_printed_pick_list_of_500_is_served_within_a_second(client, clerk,
                                                                five_hundred_requests):
    login(client, clerk)
    timings = []
    for _ in range(3):  # the best of three: other work on the machine adds noise
        db.session.expire_all()
        started = time.perf_counter()
        response = client.get("/archive/requests/picklist.pdf")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    assert min(timings) <= 1.0, f"GET picklist.pdf of 500 took {min(timings):.2f} s"
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 22
