"""`flask dossier derive`, the nightly recompute, and the demo definitions."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskCliRunner
from sqlalchemy import select

from dossier.customers.derived_models import DerivedField, DerivedValue
from dossier.customers.derived_seed import load_demo_derived
from dossier.customers.derived_tasks import recompute_relative_fields
from dossier.customers.segment_models import Segment
from dossier.customers.segments import segment_count
from dossier.extensions import db
from tests.customers.derived_support import define, order, spent_in, value_of
from tests.factories import CustomerFactory, document_type


def test_derive_recomputes_every_field(app, runner: FlaskCliRunner) -> None:
    spent = spent_in(2025)
    customer = CustomerFactory()
    order(customer, "70.00")
    db.session.execute(DerivedValue.__table__.delete())
    result = runner.invoke(args=["dossier", "derive"])
    assert result.exit_code == 0, result.output
    assert "Computed 1 fields, 1 values" in result.output
    assert value_of(customer, spent) == 70


def test_derive_one_field_and_an_unknown_one(app, runner: FlaskCliRunner) -> None:
    spent_in(2025)
    define("other")
    result = runner.invoke(args=["dossier", "derive", "--field", "spent"])
    assert result.exit_code == 0 and "Computed 1 fields" in result.output
    result = runner.invoke(args=["dossier", "derive", "--field", "nope"])
    assert result.exit_code != 0 and "No active derived field nope" in result.output


def test_the_nightly_run_recomputes_only_fields_relative_to_today(app) -> None:
    order_id = document_type("order").id
    since = define("since", function="months_since", document_type_id=order_id)
    spent = spent_in(2025)
    customer = CustomerFactory()
    order(customer, "10.00", date(2025, 1, 1))
    db.session.execute(DerivedValue.__table__.delete())
    assert recompute_relative_fields() == 1
    assert value_of(customer, since) is not None and value_of(customer, spent) is None


def test_demo_definitions_and_the_loyalty_segment(app) -> None:
    big = CustomerFactory()
    order(big, "1500.00", date(2025, 6, 1))
    counts = load_demo_derived(today=date(2026, 11, 25))
    assert counts == {"derived fields": 5, "segments": 1}
    keys = set(db.session.scalars(select(DerivedField.key)))
    assert {"spent_2025", "open_complaints", "last_contact_channel",
            "months_since_last_order"} <= keys
    segment = db.session.scalar(select(Segment))
    assert segment is not None and segment.scope == "loyalty"
    assert segment_count(segment) >= 1
    assert load_demo_derived(today=date(2026, 11, 25)) == {"derived fields": 0, "segments": 0}
