"""A customer's interactions through the API, through the contact-history services."""

from __future__ import annotations

import pytest
from flask import Flask

from dossier.customers.interaction_models import Interaction
from dossier.customers.models import Customer
from dossier.extensions import db
from tests.api.conftest import CallerFactory
from tests.factories import CustomerFactory, DocumentFactory


@pytest.fixture
def customer(app: Flask) -> Customer:
    found = CustomerFactory()
    db.session.commit()
    return found


def _url(customer: Customer) -> str:
    return f"/api/v1/customers/{customer.id}/interactions"


def test_record_then_list(caller: CallerFactory, customer: Customer) -> None:
    document = DocumentFactory(scopes=["care"], customers=[customer])
    db.session.commit()
    api = caller("care")
    response = api.post(_url(customer), json={
        "channel": "phone", "direction": "inbound", "subject": "Vraag over de factuur",
        "summary": "Belde over de factuur", "scope": "care", "document_ids": [document.id],
        "occurred_at": "2026-01-31T10:15:00Z"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["handler"]["id"] == api.user.id and body["document_ids"] == [document.id]
    assert body["occurred_at"].startswith("2026-01-31T10:15:00")
    listed = api.get(_url(customer), query_string={"channel": "phone"}).get_json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert api.get(_url(customer), query_string={"channel": "email"}).get_json()["total"] == 0


def test_each_role_sees_only_its_scopes(caller: CallerFactory, customer: Customer) -> None:
    for scope in ("sales", "care"):
        db.session.add(Interaction(customer_id=customer.id, channel="email",
                                   direction="outbound", subject=scope, scope=scope))
    db.session.commit()
    for role, seen in (("sales", {"sales"}), ("care", {"care"}), ("loyalty", set()),
                       ("compliance", {"sales", "care"}), ("admin", {"sales", "care"})):
        listed = caller(role).get(_url(customer)).get_json()
        assert {item["subject"] for item in listed["items"]} == seen, role
    assert caller("clerk").get(_url(customer)).status_code == 403  # no contact history


def test_refusals(caller: CallerFactory, customer: Customer) -> None:
    wrong_scope = caller("sales").post(_url(customer), json={
        "channel": "phone", "direction": "inbound", "subject": "x", "scope": "care"})
    assert wrong_scope.status_code == 422 and "scope" in wrong_scope.get_json()["fields"]
    clerk = caller("clerk").post(_url(customer), json={
        "channel": "phone", "direction": "inbound", "subject": "x", "scope": "care"})
    assert clerk.status_code == 403
    future = caller("care").post(_url(customer), json={
        "channel": "phone", "direction": "inbound", "subject": "x", "scope": "care",
        "occurred_at": "2999-01-01T00:00:00"})
    assert future.status_code == 422 and "occurred_at" in future.get_json()["fields"]
    missing = caller("care").post(_url(customer), json={"channel": "fax"})
    assert missing.status_code == 400
    assert {"channel", "direction", "subject", "scope"} <= set(missing.get_json()["fields"])
