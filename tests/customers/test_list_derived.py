"""The customer list: filtering and sorting on derived fields, and its CSV export."""

from __future__ import annotations

import csv
import io
import re

from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.customers.derived_support import define, order, spent_in
from tests.factories import CustomerFactory


def _numbers(html: str) -> list[str]:
    return re.findall(r'href="/customers/\d+">(\w+)</a></td>', html)


def _spenders() -> None:
    spent_in(2025)
    for number, amount in (("600001", "50.00"), ("600002", "2000.00"), ("600003", None)):
        customer = CustomerFactory(number=number, last_name=f"N{number}")
        if amount:
            order(customer, amount)


def test_filter_on_a_derived_field(client: FlaskClient, login_as) -> None:
    _spenders()
    login_as("loyalty")
    page = client.get("/customers/?f=derived:spent&op=>&v=100").get_data(as_text=True)
    assert _numbers(page) == ["600002"]
    assert 'data-derived="spent"' in page  # the filtered field is shown as a column
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "search"))
    assert event is not None and event.details["filter"]["field"] == "derived:spent"


def test_sort_on_a_derived_field_puts_empty_values_last(client: FlaskClient,
                                                         login_as) -> None:
    _spenders()
    login_as("loyalty")
    descending = client.get("/customers/?sort=-derived:spent").get_data(as_text=True)
    assert _numbers(descending)[:2] == ["600002", "600001"]
    ascending = client.get("/customers/?sort=derived:spent").get_data(as_text=True)
    assert _numbers(ascending).index("600001") < _numbers(ascending).index("600002")


def test_a_field_the_user_may_not_see_is_neither_filter_nor_sort(client: FlaskClient,
                                                                 login_as) -> None:
    _spenders()
    define("care_secret", source="complaints", scopes=["care"])
    login_as("sales")
    response = client.get("/customers/?f=derived:care_secret&op=>&v=0&sort=derived:care_secret")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The field filter was not applied" in page
    assert len(_numbers(page)) == 3


def test_a_bad_value_is_explained_not_an_error(client: FlaskClient, login_as) -> None:
    _spenders()
    login_as("loyalty")
    page = client.get("/customers/?f=derived:spent&op=>&v=much").get_data(as_text=True)
    assert "“much” is not a number" in page


def test_export_as_filtered(client: FlaskClient, login_as) -> None:
    _spenders()
    login_as("loyalty")
    response = client.get("/customers/export.csv?f=derived:spent&op=>=&v=50&sort=number")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(row["number"], row["spent"]) for row in rows] == [
        ("600001", "50"), ("600002", "2000")]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event is not None and event.details["rows"] == 2
    assert event.details["list"]["f"] == "derived:spent"


def test_export_quotes_cells_a_spreadsheet_would_run(client: FlaskClient, login_as) -> None:
    CustomerFactory(number="600009", last_name="=HYPERLINK(1)")
    login_as("sales")
    text = client.get("/customers/export.csv?q=600009").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text
