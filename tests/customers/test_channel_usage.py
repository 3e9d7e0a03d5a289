"""Channel usage per customer: how often each channel, in and out, and the latest contact."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from dossier.customers.interactions import channel_usage
from tests.customers.contact_objects import make_interaction
from tests.factories import CustomerFactory, UserFactory


def test_counts_per_channel_and_direction_and_the_last_contact(app: Flask) -> None:
    customer = CustomerFactory()
    for day in (1, 2, 3):
        make_interaction(customer, "sales", "phone", "inbound", at=datetime(2025, 1, day))
    make_interaction(customer, "sales", "phone", "outbound", at=datetime(2025, 1, 4))
    make_interaction(customer, "sales", "email", "outbound", at=datetime(2025, 2, 1))
    make_interaction(customer, "care", "social", "inbound", at=datetime(2025, 3, 1))
    make_interaction(CustomerFactory(), "sales", "app", at=datetime(2025, 4, 1))
    usage = channel_usage(UserFactory(roles=("sales",)), customer)
    rows = [(row.channel, row.inbound, row.outbound, row.last_at) for row in usage.channels]
    assert rows == [("phone", 3, 1, datetime(2025, 1, 4)),
                    ("email", 0, 1, datetime(2025, 2, 1))]
    assert (usage.last_channel, usage.last_direction, usage.last_at) == (
        "email", "outbound", datetime(2025, 2, 1))
    assert usage.total == 5


def test_usage_counts_only_what_the_viewer_may_see(app: Flask) -> None:
    customer = CustomerFactory()
    make_interaction(customer, "care", "social", at=datetime(2025, 3, 1))
    make_interaction(customer, "sales", "phone", at=datetime(2025, 1, 1))
    care = channel_usage(UserFactory(roles=("care",)), customer)
    assert [row.channel for row in care.channels] == ["social"]
    assert channel_usage(UserFactory(roles=("admin",)), customer).last_channel == "social"
    clerk = channel_usage(UserFactory(roles=("clerk",)), customer)
    assert (clerk.channels, clerk.last_channel, clerk.total) == ([], None, 0)


def test_ties_are_ordered_by_channel(app: Flask) -> None:
    customer = CustomerFactory()
    make_interaction(customer, "sales", "social", at=datetime(2025, 1, 1))
    make_interaction(customer, "sales", "phone", at=datetime(2025, 1, 1))
    usage = channel_usage(UserFactory(roles=("sales",)), customer)
    assert [row.channel for row in usage.channels] == ["phone", "social"]
