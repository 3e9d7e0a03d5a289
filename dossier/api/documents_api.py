"""Documents through the API: a customer's list, one document with its key points, upload
(through the same service as the web form) and download of a file version."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import current_app, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response

from dossier.api.auth import api_actor, token_details
from dossier.api.errors import ApiProblem
from dossier.api.input import get_or_404, json_response, paged, query_args, require_multipart
from dossier.api.schemas import DOCUMENT_UPLOAD, check_body
from dossier.api.serialise import document_json
from dossier.api.spec import MULTIPART, PAGING, Operation, documented, path_id
from dossier.api.views import bp
from dossier.auth.permissions import Action, Feature, can, visible_document_clause, writable_scopes
from dossier.compliance.audit import AuditAction, record
from dossier.customers.models import Customer
from dossier.documents import services
from dossier.documents.file_store import current_store
from dossier.documents.models import DigitalFile, Document, document_customer
from dossier.documents.queries import creatable_types, type_by_code
from dossier.extensions import db

TAG = "documents"
CUSTOMER_ID = path_id("customer_id", _l("The customer's id."))
DOCUMENT_ID = path_id("document_id", _l("The document's id."))
FILE_ID = path_id("file_id", _l("The file version's id (see the document's files)."))
TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off", ""}
BOOLEAN_FIELDS = ("paper_original", "legal_hold")


def _document(document_id: int) -> tuple[Any, Document]:
    actor = api_actor()
    document = get_or_404(Document, document_id, _("No document with this id."))
    if not can(actor, Action.VIEW, document):
        raise ApiProblem(403, _("Your roles and scopes do not allow this document."))
    return actor, document


def _visible_customers(actor: Any, document: Document) -> list[Customer]:
    return [c for c in document.customers if can(actor, Action.VIEW, c)]


@bp.route("/customers/<int:customer_id>/documents")
@documented(Operation("GET", "/customers/{customer_id}/documents",
                      _l("List a customer's documents"), TAG, (CUSTOMER_ID, *PAGING),
                      ok_schema="DocumentPage",
                      description=_l("The documents in the caller's scopes, newest first."),
                      example="curl -H 'Authorization: Bearer $TOKEN' "
                              "$BASE/api/v1/customers/1/documents"))
def customer_documents(customer_id: int) -> Response:
    actor = api_actor()
    customer = get_or_404(Customer, customer_id, _("No customer with this id."))
    if not can(actor, Action.VIEW, customer):
        raise ApiProblem(403, _("Your roles do not allow this for customers."))
    if not can(actor, Action.VIEW, Feature.DOCUMENTS):
        raise ApiProblem(403, _("Your roles do not allow reading documents."))
    args = query_args(PAGING)
    mine = select(document_customer.c.document_id).where(
        document_customer.c.customer_id == customer.id)
    query = (select(Document).where(Document.id.in_(mine), visible_document_clause(actor))
             .order_by(Document.document_date.desc(), Document.id.desc()))
    body, headers = paged(query, args, lambda d: document_json(d, _visible_customers(actor, d)))
    record(actor, AuditAction.VIEW, customer, customer_id=customer.id,
           details={"documents": [item["id"] for item in body["items"]]} | token_details())
    db.session.commit()
    return json_response(body, headers=headers)


@bp.route("/documents/<int:document_id>")
@documented(Operation("GET", "/documents/{document_id}",
                      _l("Read a document's metadata and key points"), TAG, (DOCUMENT_ID,),
                      ok_schema="Document",
                      example="curl -H 'Authorization: Bearer $TOKEN' "
                              "$BASE/api/v1/documents/1"))
def document(document_id: int) -> Response:
    actor, found = _document(document_id)
    body = document_json(found, _visible_customers(actor, found))
    services.record_document_view(actor, found)
    db.session.commit()
    return json_response(body)


@bp.route("/documents/<int:document_id>/files/<int:file_id>")
@documented(Operation("GET", "/documents/{document_id}/files/{file_id}",
                      _l("Download a file of a document"), TAG, (DOCUMENT_ID, FILE_ID),
                      ok_media="application/octet-stream",
                      example="curl -OJ -H 'Authorization: Bearer $TOKEN' "
                              "$BASE/api/v1/documents/1/files/1"))
def document_file(document_id: int, file_id: int) -> Response:
    actor, found = _document(document_id)
    digital = get_or_404(DigitalFile, file_id, _("This document has no file with this id."))
    if digital.document_id != found.id:
        raise ApiProblem(404, _("This document has no file with this id."))
    path = current_store().path_for(digital.sha256)
    if not path.is_file():
        current_app.logger.error("file %s of document %s missing from the store",
                                 digital.sha256, found.id)
        raise ApiProblem(404, _("The file is missing from the file store. Please tell an "
                                "administrator."))
    services.record_download(actor, digital)
    db.session.commit()
    response = send_file(path, mimetype=digital.mime_type, as_attachment=True,
                         download_name=digital.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/documents", methods=["POST"])
@documented(Operation("POST", "/documents", _l("Create a document, with a file"), TAG,
                      body="DocumentUpload", body_media=MULTIPART, ok=201,
                      ok_schema="Document",
                      description=_l("Checked and stored exactly as the web form does."),
                      example="curl -H 'Authorization: Bearer $TOKEN' -F title=Letter "
                              "-F document_type=correspondence -F document_date=2026-01-31 "
                              "-F customers=100001 -F scopes=sales -F file=@letter.pdf "
                              "$BASE/api/v1/documents"))
def create_document() -> Response:
    actor = api_actor()
    if not can(actor, Action.CREATE, Feature.DOCUMENTS) or not writable_scopes(actor):
        raise ApiProblem(403, _("Your roles do not allow creating documents."))
    require_multipart()
    fields = _upload_fields()
    document_type = type_by_code(fields["document_type"])
    if document_type is None:
        raise ApiProblem(422, _("The document was not saved."),
                         {"document_type": _("Unknown document type.")})
    if document_type not in creatable_types(actor):
        raise ApiProblem(403, _("You cannot file documents of this type."))
    try:
        created = services.create_document(actor, _document_input(fields, document_type))
    except services.DocumentInvalid as error:
        raise ApiProblem(422, _("The document was not saved."), error.errors) from None
    body = document_json(created, _visible_customers(actor, created))
    db.session.commit()
    return json_response(body, 201, {"Location": f"/api/v1/documents/{created.id}"})


def _upload_fields() -> dict[str, Any]:
    """The multipart fields, typed and checked against DocumentUpload; 400 otherwise."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, values in request.form.lists():
        if len(values) > 1:
            errors[name] = _("Send this field once.")
        data[name] = values[-1]
    for name in BOOLEAN_FIELDS:
        if name in data:
            word = data[name].strip().lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                errors[name] = _("Give true or false.")
            data[name] = word in TRUE_WORDS
    errors |= check_body(DOCUMENT_UPLOAD, data)
    for name in request.files:
        if name != "file":
            errors[name] = _("Unknown field.")
    if "file" in data:
        errors["file"] = _("Send the file as a file part (with a file name).")
    points = _key_points(data.get("key_points"), errors)
    if errors:
        raise ApiProblem(400, _("Some fields are not valid."), errors)
    return data | {"key_points": points, "file": request.files.get("file")}


def _key_points(raw: str | None, errors: dict[str, str]) -> dict[str, str]:
    if not raw:
        return {}
    try:
        points = json.loads(raw)
    except ValueError:
        points = None
    if not isinstance(points, dict):
        errors["key_points"] = _("Give a JSON object of key point values by key.")
        return {}
    return {str(key): "" if value is None else _as_text(value) for key, value in points.items()}


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _document_input(fields: dict[str, Any], document_type: Any) -> services.DocumentInput:
    upload = fields["file"]
    return services.DocumentInput(
        title=fields["title"], document_type=document_type,
        document_date=date.fromisoformat(fields["document_date"]),
        customer_numbers=fields["customers"],
        scopes=[s for s in fields["scopes"].replace(" ", ",").split(",") if s],
        key_points=fields["key_points"], notes=fields.get("notes", ""),
        paper_original=bool(fields.get("paper_original")),
        legal_hold=bool(fields.get("legal_hold")),
        legal_hold_reason=fields.get("legal_hold_reason", ""),
        upload=services.Upload(upload.stream, upload.filename or "") if upload else None)
