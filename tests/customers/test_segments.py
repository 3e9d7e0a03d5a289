"""Segments: conditions over key, custom and derived fields, AND/OR, and their services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.models import CustomFieldValue
from dossier.customers.segment_conditions import Condition, ConditionInvalid, parse_value
from dossier.customers.segment_models import Segment
from dossier.customers.segment_services import (
    SegmentInput,
    SegmentInvalid,
    create_segment,
    delete_segment,
    update_segment,
)
from dossier.customers.segments import (
    count_matching,
    segment_count,
    segment_customers,
    visible_segments,
)
from dossier.extensions import db
from tests.customers.derived_support import complaint, define, open_complaints, order, spent_in
from tests.customers.factories import CustomFieldFactory
from tests.factories import CustomerFactory, UserFactory

LOYALTY = [Condition("derived:spent", ">", "1000"), Condition("derived:open_complaints", "=", "0")]


@pytest.fixture
def shoppers(app):
    """Big spender without complaints, big spender with one, small spender, and nobody."""
    spent_in(2025)
    open_complaints()
    loyal, grumpy, small, idle = (CustomerFactory(last_name=name, city=city) for name, city in (
        ("Loyal", "Utrecht"), ("Grumpy", "Utrecht"), ("Small", "Zwolle"), ("Idle", "Ede")))
    order(loyal, "800.00")
    order(loyal, "400.00")
    order(grumpy, "5000.00")
    complaint(grumpy, "in_progress")
    complaint(loyal, "resolved")
    order(small, "20.00")
    return loyal, grumpy, small, idle


def _names(conditions: list[Condition], match: str = "all") -> list[str]:
    segment = Segment(name="t", scope="loyalty", match=match,
                      conditions=[c.as_dict() for c in conditions])
    return [c.last_name for c in db.session.scalars(segment_customers(segment))]


def test_the_loyalty_segment(shoppers) -> None:
    assert _names(LOYALTY) == ["Loyal"]
    assert count_matching(LOYALTY, "all") == 1


def test_a_count_without_input_is_zero_and_a_sum_too(shoppers) -> None:
    assert set(_names([Condition("derived:open_complaints", "=", "0")])) == {
        "Loyal", "Small", "Idle"}
    assert set(_names([Condition("derived:spent", "<", "100")])) == {"Small", "Idle"}
    assert set(_names([Condition("derived:spent", "!=", "20")])) == {"Loyal", "Grumpy", "Idle"}


def test_or_matches_either_condition(shoppers) -> None:
    conditions = [Condition("derived:spent", ">=", "5000"), Condition("key:city", "=", "zwolle")]
    assert set(_names(conditions, "any")) == {"Grumpy", "Small"}
    assert _names(conditions, "all") == []


def test_key_fields_compare_text_without_case_and_contain(shoppers) -> None:
    assert set(_names([Condition("key:city", "=", "UTRECHT")])) == {"Loyal", "Grumpy"}
    assert _names([Condition("key:last_name", "contains", "rum")]) == ["Grumpy"]
    assert _names([Condition("key:last_name", "contains", "%")]) == []  # not a wildcard


def test_custom_fields_and_empty(app) -> None:
    vip = CustomFieldFactory(key="vip_since", field_type="date", scopes=["loyalty"])
    member, other = CustomerFactory(last_name="Member"), CustomerFactory(last_name="Other")
    db.session.add(CustomFieldValue(customer_id=member.id, field_id=vip.id,
                                    value_date=date(2020, 1, 1)))
    db.session.flush()
    assert _names([Condition("custom:vip_since", "<", "2021-01-01")]) == ["Member"]
    assert _names([Condition("custom:vip_since", "empty")]) == [other.last_name]
    assert _names([Condition("custom:vip_since", "not_empty")]) == ["Member"]


def test_text_derived_values(app) -> None:
    define("last_channel", function="latest", source="interactions", attribute="channel",
           value_type="text")
    CustomerFactory()
    assert count_matching([Condition("derived:last_channel", "empty")], "all") >= 1


def test_values_are_checked_by_type() -> None:
    assert parse_value("money", "1000,50") == Decimal("1000.50")
    assert parse_value("date", "31-12-2025") == date(2025, 12, 31)
    with pytest.raises(ConditionInvalid, match="is not a number"):
        parse_value("number", "lots")
    with pytest.raises(ConditionInvalid, match="is not a date"):
        parse_value("date", "2025-13-01")


def test_save_change_and_delete_with_audit(shoppers) -> None:
    loyalty = UserFactory(roles=("loyalty",))
    segment = create_segment(loyalty, SegmentInput("Loyal customers", "loyalty",
                                                   conditions=LOYALTY))
    assert segment_count(segment) == 1
    changed = update_segment(loyalty, segment, SegmentInput(
        "Loyal customers", "loyalty", "any", conditions=LOYALTY))
    assert changed and segment_count(segment) == 4
    delete_segment(loyalty, segment)
    assert db.session.scalar(select(Segment.id)) is None
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "Segment").order_by(AuditEvent.id)).all()
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize(("data", "key", "message"), [
    (SegmentInput("", "loyalty", conditions=LOYALTY), "name", "Give the segment a name."),
    (SegmentInput("x", "care", conditions=LOYALTY), "scope", "Choose among the scopes"),
    (SegmentInput("x", "loyalty"), "conditions", "Add at least one condition."),
    (SegmentInput("x", "loyalty", conditions=[Condition("derived:spent", ">", "lots")]),
     "condition-1", "Condition 1: “lots” is not a number"),
    (SegmentInput("x", "loyalty", conditions=[Condition("key:city", ">", "a")]),
     "condition-1", "cannot be used with City"),
    (SegmentInput("x", "loyalty", conditions=[Condition("key:password", "=", "a")]),
     "condition-1", "Choose a field from the list."),
])
def test_bad_segments_get_clear_messages(shoppers, data: SegmentInput, key: str,
                                         message: str) -> None:
    loyalty = UserFactory(roles=("loyalty",))
    with pytest.raises(SegmentInvalid) as refused:
        create_segment(loyalty, data)
    assert message in refused.value.errors[key]


def test_fields_outside_the_users_scopes_cannot_be_used(shoppers) -> None:
    define("care_secret", source="complaints", scopes=["care"])
    loyalty = UserFactory(roles=("loyalty",))
    with pytest.raises(SegmentInvalid):
        create_segment(loyalty, SegmentInput("x", "loyalty", conditions=[
            Condition("derived:care_secret", ">", "0")]))


def test_users_see_the_segments_of_their_scopes(app) -> None:
    admin = UserFactory(roles=("admin",))
    spent_in(2025)
    for scope in ("sales", "care"):
        create_segment(admin, SegmentInput(f"{scope} list", scope, conditions=[
            Condition("key:city", "=", "Ede")]))
    assert [s.name for s in visible_segments(UserFactory(roles=("care",)))] == ["care list"]
    assert len(visible_segments(admin)) == 2
    assert visible_segments(UserFactory(roles=("clerk",))) == []
