"""The mailing pages: who may use them, making a mailing, printing, following and correcting."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.extensions import db
from dossier.mailings.models import Mailing
from tests.factories import UserFactory, login
from tests.mailings.conftest import make_mailing

NEW_MAILING = {"name": "Voorjaarsactie", "scope": "sales", "subject": "Onze voorjaarsactie",
               "body": "Geachte klant,\n\nDoet u mee?", "answer_options": "Ja\nNee",
               "city": "utrecht", "postcode": "351"}


def _as(client: FlaskClient, *roles: str) -> User:
    user = UserFactory(roles=roles)
    login(client, user)
    return user


def _events(action: str, object_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == object_type)))


def test_the_list_shows_the_mailings_of_ones_scopes(client: FlaskClient, mailing: Mailing,
                                                    sales: User) -> None:
    login(client, sales)
    page = client.get("/mailings/").get_data(as_text=True)
    assert "Najaarsavond" in page and "/mailings/new" in page
    client.post("/logout")
    _as(client, "care")
    page = client.get("/mailings/").get_data(as_text=True)
    assert "Najaarsavond" not in page


def test_the_form_previews_the_recipients_without_making_anything(
        client: FlaskClient, utrecht: list[Customer]) -> None:
    _as(client, "sales")
    form = client.get("/mailings/new").get_data(as_text=True)
    assert "Yes\nNo\nMaybe" in form or "Ja\nNee\nMisschien" in form
    response = client.post("/mailings/new", data=NEW_MAILING | {"action": "preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Anna Jansen" in page and "Bram de Vries" in page and "Cor Bakker" not in page
    assert db.session.scalar(select(Mailing.id)) is None


def test_making_a_mailing_leads_to_its_page(client: FlaskClient,
                                            utrecht: list[Customer]) -> None:
    user = _as(client, "sales")
    response = client.post("/mailings/new", data=NEW_MAILING | {"action": "create"})
    mailing = db.session.scalars(select(Mailing)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mailings/{mailing.id}")
    assert (mailing.name, mailing.answer_options, mailing.created_by_id) == (
        "Voorjaarsactie", ["Ja", "Nee"], user.id)
    assert mailing.recipient_filter == {"postcode": "351", "city": "utrecht"}
    assert len(mailing.recipients) == 2


def test_a_mailing_that_cannot_be_made_shows_why(client: FlaskClient,
                                                 utrecht: list[Customer]) -> None:
    _as(client, "sales")
    data = NEW_MAILING | {"action": "create", "answer_options": "Ja", "city": "Nergens"}
    response = client.post("/mailings/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "between 2 and 5 answers" in page or "tussen 2 en 5 antwoorden" in page
    assert db.session.scalar(select(Mailing.id)) is None


def test_the_mailing_page_lists_recipients_and_audits_the_reading(
        client: FlaskClient, mailing: Mailing, sales: User, utrecht: list[Customer]) -> None:
    login(client, sales)
    response = client.get(f"/mailings/{mailing.id}?sort=-name&view=sent")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.index("Anna Jansen") < page.index("Cor Bakker")  # -name: jansen first
    assert f"/mailings/{mailing.id}/letters.pdf" in page
    [event] = _events("view", "Mailing")
    assert event.actor_id == sales.id and event.object_id == str(mailing.id)
    assert sorted(event.details["customers"]) == sorted(c.id for c in utrecht)


def test_only_writers_in_the_mailings_scope_may_open_it(client: FlaskClient,
                                                        mailing: Mailing) -> None:
    _as(client, "care")
    assert client.get(f"/mailings/{mailing.id}").status_code == 403
    assert client.get(f"/mailings/{mailing.id}/letters.pdf").status_code == 403
    client.post("/logout")
    _as(client, "clerk")
    assert client.get("/mailings/").status_code == 403
    client.post("/logout")
    _as(client, "admin")
    assert client.get(f"/mailings/{mailing.id}").status_code == 200
    assert client.get("/mailings/987654321").status_code == 404


def test_the_letters_download_as_one_pdf_and_are_audited(client: FlaskClient,
                                                         mailing: Mailing, sales: User) -> None:
    login(client, sales)
    response = client.get(f"/mailings/{mailing.id}/letters.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    assert len(PdfReader(io.BytesIO(response.get_data())).pages) == 3
    [event] = _events("export", "Mailing")
    assert event.details == {"letters": 3} and event.scope == "sales"


def test_an_answer_is_corrected_from_the_list(client: FlaskClient, mailing: Mailing,
                                              sales: User) -> None:
    login(client, sales)
    recipient = mailing.recipients[0]
    url = f"/mailings/{mailing.id}/recipients/{recipient.id}/answer"
    response = client.post(url, data={"answer": "2", "sort": "-name", "page": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mailings/{mailing.id}?page=1&sort=-name")
    db.session.refresh(recipient)
    assert (recipient.status, recipient.answer, recipient.answer_source) == (
        "responded", "Misschien", "manual")
    client.post(url, data={"answer": "unknown"})
    db.session.refresh(recipient)
    assert recipient.responded and recipient.answer is None
    client.post(url, data={"answer": ""})
    db.session.refresh(recipient)
    assert not recipient.responded
    assert len(_events("update", "MailingRecipient")) == 3


def test_an_answer_not_offered_changes_nothing(client: FlaskClient, mailing: Mailing,
                                               sales: User) -> None:
    login(client, sales)
    recipient = mailing.recipients[0]
    url = f"/mailings/{mailing.id}/recipients/{recipient.id}/answer"
    for value in ("7", "ja", "-1"):
        response = client.post(url, data={"answer": value}, follow_redirects=True)
        assert response.status_code == 200
    db.session.refresh(recipient)
    assert not recipient.responded and _events("update", "MailingRecipient") == []


def test_a_recipient_of_another_mailing_is_not_found_here(client: FlaskClient, app: Flask,
                                                          mailing: Mailing,
                                                          sales: User) -> None:
    other = make_mailing(sales, name="Tweede")
    login(client, sales)
    url = f"/mailings/{other.id}/recipients/{mailing.recipients[0].id}/answer"
    assert client.post(url, data={"answer": "0"}).status_code == 404


def test_the_made_message_counts_one_letter_as_one(client: FlaskClient,
                                                   utrecht: list[Customer]) -> None:
    login(client, UserFactory(roles=("sales",), locale="nl"))
    data = NEW_MAILING | {"action": "create", "postcode": "3511"}
    page = client.post("/mailings/new", data=data, follow_redirects=True).get_data(as_text=True)
    assert len(db.session.scalars(select(Mailing)).one().recipients) == 1
    assert "is gemaakt met 1 brief." in page
