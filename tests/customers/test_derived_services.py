"""Defining derived fields: validation with clear messages, audit, compute on save."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers import derived_services
from dossier.customers.derived_services import DerivedFieldInvalid, parse_conditions
from dossier.extensions import db
from tests.customers.derived_support import TODAY, order, value_of
from tests.factories import CustomerFactory, UserFactory, document_type


def spent(**changes: Any) -> dict[str, Any]:
    data = {"key": "spent_2025", "label": "Spent in 2025", "function": "sum",
            "source": "documents", "document_type_id": str(document_type("order").id),
            "attribute": "amount", "conditions": "", "period": "year", "period_year": 2025,
            "period_months": None, "scopes": ["loyalty"], "help_text": "", "position": 0}
    return data | changes


def test_create_computes_for_every_customer_and_is_audited(app) -> None:
    admin = UserFactory(roles=("admin",))
    customer = CustomerFactory()
    order(customer, "1250.00")
    field = derived_services.create_derived_field(admin, spent(), today=TODAY)
    assert (field.value_type, field.scopes) == ("money", ["loyalty"])
    assert value_of(customer, field) == 1250
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "DerivedField"))
    assert event is not None and event.action == "create"


def test_update_recomputes_and_deactivation_drops_values(app) -> None:
    admin = UserFactory(roles=("admin",))
    customer = CustomerFactory()
    order(customer, "10.00")
    field = derived_services.create_derived_field(admin, spent(), today=TODAY)
    changed = derived_services.update_derived_field(admin, field, spent(period_year=2024),
                                                    today=TODAY)
    assert changed == ["period_year"]
    assert value_of(customer, field) is None
    derived_services.update_derived_field(admin, field, spent(period="all"), today=TODAY)
    assert value_of(customer, field) == 10
    derived_services.set_derived_active(admin, field, False, today=TODAY)
    assert value_of(customer, field) is None
    derived_services.set_derived_active(admin, field, True, today=TODAY)
    assert value_of(customer, field) == 10


@pytest.mark.parametrize(("changes", "name", "message"), [
    ({"key": "Spent"}, "key", "Use lower-case letters"),
    ({"label": ""}, "label", "Enter a label"),
    ({"function": "median"}, "function", "Choose one of the options."),
    ({"attribute": "colour"}, "attribute", "Name a key point of the chosen document type"),
    ({"attribute": "order_number"}, "attribute", "A sum needs a key point holding a number"),
    ({"conditions": "colour = red"}, "conditions", "“colour” is not a key point"),
    ({"conditions": "amount ="}, "conditions", "Give at least one value"),
    ({"period_year": None}, "period_year", "Enter a year, e.g. 2025."),
    ({"period": "months", "period_months": 0}, "period_months", "Enter a number of months"),
    ({"scopes": []}, "scopes", "Choose at least one scope."),
    ({"source": "interactions", "attribute": "amount"}, "attribute", "Choose one of: channel"),
    ({"source": "interactions", "function": "count", "conditions": "channel = pigeon"},
     "conditions", "channel can be: phone"),
    ({"source": "complaints", "function": "count", "conditions": "colour = red"},
     "conditions", "Conditions can use: status, scope"),
])
def test_invalid_definitions_get_a_clear_message(app, changes: dict[str, Any], name: str,
                                                 message: str) -> None:
    admin = UserFactory(roles=("admin",))
    with pytest.raises(DerivedFieldInvalid) as refused:
        derived_services.create_derived_field(admin, spent(**changes), today=TODAY)
    assert message in refused.value.errors[name]


def test_a_key_is_used_once(app) -> None:
    admin = UserFactory(roles=("admin",))
    derived_services.create_derived_field(admin, spent(), today=TODAY)
    with pytest.raises(DerivedFieldInvalid) as refused:
        derived_services.create_derived_field(admin, spent(), today=TODAY)
    assert "already in use" in refused.value.errors["key"]


def test_value_types_follow_function_and_attribute(app) -> None:
    admin = UserFactory(roles=("admin",))
    channel = derived_services.create_derived_field(admin, spent(
        key="last_channel", function="latest", source="interactions", attribute="channel",
        period="all"), today=TODAY)
    first = derived_services.create_derived_field(admin, spent(
        key="first_order", function="min", attribute="document_date", period="all"),
        today=TODAY)
    count = derived_services.create_derived_field(admin, spent(
        key="orders", function="count", attribute="ignored", period="all"), today=TODAY)
    assert (channel.value_type, first.value_type, count.value_type) == ("text", "date", "number")
    assert count.attribute == ""


def test_conditions_are_read_one_per_line() -> None:
    assert parse_conditions("status = open, in_progress\n\n scope=care ") == {
        "status": ["open", "in_progress"], "scope": ["care"]}


def test_preview_computes_without_saving_and_audits_the_read(app) -> None:
    admin = UserFactory(roles=("admin",))
    customer = CustomerFactory()
    order(customer, "99.95")
    preview = derived_services.preview_value(admin, spent(), customer, today=TODAY)
    assert float(preview.value) == pytest.approx(99.95)
    assert preview.field.id == 0 and preview.field not in db.session
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.customer_id == customer.id,
                                                       AuditEvent.action == "view"))
    assert event is not None
