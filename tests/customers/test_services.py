"""The customer services called directly, as the API and CLI will call them."""

from __future__ import annotations

import pytest
from flask import Flask

from dossier.customers.key_fields import CustomerInvalid
from dossier.customers.services import create_customer, update_customer
from tests.customers.factories import CustomFieldFactory
from tests.factories import CustomerFactory, UserFactory


def test_partial_update_keeps_other_fields(app: Flask) -> None:
    customer = CustomerFactory(city="Utrecht", postcode="1234 AB")
    actor = UserFactory(roles=["care"])
    with app.test_request_context():
        changed = update_customer(actor, customer, {"postcode": "9999zz"})
    assert changed == ["postcode"]
    assert (customer.postcode, customer.city) == ("9999 ZZ", "Utrecht")


def test_create_reports_every_error_at_once(app: Flask) -> None:
    CustomFieldFactory(key="segment", field_type="choice", choices=["A"], required=True)
    actor = UserFactory(roles=["sales"])
    with app.test_request_context(), pytest.raises(CustomerInvalid) as refused:
        create_customer(actor, {"number": "", "kind": "person", "postcode": "1234",
                                "preferred_channel": "email", "status": "active"})
    assert set(refused.value.errors) == {"number", "last_name", "postcode", "cf_segment"}


def test_required_field_of_another_scope_does_not_block(app: Flask) -> None:
    CustomFieldFactory(key="care_only", scopes=["care"], required=True)
    actor = UserFactory(roles=["sales"])
    with app.test_request_context():
        customer = create_customer(actor, {"number": "910001", "kind": "person",
                                           "last_name": "Smit", "preferred_channel": "email",
                                           "status": "active"})
    assert customer.id is not None and customer.custom_values == []
