"""The duplicate list, dismissal and the merge screen, as an admin uses them."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from dossier.auth.models import User
from dossier.customers.duplicates_store import candidate_for
from dossier.customers.merge_models import DuplicateDismissal
from dossier.customers.models import Customer
from dossier.extensions import db
from tests.factories import CustomerFactory, DocumentFactory


def _twins() -> tuple[Customer, Customer]:
    one = CustomerFactory(first_name="Pieter", last_name="Jansen", postcode="1234 AB",
                          house_number=7, phone="", email="p.jansen@example.nl")
    other = CustomerFactory(first_name="", initials="P.", last_name="Janssen",
                            postcode="1234 AB", house_number=7, phone="06 1234 5678",
                            email="p.jansen@example.nl")
    return one, other


def test_non_admins_are_refused(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as("sales")
    assert client.get("/admin/duplicates/").status_code == 403


def test_search_list_and_dismiss(app: Flask, client: FlaskClient,
                                 login_as: Callable[..., User]) -> None:
    one, other = _twins()
    login_as("admin")
    page = client.get("/admin/duplicates/").get_data(as_text=True)
    assert "has not searched yet" in page
    response = client.post("/admin/duplicates/refresh")
    assert response.status_code == 302
    page = client.get("/admin/duplicates/").get_data(as_text=True)
    assert "same e-mail address" in page and "last name 92% similar" in page
    candidate = candidate_for(one.id, other.id)
    assert candidate is not None
    response = client.post(f"/admin/duplicates/{candidate.id}/dismiss")
    assert response.status_code == 302
    assert db.session.get(DuplicateDismissal, (min(one.id, other.id), max(one.id, other.id)))
    client.post("/admin/duplicates/refresh")
    assert candidate_for(one.id, other.id) is None


def test_merge_screen_shows_both_and_merges_with_the_chosen_values(
        app: Flask, client: FlaskClient, login_as: Callable[..., User]) -> None:
    one, other = _twins()
    document = DocumentFactory(customers=[other])
    login_as("admin")
    url = f"/admin/duplicates/merge/{one.id}/{other.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Pieter" in page and "06 1234 5678" in page
    assert 'name="take_phone" value="merged" checked' in page  # an empty value is filled
    refused = client.post(url, data={"survivor_id": one.id, "take_first_name": "merged"})
    assert refused.status_code == 422 and "Tick the box" in refused.get_data(as_text=True)
    response = client.post(url, data={"survivor_id": one.id, "confirm": "y",
                                      "take_first_name": "survivor", "take_phone": "merged"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/customers/{one.id}")
    db.session.expire_all()
    survivor = db.session.get(Customer, one.id)
    assert survivor is not None and survivor.first_name == "Pieter"
    assert survivor.phone == "06 1234 5678"
    assert db.session.get(Customer, other.id) is None
    assert [c.id for c in document.customers] == [one.id]


def test_keeping_the_other_customer_swaps_the_sides(client: FlaskClient,
                                                    login_as: Callable[..., User]) -> None:
    one, other = _twins()
    login_as("admin")
    response = client.post(f"/admin/duplicates/merge/{one.id}/{other.id}",
                           data={"survivor_id": other.id, "confirm": "y"})
    assert response.headers["Location"].endswith(f"/customers/{other.id}")
    assert db.session.get(Customer, one.id) is None


def test_a_missing_customer_is_not_found(client: FlaskClient,
                                         login_as: Callable[..., User]) -> None:
    one = CustomerFactory()
    login_as("admin")
    assert client.get(f"/admin/duplicates/merge/{one.id}/987654").status_code == 404
    assert client.get(f"/admin/duplicates/merge/{one.id}/{one.id}").status_code == 404
