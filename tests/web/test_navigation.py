"""Navigation entries and shortcuts per role, and which entry is active."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import lazy_gettext as _l

from dossier.auth.permissions import Feature
from dossier.web import navigation
from dossier.web.navigation import (
    NAV_ITEMS,
    Shortcut,
    active_endpoint,
    navigation_for,
    shortcuts_for,
)
from tests.factories import UserFactory, login


def _endpoints(items: list) -> set[str]:
    return {item.endpoint for item in items}


def test_anonymous_gets_nothing(app: Flask) -> None:
    from flask_login import AnonymousUserMixin

    assert navigation_for(AnonymousUserMixin()) == []
    assert shortcuts_for(AnonymousUserMixin()) == []


def test_sales_navigation_has_no_admin_entries(app: Flask) -> None:
    endpoints = _endpoints(navigation_for(UserFactory(roles=["sales"])))
    assert endpoints == {"customers.index", "search.index", "ingest.jobs", "mailings.index",
                         "documents.policy", "segments.index"}


def test_admin_navigation_has_everything(app: Flask) -> None:
    assert _endpoints(navigation_for(UserFactory(roles=["admin"]))) == _endpoints(list(NAV_ITEMS))


def test_entries_for_missing_endpoints_are_left_out(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = Shortcut("archive.index", _l("Archive"), _l("Paper"), Feature.CUSTOMERS)
    monkeypatch.setattr(navigation, "SHORTCUTS", (*navigation.SHORTCUTS, planned))
    endpoints = _endpoints(shortcuts_for(UserFactory(roles=["admin"])))
    assert "archive.index" not in endpoints
    assert "customers.index" in endpoints


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("customers.index", "customers.index"),
        ("customers.show", "customers.index"),
        ("documents.show", "customers.index"),
        ("documents.policy", "documents.policy"),
        ("search.index", "search.index"),
        ("users.edit", "users.index"),
        ("web.dashboard", None),
        (None, None),
    ],
)
def test_active_entry_is_the_longest_matching_section(
    endpoint: str | None, expected: str | None
) -> None:
    assert active_endpoint(list(NAV_ITEMS), endpoint) == expected


def test_active_entry_is_marked_in_the_page(client: FlaskClient) -> None:
    login(client, UserFactory(roles=["admin"]))
    html = client.get("/no-such-page").get_data(as_text=True)
    assert 'aria-current="page"' not in html
    html = client.get("/admin/users/").get_data(as_text=True)
    if '<header class="topbar">' not in html:
        pytest.skip("users.index does not render the layout yet")
    assert '<a href="/admin/users/" class="active" aria-current="page">' in html
