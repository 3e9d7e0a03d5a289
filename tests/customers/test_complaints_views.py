"""Complaint pages: open one from a contact or directly, read it, move its status on."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.auth.models import User
from dossier.customers.interaction_models import Complaint
from dossier.extensions import db
from tests.customers.contact_objects import make_complaint, make_interaction
from tests.factories import CustomerFactory

LoginAs = Callable[..., User]


def _url(customer_id: int, tail: str = "") -> str:
    return f"/customers/{customer_id}/complaints{tail}"


def test_open_from_a_contact(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "care", subject="Monteur kwam niet")
    login_as("care")
    page = client.get(_url(customer.id, f"/new?interaction={interaction.id}"))
    assert page.status_code == 200
    assert 'value="Monteur kwam niet"' in page.get_data(as_text=True)
    response = client.post(_url(customer.id, f"/new?interaction={interaction.id}"),
                           data={"subject": "Monteur kwam niet", "handler_id": ""})
    assert response.status_code == 302
    complaint = db.session.scalar(select(Complaint))
    assert complaint is not None
    assert (complaint.scope, complaint.interaction_id) == ("care", interaction.id)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Monteur kwam niet" in shown and 'data-status="open"' in shown


def test_open_directly_and_bad_input(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    login_as("loyalty")
    response = client.post(_url(customer.id, "/new"), data={"subject": "", "scope": "sales"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give a subject." in page and "You may not record contacts in this scope." in page
    response = client.post(_url(customer.id, "/new"),
                           data={"subject": "Punten niet bijgeschreven", "scope": "loyalty"})
    assert response.status_code == 302


def test_someone_elses_contact_cannot_raise_a_complaint(client: FlaskClient,
                                                        login_as: LoginAs) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "care")
    login_as("sales")
    assert client.get(_url(customer.id, f"/new?interaction={interaction.id}")).status_code == 403
    assert client.get(_url(customer.id, "/new?interaction=abc")).status_code == 404


def test_resolve_needs_a_resolution(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    complaint = make_complaint(customer, "sales")
    login_as("sales")
    url = _url(customer.id, f"/{complaint.id}/status")
    response = client.post(url, data={"status": "resolved", "resolution": ""})
    assert response.status_code == 422
    assert "Say how the complaint was settled." in response.get_data(as_text=True)
    response = client.post(url, data={"status": "resolved",
                                      "resolution": "<i>Factuur</i> gecorrigeerd."})
    assert response.status_code == 302
    assert complaint.status == "resolved"
    page = client.get(_url(customer.id, f"/{complaint.id}")).get_data(as_text=True)
    assert "&lt;i&gt;Factuur&lt;/i&gt; gecorrigeerd." in page
    response = client.post(url, data={"status": "in_progress"})
    assert response.status_code == 422
    assert "can only be reopened" in response.get_data(as_text=True)


def test_scope_and_role_checks(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    complaint = make_complaint(customer, "care")
    login_as("compliance")
    assert client.get(_url(customer.id, f"/{complaint.id}")).status_code == 200
    assert client.post(_url(customer.id, f"/{complaint.id}/status"),
                       data={"status": "in_progress"}).status_code == 403
    client.post("/logout")
    login_as("sales")
    assert client.get(_url(customer.id, f"/{complaint.id}")).status_code == 403
    assert client.get(_url(CustomerFactory().id, f"/{complaint.id}")).status_code == 404
