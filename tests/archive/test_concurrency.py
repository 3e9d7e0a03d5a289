"""Two clerks, two real database connections, one original: the row lock keeps them apart.

Each clerk works in its own thread with its own application context, hence its own
session and connection, and commits as the station does after each scan. PostgreSQL
serialises them with SELECT ... FOR UPDATE on the item (and on a box with a capacity);
SQLite with its write lock (transactions begin IMMEDIATE).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from dossier import barcodes
from dossier.archive import movements, queries
from dossier.archive.items import create_item
from dossier.archive.locations import update_location
from dossier.archive.models import Location, Movement, PhysicalItem, Status
from dossier.archive.scan import ScanResult, scan, start
from dossier.auth.models import User
from dossier.extensions import db
from tests.archive.conftest import build_tree
from tests.factories import UserFactory

pytestmark = pytest.mark.committed
HOLD_SECONDS = 0.5


@dataclass
class Desk:
    clerks: tuple[int, int]
    borrowers: tuple[int, int]
    items: list[int]
    box: int


@pytest.fixture
def desk(committed_app: Flask) -> Desk:
    with committed_app.app_context():
        clerks = [UserFactory(roles=("clerk",)) for _ in range(2)]
        borrowers = [UserFactory(roles=("care",)) for _ in range(2)]
        tree = build_tree(clerks[0])
        items = [create_item(clerks[0], home=tree.shelf) for _ in range(6)]
        desk = Desk((clerks[0].id, clerks[1].id), (borrowers[0].id, borrowers[1].id),
                    [item.id for item in items], tree.box.id)
        db.session.commit()
        db.session.remove()
    return desk


def _in_thread(app: Flask, work: Callable[[], Any], results: list[Any],
               errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        with app.app_context():
            try:
                results.append(work())
                db.session.commit()
            except BaseException as error:  # reported to the test, which fails on it
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()
    return threading.Thread(target=run)


def _movements(app: Flask, item_id: int) -> list[tuple[str, int | None]]:
    with app.app_context():
        rows = db.session.execute(select(Movement.kind, Movement.to_person_id)
                                  .where(Movement.item_id == item_id).order_by(Movement.id))
        found = [(kind, person) for kind, person in rows]
        db.session.remove()
        return found


def test_the_second_clerk_waits_for_the_first_and_sees_what_it_did(committed_app: Flask,
                                                                   desk: Desk):
    item_id = desk.items[0]
    locked, committed_at = threading.Event(), []

    def first() -> None:
        item = db.session.get(PhysicalItem, item_id)
        person = db.session.get(User, desk.borrowers[0])
        movements.check_out(db.session.get(User, desk.clerks[0]), item, person,
                            queries.today())
        locked.set()
        time.sleep(HOLD_SECONDS)  # hold the lock while the other clerk scans
        committed_at.append(time.monotonic())

    def second() -> ScanResult:
        locked.wait(5)
        clerk = db.session.get(User, desk.clerks[1])
        state = scan(barcodes.make_badge(desk.borrowers[1]), "checkout", start("checkout"),
                     clerk).state
        result = scan(barcodes.make_item(item_id), "checkout", state, clerk)
        return result

    results: list[Any] = []
    errors: list[BaseException] = []
    threads = [_in_thread(committed_app, first, results, errors),
               _in_thread(committed_app, second, results, errors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    refused = next(r for r in results if isinstance(r, ScanResult))
    assert refused.reason == "checked_out_elsewhere", refused.message
    assert _movements(committed_app, item_id) == [("check_out", desk.borrowers[0])]


def test_simultaneous_scans_of_one_original_write_one_movement(committed_app: Flask,
                                                              desk: Desk):
    start_together = threading.Barrier(2)

    def clerk_scans(clerk_id: int, item_id: int) -> Callable[[], str]:
        def work() -> str:
            start_together.wait(5)  # before the transaction: SQLite's starts with its lock
            clerk = db.session.get(User, clerk_id)
            return scan(barcodes.make_item(item_id), "checkin", None, clerk).reason
        return work

    for item_id in desk.items[:4]:
        results: list[Any] = []
        errors: list[BaseException] = []
        threads = [_in_thread(committed_app, clerk_scans(clerk, item_id), results, errors)
                   for clerk in desk.clerks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        assert sorted(results) == ["already_in", "checked_in"]
        assert _movements(committed_app, item_id) == [("check_in", None)]


def test_two_clerks_filling_the_last_place_in_a_box(committed_app: Flask, desk: Desk):
    with committed_app.app_context():
        clerk = db.session.get(User, desk.clerks[0])
        box = db.session.get(Location, desk.box)
        update_location(clerk, box, capacity=1)
        db.session.commit()
        db.session.remove()
    start_together = threading.Barrier(2)

    def clerk_boxes(clerk_id: int, item_id: int) -> Callable[[], str]:
        def work() -> str:
            clerk = db.session.get(User, clerk_id)
            state = scan(barcodes.make_location(desk.box), "box", None, clerk).state
            db.session.commit()  # as the station does after each scan
            start_together.wait(5)
            return scan(barcodes.make_item(item_id), "box", state, clerk).reason
        return work

    results: list[Any] = []
    errors: list[BaseException] = []
    threads = [_in_thread(committed_app, clerk_boxes(clerk, item), results, errors)
               for clerk, item in zip(desk.clerks, desk.items[4:], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == ["location_full", "put_in_box"]
    with committed_app.app_context():
        box = db.session.get(Location, desk.box)
        assert queries.occupancy(box) == 1
        held = db.session.scalar(select(func.count()).select_from(Movement)
                                 .where(Movement.to_location_id == desk.box))
        statuses = {queries.state_of(db.session.get(PhysicalItem, i)).status
                    for i in desk.items[4:]}
        db.session.remove()
    assert held == 1 and statuses == {Status.IN_ARCHIVE, Status.REGISTERED}
