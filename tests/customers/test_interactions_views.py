"""Contact pages: record, read, edit and delete a contact; the timeline on the dossier."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.customers.interaction_models import Interaction
from dossier.extensions import db
from tests.customers.contact_objects import make_complaint, make_interaction
from tests.factories import CustomerFactory, DocumentFactory

LoginAs = Callable[..., User]
FORM = {"occurred_at": "2025-03-04T10:30", "channel": "email", "direction": "outbound",
        "scope": "sales", "subject": "Offerte verstuurd", "summary": "Met korting."}


def _url(customer_id: int, tail: str = "") -> str:
    return f"/customers/{customer_id}/interactions{tail}"


def test_record_a_contact(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    document = DocumentFactory(scopes=["sales"], customers=[customer], title="Offerte 12")
    user = login_as("sales")
    page = client.get(_url(customer.id, "/new"))
    assert page.status_code == 200
    assert "Offerte 12" in page.get_data(as_text=True)
    response = client.post(_url(customer.id, "/new"),
                           data=FORM | {"document_ids": [str(document.id)],
                                        "handler_id": str(user.id)})
    assert response.status_code == 302
    interaction = db.session.scalar(select(Interaction))
    assert interaction is not None and interaction.customer_id == customer.id
    # The form's time is local (Europe/Amsterdam by default); stored in UTC.
    assert interaction.occurred_at == datetime(2025, 3, 4, 9, 30)
    assert [d.id for d in interaction.documents] == [document.id]
    assert response.headers["Location"].endswith(_url(customer.id, f"/{interaction.id}"))
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Offerte verstuurd" in shown and "Met korting." in shown


def test_bad_input_gets_messages_not_an_error(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    login_as("sales")
    response = client.post(_url(customer.id, "/new"), data=FORM | {
        "occurred_at": "gisteren", "subject": "", "scope": "care", "channel": "fax"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("Give the date and time as", "Give a subject.",
                    "You may not record contacts in this scope.", "Choose a channel."):
        assert message in page
    assert db.session.scalar(select(Interaction.id)) is None


def test_edit_shows_local_time_and_saves(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "care", at=datetime(2025, 7, 1, 8, 0))
    login_as("care")
    page = client.get(_url(customer.id, f"/{interaction.id}/edit")).get_data(as_text=True)
    assert 'value="2025-07-01T10:00"' in page  # summer time in Amsterdam
    response = client.post(_url(customer.id, f"/{interaction.id}/edit"), data={
        "occurred_at": "2025-07-01T10:00", "channel": "phone", "direction": "inbound",
        "scope": "care", "subject": "Storing verholpen", "summary": ""})
    assert response.status_code == 302
    assert interaction.subject == "Storing verholpen"
    assert interaction.occurred_at == datetime(2025, 7, 1, 8, 0)


def test_other_scopes_and_customers_are_refused(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    care_contact = make_interaction(customer, "care")
    login_as("sales")
    assert client.get(_url(customer.id, f"/{care_contact.id}")).status_code == 403
    assert client.get(_url(customer.id, f"/{care_contact.id}/edit")).status_code == 403
    other = CustomerFactory()
    assert client.get(_url(other.id, f"/{care_contact.id}")).status_code == 404
    assert client.get(_url(customer.id, "/987654")).status_code == 404


def test_clerk_has_no_contact_pages(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    login_as("clerk")
    assert client.get(_url(customer.id, "/new")).status_code == 403


def test_reading_a_contact_is_audited(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "sales")
    login_as("compliance")
    assert client.get(_url(customer.id, f"/{interaction.id}")).status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "Interaction"))
    assert event is not None and event.action == "view" and event.customer_id == customer.id


def test_delete_asks_first_and_only_admins(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "sales", subject="Weg ermee")
    login_as("sales")
    assert client.get(_url(customer.id, f"/{interaction.id}/delete")).status_code == 403
    assert client.post(_url(customer.id, f"/{interaction.id}/delete")).status_code == 403
    client.post("/logout")
    login_as("admin")
    page = client.get(_url(customer.id, f"/{interaction.id}/delete"))
    assert page.status_code == 200 and "Weg ermee" in page.get_data(as_text=True)
    assert db.session.get(Interaction, interaction.id) is not None  # asking deletes nothing
    response = client.post(_url(customer.id, f"/{interaction.id}/delete"))
    assert response.status_code == 302
    assert db.session.get(Interaction, interaction.id) is None


def test_delete_without_csrf_token_is_refused(client: FlaskClient, login_as: LoginAs,
                                              app: Flask, monkeypatch) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "sales")
    login_as("admin")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(_url(customer.id, f"/{interaction.id}/delete")).status_code == 400
    assert db.session.get(Interaction, interaction.id) is not None


def test_dossier_shows_the_timeline_escaped(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    make_interaction(customer, "sales", "phone", subject="<script>alert(1)</script>",
                     summary="<b>vet</b>")
    make_interaction(customer, "care", "email", subject="Geheime zorgzaak")
    make_complaint(customer, "care", subject="Zorgklacht")
    login_as("sales")
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert 'id="timeline"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;b&gt;vet&lt;/b&gt;" in page
    assert "Geheime zorgzaak" not in page and "Zorgklacht" not in page
    assert 'data-channel="phone"' in page and 'data-channel="email"' not in page
    assert 'data-last-channel="phone"' in page


def test_dossier_for_a_clerk_has_no_contacts(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    make_interaction(customer, "sales", subject="Verkoopgesprek")
    login_as("clerk")
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "Verkoopgesprek" not in page
    assert "Channel usage" not in page and "Record contact" not in page
    assert 'name="tl_channel"' not in page and 'value="interaction"' not in page


def test_dossier_timeline_filters_and_bad_values(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    make_interaction(customer, "sales", "phone", subject="Telefoontje")
    make_interaction(customer, "sales", "email", subject="Mailtje")
    login_as("sales")
    page = client.get(f"/customers/{customer.id}?tl_channel=email").get_data(as_text=True)
    assert "Mailtje" in page and "Telefoontje" not in page
    response = client.get(f"/customers/{customer.id}?tl_channel=fax&tl_page=abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "was not understood" in page and "Telefoontje" in page


def test_confirmation_text_is_escaped(client: FlaskClient, login_as: LoginAs) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "sales", subject="<img src=x onerror=alert(1)>")
    login_as("admin")
    page = client.get(_url(customer.id, f"/{interaction.id}/delete")).get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
