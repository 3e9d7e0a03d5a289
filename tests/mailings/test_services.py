"""Making a mailing from a customer filter; recording and correcting what recipients answered."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.auth.models import User, utcnow
from dossier.barcodes import MailingCode
from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.extensions import db
from dossier.ingest.services import INGEST_WORKER
from dossier.mailings.letters import BODY_LINES
from dossier.mailings.models import Mailing, MailingRecipient, RecipientStatus
from dossier.mailings.queries import MAX_RECIPIENTS, RecipientFilter
from dossier.mailings.services import (
    MailingInvalid,
    ReplyRefused,
    UnknownRecipient,
    correct_answer,
    record_reply,
)
from tests.factories import UserFactory
from tests.mailings.conftest import make_mailing


def _recipients(mailing: Mailing) -> list[MailingRecipient]:
    return list(db.session.scalars(select(MailingRecipient).where(
        MailingRecipient.mailing_id == mailing.id).order_by(MailingRecipient.sequence)))


def _code(recipient: MailingRecipient) -> MailingCode:
    return MailingCode(recipient.mailing_id, recipient.id)


def _events(object_type: str, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == object_type, AuditEvent.action == action)
        .order_by(AuditEvent.id)))


def test_a_mailing_numbers_a_letter_for_each_customer_with_an_address(
        app: Flask, sales: User, mailing: Mailing, utrecht: list[Customer]) -> None:
    recipients = _recipients(mailing)
    assert [r.customer for r in recipients] == sorted(utrecht, key=lambda c: c.number)
    assert [r.sequence for r in recipients] == [1, 2, 3]
    assert {r.status for r in recipients} == {RecipientStatus.SENT.value}
    assert mailing.answer_options == ["Ja", "Nee", "Misschien"]
    assert mailing.recipient_filter == {"city": "Utrecht"}
    assert mailing.created_by_id == sales.id and not mailing.store_coupon_images
    [event] = _events("Mailing", "create")
    assert event.actor_id == sales.id and event.scope == "sales"
    assert event.details["recipients"] == 3
    assert sorted(event.details["customers"]) == sorted(c.id for c in utrecht)


def test_the_filter_narrows_by_postcode_prefix(app: Flask, sales: User,
                                               utrecht: list[Customer]) -> None:
    mailing = make_mailing(sales, RecipientFilter.from_input(postcode="351", city="utrecht"))
    assert [r.customer.last_name for r in _recipients(mailing)] == ["Jansen", "de Vries"]


@pytest.mark.parametrize(("change", "field"), [
    ({"name": " "}, "name"),
    ({"scope": "care"}, "scope"),  # sales may not write in care
    ({"subject": ""}, "subject"),
    ({"subject": "Uitnodiging " * 10}, "subject"),
    ({"name": "n" * 201}, "name"),
    ({"body": ""}, "body"),
    ({"body": "\n".join(["regel"] * (BODY_LINES + 1))}, "body"),
    ({"answer_options": ["Ja"]}, "answer_options"),
    ({"answer_options": ["a", "b", "c", "d", "e", "f"]}, "answer_options"),
    ({"answer_options": ["Ja", "ja"]}, "answer_options"),
    ({"answer_options": ["Ja", "x" * 41]}, "answer_options"),
    ({"recipients": RecipientFilter(city="Nergenshuizen")}, "recipients"),
    ({"recipients": RecipientFilter(postcode="12%")}, "postcode"),
])
def test_a_mailing_that_cannot_be_sent_is_refused(app: Flask, sales: User,
                                                 utrecht: list[Customer],
                                                 change: dict[str, object], field: str) -> None:
    with pytest.raises(MailingInvalid) as raised:
        make_mailing(sales, **change)
    assert field in raised.value.errors
    assert db.session.scalar(select(Mailing.id)) is None


def test_too_many_recipients_are_refused(app: Flask, sales: User, utrecht: list[Customer],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dossier.mailings.services.MAX_RECIPIENTS", 2)
    with pytest.raises(MailingInvalid) as raised:
        make_mailing(sales)
    assert "2" in raised.value.errors["recipients"] and MAX_RECIPIENTS > 2


def test_a_reply_sets_status_date_and_answer_and_is_audited(app: Flask,
                                                            mailing: Mailing) -> None:
    recipient = _recipients(mailing)[1]
    before = utcnow()
    updated = record_reply(_code(recipient), "Ja", None, INGEST_WORKER)
    assert updated is recipient and recipient.responded
    assert recipient.answer == "Ja" and recipient.answer_source == "coupon"
    assert recipient.responded_at is not None and before <= recipient.responded_at <= utcnow()
    [event] = _events("MailingRecipient", "update")
    assert event.customer_id == recipient.customer_id and event.scope == "sales"
    assert event.actor_name == "ingest-worker"
    assert event.details["before"] == {"status": "sent", "answer": None}
    assert event.details["after"] == {"status": "responded", "answer": "Ja"}


def test_a_reply_without_a_readable_answer_is_responded_with_the_answer_unknown(
        app: Flask, mailing: Mailing) -> None:
    recipient = _recipients(mailing)[0]
    record_reply(_code(recipient), None, None, INGEST_WORKER)
    assert recipient.responded and recipient.answer is None


def test_a_second_coupon_keeps_the_first_date_and_a_known_answer(app: Flask,
                                                                 mailing: Mailing) -> None:
    recipient = _recipients(mailing)[0]
    record_reply(_code(recipient), "Nee", None, INGEST_WORKER)
    first = recipient.responded_at
    record_reply(_code(recipient), None, None, INGEST_WORKER)
    assert (recipient.answer, recipient.responded_at) == ("Nee", first)
    record_reply(_code(recipient), "Ja", None, INGEST_WORKER)
    assert (recipient.answer, recipient.responded_at) == ("Ja", first)


def test_a_code_naming_no_letter_is_an_unknown_recipient(app: Flask, mailing: Mailing) -> None:
    recipient = _recipients(mailing)[0]
    for code in (MailingCode(mailing.id, 987654321), MailingCode(mailing.id + 1, recipient.id)):
        with pytest.raises(UnknownRecipient) as raised:
            record_reply(code, "Ja", None, INGEST_WORKER)
        assert code.code in str(raised.value)
    assert not recipient.responded


def test_a_reply_is_refused_to_someone_outside_the_scope(app: Flask, mailing: Mailing) -> None:
    recipient = _recipients(mailing)[0]
    with pytest.raises(ReplyRefused) as raised:
        record_reply(_code(recipient), "Ja", None, UserFactory(roles=("care",)))
    assert not isinstance(raised.value, UnknownRecipient)
    with pytest.raises(ReplyRefused):
        record_reply(_code(recipient), "Vielleicht", None, INGEST_WORKER)
    assert not recipient.responded


def test_a_person_corrects_an_answer(app: Flask, sales: User, mailing: Mailing) -> None:
    recipient = _recipients(mailing)[2]
    record_reply(_code(recipient), None, None, INGEST_WORKER)
    assert correct_answer(sales, recipient, True, "Misschien")
    assert (recipient.answer, recipient.answer_source) == ("Misschien", "manual")
    assert not correct_answer(sales, recipient, True, "Misschien")  # nothing changed
    assert correct_answer(sales, recipient, False, None)
    assert recipient.status == "sent" and recipient.responded_at is None
    events = _events("MailingRecipient", "update")
    assert [e.details["source"] for e in events] == ["coupon", "manual", "manual"]
    assert events[-1].actor_id == sales.id
    assert events[-1].details["after"] == {"status": "sent", "answer": None}


def test_a_correction_must_be_one_of_the_answers(app: Flask, sales: User,
                                                 mailing: Mailing) -> None:
    recipient = _recipients(mailing)[0]
    with pytest.raises(ReplyRefused):
        correct_answer(sales, recipient, True, "Wellicht")
    with pytest.raises(ReplyRefused):
        correct_answer(sales, recipient, False, "Ja")
    with pytest.raises(ReplyRefused):
        correct_answer(UserFactory(roles=("loyalty",)), recipient, True, "Ja")
    assert not recipient.responded
