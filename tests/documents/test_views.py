"""Creating, editing and showing documents through the web pages."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.documents.models import DigitalFile, Document
from dossier.extensions import db
from tests.documents.files import EXE, PDF
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login


def _contract_form(customer: Customer, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Onderhoudscontract 2025", "document_date": "2025-01-31",
        "customers": customer.number, "scopes": ["sales"],
        "kp_start_date": "2025-02-01", "kp_end_date": "31-01-2026", "kp_value": "1.250,00",
        "kp_signed_by": "J. de Vries", "notes": "Getekend op de beurs.",
        "paper_original": "y",
    }
    data.update(overrides)
    return data


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _events(action: str, **where: Any) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(query))


def test_type_is_chosen_first_without_javascript(client: FlaskClient, sales: User,
                                                 customer: Customer) -> None:
    login(client, sales)
    page = client.get(f"/documents/new?customer={customer.id}").get_data(as_text=True)
    assert 'name="type"' in page and "Continue" in page
    assert 'value="contract"' in page
    assert 'value="sla"' not in page  # care only: sales cannot file it
    assert f'name="customer" value="{customer.id}"' in page


def test_full_form_has_one_input_per_key_point(client: FlaskClient, sales: User,
                                               customer: Customer) -> None:
    login(client, sales)
    response = client.get(f"/documents/new?customer={customer.id}&type=contract")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for key in ("start_date", "end_date", "value", "signed_by"):
        assert f'name="kp_{key}"' in page
    assert f'value="{customer.number}"' in page
    assert 'value="care"' not in page  # only writable scopes are offered
    assert 'enctype="multipart/form-data"' in page


def test_new_refuses_unknown_or_foreign_types_and_readers(client: FlaskClient, sales: User,
                                                          app: Flask) -> None:
    login(client, sales)
    assert client.get("/documents/new?type=nonsense").status_code == 404
    assert client.get("/documents/new?type=sla").status_code == 403
    client.post("/logout")
    login(client, UserFactory(roles=("compliance",)))
    assert client.get("/documents/new").status_code == 403


def test_create_contract(client: FlaskClient, sales: User, customer: Customer) -> None:
    login(client, sales)
    response = client.post("/documents/new?type=contract", data=_contract_form(customer))
    assert response.status_code == 302
    document = db.session.scalar(select(Document).where(Document.title.like("Onderhoud%")))
    assert document is not None
    assert response.headers["Location"].endswith(f"/documents/{document.id}")
    assert document.key_points == {"start_date": "2025-02-01", "end_date": "2026-01-31",
                                   "value": "1250.00", "signed_by": "J. de Vries"}
    assert document.scopes == ["sales"]
    assert document.customers == [customer]
    assert document.paper_original and document.storage.value == "paper"
    assert document.retention_until == date(2033, 1, 31)  # end date + 84 months
    assert document.created_by_id == sales.id
    assert len(_events("create", customer_id=customer.id, object_id=str(document.id))) == 1


def test_create_with_several_customers(client: FlaskClient, sales: User,
                                       customer: Customer) -> None:
    other = CustomerFactory()
    login(client, sales)
    form = _contract_form(customer, customers=f"{customer.number}, {other.number}")
    assert client.post("/documents/new?type=contract", data=form).status_code == 302
    document = db.session.scalar(select(Document).order_by(Document.id.desc()))
    assert document is not None
    assert {c.id for c in document.customers} == {customer.id, other.id}
    assert {e.customer_id for e in _events("create", object_id=str(document.id))} == {
        customer.id, other.id}


def test_invalid_input_shows_field_errors(client: FlaskClient, sales: User,
                                          customer: Customer) -> None:
    login(client, sales)
    before = _count(Document)
    response = client.post("/documents/new?type=contract", data=_contract_form(
        customer, customers=f"{customer.number}, 999999999", kp_signed_by="",
        kp_end_date="31-02-2026", legal_hold="y"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Unknown customer number(s): 999999999." in page
    assert "This field is required." in page  # signed by
    assert "Enter a date as YYYY-MM-DD or DD-MM-YYYY." in page
    assert "Give the reason for the legal hold." in page
    assert _count(Document) == before


def test_scopes_outside_the_writable_ones_are_refused(client: FlaskClient, sales: User,
                                                      customer: Customer) -> None:
    login(client, sales)
    before = _count(Document)
    response = client.post("/documents/new?type=contract",
                           data=_contract_form(customer, scopes=["care"]))
    assert response.status_code == 422
    response = client.post("/documents/new?type=contract",
                           data=_contract_form(customer, scopes=[]))
    assert response.status_code == 422
    assert _count(Document) == before


def test_show_page_explains_the_class_and_audits_each_customer(
        client: FlaskClient, sales: User, customer: Customer) -> None:
    other = CustomerFactory()
    document = DocumentFactory(type_code="contract", scopes=["sales", "care"],
                               customers=[customer, other],
                               key_points={"end_date": "2999-12-31", "signed_by": "Piet"})
    login(client, sales)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "static for sales because contracts are rarely consulted after signing" in page
    assert "for care because" not in page  # the viewer cannot see the care scope
    assert "Handled as dynamic" in page  # care (current contract) says dynamic
    assert "Signed by" in page and "Piet" in page
    assert "Dec 31, 2999" in page
    viewed = _events("view", object_type="Document", object_id=str(document.id))
    assert {event.customer_id for event in viewed} == {customer.id, other.id}


def test_show_in_dutch_uses_dutch_labels(client: FlaskClient, admin: User) -> None:
    document = DocumentFactory(type_code="contract", scopes=["care"],
                               key_points={"signed_by": "Piet", "end_date": "2000-01-01"})
    login(client, admin)
    client.post("/language", data={"locale": "nl"})
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Ondertekend door" in page
    assert "Signed by" not in page


def test_show_and_edit_permissions(client: FlaskClient, sales: User) -> None:
    care_only = DocumentFactory(scopes=["care"])
    login(client, sales)
    assert client.get(f"/documents/{care_only.id}").status_code == 403
    assert client.get(f"/documents/{care_only.id}/edit").status_code == 403
    assert client.get("/documents/999999").status_code == 404
    assert not _events("view", object_id=str(care_only.id))


def test_edit_keeps_scopes_the_user_cannot_write(client: FlaskClient, sales: User,
                                                 customer: Customer) -> None:
    document = DocumentFactory(type_code="contract", scopes=["sales", "care"],
                               customers=[customer], title="Oud",
                               key_points={"start_date": "2024-01-01", "signed_by": "Piet"})
    login(client, sales)
    page = client.get(f"/documents/{document.id}/edit").get_data(as_text=True)
    assert 'value="Oud"' in page and 'value="2024-01-01"' in page
    response = client.post(f"/documents/{document.id}/edit", data=_contract_form(
        customer, title="Nieuw", document_date="2024-01-01", kp_end_date=""))
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.title == "Nieuw"
    assert document.scopes == ["care", "sales"]
    assert document.retention_until == date(2031, 1, 1)  # no end date: the document date
    updates = _events("update", object_id=str(document.id))
    assert updates and "title" in updates[0].details["changed"]


def test_edit_can_change_the_type(client: FlaskClient, sales: User,
                                  customer: Customer) -> None:
    document = DocumentFactory(type_code="correspondence", scopes=["sales"],
                               customers=[customer], key_points={"direction": "incoming"})
    login(client, sales)
    page = client.get(f"/documents/{document.id}/edit?type=quote").get_data(as_text=True)
    assert 'name="kp_valid_until"' in page
    response = client.post(f"/documents/{document.id}/edit?type=quote", data={
        "title": "Offerte", "document_date": "2025-03-01", "customers": customer.number,
        "scopes": ["sales"], "kp_amount": "99", "kp_status": "open"})
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.document_type.code == "quote"
    assert document.key_points == {"amount": "99.00", "status": "open"}


def test_legal_hold_with_reason(client: FlaskClient, sales: User, customer: Customer) -> None:
    login(client, sales)
    client.post("/documents/new?type=contract", data=_contract_form(
        customer, legal_hold="y", legal_hold_reason="Claim 2025-17"))
    document = db.session.scalar(select(Document).order_by(Document.id.desc()))
    assert document is not None
    assert document.legal_hold and document.legal_hold_reason == "Claim 2025-17"


def test_csrf_is_checked_when_enabled(client: FlaskClient, sales: User, customer: Customer,
                                      app: Flask, monkeypatch: Any) -> None:
    login(client, sales)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = _count(Document)
    response = client.post("/documents/new?type=contract", data=_contract_form(customer))
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    assert _count(Document) == before


def test_upload_is_refused_by_content_not_by_name(client: FlaskClient, sales: User,
                                                  customer: Customer, store: Any) -> None:
    login(client, sales)
    before = _count(Document)
    for content, message in ((EXE, "This kind of file is not accepted."),
                             (b"", "The file is empty.")):
        data = _contract_form(customer, file=(io.BytesIO(content), "contract.pdf"))
        response = client.post("/documents/new?type=contract", data=data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert _count(Document) == before


def test_upload_of_a_pdf_makes_version_one(client: FlaskClient, sales: User,
                                           customer: Customer, store: Any) -> None:
    login(client, sales)
    data = _contract_form(customer, paper_original="",
                          file=(io.BytesIO(PDF), "../Contract\x07 2025.pdf"))
    assert client.post("/documents/new?type=contract", data=data).status_code == 302
    document = db.session.scalar(select(Document).order_by(Document.id.desc()))
    assert document is not None and document.storage.value == "digital"
    (digital,) = document.files
    assert (digital.version, digital.mime_type, digital.size_bytes, digital.origin) == (
        1, "application/pdf", len(PDF), "upload")
    assert digital.original_name == "Contract 2025.pdf"
    assert (store / digital.sha256[:2] / digital.sha256[2:4] / digital.sha256).is_file()


def _scanned_file(document: Document, version: int, text: str,
                  confidence: float | None) -> None:
    db.session.add(DigitalFile(
        document=document, version=version, sha256=f"{version:064d}", original_name="scan.pdf",
        mime_type="application/pdf", size_bytes=1000, pages=text.count("\f") + 1, text=text,
        ocr_confidence=confidence, languages="nld+eng" if confidence else "", origin="inbox"))
    db.session.flush()


def test_show_page_gives_the_newest_files_text_page_by_page(client: FlaskClient,
                                                            sales: User) -> None:
    document = DocumentFactory(scopes=["sales"])
    _scanned_file(document, 1, "oude versie", 80.0)
    _scanned_file(document, 2, "Geachte heer,\fMet vriendelijke groet", 91.6)
    login(client, sales)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Recognised text" in page
    assert "Read by text recognition (nld+eng), on average 92% sure." in page
    assert "Page 1" in page and "Geachte heer," in page
    assert "Page 2" in page and "Met vriendelijke groet" in page
    assert "oude versie" not in page


def test_show_page_says_where_text_without_ocr_came_from(client: FlaskClient,
                                                         sales: User) -> None:
    with_layer, without_text = DocumentFactory(scopes=["sales"]), DocumentFactory(scopes=["sales"])
    _scanned_file(with_layer, 1, "Factuur 2025-001", None)
    login(client, sales)
    page = client.get(f"/documents/{with_layer.id}").get_data(as_text=True)
    assert "Taken from the PDF's own text layer." in page and "Factuur 2025-001" in page
    assert "Recognised text" not in client.get(f"/documents/{without_text.id}").get_data(
        as_text=True)
