"""Dashboard counts follow what the actor may see."""

from __future__ import annotations

from flask import Flask

from dossier.web.queries import dashboard_counts
from tests.factories import CustomerFactory, DocumentFactory, UserFactory


def test_counts_follow_scopes(app: Flask) -> None:
    sales = UserFactory(roles=["sales"])
    care = UserFactory(roles=["care"])
    admin = UserFactory(roles=["admin"])
    before = {user.username: dashboard_counts(user) for user in (sales, care, admin)}
    customer = CustomerFactory()
    CustomerFactory()
    DocumentFactory(scopes=["sales"], customers=[customer])
    DocumentFactory(scopes=["sales", "care"], customers=[customer])
    DocumentFactory(scopes=["loyalty"], customers=[customer])

    def added(user: object, attr: str) -> int:
        name = user.username  # type: ignore[attr-defined]
        return getattr(dashboard_counts(user), attr) - getattr(before[name], attr)

    assert added(sales, "customers") == 2
    assert added(sales, "documents") == 2
    assert added(care, "documents") == 1
    assert added(admin, "documents") == 3


def test_clerk_sees_customers_but_no_document_count(app: Flask) -> None:
    counts = dashboard_counts(UserFactory(roles=["clerk"]))
    assert counts.customers is not None
    assert counts.documents is None
