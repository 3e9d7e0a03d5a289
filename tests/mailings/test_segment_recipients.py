"""Mailings addressed to a segment's customers (issue 8: recipients from a segment)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from dossier.auth.models import User
from dossier.customers.models import Customer
from dossier.customers.segment_conditions import Condition
from dossier.customers.segment_services import SegmentInput, create_segment
from dossier.extensions import db
from dossier.mailings.queries import RecipientFilter, recipient_customers
from dossier.mailings.services import MailingInvalid
from tests.factories import UserFactory, login
from tests.mailings.conftest import make_mailing


def test_a_segment_picks_the_recipients(sales: User, utrecht: list[Customer]) -> None:
    segment = create_segment(sales, SegmentInput("De V", "sales", conditions=[
        Condition("key:last_name", "contains", "vries")]))
    filters = RecipientFilter.from_input(segment=segment)
    assert [c.last_name for c in db.session.scalars(recipient_customers(filters))] == [
        "de Vries"]
    mailing = make_mailing(sales, filters)
    assert mailing.recipient_filter == {"segment": "De V"}
    assert [r.customer.last_name for r in mailing.recipients] == ["de Vries"]


def test_a_segment_of_another_scope_is_refused(sales: User, utrecht: list[Customer]) -> None:
    admin = UserFactory(roles=("admin",))
    segment = create_segment(admin, SegmentInput("Care", "care", conditions=[
        Condition("key:city", "=", "Utrecht")]))
    with pytest.raises(MailingInvalid) as refused:
        make_mailing(sales, RecipientFilter.from_input(segment=segment))
    assert "segment" in refused.value.errors


def test_the_new_mailing_page_offers_the_users_segments(client: FlaskClient, sales: User,
                                                        utrecht: list[Customer]) -> None:
    segment = create_segment(sales, SegmentInput("Utrechters", "sales", conditions=[
        Condition("key:city", "=", "Utrecht")]))
    login(client, sales)
    page = client.get("/mailings/new").get_data(as_text=True)
    assert "Utrechters" in page
    response = client.post("/mailings/new", data={
        "action": "preview", "segment": str(segment.id), "scope": "sales"})
    assert "Customers who get a letter: 3" in response.get_data(as_text=True)
