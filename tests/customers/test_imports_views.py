"""The import pages: upload, mapping, dry run, apply, discard; clear messages for bad files."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.auth.models import User
from dossier.customers.merge_models import CustomerImport
from dossier.customers.models import Customer
from dossier.extensions import db

CSV = (b"Klantnummer;Voornaam;Achternaam;E-mailadres;Onbekend\n"
       b"910001;Anna;Visser;anna@example.nl;x\n"
       b"910002;Bram;de Boer;bram@example.nl;y\n")


def _upload(client: FlaskClient, data: bytes, name: str = "klanten.csv") -> object:
    return client.post("/admin/import/", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_only_admins(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as("care")
    assert client.get("/admin/import/").status_code == 403


def test_upload_mapping_dry_run_and_apply(app: Flask, client: FlaskClient,
                                          login_as: Callable[..., User]) -> None:
    login_as("admin")
    response = _upload(client, CSV)
    assert response.status_code == 302  # type: ignore[attr-defined]
    upload = db.session.scalars(select(CustomerImport).order_by(CustomerImport.id.desc())).first()
    assert upload is not None
    page = client.get(f"/admin/import/{upload.id}/mapping").get_data(as_text=True)
    assert '<option selected value="last_name">' in page or 'value="last_name" selected' in page
    response = client.post(f"/admin/import/{upload.id}/mapping", data={
        "column_0": "number", "column_1": "first_name", "column_2": "last_name",
        "column_3": "email", "column_4": ""})
    assert response.status_code == 302
    page = client.get(f"/admin/import/{upload.id}/preview").get_data(as_text=True)
    assert "Visser" in page and "new customer" in page
    assert db.session.scalar(select(Customer).where(Customer.number == "910001")) is None
    response = client.post(f"/admin/import/{upload.id}/apply", data={
        "create": "2", "update": "0", "unchanged": "0", "reject": "0", "confirm": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(Customer).where(Customer.number == "910002")) is not None
    finished = client.get(f"/admin/import/{upload.id}/preview")
    assert finished.status_code == 303


def test_apply_without_confirmation_shows_the_dry_run_again(
        client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as("admin")
    _upload(client, CSV)
    upload = db.session.scalars(select(CustomerImport).order_by(CustomerImport.id.desc())).first()
    assert upload is not None
    response = client.post(f"/admin/import/{upload.id}/apply", data={"create": "2"})
    assert response.status_code == 422
    assert "Tick the box" in response.get_data(as_text=True)


def test_two_columns_for_one_field_are_refused(client: FlaskClient,
                                               login_as: Callable[..., User]) -> None:
    login_as("admin")
    _upload(client, CSV)
    upload = db.session.scalars(select(CustomerImport).order_by(CustomerImport.id.desc())).first()
    assert upload is not None
    response = client.post(f"/admin/import/{upload.id}/mapping",
                           data={"column_1": "last_name", "column_2": "last_name"})
    assert response.status_code == 422
    assert "Two columns fill" in response.get_data(as_text=True)


def test_bad_files_get_clear_messages(client: FlaskClient,
                                      login_as: Callable[..., User]) -> None:
    login_as("admin")
    for data, message in ((b"%PDF-1.7", "not a CSV or Excel file"), (b"", "empty"),
                          (b"naam\n", "no customers"),
                          (b"PK\x03\x04broken", "damaged")):
        response = _upload(client, data)
        assert response.status_code == 422, message  # type: ignore[attr-defined]
        assert message in response.get_data(as_text=True)  # type: ignore[attr-defined]


def test_discard(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as("admin")
    _upload(client, CSV)
    upload = db.session.scalars(select(CustomerImport).order_by(CustomerImport.id.desc())).first()
    assert upload is not None
    assert client.post(f"/admin/import/{upload.id}/discard").status_code == 302
    db.session.refresh(upload)
    assert upload.content is None


def test_a_request_over_the_upload_limit_gets_the_form_with_a_message(
        app: Flask, client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as("admin")
    app.config["MAX_CONTENT_LENGTH"], before = 2000, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = _upload(client, CSV * 100)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = before
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "too large for one upload" in response.get_data(as_text=True)  # type: ignore[attr-defined]
