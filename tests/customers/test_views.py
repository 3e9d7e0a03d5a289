"""Creating, editing and showing customers through the web pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.extensions import db
from tests.factories import CustomerFactory


def valid_person(**changes: Any) -> dict[str, Any]:
    data = {
        "number": "800100", "kind": "person", "initials": "J.", "first_name": "Jan",
        "infix": "van", "last_name": "Dijk", "organisation_name": "", "street": "Kerkstraat",
        "house_number": "12", "house_number_addition": "a", "postcode": "1234ab",
        "city": "Utrecht", "country": "nl", "email": "Jan@Example.NL", "phone": "+31 6-1234 5678",
        "date_of_birth": "15-06-1980", "preferred_channel": "phone", "status": "active",
    }
    return data | changes


def _customer(number: str) -> Customer | None:
    return db.session.scalar(select(Customer).where(Customer.number == number))


def _events(action: str, customer_id: int) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.customer_id == customer_id)))


def test_new_form_suggests_the_next_free_number(client: FlaskClient, login_as) -> None:
    CustomerFactory(number="123456")
    CustomerFactory(number="99")
    CustomerFactory(number="X-1000000")
    login_as("sales")
    html = client.get("/customers/new").get_data(as_text=True)
    assert 'value="123457"' in html


def test_create_person_stores_normalised_values(client: FlaskClient, login_as) -> None:
    user = login_as("sales")
    response = client.post("/customers/new", data=valid_person())
    assert response.status_code == 302
    customer = _customer("800100")
    assert customer is not None
    assert response.headers["Location"] == f"/customers/{customer.id}"
    assert (customer.postcode, customer.country, customer.email) == ("1234 AB", "NL",
                                                                    "Jan@example.nl")
    assert customer.house_number == 12 and customer.date_of_birth == date(1980, 6, 15)
    assert customer.sort_name == "dijk jan"
    [event] = _events("create", customer.id)
    assert event.actor_id == user.id and event.object_type == "Customer"
    assert "postcode" in event.details["fields"] and "Dijk" not in str(event.details)


def test_create_organisation(client: FlaskClient, login_as) -> None:
    login_as("care")
    data = valid_person(kind="organisation", organisation_name="Eik BV", first_name="",
                        last_name="", initials="", infix="", date_of_birth="")
    assert client.post("/customers/new", data=data).status_code == 302
    customer = _customer("800100")
    assert customer is not None and customer.sort_name == "eik bv"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"last_name": ""}, "last_name", "A person needs a last name."),
    ({"kind": "organisation", "date_of_birth": ""}, "organisation_name",
     "An organisation needs a name."),
    ({"kind": "organisation", "organisation_name": "X"}, "date_of_birth",
     "Only a person has a date of birth."),
    ({"postcode": "0123 AB"}, "postcode", "Enter a Dutch postcode like 1234 AB."),
    ({"postcode": "1234 SS"}, "postcode", "Enter a Dutch postcode like 1234 AB."),
    ({"house_number": "0"}, "house_number", "Enter a whole number of 1 or more."),
    ({"house_number": "12b"}, "house_number", "Enter a whole number of 1 or more."),
    ({"email": "not-an-address"}, "email", "Enter a valid e-mail address."),
    ({"phone": "06 12ab"}, "phone", "Use digits, spaces, + and - only"),
    ({"date_of_birth": (date.today() + timedelta(days=2)).isoformat()}, "date_of_birth",
     "The date of birth cannot be in the future."),
    ({"date_of_birth": "30-02-1980"}, "date_of_birth", "Enter a date as dd-mm-yyyy"),
    ({"country": "NLD"}, "country", "Use the two-letter country code"),
    ({"number": ""}, "number", "Enter a customer number."),
    ({"number": "12 34"}, "number", "Use letters, digits and - only."),
    ({"status": "deleted"}, "status", "Choose one of the options."),
    ({"city": "x" * 81}, "city", "Use at most 80 characters."),
])
def test_invalid_input_gives_field_errors(client: FlaskClient, login_as,
                                          changes: dict[str, str], field: str,
                                          message: str) -> None:
    login_as("sales")
    response = client.post("/customers/new", data=valid_person(**changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error_block = html.split(f'name="{field}"', 1)[1].split("</div>", 1)[0]
    assert message in error_block
    assert _customer("800100") is None


def test_foreign_postcode_is_not_checked_as_dutch(client: FlaskClient, login_as) -> None:
    login_as("sales")
    data = valid_person(country="BE", postcode="1000")
    assert client.post("/customers/new", data=data).status_code == 302
    customer = _customer("800100")
    assert customer is not None and customer.postcode == "1000"


def test_duplicate_number_is_a_field_error(client: FlaskClient, login_as) -> None:
    CustomerFactory(number="800100")
    login_as("sales")
    response = client.post("/customers/new", data=valid_person())
    assert response.status_code == 422
    assert "Customer number 800100 is already in use." in response.get_data(as_text=True)


def test_number_race_is_caught_at_the_unique_constraint(
    client: FlaskClient, login_as, monkeypatch: pytest.MonkeyPatch
) -> None:
    CustomerFactory(number="800100")
    login_as("sales")
    # The other request inserted its customer after our check said the number was free.
    monkeypatch.setattr("dossier.customers.queries.number_taken", lambda *args: False)
    response = client.post("/customers/new", data=valid_person())
    assert response.status_code == 422
    assert "Customer number 800100 is already in use." in response.get_data(as_text=True)
    assert len(list(db.session.scalars(select(Customer).where(
        Customer.number == "800100")))) == 1


def test_edit_records_changed_field_names(client: FlaskClient, login_as) -> None:
    customer = CustomerFactory(number="800200", city="Utrecht", email="a@b.nl")
    user = login_as("loyalty")
    page = client.get(f"/customers/{customer.id}/edit")
    assert page.status_code == 200 and 'value="Utrecht"' in page.get_data(as_text=True)
    [viewed] = _events("view", customer.id)  # the form shows personal data too
    assert viewed.details == {"page": "edit"}
    data = {name: getattr(customer, name) or "" for name in valid_person()}
    data |= {"city": "Zwolle", "email": "nieuw@b.nl"}
    response = client.post(f"/customers/{customer.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(customer)
    assert (customer.city, customer.email) == ("Zwolle", "nieuw@b.nl")
    [event] = _events("update", customer.id)
    assert event.actor_id == user.id
    assert sorted(event.details["fields"]) == ["city", "email"]
    assert "Zwolle" not in str(event.details)


def test_edit_to_a_taken_number_fails(client: FlaskClient, login_as) -> None:
    CustomerFactory(number="800300")
    customer = CustomerFactory(number="800301")
    login_as("sales")
    data = {name: getattr(customer, name) or "" for name in valid_person()} | {"number": "800300"}
    response = client.post(f"/customers/{customer.id}/edit", data=data)
    assert response.status_code == 422
    assert "already in use" in response.get_data(as_text=True)
    db.session.refresh(customer)
    assert customer.number == "800301"


def test_unchanged_edit_writes_no_update_event(client: FlaskClient, login_as) -> None:
    customer = CustomerFactory(number="800400")
    login_as("sales")
    data = {name: getattr(customer, name) or "" for name in valid_person()}
    assert client.post(f"/customers/{customer.id}/edit", data=data).status_code == 302
    assert _events("update", customer.id) == []


def test_show_is_audited_and_offers_edit(client: FlaskClient, login_as) -> None:
    customer = CustomerFactory(number="800500", last_name="Visser", phone="020 1234567")
    user = login_as("sales")
    response = client.get(f"/customers/{customer.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Visser" in html and "020 1234567" in html and "1234 AB" in html
    assert f'href="/customers/{customer.id}/edit"' in html
    [event] = _events("view", customer.id)
    assert (event.actor_id, event.object_type, event.object_id) == (user.id, "Customer",
                                                                   str(customer.id))


def test_clerk_may_view_but_not_edit(client: FlaskClient, login_as) -> None:
    customer = CustomerFactory()
    login_as("clerk")
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert customer.number in html
    assert f'href="/customers/{customer.id}/edit"' not in html
    assert client.get(f"/customers/{customer.id}/edit").status_code == 403
    assert client.post(f"/customers/{customer.id}/edit", data={}).status_code == 403
    assert client.post("/customers/new", data=valid_person()).status_code == 403


def test_compliance_may_edit_but_not_create(client: FlaskClient, login_as) -> None:
    customer = CustomerFactory()
    login_as("compliance")
    assert client.get(f"/customers/{customer.id}/edit").status_code == 200
    assert client.get("/customers/new").status_code == 403


def test_unknown_customer_is_404(client: FlaskClient, login_as) -> None:
    login_as("admin")
    assert client.get("/customers/999999").status_code == 404
    assert client.get("/customers/999999/edit").status_code == 404


def test_user_without_customer_role_gets_403(client: FlaskClient, login_as) -> None:
    customer = CustomerFactory()
    login_as()
    assert client.get(f"/customers/{customer.id}").status_code == 403


def test_forms_need_csrf_token(app, client: FlaskClient, login_as) -> None:
    login_as("sales")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/customers/new", data=valid_person())
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert _customer("800100") is None


def test_user_data_is_escaped(client: FlaskClient, login_as) -> None:
    customer = CustomerFactory(last_name="<script>alert(1)</script>")
    login_as("sales")
    for path in (f"/customers/{customer.id}", f"/customers/{customer.id}/edit",
                 "/customers/?q=alert"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
