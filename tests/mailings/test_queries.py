"""Reads: the customers a filter picks, the preview, mailings per scope, tallies, lists."""

from __future__ import annotations

import pytest
from flask import Flask

from dossier.auth.models import User
from dossier.barcodes import MailingCode
from dossier.customers.models import Customer
from dossier.extensions import db
from dossier.ingest.services import INGEST_WORKER
from dossier.mailings import queries
from dossier.mailings.models import Mailing
from dossier.mailings.queries import RecipientFilter
from dossier.mailings.services import record_reply
from tests.factories import CustomerFactory, UserFactory
from tests.mailings.conftest import make_mailing


@pytest.mark.parametrize(("typed", "stored"), [
    ("1234ab", "1234 AB"), (" 1234  ab ", "1234 AB"), ("12", "12"), ("1234 a", "1234 A"),
    ("b-2000", "B-2000"), ("", ""),
])
def test_a_postcode_prefix_is_written_as_postcodes_are_stored(typed: str, stored: str) -> None:
    assert queries.normalise_postcode(typed) == stored


def _last_names(filters: RecipientFilter) -> list[str]:
    return sorted(c.last_name for c in db.session.scalars(queries.recipient_customers(filters)))


def test_the_customer_list_filters_and_the_postcode_and_city_combine(
        app: Flask, utrecht: list[Customer]) -> None:
    CustomerFactory(last_name="Organisatie", kind="organisation", city="Utrecht",
                    postcode="3511 GG", status="inactive")
    assert _last_names(RecipientFilter(city="UTRECHT")) == [
        "Bakker", "Jansen", "Organisatie", "de Vries"]
    assert _last_names(RecipientFilter(city="Utrecht", kind="person",
                                       status="active")) == ["Bakker", "Jansen", "de Vries"]
    assert _last_names(RecipientFilter(city="Utrecht", postcode="3511")) == [
        "Jansen", "Organisatie"]
    assert _last_names(RecipientFilter(city="Utrecht", postcode="3511 AB")) == ["Jansen"]
    assert _last_names(RecipientFilter(city="Utrecht", search="bakker")) == ["Bakker"]
    assert _last_names(RecipientFilter(city="Utrecht", postcode="_")) == []  # not a wildcard


def test_unknown_kind_and_status_are_ignored(app: Flask) -> None:
    assert RecipientFilter.from_input(kind="robot", status="x") == RecipientFilter()


def test_the_preview_counts_letters_and_those_left_out(app: Flask,
                                                      utrecht: list[Customer]) -> None:
    preview = queries.preview(RecipientFilter(city="Utrecht"))
    assert (preview.recipients, preview.without_address) == (3, 1)
    assert [c.last_name for c in preview.sample] == [c.last_name for c in utrecht]
    assert not preview.too_many


def test_people_see_the_mailings_of_the_scopes_they_write_in(app: Flask, sales: User,
                                                            mailing: Mailing) -> None:
    def names(user: User) -> list[str]:
        return [m.name for m in db.session.scalars(queries.visible_mailings(user))]

    assert names(sales) == ["Najaarsavond"]
    assert names(UserFactory(roles=("admin",))) == ["Najaarsavond"]
    assert names(UserFactory(roles=("care",))) == []
    assert names(UserFactory(roles=("compliance",))) == []


def _answer(mailing: Mailing, sequence: int, answer: str | None) -> None:
    recipient = next(r for r in mailing.recipients if r.sequence == sequence)
    record_reply(MailingCode(mailing.id, recipient.id), answer, None, INGEST_WORKER)


def test_a_tally_counts_responses_per_answer(app: Flask, mailing: Mailing,
                                            sales: User) -> None:
    empty_id = mailing.id + 1000
    _answer(mailing, 1, "Ja")
    _answer(mailing, 2, None)
    tally = queries.tally([mailing.id, empty_id])
    assert (tally[mailing.id].recipients, tally[mailing.id].responded,
            tally[mailing.id].waiting) == (3, 2, 1)
    assert tally[mailing.id].answers == {"Ja": 1, None: 1}
    assert tally[empty_id].recipients == 0 and tally[empty_id].answers == {}


def test_the_recipient_list_sorts_and_narrows(app: Flask, mailing: Mailing) -> None:
    _answer(mailing, 1, "Nee")
    _answer(mailing, 3, None)

    def sequences(sort: str = "number", view: str = "") -> list[int]:
        return [r.sequence for r in db.session.scalars(
            queries.recipient_list(mailing, sort, view))]

    assert sequences() == [1, 2, 3] and sequences("-number") == [3, 2, 1]
    assert sequences("name") == [3, 2, 1]  # bakker, de vries, jansen
    assert sequences("-status")[0] == 2  # "sent" after "responded"
    assert sequences(view="sent") == [2]
    assert sequences(view="responded") == [1, 3]
    assert sequences(view="unknown") == [3]
    assert queries.normalise_sort("-answer") == "-answer"
    assert queries.normalise_sort("customer.secret") == "number"


def test_a_recipient_is_found_only_in_its_own_mailing(app: Flask, sales: User,
                                                      mailing: Mailing) -> None:
    other = make_mailing(sales, name="Tweede")
    recipient = mailing.recipients[0]
    assert queries.recipient_in(mailing, recipient.id) is recipient
    assert queries.recipient_in(other, recipient.id) is None
    assert queries.recipient_count(other) == 3
