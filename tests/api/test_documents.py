"""Documents through the API: scopes decide what each role sees, upload through the web's
service, download of the very bytes uploaded, multipart errors."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.documents.models import Document
from dossier.extensions import db
from tests.api.conftest import CallerFactory
from tests.factories import CustomerFactory, DocumentFactory

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def store(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(app.config, "FILE_STORE", str(tmp_path / "files"))
    return tmp_path / "files"


@pytest.fixture
def customer(app: Flask) -> Customer:
    found = CustomerFactory(number="300300")
    db.session.commit()
    return found


def _upload_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "Brief over de offerte", "document_type": "correspondence",
        "document_date": "2026-01-31", "customers": "300300", "scopes": "sales",
        "key_points": json.dumps({"direction": "incoming", "subject": "offerte"}),
        "file": (io.BytesIO(PDF), "brief.pdf"),
    }
    return form | changes


def test_upload_then_download_gives_the_same_bytes(caller: CallerFactory, customer: Customer,
                                                   store: Path) -> None:
    api = caller("sales")
    response = api.post("/api/v1/documents", data=_upload_form())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["title"] == "Brief over de offerte" and body["scopes"] == ["sales"]
    assert body["customers"] == [{"id": customer.id, "number": "300300"}]
    assert {p["key"]: p["value"] for p in body["key_points"]} == {
        "direction": "incoming", "subject": "offerte"}
    [digital] = body["files"]
    assert digital["sha256"] == hashlib.sha256(PDF).hexdigest()
    download = api.get(digital["download_url"])
    data = download.get_data()
    download.close()  # the file is streamed from the store
    assert download.status_code == 200 and data == PDF
    assert download.mimetype == "application/pdf"
    assert "brief.pdf" in download.headers["Content-Disposition"]
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type.in_(["Document", "DigitalFile"]),
        AuditEvent.actor_id == api.user.id)).all()
    assert sorted(actions) == ["create", "download"]


def test_metadata_and_key_points_are_read_and_audited(caller: CallerFactory,
                                                      customer: Customer) -> None:
    document = DocumentFactory(scopes=["care"], customers=[customer], type_code="service_call",
                               key_points={"status": "open", "product": "Boiler"})
    db.session.commit()
    api = caller("care")
    body = api.get(f"/api/v1/documents/{document.id}").get_json()
    assert body["document_type"]["code"] == "service_call"
    assert {"key": "product", "label": "Product", "value": "Boiler",
            "text": "Boiler"} in body["key_points"]
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "Document", AuditEvent.action == "view",
        AuditEvent.actor_id == api.user.id)) is not None


@pytest.mark.parametrize("role, sees", [
    ("sales", {"sales"}), ("care", {"care"}), ("loyalty", set()), ("clerk", set()),
    ("compliance", {"sales", "care"}), ("admin", {"sales", "care"}),
])
def test_each_role_sees_only_documents_of_its_scopes(caller: CallerFactory, customer: Customer,
                                                     role: str, sees: set[str]) -> None:
    by_scope = {scope: DocumentFactory(scopes=[scope], customers=[customer], title=scope)
                for scope in ("sales", "care")}
    db.session.commit()
    api = caller(role)
    response = api.get(f"/api/v1/customers/{customer.id}/documents")
    if role == "clerk":  # clerks never see document contents
        assert response.status_code == 403
    else:
        listed = response.get_json()
        assert {item["title"] for item in listed["items"]} == sees
        assert listed["total"] == len(sees)
    for scope, document in by_scope.items():
        status = api.get(f"/api/v1/documents/{document.id}").status_code
        assert status == (200 if scope in sees else 403)


def test_a_file_of_an_unseen_document_cannot_be_downloaded(caller: CallerFactory,
                                                          customer: Customer,
                                                          store: Path) -> None:
    sales = caller("sales")
    uploaded = sales.post("/api/v1/documents", data=_upload_form()).get_json()
    db.session.commit()
    url = uploaded["files"][0]["download_url"]
    assert caller("care").get(url).status_code == 403
    other = DocumentFactory(scopes=["sales"], customers=[customer])
    db.session.commit()
    wrong_pair = f"/api/v1/documents/{other.id}/files/{uploaded['files'][0]['id']}"
    assert sales.get(wrong_pair).status_code == 404


@pytest.mark.parametrize("changes, status, field", [
    ({"customers": "999999"}, 422, "customers"),
    ({"scopes": "care"}, 422, "scopes"),
    ({"key_points": json.dumps({"direction": "sideways"})}, 422, "key_points.direction"),
    ({"key_points": "[1, 2]"}, 400, "key_points"),
    ({"document_date": "31-01-2026"}, 400, "document_date"),
    ({"paper_original": "maybe"}, 400, "paper_original"),
    ({"colour": "blue"}, 400, "colour"),
    ({"file": (io.BytesIO(b"MZ\x90\x00 not a document"), "tool.exe")}, 422, "file"),
    ({"document_type": "no_such_type"}, 422, "document_type"),
])
def test_refused_uploads_name_the_field(caller: CallerFactory, customer: Customer, store: Path,
                                        changes: dict[str, object], status: int,
                                        field: str) -> None:
    response = caller("sales").post("/api/v1/documents", data=_upload_form(**changes))
    assert response.status_code == status, response.get_json()
    assert field in response.get_json()["fields"]
    assert db.session.scalar(select(Document).where(Document.title == "Brief over de offerte")
                             ) is None


def test_missing_required_fields_get_400(caller: CallerFactory, customer: Customer) -> None:
    response = caller("sales").post("/api/v1/documents", data={"title": "Alleen een titel"},
                                    content_type="multipart/form-data")
    assert response.status_code == 400
    assert {"document_type", "document_date", "customers", "scopes"} <= set(
        response.get_json()["fields"])


def test_upload_needs_multipart(caller: CallerFactory) -> None:
    response = caller("sales").post("/api/v1/documents", json={"title": "x"})
    assert response.status_code == 415 and response.is_json


def test_a_type_outside_the_callers_scopes_is_refused(caller: CallerFactory,
                                                      customer: Customer, store: Path) -> None:
    response = caller("loyalty").post("/api/v1/documents", data=_upload_form(
        document_type="service_call", scopes="care"))
    assert response.status_code == 403


def test_clerks_and_compliance_cannot_upload(caller: CallerFactory, customer: Customer,
                                             store: Path) -> None:
    for role in ("clerk", "compliance"):
        assert caller(role).post("/api/v1/documents",
                                 data=_upload_form()).status_code == 403


def test_too_large_a_body_gets_413_json(app: Flask, caller: CallerFactory, customer: Customer,
                                        store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    big = (io.BytesIO(PDF + b"%" * 4096), "big.pdf")
    response = caller("sales").post("/api/v1/documents", data=_upload_form(file=big))
    assert response.status_code == 413 and response.is_json
