"""The archive benchmark, small: the same code on 300 originals, two clerks and a few
seconds of scanning through a real gunicorn writes its report (no timing asserts)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from bench.archive import build_app, main
from bench.archive_data import HistoryMaker, Plan, check_consistency, load_archive
from bench.archive_load import partition
from bench.archive_report import markdown
from dossier.archive import queries
from dossier.archive.models import Movement, PhysicalItem, Status
from dossier.documents.seed import seed_reference_data
from dossier.extensions import db
from tests.support.databases import fresh_database


@pytest.mark.committed
def test_a_small_run_measures_every_part_and_writes_its_section(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\nNotes kept.\n")
    text = main(["--items", "300", "--movements", "1500", "--clients", "2", "--workers", "2",
                 "--rate", "10", "--seconds", "3", "--warm-up", "1", "--rounds", "2",
                 "--profile-scans", "10", "--report", str(report)])
    written = report.read_text()
    assert "Notes kept." in written and text in written
    assert "<!-- bench:archive:start -->" in written
    for measure in ("Scans/s, 2 clerks as fast as the answers come",
                    "Scan latency paced at 10 scans/s", "Mode change (post + station page",
                    "Pick list on screen", "Pick list PDF", "Full history", "CPU per scan",
                    "Scan outcomes in the paced run", "derived columns consistent"):
        assert measure in text, measure
    assert "--items 300 --movements 1500 --clients 2 --workers 2 --rate 10" in text
    assert "**missed**" not in text or "**Gap**" in text


@pytest.fixture
def committed_app(tmp_path: Path) -> Iterator[Flask]:
    """A fresh, migrated database of its own: the loader writes through connections of
    its own (COPY on PostgreSQL), outside the test's transaction."""
    with fresh_database(tmp_path) as url:
        app = build_app(url, tmp_path)
        with app.app_context():
            upgrade()
            seed_reference_data()
            db.session.commit()
            yield app
            db.session.remove()
            db.engine.dispose()


@pytest.mark.committed
def test_the_loaded_archive_agrees_with_its_movements(committed_app: Flask) -> None:
    plan = load_archive(200, 1200, 2, seed=3)
    assert plan.movements == db.session.scalar(select(func.count()).select_from(Movement))
    assert plan.movements == 1200 and plan.box_movements >= plan.boxes
    assert check_consistency() == []
    history = db.session.get(PhysicalItem, plan.history_item)
    assert len(queries.history(history)) == plan.history_entries >= 400
    for item_id, (box, status) in list(plan.state.items())[:60]:
        item = db.session.get(PhysicalItem, item_id)
        state = queries.state_of(item)
        assert item.home_location_id == box
        expected = {"in": Status.IN_ARCHIVE, "out": Status.CHECKED_OUT,
                    "transit": Status.IN_TRANSIT, "missing": Status.MISSING,
                    "destroyed": Status.DESTROYED}[status]
        assert state.status == expected
        if status == "in":
            assert state.location.id == box
    assert plan.pickable == 0 and len(plan.requested) >= 5  # desk() counts it in the bench


def test_histories_are_in_order_and_loans_do_not_overlap() -> None:
    now = datetime(2026, 11, 25, 12)
    maker = HistoryMaker(random.Random(5), now, [1], [2, 3])
    rows = maker.item(1, 10, 20, loans=30, census=True, final="overdue")
    times = [row["at"] for row in rows]
    assert times == sorted(times) and times[-1] < now
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    kinds = [row["kind"] for row in rows]
    assert kinds.count("check_out") == 31 and kinds.count("census_seen") == 1
    assert kinds[-1] == "check_out" and rows[-1]["due_on"] < now.date()
    outs = [row for row in rows[:-1] if row["kind"] == "check_out"]
    assert all(row["due_on"] == (row["at"] + timedelta(days=14)).date() for row in outs)


def test_clients_share_out_the_originals_and_leave_the_pick_list_alone() -> None:
    plan = Plan(items=6, borrower_ids=[9], history_item=6, requested={5},
                state={1: (10, "in"), 2: (10, "out"), 3: (11, "in"), 4: (11, "missing"),
                       5: (11, "in"), 6: (10, "in")},
                box_fill={10: 2, 11: 2})
    first, second = partition(plan, 2)
    assert (second.inside, second.out, first.inside, first.out) == (
        {1: 10, 3: 11}, {}, {}, {2: 10})
    assert sorted(first.boxes + second.boxes) == [10, 11]


def _result(p99: float) -> dict[str, Any]:
    figures = {"p50": 8.0, "p95": 20.0, "p99": p99, "max": p99 + 10, "n": 1000}
    cpu = {"generator": 6.0, "server": 60.0, "database": 20.0, "machine": 110.0,
           "other": 24.0, "wall": 60.0, "cores": 2, "machine_share": 0.9}
    run = {"rate_target": 200.0, "clients": 8, "seconds": 60.0, "scans": 12_600,
           "rate": 210.0, "latency": figures, "service": figures, "modes": figures,
           "by_mode": {"checkin": figures}, "reasons": {"checked_in": 900},
           "levels": {"ok": 1000}, "cpu": cpu, "load": [1.0, 2.0, 2.0, 2.0]}
    page = {"p50": 100.0, "p95": 200.0, "p99": 200.0, "max": 210.0, "n": 20, "bytes": 9000}
    plan = Plan(items=200_000, movements=1_000_000, box_movements=8_000, locations=8_000,
                boxes=6_600, requests_open=525, requests_closed=80_000, seconds=250.0,
                history_item=100_001, history_entries=402, pickable=500)
    return {"capacity": run, "paced": run, "desk": page, "pdf": page,
            "history": page | {"p95": 40.0}, "typical": page, "consistency": [],
            "plan": plan, "database": "postgresql 15", "load_before": (1.0, 1.0, 1.0),
            "workers": 4}


def test_a_met_target_has_no_gap_and_says_what_a_scan_costs() -> None:
    text = markdown(_result(45.0), "cmd")
    assert "Gap" not in text and "**missed**" not in text
    assert "| p99 <= 50 ms | met |" in text
    assert ("CPU per scan (mode changes and their page reloads included): gunicorn 4.8 ms "
            "+ PostgreSQL 1.6 ms; load generator 0.5 ms.") in text
    assert "Pick list PDF, `GET /archive/requests/picklist.pdf` (500 rows)" in text


def test_a_missed_target_is_written_with_its_gap_and_profile() -> None:
    result = _result(75.0) | {"profile": {"python": "slow_function", "own": "own_time",
                                          "sql": "SELECT slow", "scans": "300",
                                          "statements": "17.0"}}
    text = markdown(result, "cmd")
    assert "**Gap**: scan p99 75.0 ms at 210 scans/s against 50 ms." in text
    assert "17.0 SQL statements per scan" in text
    assert "slow_function" in text and "SELECT slow" in text
