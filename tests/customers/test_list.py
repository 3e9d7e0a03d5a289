"""The customer list: search, filters, sorting, pagination and who may see it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import CustomerFactory


def _numbers(html: str) -> list[str]:
    """Customer numbers in the order the table lists them."""
    return re.findall(r'href="/customers/\d+">(\w+)</a></td>', html)


@pytest.fixture
def people(app: Flask) -> None:
    CustomerFactory(number="500001", first_name="Jan", last_name="Jansen", postcode="1234 AB",
                    city="Utrecht", email="jan@voorbeeld.nl")
    CustomerFactory(number="500002", first_name="Piet", last_name="Bakker", postcode="9876 ZX",
                    city="Amsterdam", email="piet@example.com", status="inactive")
    CustomerFactory(number="510003", kind="organisation", organisation_name="Bakkerij De Eik",
                    first_name="", last_name="", postcode="1234 CD", city="Breda",
                    email="info@eik.nl")


@pytest.mark.parametrize(("query", "expected"), [
    ("500001", ["500001"]),                # exact number
    ("5000", ["500001", "500002"]),        # number prefix
    ("jansen", ["500001"]),                # last name, any case
    ("PIET", ["500002"]),                  # first name
    ("bakker", ["500002", "510003"]),      # last name and organisation name
    ("jan jansen", ["500001"]),            # every word in the name
    ("1234ab", ["500001"]),                # postcode without space, lower case
    ("1234 ab", ["500001"]),
    ("1234", ["500001", "510003"]),        # the digits only
    ("example.com", ["500002"]),           # e-mail
    ("nobody", []),
])
def test_search_matches_number_name_postcode_and_email(
    client: FlaskClient, login_as, people, query: str, expected: list[str]
) -> None:
    login_as("sales")
    response = client.get("/customers/", query_string={"q": query, "sort": "number"})
    assert response.status_code == 200
    assert _numbers(response.get_data(as_text=True)) == expected


def test_search_is_audited(client: FlaskClient, login_as, people) -> None:
    user = login_as("care")
    client.get("/customers/", query_string={"q": "jansen"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.actor_id == user.id,
                                                       AuditEvent.action == "search"))
    assert event is not None and event.details == {"query": "jansen", "results": 1}


def test_filter_by_kind_and_status(client: FlaskClient, login_as, people) -> None:
    login_as("sales")
    html = client.get("/customers/?kind=organisation").get_data(as_text=True)
    assert _numbers(html) == ["510003"]
    html = client.get("/customers/?status=inactive").get_data(as_text=True)
    assert _numbers(html) == ["500002"]
    html = client.get("/customers/?status=bogus&sort=number").get_data(as_text=True)
    assert _numbers(html) == ["500001", "500002", "510003"]


@pytest.mark.parametrize(("sort", "expected"), [
    ("name", ["500002", "510003", "500001"]),
    ("-name", ["500001", "510003", "500002"]),
    ("city", ["500002", "510003", "500001"]),
    ("-postcode", ["500002", "510003", "500001"]),
    ("-number", ["510003", "500002", "500001"]),
    ("created", ["500001", "500002", "510003"]),
    ("drop table", ["500002", "510003", "500001"]),  # unknown: by name
])
def test_sorting(client: FlaskClient, login_as, people, sort: str,
                 expected: list[str]) -> None:
    login_as("sales")
    html = client.get("/customers/", query_string={"sort": sort}).get_data(as_text=True)
    assert _numbers(html) == expected


def test_pagination_uses_page_size(app: Flask, client: FlaskClient, login_as,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(5):
        CustomerFactory(number=f"70000{n}")
    login_as("sales")
    first = client.get("/customers/?sort=number").get_data(as_text=True)
    assert _numbers(first) == ["700000", "700001"]
    assert "Page 1 of 3" in first
    last = client.get("/customers/?sort=number&page=3").get_data(as_text=True)
    assert _numbers(last) == ["700004"]
    assert client.get("/customers/?page=99").status_code == 200
    assert client.get("/customers/?page=abc").status_code == 200


def test_empty_state_offers_new_customer_when_permitted(client: FlaskClient, login_as) -> None:
    login_as("sales")
    html = client.get("/customers/").get_data(as_text=True)
    assert "There are no customers yet." in html
    assert 'href="/customers/new"' in html


def test_clerk_lists_but_cannot_create(client: FlaskClient, login_as, people) -> None:
    login_as("clerk")
    html = client.get("/customers/").get_data(as_text=True)
    assert len(_numbers(html)) == 3
    assert 'href="/customers/new"' not in html
    assert client.get("/customers/new").status_code == 403


def test_list_needs_login_and_a_role(client: FlaskClient, login_as) -> None:
    assert client.get("/customers/").status_code == 302
    login_as()
    assert client.get("/customers/").status_code == 403
