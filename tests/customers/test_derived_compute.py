"""Derived values: bulk recompute (one statement per field) and the incremental listener."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from dossier.customers.derived_compute import recompute_all, recompute_for_customers
from dossier.customers.derived_models import DerivedValue
from dossier.customers.derived_sql import months_cutoff
from dossier.extensions import db
from tests.customers.derived_support import (
    TODAY,
    complaint,
    contact,
    define,
    last_channel,
    open_complaints,
    order,
    spent_in,
    value_of,
)
from tests.factories import CustomerFactory, DocumentFactory, document_type


def test_a_new_order_updates_the_sum_in_the_same_flush(app) -> None:
    spent = spent_in(2025)
    customer = CustomerFactory()
    order(customer, "600.50")
    assert value_of(customer, spent) == Decimal("600.5")
    order(customer, "500.00", date(2025, 12, 31))
    order(customer, "999.00", date(2026, 1, 1))  # another year
    assert value_of(customer, spent) == Decimal("1100.5")


def test_changing_or_unlinking_an_order_recomputes_the_customers_it_touched(app) -> None:
    spent = spent_in(2025)
    first, second = CustomerFactory(), CustomerFactory()
    document = order(first, "100.00")
    document.key_points = {"order_number": "O-1", "amount": "250.00"}
    db.session.flush()
    assert value_of(first, spent) == Decimal(250)
    document.customers = [second]
    db.session.flush()
    assert value_of(first, spent) is None  # no input left: no row (shown as 0)
    assert value_of(second, spent) == Decimal(250)
    db.session.delete(document)
    db.session.flush()
    assert value_of(second, spent) is None


def test_other_document_types_do_not_feed_an_order_sum(app) -> None:
    spent = spent_in(2025)
    customer = CustomerFactory()
    DocumentFactory(type_code="invoice", customers=[customer],
                    key_points={"invoice_number": "F1", "amount": "75.00"})
    assert value_of(customer, spent) is None


def test_key_point_conditions_filter_documents(app) -> None:
    quotes = define("open_quotes", document_type_id=document_type("quote").id,
                    conditions={"status": ["open"]})
    customer = CustomerFactory()
    for status in ("open", "open", "accepted"):
        DocumentFactory(type_code="quote", customers=[customer],
                        key_points={"amount": "10.00", "status": status})
    assert value_of(customer, quotes) == 2


def test_complaint_status_changes_move_the_open_count(app) -> None:
    field = open_complaints()
    customer = CustomerFactory()
    first = complaint(customer)
    complaint(customer, "in_progress")
    complaint(customer, "resolved")
    assert value_of(customer, field) == 2
    first.status = "resolved"
    db.session.flush()
    assert value_of(customer, field) == 1


def test_latest_channel_follows_the_newest_contact(app) -> None:
    field = last_channel()
    customer = CustomerFactory()
    contact(customer, "phone", datetime(2025, 1, 1, 9))
    newest = contact(customer, "email", datetime(2025, 2, 1, 9))
    assert value_of(customer, field) == "email"
    newest.occurred_at = datetime(2024, 1, 1)
    db.session.flush()
    assert value_of(customer, field) == "phone"


def test_lowest_and_highest_dates_and_amounts(app) -> None:
    order_id = document_type("order").id
    first = define("first_order", function="min", document_type_id=order_id,
                   attribute="document_date", value_type="date")
    biggest = define("biggest_order", function="max", document_type_id=order_id,
                     attribute="amount", value_type="money")
    customer = CustomerFactory()
    order(customer, "20.00", date(2024, 5, 1))
    order(customer, "1200.00", date(2025, 5, 1))
    assert value_of(customer, first) == date(2024, 5, 1)
    assert value_of(customer, biggest) == Decimal(1200)


def test_months_since_and_last_months_are_relative_to_today(app) -> None:
    order_id = document_type("order").id
    since = define("months_since_order", function="months_since", document_type_id=order_id)
    recent = define("orders_12m", document_type_id=order_id, period="months",
                    period_months=12)
    customer = CustomerFactory()
    order(customer, "10.00", date(2025, 1, 20))
    order(customer, "10.00", date(2026, 3, 1))
    recompute_all(today=TODAY)
    assert value_of(customer, since) == 3  # 1 March to 15 June 2026
    assert value_of(customer, recent) == 1
    recompute_all(today=date(2026, 1, 10))  # the window now reaches back to 10 January 2025
    assert value_of(customer, recent) == 2


def test_months_cutoff_keeps_the_day_or_the_months_last() -> None:
    assert months_cutoff(date(2026, 6, 15), 12) == date(2025, 6, 15)
    assert months_cutoff(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_cutoff(date(2026, 1, 10), 1) == date(2025, 12, 10)


def test_bulk_recompute_replaces_every_value_of_a_field(app) -> None:
    spent = spent_in(2025)
    customers = [CustomerFactory() for _ in range(3)]
    for number, customer in enumerate(customers, start=1):
        order(customer, f"{number}00.00")
    db.session.execute(DerivedValue.__table__.delete())
    assert recompute_all(today=TODAY, keys={"spent"}) == 3
    assert [value_of(c, spent) for c in customers] == [100, 200, 300]


def test_inactive_fields_are_not_computed(app) -> None:
    spent = spent_in(2025)
    spent.active = False
    db.session.flush()
    customer = CustomerFactory()
    order(customer, "10.00")
    assert value_of(customer, spent) is None
    assert recompute_all(today=TODAY) == 0


def test_recompute_for_customers_covers_bulk_changes_the_listener_cannot_see(app) -> None:
    spent = spent_in(2025)
    customer = CustomerFactory()
    order(customer, "40.00")
    db.session.execute(DerivedValue.__table__.delete())
    recompute_for_customers([customer.id], today=TODAY)
    assert value_of(customer, spent) == 40


def test_a_rolled_back_change_takes_its_values_with_it(app) -> None:
    spent = spent_in(2025)
    customer = CustomerFactory()
    savepoint = db.session.begin_nested()
    order(customer, "40.00")
    assert value_of(customer, spent) == 40
    savepoint.rollback()
    assert db.session.scalar(select(func.count()).select_from(DerivedValue)) == 0


def test_a_deleted_customer_takes_its_values_along(app) -> None:
    field = open_complaints()
    customer = CustomerFactory()
    complaint(customer)
    assert value_of(customer, field) == 1
    customer_id = customer.id
    db.session.delete(customer)
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(DerivedValue).where(
        DerivedValue.customer_id == customer_id)) == 0


def test_the_bulk_run_purges_values_bulk_sql_left_behind(app) -> None:
    field = open_complaints()
    db.session.execute(DerivedValue.__table__.insert().values(
        customer_id=987654, field_id=field.id, value_number=3, computed_at=datetime.now()))
    db.session.execute(DerivedValue.__table__.insert().values(
        customer_id=987654, field_id=987654, value_number=3, computed_at=datetime.now()))
    recompute_all(today=TODAY)
    assert db.session.scalar(select(func.count()).select_from(DerivedValue)) == 0


def test_moving_an_order_to_another_year_updates_both_years(app) -> None:
    this_year, last_year = spent_in(2025), spent_in(2024, key="spent_2024")
    customer = CustomerFactory()
    document = order(customer, "80.00", date(2025, 5, 1))
    assert (value_of(customer, this_year), value_of(customer, last_year)) == (80, None)
    document.document_date = date(2024, 5, 1)
    db.session.flush()
    assert (value_of(customer, this_year), value_of(customer, last_year)) == (None, 80)
