"""Custom field values: typed entry on the edit form, and who sees or changes which."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer, CustomField, CustomFieldValue
from dossier.customers.services import update_customer
from dossier.extensions import db
from tests.customers.factories import CustomFieldFactory
from tests.factories import CustomerFactory, UserFactory

KEY_FIELDS = ("number", "kind", "initials", "first_name", "infix", "last_name",
              "organisation_name", "street", "house_number", "house_number_addition",
              "postcode", "city", "country", "email", "phone", "date_of_birth",
              "preferred_channel", "status")


def form_data(customer: Customer, **custom: str) -> dict[str, Any]:
    data = {name: getattr(customer, name) or "" for name in KEY_FIELDS}
    return data | {f"cf_{key}": value for key, value in custom.items()}


def stored(customer: Customer, field: CustomField) -> Any:
    row = db.session.scalar(select(CustomFieldValue).where(
        CustomFieldValue.customer_id == customer.id, CustomFieldValue.field_id == field.id))
    return None if row is None else row.value


@pytest.mark.parametrize(("field_type", "choices", "typed", "expected"), [
    ("text", [], "  Likes tulips ", "Likes tulips"),
    ("number", [], "42,5", Decimal("42.5")),
    ("money", [], "1.234,56", Decimal("1234.56")),
    ("money", [], "1234.56", Decimal("1234.56")),
    ("date", [], "01-03-2025", date(2025, 3, 1)),
    ("date", [], "2025-03-01", date(2025, 3, 1)),
    ("boolean", [], "yes", True),
    ("boolean", [], "no", False),
    ("choice", ["Gold", "Silver"], "Silver", "Silver"),
])
def test_each_type_is_parsed_and_stored(client: FlaskClient, login_as, field_type: str,
                                        choices: list[str], typed: str, expected: Any) -> None:
    field = CustomFieldFactory(key="extra", field_type=field_type, choices=choices)
    customer = CustomerFactory()
    login_as("sales")
    response = client.post(f"/customers/{customer.id}/edit", data=form_data(customer,
                                                                             extra=typed))
    assert response.status_code == 302
    assert stored(customer, field) == expected
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update",
                                                       AuditEvent.customer_id == customer.id))
    assert event is not None and event.details["fields"] == ["custom_fields.extra"]


@pytest.mark.parametrize(("field_type", "choices", "typed", "message"), [
    ("number", [], "veel", "Enter a number"),
    ("money", [], "12,345", "Use at most 2 decimals."),
    ("date", [], "31-02-2025", "Enter a date as dd-mm-yyyy"),
    ("boolean", [], "maybe", "Choose yes or no."),
    ("choice", ["Gold", "Silver"], "Bronze", "Choose one of the options."),
    ("text", [], "x" * 1001, "Use at most 1000 characters."),
])
def test_bad_values_are_field_errors(client: FlaskClient, login_as, field_type: str,
                                     choices: list[str], typed: str, message: str) -> None:
    field = CustomFieldFactory(key="extra", field_type=field_type, choices=choices)
    customer = CustomerFactory()
    login_as("sales")
    response = client.post(f"/customers/{customer.id}/edit",
                           data=form_data(customer, extra=typed))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html.split('name="cf_extra"', 1)[1].split("</div>", 1)[0]
    assert stored(customer, field) is None


def test_required_field_must_be_filled(client: FlaskClient, login_as) -> None:
    CustomFieldFactory(key="extra", required=True)
    customer = CustomerFactory()
    login_as("sales")
    response = client.post(f"/customers/{customer.id}/edit", data=form_data(customer, extra=""))
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)


def test_emptying_a_value_removes_its_row(client: FlaskClient, login_as) -> None:
    field = CustomFieldFactory(key="extra", field_type="money")
    customer = CustomerFactory()
    login_as("sales")
    client.post(f"/customers/{customer.id}/edit", data=form_data(customer, extra="10"))
    assert stored(customer, field) == Decimal("10.00")
    page = client.get(f"/customers/{customer.id}/edit").get_data(as_text=True)
    assert 'value="10.00"' in page
    client.post(f"/customers/{customer.id}/edit", data=form_data(customer, extra=" "))
    assert db.session.scalar(select(CustomFieldValue).where(
        CustomFieldValue.field_id == field.id)) is None


def test_values_entered_on_the_new_form(client: FlaskClient, login_as) -> None:
    field = CustomFieldFactory(key="extra", field_type="boolean")
    login_as("sales")
    data = {"number": "900001", "kind": "person", "last_name": "Smit", "country": "NL",
            "preferred_channel": "email", "status": "active", "cf_extra": "yes"}
    assert client.post("/customers/new", data=data).status_code == 302
    customer = db.session.scalar(select(Customer).where(Customer.number == "900001"))
    assert customer is not None and stored(customer, field) is True


@pytest.fixture
def care_field() -> CustomField:
    return CustomFieldFactory(key="complaint_note", label="Complaint note", scopes=["care"])


@pytest.fixture
def customer_with_note(care_field: CustomField) -> Customer:
    customer = CustomerFactory()
    customer.custom_values.append(CustomFieldValue(field=care_field, value_text="Secret care"))
    db.session.flush()
    return customer


def test_sales_never_sees_a_care_only_field(client: FlaskClient, login_as,
                                            customer_with_note: Customer) -> None:
    login_as("sales")
    for path in (f"/customers/{customer_with_note.id}",
                 f"/customers/{customer_with_note.id}/edit"):
        html = client.get(path).get_data(as_text=True)
        assert "Complaint note" not in html and "Secret care" not in html


def test_sales_cannot_change_a_care_only_field_by_posting_it(
    client: FlaskClient, login_as, customer_with_note: Customer, care_field: CustomField
) -> None:
    login_as("sales")
    data = form_data(customer_with_note, complaint_note="Overwritten") | {"city": "Ede"}
    assert client.post(f"/customers/{customer_with_note.id}/edit", data=data).status_code == 302
    assert stored(customer_with_note, care_field) == "Secret care"
    db.session.refresh(customer_with_note)
    assert customer_with_note.city == "Ede"


def test_service_ignores_fields_the_actor_may_not_edit(
    app, customer_with_note: Customer, care_field: CustomField
) -> None:
    sales = UserFactory(roles=["sales"])
    with app.test_request_context():
        changed = update_customer(sales, customer_with_note,
                                  {"custom_fields": {"complaint_note": ""}})
    assert changed == []
    assert stored(customer_with_note, care_field) == "Secret care"


def test_care_sees_and_edits_the_care_field(client: FlaskClient, login_as,
                                            customer_with_note: Customer,
                                            care_field: CustomField) -> None:
    login_as("care")
    html = client.get(f"/customers/{customer_with_note.id}").get_data(as_text=True)
    assert "Complaint note" in html and "Secret care" in html
    data = form_data(customer_with_note, complaint_note="Solved")
    assert client.post(f"/customers/{customer_with_note.id}/edit", data=data).status_code == 302
    assert stored(customer_with_note, care_field) == "Solved"


def test_compliance_sees_every_field(client: FlaskClient, login_as,
                                     customer_with_note: Customer) -> None:
    login_as("compliance")
    html = client.get(f"/customers/{customer_with_note.id}").get_data(as_text=True)
    assert "Secret care" in html


def test_visible_but_not_editable_field_is_read_only(
    client: FlaskClient, login_as, customer_with_note: Customer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Today every role that sees a field may also edit it; the form must still show a
    # field it may only see as text, should the rule ever say so.
    import dossier.customers.queries as queries

    login_as("care")
    real_can = queries.can
    monkeypatch.setattr(queries, "can", lambda actor, action, target: (
        action != "edit" and real_can(actor, action, target)))
    html = client.get(f"/customers/{customer_with_note.id}/edit").get_data(as_text=True)
    assert 'name="cf_complaint_note"' not in html
    assert "Complaint note" in html and "Secret care" in html


def test_deactivated_field_is_hidden(client: FlaskClient, login_as,
                                     customer_with_note: Customer,
                                     care_field: CustomField) -> None:
    care_field.active = False
    db.session.flush()
    login_as("care")
    html = client.get(f"/customers/{customer_with_note.id}").get_data(as_text=True)
    assert "Complaint note" not in html
