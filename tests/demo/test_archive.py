"""The demo archive: every paper original filed in a box, a history that agrees with the
state, and enough going on that the archive's screens show something."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from dossier.archive import queries
from dossier.archive.advisor import advice
from dossier.archive.desk_models import RetrievalRequest
from dossier.archive.models import Location, Movement, PhysicalItem, Status
from dossier.archive.overview import location_tree
from dossier.archive.picklist import desk
from dossier.archive.request_queries import overdue_loans
from dossier.auth.models import utcnow
from dossier.auth.services import find_user
from dossier.compliance.models import AuditEvent
from dossier.demo.archive import load_archive
from dossier.demo.loader import load_demo
from dossier.demo.names import DEMO_PASSWORD
from dossier.documents.models import Document
from dossier.extensions import db
from tests.conftest import build_app, migrate_and_seed
from tests.factories import login
from tests.support.databases import fresh_database

pytestmark = pytest.mark.committed


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    data_dir = tmp_path_factory.mktemp("demo-archive")
    with fresh_database(data_dir) as url:
        app = build_app(url, data_dir)
        migrate_and_seed(app)
        with app.app_context():
            app.config["DEMO_COUNTS"] = load_demo()
            db.session.commit()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def ctx(demo_app: Flask) -> Iterator[Flask]:
    with demo_app.app_context():
        yield demo_app
        db.session.remove()


def _items() -> list[PhysicalItem]:
    return list(db.session.scalars(select(PhysicalItem).order_by(PhysicalItem.id)))


def test_every_paper_original_is_filed_in_a_box_of_its_year(ctx: Flask) -> None:
    paper = db.session.scalars(select(Document.id).where(Document.paper_original.is_(True)))
    items = _items()
    assert sorted(item.document_id for item in items) == sorted(paper)
    assert ctx.config["DEMO_COUNTS"]["paper originals"] == len(items) > 300
    for item in items:
        home = item.home_location
        assert home is not None and home.is_box
        assert home.name.startswith(f"Archief {item.document.document_date.year} doos ")
        assert queries.path(home)[0].kind == "site"
    held = Counter(item.home_location_id for item in items)
    assert max(held.values()) <= 30


def test_the_tree_has_two_sites_with_shelves_and_boxes_within_capacity(ctx: Flask) -> None:
    sites = [node.location.name for node in location_tree()]
    assert sorted(sites) == ["Archief Utrecht", "Depot Nieuwegein"]
    kinds = Counter(db.session.scalars(select(Location.kind)))
    assert kinds["room"] == 3 and kinds["cabinet"] == 2 and kinds["rack"] == 2
    assert kinds["box"] >= 12
    for location in db.session.scalars(select(Location).where(Location.capacity.is_not(None))):
        assert queries.occupancy(location) <= location.capacity, location


def test_the_older_boxes_moved_to_the_depot_with_their_history(ctx: Flask) -> None:
    depot = db.session.scalar(select(Location).where(Location.name == "Depot Nieuwegein"))
    moved = db.session.scalars(select(Movement).where(Movement.location_id.is_not(None))).all()
    assert moved
    for movement in moved:
        box = movement.location
        assert queries.is_within(box, depot) and movement.to_location_id == box.parent_id
        assert queries.path(movement.from_location)[0].name == "Archief Utrecht"


def test_each_items_state_is_its_latest_movement(ctx: Flask) -> None:
    wrong = db.session.scalar(text(
        "SELECT count(*) FROM physical_item p WHERE p.last_movement_id IS DISTINCT FROM ("
        "SELECT m.id FROM movement m WHERE m.item_id = p.id ORDER BY m.at DESC, m.id DESC "
        "LIMIT 1)"))
    assert wrong == 0
    statuses = Counter(queries.state_of(item).status for item in _items())
    assert statuses[Status.MISSING] == 1
    assert statuses[Status.CHECKED_OUT] == ctx.config["DEMO_COUNTS"]["originals out"] >= 5
    on_return_shelf = [item for item in _items()
                       if queries.state_of(item).location is not None
                       and queries.state_of(item).location.name == "Retourplank"]
    assert len(on_return_shelf) == 3


def test_past_loans_came_back_and_nothing_is_dated_in_the_future(ctx: Flask) -> None:
    kinds = Counter(db.session.scalars(select(Movement.kind)))
    assert kinds["check_out"] >= ctx.config["DEMO_COUNTS"]["past loans"] > 30
    latest = db.session.scalar(select(func.max(Movement.at)))
    assert latest <= utcnow()


def test_one_loan_is_overdue_and_someone_waits_for_it(ctx: Flask) -> None:
    (loan,) = overdue_loans()
    assert loan.state.person is not None and loan.days_overdue(queries.today()) >= 1
    lists = desk()
    assert len(lists.pick) == 4
    assert all(row.place_label.startswith(("Archief Utrecht", "Depot Nieuwegein"))
               for row in lists.pick)
    (waiting,) = [row for row in lists.waiting if row.item.id == loan.item.id]
    assert waiting.request.requester_id != loan.state.person.id
    assert len(lists.out) == 1 and lists.out[0].request.status == "delivered"


def test_the_advisor_proposes_the_contract_asked_for_four_times(ctx: Flask) -> None:
    (found,) = advice(3, 12)
    assert found.requests == 4 and found.document.document_type.code == "contract"
    returned = db.session.scalars(select(RetrievalRequest.status).where(
        RetrievalRequest.item_id == found.item.id)).all()
    assert returned == ["returned"] * 4


def test_movements_are_audited_as_the_demo_clerk(ctx: Flask) -> None:
    clerk = find_user("clerk")
    moves = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "move", AuditEvent.actor_id == clerk.id))
    assert moves >= 10


def test_the_archive_screens_show_the_demo(demo_app: Flask) -> None:
    client = demo_app.test_client()
    with demo_app.app_context():
        clerk = find_user("clerk")
        login(client, clerk, DEMO_PASSWORD)
    dashboard = client.get("/archive").get_data(as_text=True)
    assert "Archief Utrecht" in dashboard and "Depot Nieuwegein" in dashboard
    assert "To pick (4)" in client.get("/archive/requests").get_data(as_text=True)
    overdue = client.get("/archive/requests/overdue")
    assert overdue.status_code == 200 and "Retourplank" not in overdue.get_data(as_text=True)
    assert client.get("/archive/requests/picklist.pdf").data.startswith(b"%PDF")


def test_a_second_demo_load_leaves_the_archive_alone(ctx: Flask) -> None:
    before = db.session.scalar(select(func.count()).select_from(Movement))
    assert load_archive(date(2026, 11, 25), 2) == {}
    assert db.session.scalar(select(func.count()).select_from(Movement)) == before
    db.session.rollback()


def test_without_a_clerk_there_is_no_archive(app: Flask) -> None:
    assert find_user("clerk") is None
    assert load_archive(date(2026, 11, 25), 1) == {}
    assert db.session.scalar(select(func.count()).select_from(Location)) == 0
