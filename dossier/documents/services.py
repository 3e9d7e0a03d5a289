"""Operations on documents and their files: create, update, add a version, record reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import IO, Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from dossier.auth.permissions import writable_scopes
from dossier.compliance.audit import AuditAction, record
from dossier.customers.models import Customer
from dossier.documents.file_store import RejectedFile, current_store, sanitise_name
from dossier.documents.key_points import validate_key_points
from dossier.documents.models import DigitalFile, Document, DocumentType
from dossier.documents.retention import retention_until
from dossier.extensions import db
from dossier.search import index as index_for_search

KEY_POINT_PREFIX = "key_points."


class DocumentInvalid(ValueError):
    """The input was refused; `errors` maps a field name to a message safe to show.

    Key point errors are named `key_points.<key>`.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class Upload:
    stream: IO[bytes]
    filename: str


@dataclass
class DocumentInput:
    title: str
    document_type: DocumentType
    document_date: date | None
    customer_numbers: str  # comma separated, as typed
    scopes: list[str]  # chosen among the actor's writable scopes
    key_points: dict[str, str] = field(default_factory=dict)  # raw strings from the form
    notes: str = ""
    paper_original: bool = False
    legal_hold: bool = False
    legal_hold_reason: str = ""
    upload: Upload | None = None


@dataclass
class _Checked:
    customers: list[Customer]
    scopes: set[str]
    key_points: dict[str, Any]


def split_numbers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def _customers(text: str, errors: dict[str, str]) -> list[Customer]:
    numbers = split_numbers(text)
    if not numbers:
        errors["customers"] = _("Link the document to at least one customer.")
        return []
    found = {c.number: c for c in db.session.scalars(
        select(Customer).where(Customer.number.in_(numbers)))}
    unknown = [number for number in numbers if number not in found]
    if unknown:
        errors["customers"] = _("Unknown customer number(s): %(numbers)s.",
                                numbers=", ".join(unknown))
    return list(dict.fromkeys(found[n] for n in numbers if n in found))


def _scopes(actor: Any, data: DocumentInput, existing: set[str],
            errors: dict[str, str]) -> set[str]:
    """Chosen writable scopes of the type, plus existing scopes the actor cannot touch."""
    writable = writable_scopes(actor)
    requested = set(data.scopes)
    if requested - writable or requested - set(data.document_type.scopes):
        errors["scopes"] = _("Choose among the scopes offered.")
    kept = existing - writable
    scopes = (requested & writable & set(data.document_type.scopes)) | kept
    if not scopes:
        errors["scopes"] = _("Choose at least one scope.")
    return scopes


def _check(actor: Any, data: DocumentInput, existing_scopes: set[str]) -> _Checked:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("This field is required.")
    if data.document_date is None:
        errors["document_date"] = _("This field is required.")
    customers = _customers(data.customer_numbers, errors)
    scopes = _scopes(actor, data, existing_scopes, errors)
    points, point_errors = validate_key_points(data.document_type, data.key_points)
    errors.update({KEY_POINT_PREFIX + key: message for key, message in point_errors.items()})
    if data.legal_hold and not data.legal_hold_reason.strip():
        errors["legal_hold_reason"] = _("Give the reason for the legal hold.")
    if errors:
        raise DocumentInvalid(errors)
    return _Checked(customers, scopes, points)


def _store(upload: Upload | None) -> tuple[Upload, Any] | None:
    """Put an upload in the file store first, so a refused file changes nothing else."""
    if upload is None:
        return None
    try:
        stored = current_store().store(upload.stream, current_app.config["ALLOWED_UPLOAD_TYPES"])
    except RejectedFile as error:
        if error.reason == "empty":
            raise DocumentInvalid({"file": _("The file is empty.")}) from None
        raise DocumentInvalid({"file": _("This kind of file is not accepted. Upload a PDF, "
                                         "PNG, JPEG, TIFF or plain text file.")}) from None
    return upload, stored


def _apply(document: Document, data: DocumentInput, checked: _Checked) -> None:
    assert data.document_date is not None  # checked
    document.title = data.title.strip()
    document.document_type = data.document_type
    document.document_type_id = data.document_type.id
    document.document_date = data.document_date
    document.key_points = checked.key_points
    document.notes = data.notes.strip()
    document.paper_original = data.paper_original
    document.legal_hold = data.legal_hold
    document.legal_hold_reason = data.legal_hold_reason.strip() if data.legal_hold else ""
    document.customers = checked.customers
    document.set_scopes(checked.scopes)
    document.retention_until = retention_until(data.document_type, data.document_date,
                                               checked.key_points)


def _add_file(actor: Any, document: Document, stored: tuple[Upload, Any]) -> DigitalFile:
    upload, content = stored
    version = max((f.version for f in document.files), default=0) + 1
    digital = DigitalFile(
        version=version, sha256=content.sha256, mime_type=content.mime_type,
        original_name=sanitise_name(upload.filename, content.mime_type),
        size_bytes=content.size, origin="upload", created_by_id=getattr(actor, "id", None),
    )
    document.files.append(digital)
    return digital


def _customer_ids(document: Document) -> list[int | None]:
    """One audit event per linked customer (None: a document linked to no one)."""
    return [customer.id for customer in document.customers] or [None]


def _audit(actor: Any, action: str, document: Document, details: dict[str, Any]) -> None:
    for customer_id in _customer_ids(document):
        record(actor, action, document, customer_id=customer_id,
               scope=",".join(document.scopes), details=details)


def create_document(actor: Any, data: DocumentInput) -> Document:
    checked = _check(actor, data, set())
    stored = _store(data.upload)
    document = Document(created_by_id=getattr(actor, "id", None))
    _apply(document, data, checked)
    db.session.add(document)
    if stored:
        _add_file(actor, document, stored)
    db.session.flush()
    _audit(actor, AuditAction.CREATE, document,
           {"title": document.title, "type": data.document_type.code,
            "files": len(document.files)})
    index_for_search([document.id])
    db.session.flush()
    return document


def update_document(actor: Any, document: Document, data: DocumentInput) -> Document:
    checked = _check(actor, data, set(document.scopes))
    if not data.paper_original and _archive_keeps_paper(document):
        data = replace(data, paper_original=True)  # the archive keeps the flag true
    stored = _store(data.upload)
    before = _snapshot(document)
    previous_customers = list(document.customers)
    _apply(document, data, checked)
    if stored:
        _add_file(actor, document, stored)
    db.session.flush()
    after = _snapshot(document)
    changed = sorted(key for key in after if after[key] != before.get(key))
    for customer in previous_customers:  # customers unlinked by this change hear of it too
        if customer not in document.customers:
            record(actor, AuditAction.UPDATE, document, customer_id=customer.id,
                   details={"changed": changed, "unlinked": True})
    _audit(actor, AuditAction.UPDATE, document, {"changed": changed})
    index_for_search([document.id])
    db.session.flush()
    return document


def _archive_keeps_paper(document: Document) -> bool:
    """The physical archive holds this document's original (see archive/paper.py)."""
    from dossier.archive.paper import keeps_paper

    return keeps_paper(document)


def _snapshot(document: Document) -> dict[str, Any]:
    return {
        "title": document.title, "type": document.document_type_id,
        "date": str(document.document_date), "key_points": dict(document.key_points or {}),
        "notes": document.notes, "paper_original": document.paper_original,
        "legal_hold": document.legal_hold, "legal_hold_reason": document.legal_hold_reason,
        "customers": sorted(c.id for c in document.customers), "scopes": document.scopes,
        "files": len(document.files),
    }


def record_document_view(actor: Any, document: Document) -> None:
    """Reading a document is processing personal data: one audit event per customer."""
    _audit(actor, AuditAction.VIEW, document, {"title": document.title})
    db.session.flush()


def record_download(actor: Any, digital_file: DigitalFile) -> None:
    document = digital_file.document
    for customer_id in _customer_ids(document):
        record(actor, AuditAction.DOWNLOAD, digital_file, customer_id=customer_id,
               details={"document_id": document.id, "version": digital_file.version,
                        "sha256": digital_file.sha256})
    db.session.flush()


@dataclass(frozen=True)
class ScannedFile:
    """A file the scanner inbox already put in the file store, with what it read from it."""

    sha256: str
    size: int
    mime_type: str
    original_name: str
    pages: int | None
    text: str
    ocr_confidence: float | None
    languages: str
    origin: str  # "inbox", "upload" or "cli"


@dataclass(frozen=True)
class ScannedDocument:
    customers: list[Customer]
    document_type: DocumentType
    scopes: set[str]
    title: str
    document_date: date
    scan: ScannedFile


def create_scanned_document(actor: Any, data: ScannedDocument) -> Document:
    """A document made from a scan, routed by a cover sheet or assigned in triage.

    A scan carries no key points, so the type's required key points are left for a person
    to fill in; customers, type and scopes are checked as for any document.
    """
    errors: dict[str, str] = {}
    if not data.customers:
        errors["customers"] = _("Link the document to at least one customer.")
    allowed = writable_scopes(actor) & set(data.document_type.scopes)
    if not data.scopes or not data.scopes <= allowed:
        errors["scopes"] = _("Choose among the scopes offered.")
    if errors:
        raise DocumentInvalid(errors)
    document = Document(created_by_id=getattr(actor, "id", None), title=data.title[:200],
                        document_type=data.document_type, document_date=data.document_date,
                        key_points={}, retention_until=retention_until(
                            data.document_type, data.document_date, {}))
    document.customers = list(dict.fromkeys(data.customers))
    document.set_scopes(data.scopes)
    db.session.add(document)
    scan = data.scan
    document.files.append(DigitalFile(
        version=1, sha256=scan.sha256, mime_type=scan.mime_type, size_bytes=scan.size,
        original_name=sanitise_name(scan.original_name, scan.mime_type), pages=scan.pages,
        text=scan.text, ocr_confidence=scan.ocr_confidence, languages=scan.languages,
        origin=scan.origin, created_by_id=getattr(actor, "id", None)))
    db.session.flush()
    _audit(actor, AuditAction.CREATE, document,
           {"title": document.title, "type": data.document_type.code, "files": 1,
            "origin": scan.origin})
    index_for_search([document.id])
    db.session.flush()
    return document
