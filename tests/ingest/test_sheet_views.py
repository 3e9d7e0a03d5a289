"""The cover sheet and separator sheet pages: who may print what, and what they get."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from dossier.auth.models import User
from dossier.barcodes import CoverCode, SeparatorCode, parse
from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.extensions import db
from dossier.ingest.barcode_reader import read_barcodes
from tests.factories import CustomerFactory, UserFactory, login
from tests.ingest.barcode_images import scan


@pytest.fixture
def customer(app: Flask) -> Customer:
    return CustomerFactory(first_name="Anna", last_name="Jansen")


def _user(client: FlaskClient, *roles: str) -> User:
    user = UserFactory(roles=roles)
    login(client, user)
    return user


def _cover_url(customer: Customer, **args: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/sheets/cover/{customer.id}" + (f"?{query}" if query else "")


def test_the_form_offers_the_users_types_and_scopes(client: FlaskClient,
                                                    customer: Customer) -> None:
    _user(client, "sales")
    response = client.get(_cover_url(customer))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert customer.number in page and "Anna Jansen" in page
    assert 'value="contract"' in page and 'value="sla"' not in page  # sla: care only
    assert '<option selected value="sales">' in page and 'value="care"' not in page
    assert "/sheets/separator" in page


def test_choosing_type_and_scope_gives_the_cover_sheet_pdf(client: FlaskClient,
                                                           customer: Customer) -> None:
    _user(client, "sales")
    response = client.get(_cover_url(customer, type="contract", scope="sales"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline")
    assert f"cover-sheet-{customer.number}-contract-sales.pdf" in disposition
    assert "no-store" in response.headers["Cache-Control"]
    pdf = response.get_data()
    assert "Anna Jansen" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    [found] = read_barcodes(scan(pdf))
    assert parse(found.text) == CoverCode(customer.id, "contract", "sales")


def test_printing_a_cover_sheet_is_audited(client: FlaskClient, customer: Customer) -> None:
    user = _user(client, "care")
    client.get(_cover_url(customer, type="service_call", scope="care"))
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export", AuditEvent.customer_id == customer.id)).one()
    assert event.actor_id == user.id and event.scope == "care"
    assert event.details == {"sheet": "cover", "type": "service_call"}


def test_a_type_not_filed_under_the_scope_is_refused(client: FlaskClient,
                                                     customer: Customer) -> None:
    _user(client, "admin")
    response = client.get(_cover_url(customer, type="sla", scope="sales"))
    assert response.status_code == 422
    assert "SLA is not filed under Sales." in response.get_data(as_text=True)


def test_no_type_is_chosen_for_the_user(client: FlaskClient, customer: Customer) -> None:
    _user(client, "sales")
    page = client.get(_cover_url(customer)).get_data(as_text=True)
    assert re.search(r'<select[^>]*name="type"[^>]*>\s*<option (selected )?value="">—', page)
    response = client.get(_cover_url(customer, type="", scope="sales"))
    assert response.status_code == 422
    assert "Choose a document type." in response.get_data(as_text=True)


@pytest.mark.parametrize("args", [
    {"type": "contract", "scope": "care"},  # a scope the sales user cannot write
    {"type": "sla", "scope": "sales"},  # a type the sales user cannot file
    {"type": "nonsense", "scope": "sales"},
    {"type": "contract"},
])
def test_choices_outside_the_users_reach_are_refused(client: FlaskClient, customer: Customer,
                                                     args: dict[str, str]) -> None:
    _user(client, "sales")
    response = client.get(_cover_url(customer, **args))
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()


@pytest.mark.parametrize("roles", [("clerk",), ("compliance",)])
def test_users_who_cannot_file_documents_get_no_cover_sheet(client: FlaskClient,
                                                            customer: Customer,
                                                            roles: tuple[str, ...]) -> None:
    _user(client, *roles)
    assert client.get(_cover_url(customer)).status_code == 403
    assert client.get(_cover_url(customer, type="contract", scope="sales")).status_code == 403


def test_an_unknown_customer_is_not_found(client: FlaskClient, customer: Customer) -> None:
    _user(client, "sales")
    assert client.get("/sheets/cover/999999?type=contract&scope=sales").status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client: FlaskClient,
                                                customer: Customer) -> None:
    for url in (_cover_url(customer, type="contract", scope="sales"), "/sheets/separator"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_separator_sheet_is_a_pdf_for_anyone_signed_in(client: FlaskClient) -> None:
    _user(client, "clerk")
    response = client.get("/sheets/separator")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    [found] = read_barcodes(scan(response.get_data()))
    assert parse(found.text) == SeparatorCode()


@pytest.mark.parametrize(("roles", "shown"), [(("sales",), True), (("admin",), True),
                                              (("clerk",), False), (("compliance",), False)])
def test_the_dossier_page_links_to_the_cover_sheet(client: FlaskClient, customer: Customer,
                                                   roles: tuple[str, ...], shown: bool) -> None:
    _user(client, *roles)
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert (f'href="/sheets/cover/{customer.id}"' in page) is shown
