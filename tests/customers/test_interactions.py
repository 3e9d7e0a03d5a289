"""Recording, changing and deleting interactions: validation, scopes, links, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.interactions import (
    contact_history_changed,
    delete_interaction,
    record_interaction,
    update_interaction,
    visible_interactions,
)
from dossier.customers.interactions_errors import ContactRefused, InteractionInvalid
from dossier.extensions import db
from tests.customers.contact_objects import make_complaint, make_interaction
from tests.factories import CustomerFactory, DocumentFactory, UserFactory

GOOD = {"channel": "phone", "direction": "inbound", "occurred_at": "2025-03-04T09:30:00",
        "subject": "  Vraag   over factuur ", "summary": "Belde over F2025-00012.",
        "scope": "sales"}


def _events(action: str, object_type: str = "Interaction") -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == object_type)))


def test_record_cleans_stores_and_audits(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    document = DocumentFactory(scopes=["sales"], customers=[customer])
    interaction = record_interaction(actor, customer, GOOD | {"document_ids": [document.id]})
    assert interaction.id is not None
    assert interaction.subject == "Vraag over factuur"
    assert interaction.occurred_at == datetime(2025, 3, 4, 9, 30)
    assert interaction.handler_id == actor.id  # the actor handles it unless told otherwise
    assert interaction.created_by_id == actor.id
    assert [d.id for d in interaction.documents] == [document.id]
    [event] = _events("create")
    assert event.customer_id == customer.id and event.scope == "sales"
    assert event.details == {"channel": "phone", "direction": "inbound",
                             "documents": [document.id]}
    assert "factuur" not in str(event.details)  # no subject or summary in the audit log


def test_aware_times_are_stored_as_utc(app: Flask) -> None:
    actor, customer = UserFactory(roles=("care",)), CustomerFactory()
    moment = datetime(2025, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    interaction = record_interaction(actor, customer, GOOD | {"scope": "care",
                                                              "occurred_at": moment})
    assert interaction.occurred_at == datetime(2025, 7, 1, 10, 0)


@pytest.mark.parametrize(("field", "value"), [
    ("channel", "pigeon"), ("direction", "sideways"), ("occurred_at", "yesterday"),
    ("occurred_at", None), ("subject", "   "), ("subject", "x" * 201),
    ("scope", "finance"), ("handler_id", "abc"), ("document_ids", ["x"]),
])
def test_bad_values_are_refused_per_field(app: Flask, field: str, value: object) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    with pytest.raises(InteractionInvalid) as caught:
        record_interaction(actor, customer, GOOD | {field: value})
    assert set(caught.value.errors) == {field}
    assert db.session.scalar(select(Interaction.id)) is None


def test_a_contact_cannot_lie_in_the_future(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    later = datetime.now(UTC) + timedelta(days=3)
    with pytest.raises(InteractionInvalid) as caught:
        record_interaction(actor, customer, GOOD | {"occurred_at": later})
    assert "future" in caught.value.errors["occurred_at"]


def test_scope_must_be_one_the_actor_writes(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    with pytest.raises(InteractionInvalid) as caught:
        record_interaction(actor, customer, GOOD | {"scope": "care"})
    assert set(caught.value.errors) == {"scope"}


@pytest.mark.parametrize("role", ["clerk", "compliance"])
def test_roles_without_a_writable_scope_are_refused(app: Flask, role: str) -> None:
    with pytest.raises(ContactRefused):
        record_interaction(UserFactory(roles=(role,)), CustomerFactory(), GOOD)


def test_admin_records_in_any_scope(app: Flask) -> None:
    interaction = record_interaction(UserFactory(roles=("admin",)), CustomerFactory(),
                                     GOOD | {"scope": "loyalty"})
    assert interaction.scope == "loyalty"


def test_handler_must_work_in_the_scope(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    care_colleague = UserFactory(roles=("care",))
    inactive = UserFactory(roles=("sales",), active=False)
    for handler in (care_colleague, inactive):
        with pytest.raises(InteractionInvalid) as caught:
            record_interaction(actor, customer, GOOD | {"handler_id": handler.id})
        assert set(caught.value.errors) == {"handler_id"}
    colleague = UserFactory(roles=("sales",))
    assert record_interaction(actor, customer, GOOD | {"handler_id": str(colleague.id)}
                              ).handler_id == colleague.id
    assert record_interaction(actor, customer, GOOD | {"handler_id": ""}).handler_id is None


def test_only_visible_documents_of_the_same_customer_can_be_linked(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    care_document = DocumentFactory(scopes=["care"], customers=[customer])
    other_customers = DocumentFactory(scopes=["sales"], customers=[CustomerFactory()])
    for document in (care_document, other_customers):
        with pytest.raises(InteractionInvalid) as caught:
            record_interaction(actor, customer, GOOD | {"document_ids": [document.id]})
        assert set(caught.value.errors) == {"document_ids"}


def test_update_changes_only_what_is_given_and_audits_the_names(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    interaction = record_interaction(actor, customer, GOOD)
    assert update_interaction(actor, interaction, {"subject": "Vraag over factuur"}) == []
    changed = update_interaction(actor, interaction, {"channel": "email", "summary": "Anders"})
    assert changed == ["channel", "summary"]
    assert interaction.subject == "Vraag over factuur"
    [event] = _events("update")
    assert event.details == {"fields": ["channel", "summary"]}


def test_update_keeps_links_the_editor_cannot_see(app: Flask) -> None:
    admin, customer = UserFactory(roles=("admin",)), CustomerFactory()
    care_document = DocumentFactory(scopes=["care"], customers=[customer])
    sales_document = DocumentFactory(scopes=["sales"], customers=[customer])
    interaction = record_interaction(admin, customer, GOOD | {
        "document_ids": [care_document.id, sales_document.id]})
    sales_user = UserFactory(roles=("sales",))
    assert update_interaction(sales_user, interaction, {"document_ids": []}) == ["document_ids"]
    assert [d.id for d in interaction.documents] == [care_document.id]


def test_others_scopes_cannot_be_edited_or_moved_into(app: Flask) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "care")
    with pytest.raises(ContactRefused):
        update_interaction(UserFactory(roles=("sales",)), interaction, {"subject": "X"})
    with pytest.raises(ContactRefused):
        update_interaction(UserFactory(roles=("compliance",)), interaction, {"subject": "X"})
    with pytest.raises(InteractionInvalid):
        update_interaction(UserFactory(roles=("care",)), interaction, {"scope": "sales"})


def test_a_new_handler_is_checked_against_the_stored_scope(app: Flask) -> None:
    interaction = make_interaction(CustomerFactory(), "care")
    with pytest.raises(InteractionInvalid) as caught:
        update_interaction(UserFactory(roles=("care",)), interaction,
                           {"handler_id": UserFactory(roles=("sales",)).id})
    assert set(caught.value.errors) == {"handler_id"}


def test_only_admins_delete_and_complaints_stay(app: Flask) -> None:
    customer = CustomerFactory()
    interaction = make_interaction(customer, "sales")
    complaint = make_complaint(customer, "sales", interaction=interaction)
    with pytest.raises(ContactRefused):
        delete_interaction(UserFactory(roles=("sales",)), interaction)
    delete_interaction(UserFactory(roles=("admin",)), interaction)
    assert db.session.get(Interaction, interaction.id) is None
    db.session.expire_all()
    kept = db.session.get(Complaint, complaint.id)
    assert kept is not None and kept.interaction_id is None
    [event] = _events("delete")
    assert event.customer_id == customer.id and event.details["channel"] == "phone"


def test_changes_are_signalled(app: Flask) -> None:
    actor, customer = UserFactory(roles=("sales",)), CustomerFactory()
    seen: list[tuple[int, str]] = []

    def listener(_sender: object, customer_id: int, kind: str) -> None:
        seen.append((customer_id, kind))

    with contact_history_changed.connected_to(listener):
        interaction = record_interaction(actor, customer, GOOD)
        update_interaction(actor, interaction, {"subject": "Nieuw"})
    assert seen == [(customer.id, "interaction")] * 2


def test_visible_interactions_filters_and_orders(app: Flask) -> None:
    customer = CustomerFactory()
    old = make_interaction(customer, "sales", at=datetime(2024, 1, 1))
    new = make_interaction(customer, "sales", channel="email", at=datetime(2025, 1, 1))
    make_interaction(customer, "care", at=datetime(2025, 2, 1))
    make_interaction(CustomerFactory(), "sales")
    sales = UserFactory(roles=("sales",))
    assert visible_interactions(sales, customer) == [new, old]
    assert visible_interactions(sales, customer, channel="phone") == [old]
    assert visible_interactions(sales, customer, limit=1, offset=1) == [old]
    assert visible_interactions(UserFactory(roles=("clerk",)), customer) == []
    assert len(visible_interactions(UserFactory(roles=("compliance",)), customer)) == 3
