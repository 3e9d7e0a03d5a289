"""Uploading and downloading files: size limit, versions, permission, headers, audit."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.documents.models import DigitalFile, Document
from dossier.extensions import db
from tests.documents.files import PDF, TEXT, png
from tests.factories import CustomerFactory, DocumentFactory, login


def _upload(client: FlaskClient, document: Document, content: bytes, name: str) -> int:
    """Post the edit form unchanged, with a file: the way a user adds a version."""
    data = {"title": document.title, "document_date": document.document_date.isoformat(),
            "customers": ", ".join(c.number for c in document.customers),
            "scopes": document.scopes, "file": (io.BytesIO(content), name)}
    data.update({f"kp_{key}": value for key, value in document.key_points.items()})
    return client.post(f"/documents/{document.id}/edit", data=data).status_code


@pytest.fixture
def letter(app: Flask, customer: Customer) -> Document:
    return DocumentFactory(type_code="correspondence", scopes=["sales"], customers=[customer],
                           key_points={"direction": "incoming"})


def test_too_large_upload_gets_the_friendly_page(client: FlaskClient, sales: User,
                                                 letter: Document, app: Flask,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 store: Path) -> None:
    login(client, sales)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    status = _upload(client, letter, PDF + b"0" * 4096, "big.pdf")
    assert status == 413
    page = client.post(f"/documents/{letter.id}/edit", data={
        "file": (io.BytesIO(b"x" * 4096), "big.txt")}).get_data(as_text=True)
    assert "File too large" in page
    db.session.refresh(letter)
    assert letter.files == []


def test_edit_upload_adds_versions_and_deduplicates(client: FlaskClient, sales: User,
                                                    letter: Document, store: Path) -> None:
    login(client, sales)
    assert _upload(client, letter, PDF, "brief.pdf") == 302
    assert _upload(client, letter, png(), "scan.png") == 302
    assert _upload(client, letter, PDF, "brief-again.pdf") == 302
    db.session.refresh(letter)
    assert [(f.version, f.mime_type) for f in letter.files] == [
        (1, "application/pdf"), (2, "image/png"), (3, "application/pdf")]
    assert letter.files[0].sha256 == letter.files[2].sha256
    assert len([p for p in store.rglob("*") if p.is_file()]) == 2


def test_download_streams_the_bytes_with_safe_headers(client: FlaskClient, sales: User,
                                                      letter: Document, store: Path,
                                                      customer: Customer) -> None:
    login(client, sales)
    _upload(client, letter, TEXT, "Brief aan klant é.txt")
    digital = letter.files[0]
    response = client.get(f"/documents/{letter.id}/files/{digital.id}")
    body = response.data
    response.close()  # send_file streams from an open file
    assert response.status_code == 200
    assert body == TEXT
    assert response.mimetype == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Brief%20aan%20klant%20%C3%A9.txt" in disposition
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "download", AuditEvent.object_id == str(digital.id))))
    assert [event.customer_id for event in events] == [customer.id]
    assert hashlib.sha256(body).hexdigest() == digital.sha256


def test_download_of_another_customers_file_is_refused(client: FlaskClient, sales: User,
                                                       care: User, letter: Document,
                                                       store: Path) -> None:
    other_customer = CustomerFactory()
    secret = DocumentFactory(type_code="complaint", scopes=["care"],
                             customers=[other_customer],
                             key_points={"status": "open", "subject": "Monteur"})
    login(client, care)
    assert _upload(client, secret, b"Klacht over de monteur.\n", "klacht.txt") == 302
    db.session.refresh(secret)
    secret_file = secret.files[0]
    client.post("/logout")

    login(client, sales)
    _upload(client, letter, PDF, "brief.pdf")
    own_file = letter.files[0]
    own = client.get(f"/documents/{letter.id}/files/{own_file.id}")
    body = own.data
    own.close()
    assert own.status_code == 200 and body == PDF
    swapped = client.get(f"/documents/{letter.id}/files/{secret_file.id}")
    assert swapped.status_code == 404
    assert b"monteur" not in swapped.data
    direct = client.get(f"/documents/{secret.id}/files/{secret_file.id}")
    assert direct.status_code == 403
    assert b"monteur" not in direct.data
    assert client.get(f"/documents/{letter.id}/files/999999").status_code == 404
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "download", AuditEvent.object_id == str(secret_file.id))).all()


def test_a_file_missing_from_the_store_is_a_404(client: FlaskClient, sales: User,
                                                letter: Document, store: Path) -> None:
    login(client, sales)
    _upload(client, letter, PDF, "brief.pdf")
    digital = db.session.scalar(select(DigitalFile).where(DigitalFile.document_id == letter.id))
    assert digital is not None
    (store / digital.sha256[:2] / digital.sha256[2:4] / digital.sha256).unlink()
    response = client.get(f"/documents/{letter.id}/files/{digital.id}")
    assert response.status_code == 404
    assert "missing from the file store" in response.get_data(as_text=True)
