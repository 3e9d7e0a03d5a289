"""Fixtures for the mailing tests: a sales user, customers to write to, and a mailing."""

from __future__ import annotations

import pytest
from flask import Flask

from dossier.auth.models import User
from dossier.customers.models import Customer
from dossier.mailings.models import Mailing
from dossier.mailings.queries import RecipientFilter
from dossier.mailings.services import MailingInput, create_mailing
from tests.factories import CustomerFactory, UserFactory
from tests.ingest.conftest import inbox  # noqa: F401  (the ingest tests' private inbox)

YES_NO_MAYBE = ["Ja", "Nee", "Misschien"]


@pytest.fixture
def sales(app: Flask) -> User:
    return UserFactory(roles=("sales",))


@pytest.fixture
def utrecht(app: Flask) -> list[Customer]:
    """Three customers in Utrecht with an address, and one without a street."""
    people = [CustomerFactory(first_name=first, last_name=last, postcode=postcode,
                              city="Utrecht")
              for first, last, postcode in (("Anna", "Jansen", "3511 AB"),
                                            ("Bram", "de Vries", "3512 CD"),
                                            ("Cor", "Bakker", "3581 EF"))]
    CustomerFactory(first_name="Dirk", last_name="Zonderadres", street="", city="Utrecht",
                    postcode="3511 XX")
    return people


def make_mailing(actor: User, filters: RecipientFilter | None = None, **changes: object
                 ) -> Mailing:
    data = MailingInput(name="Najaarsavond", scope="sales", subject="Uitnodiging najaarsavond",
                        body="Geachte klant,\n\nGraag nodigen wij u uit voor onze najaarsavond.",
                        answer_options=list(YES_NO_MAYBE),
                        recipients=filters or RecipientFilter(city="Utrecht"))
    for name, value in changes.items():
        setattr(data, name, value)
    return create_mailing(actor, data)


@pytest.fixture
def mailing(sales: User, utrecht: list[Customer]) -> Mailing:
    return make_mailing(sales)
