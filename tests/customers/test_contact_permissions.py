"""Who may see and write interactions and complaints: `can()` and its SQL clause agree."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.auth.permissions import (
    Action,
    Feature,
    can,
    visible_complaint_clause,
    visible_interaction_clause,
)
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.extensions import db
from tests.customers.contact_objects import make_complaint, make_interaction
from tests.factories import CustomerFactory, UserFactory

SCOPES = ("sales", "care", "loyalty")
# role -> scopes whose contacts it sees, and scopes it writes in
SEES = {"sales": {"sales"}, "care": {"care"}, "loyalty": {"loyalty"}, "clerk": set(),
        "compliance": set(SCOPES), "admin": set(SCOPES)}
WRITES = {"sales": {"sales"}, "care": {"care"}, "loyalty": {"loyalty"}, "clerk": set(),
          "compliance": set(), "admin": set(SCOPES)}


@pytest.fixture
def contacts(app: Flask) -> dict[str, tuple[Interaction, Complaint]]:
    customer = CustomerFactory()
    found = {}
    for scope in SCOPES:
        interaction = make_interaction(customer, scope)
        found[scope] = (interaction, make_complaint(customer, scope, interaction=interaction))
    return found


@pytest.mark.parametrize("role", list(SEES))
def test_can_per_role_and_scope(contacts: dict[str, tuple[Interaction, Complaint]],
                                role: str) -> None:
    user = UserFactory(roles=(role,))
    for scope, (interaction, complaint) in contacts.items():
        for target in (interaction, complaint):
            assert can(user, Action.VIEW, target) == (scope in SEES[role]), (role, scope)
            assert can(user, Action.EDIT, target) == (scope in WRITES[role]), (role, scope)
            assert can(user, Action.DELETE, target) == (role == "admin")
    assert can(user, Action.CREATE, Feature.INTERACTIONS) == bool(WRITES[role])
    assert can(user, Action.VIEW, Feature.INTERACTIONS) == bool(SEES[role])


@pytest.mark.parametrize("role", list(SEES))
def test_sql_clause_shows_exactly_what_can_allows(
        contacts: dict[str, tuple[Interaction, Complaint]], role: str) -> None:
    user = UserFactory(roles=(role,))
    seen = set(db.session.scalars(select(Interaction.scope).where(
        visible_interaction_clause(user))))
    assert seen == SEES[role]
    seen = set(db.session.scalars(select(Complaint.scope).where(
        visible_complaint_clause(user))))
    assert seen == SEES[role]


def test_nobody_signed_out_sees_anything(
        contacts: dict[str, tuple[Interaction, Complaint]]) -> None:
    interaction, complaint = contacts["sales"]
    assert not can(None, Action.VIEW, interaction)
    assert not can(None, Action.VIEW, complaint)


def test_two_scopes_see_both(contacts: dict[str, tuple[Interaction, Complaint]]) -> None:
    user = UserFactory(roles=("sales", "loyalty"))
    seen = set(db.session.scalars(select(Interaction.scope).where(
        visible_interaction_clause(user))))
    assert seen == {"sales", "loyalty"}
    assert not can(user, Action.EDIT, contacts["care"][0])
