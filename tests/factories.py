"""factory_boy factories for the core models, and a login helper."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.auth.models import User
from dossier.customers.models import Customer
from dossier.documents.models import Document, DocumentType
from dossier.extensions import db

PASSWORD = "correct horse battery"
_HASHES: dict[str, str] = {}


def _password_hash() -> str:
    """Hash once per run: scrypt is slow on purpose, and every test makes users."""
    if PASSWORD not in _HASHES:
        probe = User(username="-")
        probe.set_password(PASSWORD)
        _HASHES[PASSWORD] = probe.password_hash
    return _HASHES[PASSWORD]


class _Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(_Base):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="nl_NL")
    password_hash = ""

    @factory.post_generation
    def setup(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        obj.password_hash = _password_hash()

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> User:
        roles = kwargs.pop("roles", ("sales",))
        user = super()._create(model_class, *args, **kwargs)
        user.set_roles(roles)
        db.session.flush()
        return user


class CustomerFactory(_Base):
    class Meta:
        model = Customer

    number = factory.Sequence(lambda n: f"{100000 + n}")
    kind = "person"
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    street = "Dorpsstraat"
    house_number = factory.Sequence(lambda n: n % 200 + 1)
    postcode = "1234 AB"
    city = "Amsterdam"
    email = factory.LazyAttribute(lambda c: f"klant{c.number}@example.nl")

    @factory.post_generation
    def sort(obj: Customer, create: bool, extracted: Any, **kwargs: Any) -> None:
        obj.refresh_sort_name()


def document_type(code: str) -> DocumentType:
    found = db.session.scalar(select(DocumentType).where(DocumentType.code == code))
    assert found is not None, f"seeded document type {code} missing"
    return found


class DocumentFactory(_Base):
    """DocumentFactory(type_code="contract", scopes=["sales"], customers=[c])."""

    class Meta:
        model = Document
        exclude = ("type_code",)

    type_code = "correspondence"
    document_type = factory.LazyAttribute(lambda d: document_type(d.type_code))
    title = factory.Sequence(lambda n: f"Document {n}")
    document_date = date(2025, 3, 1)
    key_points = factory.LazyFunction(dict)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Document:
        scopes = kwargs.pop("scopes", ["sales"])
        customers = kwargs.pop("customers", [])
        document = super()._create(model_class, *args, **kwargs)
        document.set_scopes(scopes)
        document.customers = list(customers)
        db.session.flush()
        return document


def login(client: FlaskClient, user: User, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"username": user.username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
