"""Customers through the API: the web's permission checks, paging, sorting, field errors."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.extensions import db
from tests.api.conftest import CallerFactory
from tests.customers.factories import CustomFieldFactory
from tests.factories import CustomerFactory

URL = "/api/v1/customers"


@pytest.fixture
def many(app: Flask) -> list[Customer]:
    customers = [CustomerFactory(last_name=f"Pagina{n:02d}", first_name="Test")
                 for n in range(7)]
    db.session.commit()
    return customers


def test_lists_are_paged_with_next_links(caller: CallerFactory, many: list[Customer]) -> None:
    api = caller("sales")
    first = api.get(URL, query_string={"q": "Pagina", "per_page": 3})
    body = first.get_json()
    assert body["total"] == 7 and body["pages"] == 3 and body["page"] == 1
    assert [c["last_name"] for c in body["items"]] == ["Pagina00", "Pagina01", "Pagina02"]
    assert body["prev"] is None and "page=2" in body["next"]
    assert 'rel="next"' in first.headers["Link"]
    last = api.get(body["next"].replace("page=2", "page=3")).get_json()
    assert [c["last_name"] for c in last["items"]] == ["Pagina06"] and last["next"] is None
    beyond = api.get(URL, query_string={"q": "Pagina", "per_page": 3, "page": 9}).get_json()
    assert beyond["items"] == [] and beyond["total"] == 7


def test_lists_sort_like_the_web_list(caller: CallerFactory, many: list[Customer]) -> None:
    body = caller("care").get(URL, query_string={"q": "Pagina", "sort": "-name"}).get_json()
    assert body["items"][0]["last_name"] == "Pagina06"


@pytest.mark.parametrize("query, field", [
    ({"per_page": 101}, "per_page"), ({"per_page": 0}, "per_page"), ({"page": "two"}, "page"),
    ({"page": -1}, "page"), ({"sort": "password"}, "sort"), ({"kind": "robot"}, "kind"),
    ({"q": "x" * 201}, "q"),
])
def test_bad_parameters_get_400_naming_the_field(caller: CallerFactory, query: dict[str, object],
                                                 field: str) -> None:
    response = caller("sales").get(URL, query_string=query)
    assert response.status_code == 400
    assert field in response.get_json()["fields"]


def test_read_shows_key_fields_and_visible_custom_fields(caller: CallerFactory,
                                                         app: Flask) -> None:
    sales_field = CustomFieldFactory(key="shoe_size", scopes=["sales"])
    CustomFieldFactory(key="care_secret", scopes=["care"])
    customer = CustomerFactory(last_name="Veld")
    db.session.commit()
    from dossier.customers.custom_values import apply_values

    apply_values(customer, {sales_field: "44"})
    db.session.commit()
    body = caller("sales").get(f"{URL}/{customer.id}").get_json()
    assert body["last_name"] == "Veld" and body["number"] == customer.number
    assert body["custom_fields"] == {"shoe_size": "44"}


def test_create_suggests_a_number_and_audits(caller: CallerFactory) -> None:
    api = caller("sales")
    response = api.post(URL, json={"last_name": "Nieuw", "postcode": "1234ab",
                                   "house_number": 12, "date_of_birth": "1980-02-03"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["number"].isdigit() and body["postcode"] == "1234 AB"
    assert response.headers["Location"] == f"{URL}/{body['id']}"
    created = db.session.get(Customer, body["id"])
    assert created is not None and created.last_name == "Nieuw"
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.customer_id == body["id"], AuditEvent.action == "create")) is not None


def test_field_errors_of_the_service_come_as_422(caller: CallerFactory) -> None:
    CustomerFactory(number="500500")
    db.session.commit()
    response = caller("sales").post(URL, json={"number": "500500", "kind": "organisation"})
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert "already in use" in fields["number"] and "organisation_name" in fields


@pytest.mark.parametrize("body, field", [
    ({"last_name": 12}, "last_name"), ({"surname": "x"}, "surname"),
    ({"house_number": "12"}, "house_number"), ({"date_of_birth": "3-2-1980"}, "date_of_birth"),
    ({"status": "gone"}, "status"), ({"last_name": "x" * 121}, "last_name"),
])
def test_malformed_bodies_get_400(caller: CallerFactory, body: dict[str, object],
                                  field: str) -> None:
    response = caller("sales").post(URL, json=body)
    assert response.status_code == 400
    assert field in response.get_json()["fields"]


def test_a_body_that_is_not_json_gets_415_and_broken_json_400(caller: CallerFactory) -> None:
    api = caller("sales")
    assert api.post(URL, data={"last_name": "x"}).status_code == 415
    broken = api.post(URL, data="{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.is_json
    assert api.post(URL, json=["a list"]).status_code == 400


def test_update_changes_only_what_is_sent(caller: CallerFactory) -> None:
    customer = CustomerFactory(last_name="Oud", city="Amsterdam")
    db.session.commit()
    response = caller("care").patch(f"{URL}/{customer.id}", json={"city": "Utrecht"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["city"] == "Utrecht"
    assert response.get_json()["last_name"] == "Oud"


@pytest.mark.parametrize("role, read, create, edit", [
    ("sales", 200, 201, 200), ("care", 200, 201, 200), ("loyalty", 200, 201, 200),
    ("clerk", 200, 403, 403), ("compliance", 200, 403, 200), ("admin", 200, 201, 200),
])
def test_each_role_gets_what_the_web_gives_it(caller: CallerFactory, role: str, read: int,
                                              create: int, edit: int) -> None:
    customer = CustomerFactory()
    db.session.commit()
    api = caller(role)
    assert api.get(f"{URL}/{customer.id}").status_code == read
    assert api.post(URL, json={"last_name": "Rol"}).status_code == create
    assert api.patch(f"{URL}/{customer.id}", json={"city": "Ede"}).status_code == edit


def test_unknown_customer_is_404_json(caller: CallerFactory) -> None:
    response = caller("sales").get(f"{URL}/987654")
    assert response.status_code == 404 and response.is_json


def test_custom_fields_of_other_scopes_cannot_be_written(caller: CallerFactory) -> None:
    CustomFieldFactory(key="care_only", scopes=["care"])
    db.session.commit()
    response = caller("sales").post(URL, json={"last_name": "X",
                                               "custom_fields": {"care_only": "sneaky"}})
    assert response.status_code == 201
    assert "care_only" not in response.get_json()["custom_fields"]
    created = db.session.get(Customer, response.get_json()["id"])
    assert created is not None and created.custom_values == []


def test_listing_is_audited_as_a_search(caller: CallerFactory, many: list[Customer]) -> None:
    api = caller("loyalty")
    api.get(URL, query_string={"q": "Pagina"})
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "search", AuditEvent.actor_id == api.user.id)).one()
    assert event.details["query"] == "Pagina" and event.details["results"] == 7
