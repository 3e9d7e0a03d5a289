"""The admin pages for custom fields."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.models import CustomField, CustomFieldValue
from dossier.extensions import db
from tests.customers.factories import CustomFieldFactory
from tests.factories import CustomerFactory


def definition(**changes: Any) -> dict[str, Any]:
    data = {"key": "shoe_size", "label": "Shoe size", "field_type": "number", "choices": "",
            "scopes": ["sales", "care"], "required": "", "help_text": "EU sizes",
            "position": "3"}
    return data | changes


def _field(key: str) -> CustomField | None:
    return db.session.scalar(select(CustomField).where(CustomField.key == key))


def test_admin_creates_a_field(client: FlaskClient, login_as) -> None:
    admin = login_as("admin")
    response = client.post("/admin/fields/new", data=definition())
    assert response.status_code == 302
    field = _field("shoe_size")
    assert field is not None
    assert (field.label, field.field_type, field.scopes, field.position, field.required) == (
        "Shoe size", "number", ["sales", "care"], 3, False)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "CustomField"))
    assert event is not None and event.action == "create" and event.actor_id == admin.id
    assert "Shoe size" in client.get("/admin/fields/").get_data(as_text=True)


def test_choice_field_keeps_one_choice_per_line(client: FlaskClient, login_as) -> None:
    login_as("admin")
    data = definition(key="segment", field_type="choice", choices=" Gold\r\nSilver\n\nGold\n")
    assert client.post("/admin/fields/new", data=data).status_code == 302
    field = _field("segment")
    assert field is not None and field.choices == ["Gold", "Silver"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"key": "Shoe Size"}, "key", "Use lower-case letters"),
    ({"key": "1size"}, "key", "Use lower-case letters"),
    ({"label": ""}, "label", "Enter a label."),
    ({"field_type": "colour"}, "field_type", "Choose one of the options."),
    ({"field_type": "choice"}, "choices", "A choice field needs at least one choice."),
    ({"scopes": []}, "scopes", "Choose at least one scope."),
    ({"position": "first"}, "position", "Not a valid integer value."),
])
def test_invalid_definitions(client: FlaskClient, login_as, changes: dict[str, Any],
                             field: str, message: str) -> None:
    login_as("admin")
    response = client.post("/admin/fields/new", data=definition(**changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html.split(f'name="{field}"', 1)[1].split("</div>", 1)[0]
    assert _field("shoe_size") is None


def test_duplicate_key(client: FlaskClient, login_as) -> None:
    CustomFieldFactory(key="shoe_size")
    login_as("admin")
    response = client.post("/admin/fields/new", data=definition())
    assert response.status_code == 422
    assert "The key shoe_size is already in use." in response.get_data(as_text=True)


def test_edit_changes_the_definition_but_never_the_key(client: FlaskClient, login_as) -> None:
    field = CustomFieldFactory(key="segment", label="Segment")
    login_as("admin")
    page = client.get(f"/admin/fields/{field.id}/edit").get_data(as_text=True)
    assert 'name="key"' not in page and "segment" in page
    data = definition(key="hacked", label="Customer segment", field_type="text",
                      scopes=["loyalty"])
    assert client.post(f"/admin/fields/{field.id}/edit", data=data).status_code == 302
    db.session.refresh(field)
    assert (field.key, field.label, field.scopes) == ("segment", "Customer segment",
                                                      ["loyalty"])


def test_type_cannot_change_once_values_exist(client: FlaskClient, login_as) -> None:
    field = CustomFieldFactory(key="note", field_type="text")
    customer = CustomerFactory()
    customer.custom_values.append(CustomFieldValue(field=field, value_text="x"))
    db.session.flush()
    login_as("admin")
    response = client.post(f"/admin/fields/{field.id}/edit",
                           data=definition(field_type="number", label="Note"))
    assert response.status_code == 422
    assert "The type cannot change" in response.get_data(as_text=True)


def test_toggle_deactivates_and_activates(client: FlaskClient, login_as) -> None:
    field = CustomFieldFactory()
    login_as("admin")
    assert 'data-confirm="Deactivate' in client.get("/admin/fields/").get_data(as_text=True)
    assert client.get(f"/admin/fields/{field.id}/toggle").status_code == 405
    assert client.post(f"/admin/fields/{field.id}/toggle").status_code == 302
    db.session.refresh(field)
    assert field.active is False
    client.post(f"/admin/fields/{field.id}/toggle")
    db.session.refresh(field)
    assert field.active is True


def test_unknown_field_is_404(client: FlaskClient, login_as) -> None:
    login_as("admin")
    assert client.get("/admin/fields/12345/edit").status_code == 404
    assert client.post("/admin/fields/12345/toggle").status_code == 404


@pytest.mark.parametrize("role", ["sales", "care", "clerk", "compliance"])
def test_only_admins_manage_fields(client: FlaskClient, login_as, role: str) -> None:
    field = CustomFieldFactory()
    login_as(role)
    assert client.get("/admin/fields/").status_code == 403
    assert client.post("/admin/fields/new", data=definition()).status_code == 403
    assert client.post(f"/admin/fields/{field.id}/toggle").status_code == 403
    assert _field("shoe_size") is None
