"""The segment pages: builder with (live) count, list, customers, CSV export, scopes."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.segment_conditions import Condition
from dossier.customers.segment_models import Segment
from dossier.customers.segment_services import SegmentInput, create_segment
from dossier.extensions import db
from tests.customers.derived_support import complaint, define, open_complaints, order, spent_in
from tests.factories import CustomerFactory, UserFactory


def builder(**changes: Any) -> dict[str, Any]:
    data = {"name": "Loyal", "scope": "loyalty", "match": "all", "description": "",
            "field-1": "derived:spent", "op-1": ">", "value-1": "1000",
            "field-2": "derived:open_complaints", "op-2": "=", "value-2": "0",
            "field-3": "", "op-3": "=", "value-3": "", "action": "save"}
    return data | changes


def _shoppers() -> tuple[Any, Any]:
    spent_in(2025)
    open_complaints()
    loyal = CustomerFactory(last_name="Loyal", number="500001")
    grumpy = CustomerFactory(last_name="Grumpy", number="500002")
    order(loyal, "1200.00")
    order(grumpy, "3000.00")
    complaint(grumpy)
    return loyal, grumpy


def test_a_loyalty_user_builds_counts_and_saves_the_segment(client: FlaskClient,
                                                            login_as) -> None:
    _shoppers()
    login_as("loyalty")
    page = client.get("/segments/new").get_data(as_text=True)
    assert "Spent" in page and "Open Complaints" in page
    counted = client.post("/segments/new", data=builder(action="count"))
    assert counted.status_code == 200
    assert "data-segment-count>1<" in counted.get_data(as_text=True)
    live = client.post("/segments/count", data=builder())
    assert live.get_json() == {"count": 1, "errors": {}}
    response = client.post("/segments/new", data=builder())
    assert response.status_code == 302
    segment = db.session.scalar(select(Segment))
    assert segment is not None and segment.scope == "loyalty"
    shown = client.get(f"/segments/{segment.id}").get_data(as_text=True)
    assert "500001" in shown and "500002" not in shown
    assert "Loyal" in client.get("/segments/").get_data(as_text=True)


def test_more_rows_without_javascript(client: FlaskClient, login_as) -> None:
    login_as("loyalty")
    page = client.post("/segments/new", data=builder(action="more")).get_data(as_text=True)
    assert 'name="field-6"' in page


def test_a_bad_condition_is_named_by_its_row(client: FlaskClient, login_as) -> None:
    _shoppers()
    login_as("loyalty")
    response = client.post("/segments/new", data=builder(**{"value-1": "much"}))
    assert response.status_code == 422
    assert "Condition 1: “much” is not a number" in response.get_data(as_text=True)
    live = client.post("/segments/count", data=builder(**{"value-1": "much"}))
    assert live.status_code == 422 and live.get_json()["count"] is None


def test_export_is_streamed_audited_and_limited_to_visible_fields(client: FlaskClient,
                                                                  login_as) -> None:
    loyal, _grumpy = _shoppers()
    define("care_secret", source="complaints", scopes=["care"])
    user = login_as("loyalty")
    segment = create_segment(user, SegmentInput("Loyal", "loyalty", conditions=[
        Condition("derived:spent", ">", "1000"), Condition("derived:open_complaints", "=", "0")]))
    response = client.get(f"/segments/{segment.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["number"] for row in rows] == ["500001"]
    assert rows[0]["spent"] == "1200" and rows[0]["open_complaints"] == "0"
    assert "care_secret" not in rows[0]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event is not None and event.details["customers"] == [loyal.id]
    assert event.details["segment"] == segment.id


def test_segments_stay_within_their_scope(client: FlaskClient, login_as) -> None:
    _shoppers()
    admin = UserFactory(roles=("admin",))
    segment = create_segment(admin, SegmentInput("Sales only", "sales", conditions=[
        Condition("key:city", "=", "Amsterdam")]))
    login_as("loyalty")
    assert "Sales only" not in client.get("/segments/").get_data(as_text=True)
    assert client.get(f"/segments/{segment.id}").status_code == 403
    assert client.get(f"/segments/{segment.id}/export.csv").status_code == 403
    assert client.post(f"/segments/{segment.id}/delete").status_code == 403
    response = client.post("/segments/new", data=builder(scope="sales"))
    assert response.status_code == 422


def test_clerks_and_compliance_cannot_make_segments(client: FlaskClient, login_as) -> None:
    login_as("compliance")
    assert client.get("/segments/new").status_code == 403


def test_edit_and_delete(client: FlaskClient, login_as) -> None:
    _shoppers()
    user = login_as("loyalty")
    segment = create_segment(user, SegmentInput("Loyal", "loyalty", conditions=[
        Condition("derived:spent", ">", "1000")]))
    page = client.get(f"/segments/{segment.id}/edit").get_data(as_text=True)
    assert 'value="1000"' in page
    response = client.post(f"/segments/{segment.id}/edit", data=builder(name="Renamed"))
    assert response.status_code == 302 and segment.name == "Renamed"
    assert client.post(f"/segments/{segment.id}/delete").status_code == 302
    assert db.session.get(Segment, segment.id) is None
