"""The API's data shapes as JSON Schema: the OpenAPI document shows them and `check_body`
validates requests against the very same dicts, so the document cannot drift from the code.

Only the part of JSON Schema used here is checked (type, nullable, enum, maxLength,
minimum, maximum, format date, properties, required, additionalProperties, anyOf, items).
Whether a value makes sense (a known customer number, a valid postcode) is the services'
job; they answer with field errors (422).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from dossier.archive.scan_state import ScanMode
from dossier.auth.roles import ALL_SCOPES
from dossier.customers.interaction_models import Direction, InteractionChannel
from dossier.customers.key_fields import KEY_FIELDS, max_length
from dossier.customers.models import Channel, CustomerKind, CustomerStatus

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Schema) -> Schema:
    return schema | {"nullable": True}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 1}
SCALAR = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}


# What a new customer gets when the call leaves a choice out (as the web form preselects).
CUSTOMER_DEFAULTS = {"kind": CustomerKind.PERSON.value, "preferred_channel": Channel.EMAIL.value,
                     "status": CustomerStatus.ACTIVE.value}


def _customer_field(name: str) -> Schema:
    choices = {"kind": CustomerKind, "preferred_channel": Channel, "status": CustomerStatus}
    if name in choices:
        return {"type": "string", "enum": [member.value for member in choices[name]],
                "default": CUSTOMER_DEFAULTS[name]}
    if name == "house_number":
        return _nullable({"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
    if name == "date_of_birth":
        return _nullable(DATE)
    return {"type": "string", "maxLength": max_length(name) or 254}


CUSTOMER_INPUT: Schema = {
    "type": "object",
    "description": "Key fields, and custom field values by key (as a user would type them; "
                   "true/false for yes/no fields). Leave `number` out to get the next free one.",
    "properties": {name: _customer_field(name) for name in KEY_FIELDS} | {
        "custom_fields": {"type": "object", "additionalProperties": _nullable(SCALAR)}},
    "additionalProperties": False,
}
CUSTOMER: Schema = {
    "type": "object",
    "required": ["id", "number", "display_name", "custom_fields"],
    "properties": {"id": ID, "display_name": STRING,
                   "created_at": DATE_TIME, "updated_at": DATE_TIME}
    | {name: _customer_field(name) for name in KEY_FIELDS}
    | {"custom_fields": {"type": "object", "description": "Values of the custom fields the "
                         "caller may see, by key.", "additionalProperties": _nullable(SCALAR)}},
}
DIGITAL_FILE: Schema = {
    "type": "object",
    "required": ["id", "version", "original_name", "mime_type", "size_bytes", "download_url"],
    "properties": {"id": ID, "version": {"type": "integer"}, "original_name": STRING,
                   "mime_type": STRING, "size_bytes": {"type": "integer"},
                   "pages": _nullable({"type": "integer"}), "sha256": STRING,
                   "created_at": DATE_TIME, "download_url": STRING},
}
KEY_POINT: Schema = {
    "type": "object", "required": ["key", "label", "value", "text"],
    "properties": {"key": STRING, "label": STRING, "value": _nullable(SCALAR),
                   "text": {"type": "string", "description": "The value as shown on screen."}},
}
DOCUMENT: Schema = {
    "type": "object",
    "required": ["id", "title", "document_type", "document_date", "scopes", "customers",
                 "key_points", "files"],
    "properties": {
        "id": ID, "title": STRING, "document_date": DATE, "notes": STRING,
        "document_type": {"type": "object", "properties": {"code": STRING, "name": STRING}},
        "scopes": {"type": "array", "items": STRING},
        "customers": {"type": "array", "items": {
            "type": "object", "properties": {"id": ID, "number": STRING}}},
        "key_points": {"type": "array", "items": ref("KeyPoint")},
        "storage": {"type": "string", "enum": ["digital", "paper", "hybrid", "none"]},
        "paper_original": {"type": "boolean"}, "legal_hold": {"type": "boolean"},
        "retention_until": _nullable(DATE),
        "created_at": DATE_TIME, "updated_at": DATE_TIME,
        "files": {"type": "array", "items": ref("DigitalFile")},
    },
}
DOCUMENT_UPLOAD: Schema = {
    "type": "object",
    "required": ["title", "document_type", "document_date", "customers", "scopes"],
    "properties": {
        "title": {"type": "string", "maxLength": 200},
        "document_type": {"type": "string", "maxLength": 40,
                          "description": "The type's code, e.g. `correspondence`."},
        "document_date": DATE,
        "customers": {"type": "string", "maxLength": 500,
                      "description": "Customer numbers, separated by commas."},
        "scopes": {"type": "string", "maxLength": 100,
                   "description": "Scopes, separated by commas, e.g. `sales,care`."},
        "key_points": {"type": "string", "maxLength": 20000, "description":
                       "A JSON object of key point values by key, as a user would type them."},
        "notes": {"type": "string", "maxLength": 5000},
        "paper_original": {"type": "boolean"},
        "legal_hold": {"type": "boolean"},
        "legal_hold_reason": {"type": "string", "maxLength": 300},
        "file": {"type": "string", "format": "binary",
                 "description": "PDF, PNG, JPEG, TIFF or plain text."},
    },
    "additionalProperties": False,
}
SCAN_INPUT: Schema = {
    "type": "object", "required": ["code", "mode"],
    "properties": {
        "code": {"type": "string", "maxLength": 200, "description": "The code as scanned."},
        "mode": {"type": "string", "enum": [mode.value for mode in ScanMode]},
        "state": _nullable({"type": "string", "maxLength": 2000, "description":
                            "The `state` of the previous answer, to go on with its batch "
                            "(destination, borrower); leave out to start afresh."}),
    },
    "additionalProperties": False,
}
SCAN_RESULT: Schema = {
    "type": "object", "required": ["level", "message", "reason", "changed", "ignored", "state"],
    "properties": {
        "level": {"type": "string", "enum": ["ok", "warning", "error"]},
        "message": STRING, "reason": STRING, "code": STRING,
        "changed": {"type": "boolean"}, "ignored": {"type": "boolean"},
        "item_id": _nullable({"type": "integer"}), "location_id": _nullable({"type": "integer"}),
        "station": {"type": "object", "description": "The station's state in words."},
        "state": {"type": "string", "description": "Send back with the next scan."},
    },
}
CHANNELS = [channel.value for channel in InteractionChannel]
DIRECTIONS = [direction.value for direction in Direction]
INTERACTION_INPUT: Schema = {
    "type": "object", "required": ["channel", "direction", "subject", "scope"],
    "properties": {
        "channel": {"type": "string", "enum": CHANNELS},
        "direction": {"type": "string", "enum": DIRECTIONS},
        "occurred_at": {"type": "string", "format": "date-time", "maxLength": 40,
                        "description": "ISO 8601; without a time zone: UTC. Default: now."},
        "subject": {"type": "string", "maxLength": 200},
        "summary": {"type": "string", "maxLength": 10000},
        "scope": {"type": "string", "enum": list(ALL_SCOPES)},
        "handler_id": _nullable({"type": "integer", "minimum": 1, "maximum": 2**31 - 1,
                                 "description": "Default: the caller."}),
        "document_ids": {"type": "array", "maxItems": 100,
                         "items": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
    },
    "additionalProperties": False,
}
INTERACTION: Schema = {
    "type": "object",
    "required": ["id", "customer_id", "channel", "direction", "occurred_at", "subject",
                 "scope", "document_ids"],
    "properties": {
        "id": ID, "customer_id": ID, "channel": STRING, "direction": STRING,
        "occurred_at": DATE_TIME, "subject": STRING, "summary": STRING, "scope": STRING,
        "handler": _nullable({"type": "object", "properties": {"id": ID, "name": STRING}}),
        "document_ids": {"type": "array", "items": ID}, "created_at": DATE_TIME,
    },
}
_SEARCH_CUSTOMER: Schema = {"type": "object", "required": ["id", "number", "name"],
                             "properties": {"id": ID, "number": STRING, "name": STRING}}
SEARCH_RESULTS: Schema = {
    "type": "object",
    "required": ["query", "order", "page", "per_page", "pages", "total", "hits", "customers"],
    "properties": {
        "query": STRING, "order": STRING, "page": {"type": "integer"},
        "per_page": {"type": "integer"}, "pages": {"type": "integer"},
        "total": {"type": "integer"},
        "hits": {"type": "array", "items": {
            "type": "object", "required": ["id", "title", "type", "date", "snippet"],
            "properties": {"id": ID, "title": STRING, "type": STRING, "date": DATE,
                           "storage": STRING, "score": {"type": "number"},
                           "snippet": {"type": "string", "description": "HTML, escaped, "
                                       "with <mark> around the words found."},
                           "customers": {"type": "array", "items": _SEARCH_CUSTOMER}}}},
        "customers": {"type": "array", "items": _SEARCH_CUSTOMER},
        "facets": {"type": "object", "additionalProperties": {
            "type": "object", "additionalProperties": {"type": "integer"}}},
        "notice": _nullable(STRING),
    },
}
ERROR: Schema = {
    "type": "object", "required": ["error", "message"],
    "properties": {"error": STRING, "message": STRING,
                   "fields": {"type": "object", "additionalProperties": STRING,
                              "description": "One message per field that was refused."}},
}


def page_of(item_schema: str) -> Schema:
    return {
        "type": "object", "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {"items": {"type": "array", "items": ref(item_schema)},
                       "page": {"type": "integer"}, "per_page": {"type": "integer"},
                       "total": {"type": "integer"}, "pages": {"type": "integer"},
                       "next": _nullable(STRING), "prev": _nullable(STRING)},
    }


COMPONENTS: dict[str, Schema] = {
    "Customer": CUSTOMER, "CustomerInput": CUSTOMER_INPUT,
    "CustomerPage": page_of("Customer"), "Document": DOCUMENT,
    "DocumentPage": page_of("Document"), "DocumentUpload": DOCUMENT_UPLOAD,
    "DigitalFile": DIGITAL_FILE, "KeyPoint": KEY_POINT, "ScanInput": SCAN_INPUT,
    "ScanResult": SCAN_RESULT, "Interaction": INTERACTION,
    "InteractionInput": INTERACTION_INPUT, "InteractionPage": page_of("Interaction"),
    "SearchResults": SEARCH_RESULTS, "Error": ERROR,
}

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "object": (dict,), "array": (list,),
}


def check_body(schema: Schema, data: Any) -> dict[str, str]:
    """Messages by field name for what in `data` does not fit `schema` (empty: it fits)."""
    if not isinstance(data, dict):
        return {"": _("Send a JSON object.")}
    errors: dict[str, str] = {}
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in data:
            errors[name] = _("This field is required.")
    for name, value in data.items():
        if name not in properties:
            if schema.get("additionalProperties") is False:
                errors[name] = _("Unknown field.")
            continue
        message = check_value(properties[name], value)
        if message:
            errors[name] = message
    return errors


def check_value(schema: Schema, value: Any) -> str | None:
    """Why `value` does not fit `schema`, or None."""
    if value is None:
        return None if schema.get("nullable") else _("A value is required here.")
    if "anyOf" in schema:
        fits = any(check_value(option, value) is None for option in schema["anyOf"])
        return None if fits else _("This kind of value is not accepted here.")
    kind = schema.get("type")
    wanted = _TYPES.get(kind or "", (object,))
    if not isinstance(value, wanted) or (kind != "boolean" and isinstance(value, bool)):
        return _("Give a value of type %(type)s.", type=kind)
    if "enum" in schema and value not in schema["enum"]:
        return _("Choose one of: %(choices)s.", choices=", ".join(map(str, schema["enum"])))
    if isinstance(value, str):
        return _check_text(schema, value)
    if isinstance(value, int | float):
        return _check_number(schema, value)
    if isinstance(value, list):
        return _check_items(schema, value)
    if isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        inner = schema["additionalProperties"]
        bad = [key for key, item in value.items() if check_value(inner, item)]
        return _("Not accepted: %(keys)s.", keys=", ".join(bad)) if bad else None
    return None


def _check_text(schema: Schema, value: str) -> str | None:
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return _("Use at most %(n)s characters.", n=schema["maxLength"])
    if schema.get("format") == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return _("Give a date as YYYY-MM-DD.")
    if schema.get("format") == "date-time":
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return _("Give a date and time in ISO 8601, e.g. 2026-01-31T14:30:00Z.")
    return None


def _check_items(schema: Schema, value: list[Any]) -> str | None:
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        return _("Give at most %(n)s values.", n=schema["maxItems"])
    inner = schema.get("items")
    if inner and any(check_value(inner, item) for item in value):
        return _("This kind of value is not accepted here.")
    return None


def _check_number(schema: Schema, value: float) -> str | None:
    if "minimum" in schema and value < schema["minimum"]:
        return _("Give a number of at least %(n)s.", n=schema["minimum"])
    if "maximum" in schema and value > schema["maximum"]:
        return _("Give a number of at most %(n)s.", n=schema["maximum"])
    return None
