"""Merging two customers: values chosen per field, everything else follows the survivor,
a redirect is left, and audit rows stay as they were."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import LocationKind, PhysicalItem
from dossier.archive.requests import ask
from dossier.compliance.models import AuditEvent
from dossier.customers.custom_values import stored_values
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.merge import MergeRefused, merge_customers, survivor_of
from dossier.customers.merge_models import CustomerRedirect
from dossier.customers.merge_references import remaining_references
from dossier.customers.models import Customer, CustomFieldValue
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.mailings.models import Mailing, MailingRecipient, RecipientStatus
from dossier.search.outbox import SearchOutbox
from tests.customers.factories import CustomFieldFactory
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login


@dataclass
class Pair:
    survivor: Customer
    merged: Customer
    shared_document: Document
    merged_document: Document
    item: PhysicalItem


def _interaction(customer: Customer, subject: str) -> Interaction:
    interaction = Interaction(customer=customer, channel="phone", direction="inbound",
                              subject=subject, scope="care")
    db.session.add(interaction)
    return interaction


@pytest.fixture
def pair(app: Flask) -> Pair:
    """Two records of one person, each with a history of their own."""
    survivor = CustomerFactory(first_name="Pieter", last_name="Jansen", phone="")
    merged = CustomerFactory(first_name="", initials="P.", last_name="Janssen",
                             phone="06 1234 5678")
    shared = DocumentFactory(customers=[survivor, merged], scopes=["sales"])
    own = DocumentFactory(customers=[merged], scopes=["care"], paper_original=True)
    clerk = UserFactory(roles=("clerk",))
    site = create_location(clerk, LocationKind.SITE, "Archief")
    item = create_item(clerk, document=own, home=site)
    ask(UserFactory(roles=("care",)), own, "Dossier nakijken")
    interaction = _interaction(merged, "Vraag over factuur")
    db.session.add(Complaint(customer=merged, interaction=interaction, scope="care",
                             subject="Te laat geleverd"))
    db.session.flush()
    return Pair(survivor, merged, shared, own, item)


def test_everything_follows_the_survivor_and_a_redirect_is_left(app: Flask, pair: Pair) -> None:
    admin = UserFactory(roles=("admin",))
    merged_id, merged_number = pair.merged.id, pair.merged.number
    result = merge_customers(admin, pair.survivor, pair.merged, take_from_merged={"phone"})
    survivor = db.session.get(Customer, pair.survivor.id)
    assert survivor is not None and survivor.phone == "06 1234 5678"
    assert db.session.get(Customer, merged_id) is None
    assert remaining_references(merged_id) == {}
    own = db.session.get(Document, pair.merged_document.id)
    shared = db.session.get(Document, pair.shared_document.id)
    assert own is not None and [c.id for c in own.customers] == [survivor.id]
    assert shared is not None and [c.id for c in shared.customers] == [survivor.id]
    assert db.session.get(PhysicalItem, pair.item.id).document_id == own.id  # type: ignore[union-attr]
    assert db.session.scalar(select(func.count()).select_from(Interaction).where(
        Interaction.customer_id == survivor.id)) == 1
    assert db.session.scalar(select(Complaint.customer_id)) == survivor.id
    assert survivor_of(merged_id) == survivor.id
    redirect = db.session.get(CustomerRedirect, merged_id)
    assert redirect is not None and redirect.merged_number == merged_number
    assert result.moved["document_customer.customer_id"] == 1  # the shared link was there
    queued = set(db.session.scalars(select(SearchOutbox.object_id).where(
        SearchOutbox.kind == "document")))
    assert {own.id, shared.id} <= queued


def test_audit_rows_are_not_rewritten_and_the_merge_is_audited(app: Flask, pair: Pair) -> None:
    admin = UserFactory(roles=("admin",))
    merged_id = pair.merged.id
    from dossier.compliance.audit import AuditAction, record

    record(admin, AuditAction.VIEW, pair.merged, customer_id=merged_id)
    db.session.flush()
    before = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.customer_id == merged_id))
    merge_customers(admin, pair.survivor, pair.merged)
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.customer_id == merged_id).order_by(AuditEvent.id)))
    assert len(events) >= before + 1
    deleted = events[-1]
    assert deleted.action == "delete" and deleted.details["merged_into"] == pair.survivor.id
    update = db.session.scalars(select(AuditEvent).where(
        AuditEvent.customer_id == pair.survivor.id, AuditEvent.action == "update")
        .order_by(AuditEvent.id.desc())).first()
    assert update is not None and update.details["merged_customer_id"] == merged_id


def test_custom_values_follow_the_choice(app: Flask, pair: Pair) -> None:
    colour = CustomFieldFactory(key="colour")
    size = CustomFieldFactory(key="size")
    hobby = CustomFieldFactory(key="hobby")
    for customer, field, text in ((pair.survivor, colour, "blauw"), (pair.merged, colour, "rood"),
                                  (pair.survivor, size, "L"), (pair.merged, size, "XL"),
                                  (pair.merged, hobby, "zeilen")):
        db.session.add(CustomFieldValue(customer=customer, field=field, value_text=text))
    db.session.flush()
    merge_customers(UserFactory(roles=("admin",)), pair.survivor, pair.merged,
                    take_from_merged={"custom_fields.colour"})
    survivor = db.session.get(Customer, pair.survivor.id)
    assert survivor is not None
    values = {row.field.key: row.value for row in stored_values(survivor).values()}
    assert values == {"colour": "rood", "size": "L", "hobby": "zeilen"}


def test_letters_of_one_mailing_are_folded_keeping_the_answer(app: Flask, pair: Pair) -> None:
    mailing = Mailing(name="Enquête", scope="sales", subject="Vraag", body="...",
                      answer_options=["Ja", "Nee"])
    other = Mailing(name="Nieuwsbrief", scope="sales", subject="Nieuws", body="...")
    kept = MailingRecipient(mailing=mailing, customer=pair.survivor, sequence=1)
    answered = MailingRecipient(mailing=mailing, customer=pair.merged, sequence=2,
                                status=RecipientStatus.RESPONDED.value, answer="Ja")
    moved = MailingRecipient(mailing=other, customer=pair.merged, sequence=1)
    db.session.add_all([mailing, other, kept, answered, moved])
    db.session.flush()
    merge_customers(UserFactory(roles=("admin",)), pair.survivor, pair.merged)
    letters = db.session.scalars(select(MailingRecipient).where(
        MailingRecipient.customer_id == pair.survivor.id)).all()
    assert {(letter.mailing_id, letter.answer) for letter in letters} == {
        (mailing.id, "Ja"), (other.id, None)}


def test_a_redirect_to_a_merged_survivor_is_followed_on(app: Flask, pair: Pair) -> None:
    admin = UserFactory(roles=("admin",))
    merged_id = pair.merged.id
    merge_customers(admin, pair.survivor, pair.merged)
    final = CustomerFactory()
    survivor = db.session.get(Customer, pair.survivor.id)
    assert survivor is not None
    merge_customers(admin, final, survivor)
    assert survivor_of(merged_id) == final.id


def test_refused_for_non_admins_and_for_one_customer(app: Flask, pair: Pair) -> None:
    with pytest.raises(MergeRefused):
        merge_customers(UserFactory(roles=("sales",)), pair.survivor, pair.merged)
    with pytest.raises(MergeRefused):
        merge_customers(UserFactory(roles=("admin",)), pair.survivor, pair.survivor)


def test_values_that_do_not_fit_together_are_refused(app: Flask) -> None:
    person = CustomerFactory(kind="person")
    organisation = CustomerFactory(kind="organisation", organisation_name="Bakkerij B.V.",
                                   last_name="")
    from datetime import date

    person.date_of_birth = date(1980, 1, 1)
    db.session.flush()
    with pytest.raises(MergeRefused, match="do not fit"):
        merge_customers(UserFactory(roles=("admin",)), organisation, person,
                        take_from_merged={"date_of_birth"})


def test_the_merged_dossier_redirects_to_the_survivor(app: Flask, client: FlaskClient,
                                                      pair: Pair) -> None:
    admin = UserFactory(roles=("admin",))
    merged_id = pair.merged.id
    merge_customers(admin, pair.survivor, pair.merged)
    login(client, UserFactory(roles=("sales",)))
    response = client.get(f"/customers/{merged_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/customers/{pair.survivor.id}")


def test_a_customer_removed_meanwhile_refuses_the_merge(app: Flask, pair: Pair) -> None:
    from sqlalchemy import delete

    db.session.execute(delete(Interaction))
    db.session.execute(delete(Complaint))
    db.session.execute(delete(Customer).where(Customer.id == pair.merged.id))
    with pytest.raises(MergeRefused, match="just been merged"):
        merge_customers(UserFactory(roles=("admin",)), pair.survivor, pair.merged)
