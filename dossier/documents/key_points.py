"""Key points of a document: validated against its type's schema, stored JSON-friendly."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from flask_babel import format_currency, format_date, format_decimal, get_locale
from flask_babel import gettext as _

from dossier.documents.models import DocumentType

KEY_POINT_TYPES = ("text", "number", "money", "date", "boolean", "choice")
TRUE_WORDS = frozenset({"1", "y", "yes", "true", "on", "ja", "j"})
FALSE_WORDS = frozenset({"", "0", "n", "no", "false", "off", "nee"})
MAX_TEXT = 500
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


class KeyPointError(ValueError):
    """A value does not fit its key point; the message is safe to show."""


def label(spec: dict[str, Any], locale: str | None = None) -> str:
    """The key point's label in the user's language (Dutch is the fallback)."""
    locale = locale or str(get_locale() or "nl")
    if locale.startswith("en"):
        return str(spec.get("label_en") or spec.get("label_nl") or spec["key"])
    return str(spec.get("label_nl") or spec.get("label_en") or spec["key"])


def _parse_decimal(raw: str) -> Decimal:
    """Accept 1234.5, 1234,5, 1.234,50 and 1,234.50 (and a leading currency sign)."""
    text = raw.replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise KeyPointError(_("Enter a number, e.g. 1250.50.")) from None
    if not value.is_finite():
        raise KeyPointError(_("Enter a number, e.g. 1250.50."))
    return value


def _number(raw: str, spec: dict[str, Any]) -> str:
    return str(_parse_decimal(raw))


def _money(raw: str, spec: dict[str, Any]) -> str:
    value = _parse_decimal(raw)
    if value != value.quantize(Decimal("0.01")):
        raise KeyPointError(_("Use at most two decimals for an amount."))
    return str(value.quantize(Decimal("0.01")))


def _date(raw: str, spec: dict[str, Any]) -> str:
    match = _DUTCH_DATE.match(raw)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day).isoformat()
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise KeyPointError(_("Enter a date as YYYY-MM-DD or DD-MM-YYYY.")) from None


def _boolean(raw: str, spec: dict[str, Any]) -> bool:
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise KeyPointError(_("Choose yes or no."))


def _choice(raw: str, spec: dict[str, Any]) -> str:
    if raw not in (spec.get("choices") or []):
        raise KeyPointError(_("Choose one of the listed values."))
    return raw


def _text(raw: str, spec: dict[str, Any]) -> str:
    if len(raw) > MAX_TEXT:
        raise KeyPointError(_("Use at most %(n)s characters.", n=MAX_TEXT))
    return raw


PARSERS: dict[str, Callable[[str, dict[str, Any]], Any]] = {
    "text": _text, "number": _number, "money": _money, "date": _date,
    "boolean": _boolean, "choice": _choice,
}


def validate_key_points(
    document_type: DocumentType, raw: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse the submitted strings by the type's schema: (values, errors by key).

    Values are JSON-friendly: dates as ISO strings, numbers and amounts as Decimal strings,
    booleans as booleans. Keys outside the schema are ignored; empty optional fields are
    left out.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in document_type.key_point_schema or []:
        key, kind = spec["key"], spec.get("type", "text")
        text = str(raw.get(key) or "").strip()
        if kind != "boolean" and not text:
            if spec.get("required"):
                errors[key] = _("This field is required.")
            continue
        try:
            values[key] = PARSERS.get(kind, _text)(text, spec)
        except KeyPointError as error:
            errors[key] = str(error)
    return values, errors


def as_form_value(spec: dict[str, Any], value: Any) -> str:
    """A stored value as the string a form field shows."""
    if value is None:
        return ""
    if spec.get("type") == "boolean":
        return "y" if value else ""
    return str(value)


def display_value(spec: dict[str, Any], value: Any) -> str:
    """A stored value formatted for reading in the user's locale."""
    if value is None or value == "":
        return ""
    kind = spec.get("type", "text")
    try:
        if kind == "date":
            return str(format_date(datetime.fromisoformat(str(value)).date(), "medium"))
        if kind == "money":
            return str(format_currency(Decimal(str(value)), current_app.config["CURRENCY"]))
        if kind == "number":
            return str(format_decimal(Decimal(str(value))))
    except (ValueError, InvalidOperation):
        return str(value)  # stored before the schema changed: show it as it is
    if kind == "boolean":
        return _("yes") if value else _("no")
    return str(value)


def display_rows(document_type: DocumentType, points: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, formatted value) for every key point that has a value, in schema order."""
    rows = []
    for spec in document_type.key_point_schema or []:
        if spec["key"] in (points or {}):
            shown = display_value(spec, points[spec["key"]])
            if shown:
                rows.append((label(spec), shown))
    return rows


def summary(document_type: DocumentType, points: dict[str, Any], limit: int = 3) -> str:
    """A one-line summary of the first few key points, for lists."""
    rows = display_rows(document_type, points)[:limit]
    return " · ".join(f"{name}: {value}" for name, value in rows)


KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
REQUIRED_WORDS = {"required": True, "yes": True, "true": True, "1": True, "y": True,
                  "optional": False, "no": False, "false": False, "0": False, "n": False,
                  "": False}


def schema_to_lines(schema: list[dict[str, Any]]) -> str:
    """The schema as the admin edits it: `key|Label NL|Label EN|type|required|a,b`."""
    lines = []
    for spec in schema or []:
        required = "required" if spec.get("required") else "optional"
        choices = ",".join(spec.get("choices") or [])
        lines.append("|".join([spec["key"], spec.get("label_nl", ""), spec.get("label_en", ""),
                               spec.get("type", "text"), required, choices]).rstrip("|"))
    return "\n".join(lines)


def _parse_line(line: str) -> dict[str, Any]:
    parts = [part.strip() for part in line.split("|")]
    if len(parts) < 4 or len(parts) > 6:
        raise KeyPointError(_("write key|Label NL|Label EN|type|required|choices"))
    parts += [""] * (6 - len(parts))
    key, label_nl, label_en, kind, required, choices = parts
    if not KEY_PATTERN.match(key):
        raise KeyPointError(_("the key %(key)s must be lower case letters, digits and _, "
                              "starting with a letter", key=key or '""'))
    if not label_nl or not label_en:
        raise KeyPointError(_("both labels (Dutch and English) are needed"))
    if kind not in KEY_POINT_TYPES:
        raise KeyPointError(_("unknown type %(kind)s; use one of %(types)s", kind=kind,
                              types=", ".join(KEY_POINT_TYPES)))
    if required.lower() not in REQUIRED_WORDS:
        raise KeyPointError(_("write required or optional, not %(word)s", word=required))
    options = [choice.strip() for choice in choices.split(",") if choice.strip()]
    if kind == "choice" and not options:
        raise KeyPointError(_("a choice field needs its choices, separated by commas"))
    if kind != "choice" and options:
        raise KeyPointError(_("only a choice field has choices"))
    return {"key": key, "label_nl": label_nl, "label_en": label_en, "type": kind,
            "required": REQUIRED_WORDS[required.lower()], "choices": options}


def parse_schema_lines(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Parse the admin's textarea: (schema, errors naming their line numbers)."""
    schema: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            spec = _parse_line(line)
        except KeyPointError as error:
            errors.append(_("Line %(n)s: %(error)s.", n=number, error=str(error)))
            continue
        if spec["key"] in seen:
            errors.append(_("Line %(n)s: the key %(key)s is used twice.", n=number,
                            key=spec["key"]))
            continue
        seen.add(spec["key"])
        schema.append(spec)
    return schema, errors
