"""Customers, documents and their files as the API shows them to one caller."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import get_locale

from dossier.customers import queries as customer_queries
from dossier.customers.key_fields import KEY_FIELDS
from dossier.customers.models import Customer
from dossier.documents.key_points import display_value, label
from dossier.documents.models import DigitalFile, Document


def plain(value: Any) -> Any:
    """A stored value as JSON: dates as ISO text, decimals as text (no rounding)."""
    if isinstance(value, datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def customer_json(actor: Any, customer: Customer) -> dict[str, Any]:
    custom = {row.field.key: plain(row.value)
              for row in customer_queries.custom_rows(actor, customer)}
    return ({"id": customer.id, "display_name": customer.display_name}
            | {name: plain(getattr(customer, name)) for name in KEY_FIELDS}
            | {"created_at": plain(customer.created_at), "updated_at": plain(customer.updated_at),
               "custom_fields": custom})


def file_json(digital: DigitalFile) -> dict[str, Any]:
    return {"id": digital.id, "version": digital.version,
            "original_name": digital.original_name, "mime_type": digital.mime_type,
            "size_bytes": digital.size_bytes, "pages": digital.pages, "sha256": digital.sha256,
            "created_at": plain(digital.created_at),
            "download_url": url_for("api.document_file", document_id=digital.document_id,
                                    file_id=digital.id)}


def key_points_json(document: Document) -> list[dict[str, Any]]:
    """Every key point that has a value, in the type's order, typed and as shown on screen."""
    points = document.key_points or {}
    return [{"key": spec["key"], "label": label(spec), "value": plain(points[spec["key"]]),
             "text": display_value(spec, points[spec["key"]])}
            for spec in document.document_type.key_point_schema or []
            if spec["key"] in points and points[spec["key"]] not in (None, "")]


def document_json(document: Document, visible_customers: list[Customer]) -> dict[str, Any]:
    document_type = document.document_type
    return {
        "id": document.id, "title": document.title,
        "document_type": {"code": document_type.code,
                          "name": document_type.name(str(get_locale() or "nl"))},
        "document_date": plain(document.document_date), "notes": document.notes,
        "scopes": document.scopes,
        "customers": [{"id": c.id, "number": c.number} for c in visible_customers],
        "key_points": key_points_json(document), "storage": document.storage.value,
        "paper_original": document.paper_original, "legal_hold": document.legal_hold,
        "retention_until": plain(document.retention_until),
        "created_at": plain(document.created_at), "updated_at": plain(document.updated_at),
        "files": [file_json(digital) for digital in document.files],
    }
