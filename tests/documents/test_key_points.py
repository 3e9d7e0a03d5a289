"""Key points validated against a document type's schema, and the admin's schema lines."""

from __future__ import annotations

import pytest
from flask import Flask, session
from flask_babel import refresh

from dossier.documents.key_points import (
    display_rows,
    parse_schema_lines,
    schema_to_lines,
    summary,
    validate_key_points,
)
from dossier.documents.models import DocumentType
from tests.factories import document_type

SCHEMA = [
    {"key": "amount", "label_nl": "Bedrag", "label_en": "Amount", "type": "money",
     "required": True, "choices": []},
    {"key": "hours", "label_nl": "Uren", "label_en": "Hours", "type": "number",
     "required": False, "choices": []},
    {"key": "due", "label_nl": "Vervaldatum", "label_en": "Due", "type": "date",
     "required": False, "choices": []},
    {"key": "paid", "label_nl": "Betaald", "label_en": "Paid", "type": "boolean",
     "required": False, "choices": []},
    {"key": "status", "label_nl": "Status", "label_en": "Status", "type": "choice",
     "required": True, "choices": ["open", "closed"]},
    {"key": "note", "label_nl": "Notitie", "label_en": "Note", "type": "text",
     "required": False, "choices": []},
]


def _type() -> DocumentType:
    return DocumentType(code="test", name_nl="Test", name_en="Test", scopes=["sales"],
                        key_point_schema=SCHEMA)


def test_valid_values_are_stored_json_friendly(app: Flask) -> None:
    values, errors = validate_key_points(_type(), {
        "amount": "€ 1.234,5", "hours": "7,25", "due": "31-01-2026", "paid": "y",
        "status": "open", "note": "  spoed  ", "unknown": "ignored"})
    assert errors == {}
    assert values == {"amount": "1234.50", "hours": "7.25", "due": "2026-01-31",
                      "paid": True, "status": "open", "note": "spoed"}


def test_iso_dates_and_english_numbers(app: Flask) -> None:
    values, errors = validate_key_points(_type(), {"amount": "1,234.00", "due": "2026-02-28",
                                                   "status": "closed"})
    assert errors == {}
    assert values["amount"] == "1234.00"
    assert values["due"] == "2026-02-28"
    assert values["paid"] is False


def test_required_and_empty_optional(app: Flask) -> None:
    values, errors = validate_key_points(_type(), {"amount": "", "hours": "  "})
    assert set(errors) == {"amount", "status"}
    assert "hours" not in values


@pytest.mark.parametrize(("key", "raw"), [
    ("amount", "twelve"), ("amount", "12.345"), ("hours", "NaN"), ("due", "2026-02-30"),
    ("due", "31/13/2026"), ("paid", "perhaps"), ("status", "pending"), ("note", "x" * 501),
])
def test_invalid_values_name_their_key(app: Flask, key: str, raw: str) -> None:
    data = {"amount": "10", "status": "open", key: raw}
    values, errors = validate_key_points(_type(), data)
    assert list(errors) == [key]
    assert key not in values


def test_display_uses_the_locale_labels(app: Flask) -> None:
    with app.test_request_context("/"):
        rows = display_rows(_type(), {"amount": "1234.50", "due": "2026-01-31", "paid": True})
        assert rows[0][0] == "Amount"
        assert "1,234.50" in rows[0][1]
        assert rows[1] == ("Due", "Jan 31, 2026")
        assert rows[2] == ("Paid", "yes")
    with app.test_request_context("/"):
        session["locale"] = "nl"
        refresh()  # Flask-Babel caches the locale on the app context
        assert summary(_type(), {"amount": "5.00"}).startswith("Bedrag:")


def test_seeded_schema_round_trips_through_lines(app: Flask) -> None:
    contract = document_type("contract")
    schema, errors = parse_schema_lines(schema_to_lines(contract.key_point_schema))
    assert errors == []
    assert schema == contract.key_point_schema


def test_schema_lines_report_line_numbers(app: Flask) -> None:
    text = "\n".join([
        "amount|Bedrag|Amount|money|required",
        "",
        "Bad Key|A|B|text",
        "status|Status|Status|choice|required",
        "amount|Bedrag|Amount|money",
        "x|X|X|colour",
        "y|Y|Y|text|maybe",
        "z|Z|Z|text|optional|a,b",
        "only|two",
    ])
    schema, errors = parse_schema_lines(text)
    assert [spec["key"] for spec in schema] == ["amount"]
    assert [error.split(":")[0] for error in errors] == [
        "Line 3", "Line 4", "Line 5", "Line 6", "Line 7", "Line 8", "Line 9"]
    assert "used twice" in errors[2]
    assert "choices" in errors[1]
