"""Define, change, deactivate and reactivate custom fields; every change is audited."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from dossier.auth.roles import ALL_SCOPES
from dossier.compliance.audit import AuditAction, record
from dossier.customers import queries
from dossier.customers.models import CustomField, CustomFieldType
from dossier.extensions import db

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
FIELD_TYPES = tuple(kind.value for kind in CustomFieldType)
EDITABLE = ("label", "field_type", "choices", "scopes", "required", "help_text", "position")
LIMITS = {"label": 100, "help_text": 300}
MAX_CHOICE_LENGTH = 200


class FieldInvalid(ValueError):
    """The field definition was refused; `errors` maps form field names to messages."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


def parse_choices(raw: str | Iterable[str] | None) -> list[str]:
    """Choices from text with one per line (or a list): stripped, blank and repeats dropped."""
    lines = raw.splitlines() if isinstance(raw, str) else list(raw or [])
    return list(dict.fromkeys(line.strip() for line in lines if line.strip()))


def create_field(actor: Any, data: Mapping[str, Any]) -> CustomField:
    key = str(data.get("key") or "").strip()
    errors: dict[str, str] = {}
    if not KEY_PATTERN.match(key):
        errors["key"] = _("Use lower-case letters, digits and _, starting with a letter.")
    elif queries.field_key_taken(key):
        errors["key"] = _("The key %(key)s is already in use.", key=key)
    clean, more = _clean(data, has_values=False)
    errors.update(more)
    if errors:
        raise FieldInvalid(errors)
    field = CustomField(key=key, active=True, **clean)
    db.session.add(field)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # another admin took the key a moment ago
        raise FieldInvalid({"key": _("The key %(key)s is already in use.", key=key)}) from error
    record(actor, AuditAction.CREATE, field, details={"fields": ["key", *clean]})
    db.session.flush()
    return field


def update_field(actor: Any, field: CustomField, data: Mapping[str, Any]) -> list[str]:
    """Change the definition (never the key); returns the names of what changed."""
    current = {name: getattr(field, name) for name in EDITABLE}
    clean, errors = _clean(current | {k: v for k, v in data.items() if k in EDITABLE},
                           has_values=queries.field_has_values(field), was=field.field_type)
    if errors:
        raise FieldInvalid(errors)
    changed = [name for name in EDITABLE if current[name] != clean[name]]
    for name in changed:
        setattr(field, name, clean[name])
    if changed:
        record(actor, AuditAction.UPDATE, field, details={"fields": changed})
        db.session.flush()
    return changed


def set_field_active(actor: Any, field: CustomField, active: bool) -> None:
    """Deactivating hides the field and its values everywhere; the values are kept."""
    if field.active == active:
        return
    field.active = active
    record(actor, AuditAction.UPDATE, field, details={"fields": ["active"], "active": active})
    db.session.flush()


def _clean(data: Mapping[str, Any], has_values: bool,
           was: str | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {
        "label": str(data.get("label") or "").strip(),
        "field_type": str(data.get("field_type") or ""),
        "choices": parse_choices(data.get("choices")),
        "scopes": [scope for scope in ALL_SCOPES if scope in set(data.get("scopes") or [])],
        "required": bool(data.get("required")),
        "help_text": str(data.get("help_text") or "").strip(),
        "position": data.get("position") or 0,
    }
    if not clean["label"]:
        errors["label"] = _("Enter a label.")
    for name, limit in LIMITS.items():
        if len(clean[name]) > limit:
            errors[name] = _("Use at most %(n)s characters.", n=limit)
    if clean["field_type"] not in FIELD_TYPES:
        errors["field_type"] = _("Choose one of the options.")
    elif has_values and was is not None and clean["field_type"] != was:
        errors["field_type"] = _("The type cannot change once customers have a value.")
    if clean["field_type"] == CustomFieldType.CHOICE.value and not clean["choices"]:
        errors["choices"] = _("A choice field needs at least one choice.")
    elif any(len(choice) > MAX_CHOICE_LENGTH for choice in clean["choices"]):
        errors["choices"] = _("Use at most %(n)s characters per choice.", n=MAX_CHOICE_LENGTH)
    if clean["field_type"] != CustomFieldType.CHOICE.value:
        clean["choices"] = []
    if not clean["scopes"]:
        errors["scopes"] = _("Choose at least one scope.")
    if not isinstance(clean["position"], int) or isinstance(clean["position"], bool):
        errors["position"] = _("Enter a whole number.")
    return clean, errors
