"""Admin pages for document types and policy rules, and the policy page staff read."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.documents.models import DocumentType, PolicyRule
from dossier.extensions import db
from tests.factories import UserFactory, document_type, login


def _rule(scope: str, code: str, condition: str) -> PolicyRule | None:
    return db.session.scalar(select(PolicyRule).where(
        PolicyRule.scope == scope, PolicyRule.condition == condition,
        PolicyRule.document_type_id == document_type(code).id))


def _audited(action: str, object_type: str, object_id: int) -> bool:
    return db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == action, AuditEvent.object_type == object_type,
        AuditEvent.object_id == str(object_id))) is not None


def test_policy_page_for_staff(client: FlaskClient, sales: User) -> None:
    login(client, sales)
    page = client.get("/documents/policy").get_data(as_text=True)
    rule = _rule("sales", "contract", "always")
    assert rule is not None
    assert "No rule: static." in page
    assert f"#{rule.id}" in page
    assert "contracts are rarely consulted after signing and never change" in page
    assert "while open" in page and 'id="scope-loyalty"' in page
    assert "/admin/policy/" not in page  # no edit links for non-admins


def test_policy_page_refuses_clerks(client: FlaskClient) -> None:
    login(client, UserFactory(roles=("clerk",)))
    assert client.get("/documents/policy").status_code == 403


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/admin/document-types"), ("get", "/admin/document-types/new"),
    ("get", "/admin/document-types/1/edit"), ("get", "/admin/policy/new"),
    ("get", "/admin/policy/1/edit"), ("post", "/admin/policy/1/delete"),
])
def test_admin_pages_refuse_other_roles(client: FlaskClient, sales: User, method: str,
                                        path: str) -> None:
    login(client, sales)
    assert getattr(client, method)(path).status_code == 403
    assert db.session.get(PolicyRule, 1) is not None or path != "/admin/policy/1/delete"


def _rule_form(**overrides: Any) -> dict[str, Any]:
    data = {"scope": "loyalty", "document_type_id": str(document_type("complaint").id),
            "condition": "open", "document_class": "dynamic",
            "reason": "open complaints put loyalty at risk"}
    data.update(overrides)
    return data


def test_policy_rule_crud(client: FlaskClient, admin: User) -> None:
    login(client, admin)
    assert client.get("/admin/policy/new").status_code == 200
    response = client.post("/admin/policy/new", data=_rule_form())
    assert response.status_code == 302
    rule = _rule("loyalty", "complaint", "open")
    assert rule is not None and rule.document_class == "dynamic"
    assert _audited("create", "PolicyRule", rule.id)
    assert f"#{rule.id}" in client.get("/documents/policy").get_data(as_text=True)

    response = client.post(f"/admin/policy/{rule.id}/edit",
                           data=_rule_form(document_class="static", reason="only history"))
    assert response.status_code == 302
    db.session.refresh(rule)
    assert (rule.document_class, rule.reason) == ("static", "only history")
    assert _audited("update", "PolicyRule", rule.id)

    assert client.get(f"/admin/policy/{rule.id}/delete").status_code == 405
    rule_id = rule.id
    assert client.post(f"/admin/policy/{rule_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(PolicyRule, rule_id) is None
    assert _audited("delete", "PolicyRule", rule_id)
    assert client.post(f"/admin/policy/{rule_id}/delete").status_code == 404


def test_duplicate_rule_is_a_form_error(client: FlaskClient, admin: User) -> None:
    existing = _rule("sales", "quote", "always")
    assert existing is not None
    login(client, admin)
    response = client.post("/admin/policy/new", data=_rule_form(
        scope="sales", document_type_id=str(document_type("quote").id), condition="always"))
    assert response.status_code == 422
    assert f"Rule #{existing.id} already covers" in response.get_data(as_text=True)
    other = _rule("sales", "order", "always")
    assert other is not None
    response = client.post(f"/admin/policy/{other.id}/edit", data=_rule_form(
        scope="sales", document_type_id=str(document_type("quote").id), condition="always"))
    assert response.status_code == 422
    assert client.post(f"/admin/policy/{existing.id}/edit", data=_rule_form(
        scope="sales", document_type_id=str(document_type("quote").id), condition="always",
        document_class="static")).status_code == 302  # saving a rule onto itself is fine


def test_rule_form_refuses_unknown_choices(client: FlaskClient, admin: User) -> None:
    login(client, admin)
    response = client.post("/admin/policy/new", data=_rule_form(condition="sometimes",
                                                                 scope="marketing"))
    assert response.status_code == 422
    assert _rule("loyalty", "complaint", "open") is None


def test_types_list_and_new_type(client: FlaskClient, admin: User) -> None:
    login(client, admin)
    page = client.get("/admin/document-types").get_data(as_text=True)
    assert "Service call" in page and "84 months" in page
    response = client.post("/admin/document-types/new", data={
        "code": "warranty", "name_nl": "Garantiebewijs", "name_en": "Warranty",
        "scopes": ["care"], "retention_months": "60", "retention_basis": "Warranty law",
        "active": "y",
        "key_point_schema": "product|Product|Product|text|required\n"
                            "until|Geldig tot|Valid until|date|optional\n"
                            "kind|Soort|Kind|choice|required|fabriek,verlengd"})
    assert response.status_code == 302
    created = db.session.scalar(select(DocumentType).where(DocumentType.code == "warranty"))
    assert created is not None
    assert [spec["key"] for spec in created.key_point_schema] == ["product", "until", "kind"]
    assert created.key_point_schema[2]["choices"] == ["fabriek", "verlengd"]
    assert _audited("create", "DocumentType", created.id)


def test_type_form_errors_name_their_lines(client: FlaskClient, admin: User) -> None:
    login(client, admin)
    response = client.post("/admin/document-types/new", data={
        "code": "quote", "name_nl": "X", "name_en": "X", "scopes": [],
        "retention_months": "0", "retention_basis": "x",
        "key_point_schema": "ok|Ok|Ok|text\nbad|Bad|Bad|colour"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Number must be between 1 and 1200." in page
    response = client.post("/admin/document-types/new", data={
        "code": "quote", "name_nl": "X", "name_en": "X", "scopes": [],
        "retention_months": "12", "retention_basis": "x",
        "key_point_schema": "ok|Ok|Ok|text\nbad|Bad|Bad|colour"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 2: unknown type colour" in page
    assert "Another document type already uses this code." in page
    assert "Choose at least one scope." in page


def test_edit_type_keeps_its_code(client: FlaskClient, admin: User) -> None:
    sla = document_type("sla")
    login(client, admin)
    page = client.get(f"/admin/document-types/{sla.id}/edit").get_data(as_text=True)
    assert "service_level|Serviceniveau|Service level|choice|required|gold,silver,bronze" in page
    response = client.post(f"/admin/document-types/{sla.id}/edit", data={
        "code": "changed", "name_nl": "Servicecontract", "name_en": "Service agreement",
        "scopes": ["care", "sales"], "retention_months": "96", "retention_basis": "Contract",
        "active": "y", "key_point_schema": "start_date|Ingang|Start|date|required"})
    assert response.status_code == 302
    db.session.refresh(sla)
    assert (sla.code, sla.name_en, sla.retention_months) == ("sla", "Service agreement", 96)
    assert sla.scopes == ["sales", "care"]
    assert [spec["key"] for spec in sla.key_point_schema] == ["start_date"]
    assert client.get("/admin/document-types/999999/edit").status_code == 404
