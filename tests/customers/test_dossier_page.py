"""The dossier page: document filters from the query string, the documents section, buttons."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from dossier.customers import views
from dossier.customers.dossier_filters import parse_dossier_filters
from dossier.documents.queries import DossierDocuments, DossierFilters
from tests.factories import CustomerFactory


def test_filters_are_parsed(app: Flask) -> None:
    with app.test_request_context():
        filters, problems = parse_dossier_filters({
            "type": "contract", "class": "static", "from": "01-01-2024", "to": "2024-12-31",
            "page": "2"})
    assert problems == []
    assert filters == DossierFilters(type_code="contract", document_class="static",
                                     date_from=date(2024, 1, 1), date_to=date(2024, 12, 31),
                                     page=2)


def test_bad_filter_values_are_ignored_with_a_message(app: Flask) -> None:
    with app.test_request_context():
        filters, problems = parse_dossier_filters({
            "type": "<script>", "class": "frozen", "from": "yesterday", "to": "2024-02-30",
            "page": "-1"})
    assert filters == DossierFilters()
    assert len(problems) == 5


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[DossierFilters]:
    calls: list[DossierFilters] = []

    def fake(actor: Any, customer: Any, filters: DossierFilters) -> DossierDocuments:
        calls.append(filters)
        return DossierDocuments(filters=filters, total=7)

    monkeypatch.setattr(views, "dossier_documents", fake)
    return calls


def test_page_passes_filters_to_the_documents_query(client: FlaskClient, login_as,
                                                    captured: list[DossierFilters]) -> None:
    customer = CustomerFactory()
    login_as("sales")
    response = client.get(f"/customers/{customer.id}?type=contract&class=dynamic&page=3")
    assert response.status_code == 200
    assert captured == [DossierFilters(type_code="contract", document_class="dynamic", page=3)]


def test_bad_filters_flash_instead_of_failing(client: FlaskClient, login_as,
                                              captured: list[DossierFilters]) -> None:
    customer = CustomerFactory()
    login_as("sales")
    response = client.get(f"/customers/{customer.id}?from=gisteren&page=x&class=frozen")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The date gisteren was not understood and is ignored." in html
    assert "The class filter was not understood" in html
    assert captured == [DossierFilters()]


def test_add_document_button_follows_endpoint_and_permission(
    app: Flask, client: FlaskClient, login_as
) -> None:
    customer = CustomerFactory()
    login_as("clerk")
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "Add document" not in html
    client.post("/logout")
    login_as("sales")
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    if "documents.new" in app.view_functions:
        assert f"/documents/new?customer={customer.id}" in html
    else:
        assert "Add document" not in html


def test_add_document_button_hidden_without_the_endpoint(
    app: Flask, client: FlaskClient, login_as, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(app.view_functions, "documents.new", raising=False)
    customer = CustomerFactory()
    login_as("admin")
    assert "Add document" not in client.get(f"/customers/{customer.id}").get_data(as_text=True)
