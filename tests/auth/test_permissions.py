"""The one permission function: roles and scopes decide what an actor sees and changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.auth.permissions import (
    Action,
    Feature,
    can,
    visible_document_clause,
    writable_scopes,
)
from dossier.customers.models import CustomField
from dossier.documents.models import Document
from dossier.extensions import db
from tests.factories import CustomerFactory, DocumentFactory, UserFactory


@pytest.fixture
def documents(app):
    customer = CustomerFactory()
    return {
        "sales": DocumentFactory(type_code="quote", scopes=["sales"], customers=[customer]),
        "care": DocumentFactory(type_code="service_call", scopes=["care"], customers=[customer]),
        "loyalty": DocumentFactory(type_code="purchase", scopes=["loyalty"],
                                   customers=[customer]),
        "shared": DocumentFactory(type_code="contract", scopes=["sales", "care"],
                                  customers=[customer]),
    }


EXPECTED_VISIBLE = {
    "sales": {"sales", "shared"},
    "care": {"care", "shared"},
    "loyalty": {"loyalty"},
    "clerk": set(),
    "compliance": {"sales", "care", "loyalty", "shared"},
    "admin": {"sales", "care", "loyalty", "shared"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED_VISIBLE))
def test_document_visibility_in_python_and_sql_agree(app, documents, role):
    user = UserFactory(roles=(role,))
    in_python = {name for name, doc in documents.items() if can(user, Action.VIEW, doc)}
    ids = set(db.session.scalars(select(Document.id).where(visible_document_clause(user))))
    in_sql = {name for name, doc in documents.items() if doc.id in ids}
    assert in_python == EXPECTED_VISIBLE[role]
    assert in_sql == EXPECTED_VISIBLE[role]


def test_two_scopes_see_the_union(app, documents):
    user = UserFactory(roles=("sales", "loyalty"))
    assert {n for n, d in documents.items() if can(user, Action.VIEW, d)} == {
        "sales", "loyalty", "shared"}


def test_edit_needs_a_shared_scope_role(app, documents):
    sales, compliance = UserFactory(roles=("sales",)), UserFactory(roles=("compliance",))
    admin = UserFactory(roles=("admin",))
    assert can(sales, Action.EDIT, documents["shared"])
    assert not can(sales, Action.EDIT, documents["care"])
    assert not can(compliance, Action.EDIT, documents["sales"])  # reads all, writes none
    assert can(admin, Action.EDIT, documents["care"])


def test_writable_scopes(app):
    assert writable_scopes(UserFactory(roles=("care",))) == {"care"}
    assert writable_scopes(UserFactory(roles=("compliance",))) == set()
    assert writable_scopes(UserFactory(roles=("admin",))) == {"sales", "care", "loyalty"}


def test_custom_field_visibility_and_editing(app):
    care_field = CustomField(key="contract_no", label="Contract", field_type="text",
                             scopes=["care"])
    sales, care = UserFactory(roles=("sales",)), UserFactory(roles=("care",))
    compliance = UserFactory(roles=("compliance",))
    assert not can(sales, Action.VIEW, care_field)
    assert can(care, Action.EDIT, care_field)
    assert can(compliance, Action.VIEW, care_field)
    assert can(compliance, Action.EDIT, care_field)  # rectification


@pytest.mark.parametrize(
    ("role", "feature", "allowed"),
    [
        ("clerk", Feature.CUSTOMERS, True),
        ("clerk", Feature.DOCUMENTS, False),
        ("sales", Feature.MANAGE_USERS, False),
        ("admin", Feature.MANAGE_USERS, True),
        ("compliance", Feature.AUDIT_LOG, True),
        ("loyalty", Feature.AUDIT_LOG, False),
    ],
)
def test_features(app, role, feature, allowed):
    assert can(UserFactory(roles=(role,)), Action.VIEW, feature) is allowed


def test_clerk_may_not_edit_customers_and_anonymous_may_nothing(app):
    customer = CustomerFactory()
    assert not can(UserFactory(roles=("clerk",)), Action.EDIT, customer)
    assert not can(None, Action.VIEW, customer)


def test_unknown_target_is_an_error_not_a_yes(app):
    with pytest.raises(TypeError):
        can(UserFactory(), Action.VIEW, object())
