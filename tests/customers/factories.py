"""Factories for custom fields."""

from __future__ import annotations

import factory

from dossier.customers.models import CustomField
from dossier.extensions import db


class CustomFieldFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = CustomField
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    key = factory.Sequence(lambda n: f"field_{n}")
    label = factory.Sequence(lambda n: f"Field {n}")
    field_type = "text"
    choices = factory.LazyFunction(list)
    scopes = factory.LazyFunction(lambda: ["sales"])
    required = False
    help_text = ""
    position = 0
    active = True
