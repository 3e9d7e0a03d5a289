"""Administrative operations: document types and the scope policy rules. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from dossier.auth.roles import ALL_SCOPES
from dossier.compliance.audit import AuditAction, record
from dossier.documents.key_points import parse_schema_lines
from dossier.documents.models import DocumentClass, DocumentType, PolicyRule
from dossier.documents.policy import CONDITIONS
from dossier.extensions import db


class AdminInvalid(ValueError):
    """Refused input; `errors` maps a form field name to a message safe to show."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class TypeInput:
    code: str
    name_nl: str
    name_en: str
    scopes: list[str]
    retention_months: int
    retention_basis: str
    schema_text: str
    active: bool = True


@dataclass
class RuleInput:
    scope: str
    document_type_id: int
    condition: str
    document_class: str
    reason: str


def _checked_type(data: TypeInput, document_type: DocumentType | None) -> list[dict[str, Any]]:
    errors: dict[str, str] = {}
    schema, schema_errors = parse_schema_lines(data.schema_text)
    if schema_errors:
        errors["key_point_schema"] = " ".join(schema_errors)
    if not set(data.scopes) or set(data.scopes) - set(ALL_SCOPES):
        errors["scopes"] = _("Choose at least one scope.")
    if document_type is None:
        taken = db.session.scalar(select(DocumentType.id).where(DocumentType.code == data.code))
        if taken is not None:
            errors["code"] = _("Another document type already uses this code.")
    if errors:
        raise AdminInvalid(errors)
    return schema


def _type_values(data: TypeInput, schema: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name_nl": data.name_nl.strip(), "name_en": data.name_en.strip(),
            "scopes": [s for s in ALL_SCOPES if s in data.scopes],
            "retention_months": data.retention_months,
            "retention_basis": data.retention_basis.strip(), "key_point_schema": schema,
            "active": data.active}


def create_type(actor: Any, data: TypeInput) -> DocumentType:
    schema = _checked_type(data, None)
    document_type = DocumentType(code=data.code.strip(), **_type_values(data, schema))
    db.session.add(document_type)
    db.session.flush()
    record(actor, AuditAction.CREATE, document_type, details={"code": document_type.code})
    db.session.flush()
    return document_type


def update_type(actor: Any, document_type: DocumentType, data: TypeInput) -> DocumentType:
    schema = _checked_type(data, document_type)
    values = _type_values(data, schema)
    changed = sorted(k for k, v in values.items() if getattr(document_type, k) != v)
    for key, value in values.items():
        setattr(document_type, key, value)
    db.session.flush()
    record(actor, AuditAction.UPDATE, document_type,
           details={"code": document_type.code, "changed": changed})
    db.session.flush()
    return document_type


def _check_rule(data: RuleInput, rule: PolicyRule | None) -> None:
    errors: dict[str, str] = {}
    if data.scope not in ALL_SCOPES:
        errors["scope"] = _("Choose a scope.")
    if data.condition not in CONDITIONS:
        errors["condition"] = _("Choose a condition.")
    if data.document_class not in {c.value for c in DocumentClass}:
        errors["document_class"] = _("Choose dynamic or static.")
    if db.session.get(DocumentType, data.document_type_id) is None:
        errors["document_type_id"] = _("Choose a document type.")
    duplicate = db.session.scalar(select(PolicyRule.id).where(
        PolicyRule.scope == data.scope, PolicyRule.document_type_id == data.document_type_id,
        PolicyRule.condition == data.condition))
    if duplicate is not None and (rule is None or duplicate != rule.id):
        errors["condition"] = _("Rule #%(id)s already covers this scope, type and condition; "
                                "edit that rule instead.", id=duplicate)
    if errors:
        raise AdminInvalid(errors)


def _rule_details(rule: PolicyRule) -> dict[str, Any]:
    return {"scope": rule.scope, "document_type_id": rule.document_type_id,
            "condition": rule.condition, "class": rule.document_class, "reason": rule.reason}


def create_rule(actor: Any, data: RuleInput) -> PolicyRule:
    _check_rule(data, None)
    rule = PolicyRule(scope=data.scope, document_type_id=data.document_type_id,
                      condition=data.condition, document_class=data.document_class,
                      reason=data.reason.strip())
    db.session.add(rule)
    db.session.flush()
    record(actor, AuditAction.CREATE, rule, details=_rule_details(rule))
    db.session.flush()
    return rule


def update_rule(actor: Any, rule: PolicyRule, data: RuleInput) -> PolicyRule:
    _check_rule(data, rule)
    before = _rule_details(rule)
    rule.scope = data.scope
    rule.document_type = db.session.get_one(DocumentType, data.document_type_id)
    rule.condition, rule.document_class = data.condition, data.document_class
    rule.reason = data.reason.strip()
    db.session.flush()
    record(actor, AuditAction.UPDATE, rule, details={"before": before,
                                                     "after": _rule_details(rule)})
    db.session.flush()
    return rule


def delete_rule(actor: Any, rule: PolicyRule) -> None:
    record(actor, AuditAction.DELETE, rule, details=_rule_details(rule))
    db.session.delete(rule)
    db.session.flush()
