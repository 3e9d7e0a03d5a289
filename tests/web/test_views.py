"""The dashboard per role and the language switch."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import UserFactory, login

ADMIN_PATHS = ("/admin/users/", "/admin/fields/", "/admin/document-types")


def _dashboard(client: FlaskClient, *roles: str) -> str:
    login(client, UserFactory(roles=list(roles)))
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _main(html: str) -> str:
    """The page without the top bar, so links are checked in the shortcuts only."""
    return html.split('<main id="content"', 1)[1]


def test_dashboard_needs_login(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_sales_sees_customer_work_and_no_admin_links(client: FlaskClient) -> None:
    html = _dashboard(client, "sales")
    main = _main(html)
    assert 'href="/customers/"' in main
    assert 'href="/documents/policy"' in main
    assert 'action="/search"' in main and 'name="q"' in main
    for path in ADMIN_PATHS:
        assert f'href="{path}"' not in html
    assert "Documents you can see" in main


def test_admin_sees_every_admin_shortcut(client: FlaskClient) -> None:
    main = _main(_dashboard(client, "admin"))
    for path in ADMIN_PATHS:
        assert f'href="{path}"' in main


def test_clerk_sees_customers_but_no_policy_and_no_document_count(
    client: FlaskClient,
) -> None:
    main = _main(_dashboard(client, "clerk"))
    assert 'href="/customers/"' in main
    assert 'href="/documents/policy"' not in main
    assert "Documents you can see" not in main
    assert "Customers</dt>" in main


def test_new_customer_shortcut_follows_create_permission(app: Flask, client: FlaskClient) -> None:
    if "customers.new" not in app.view_functions:
        pytest.skip("customers.new is not built yet")
    with app.test_request_context():
        from flask import url_for

        new_url = url_for("customers.new")
    assert f'href="{new_url}"' in _main(_dashboard(client, "sales"))
    client.post("/logout")
    assert f'href="{new_url}"' not in _main(_dashboard(client, "compliance"))


def test_account_link_only_when_endpoint_exists(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(app.view_functions, "auth.account", raising=False)
    html = _dashboard(client, "sales")
    assert "My account" not in html


def test_user_menu_shows_name_roles_and_logout(client: FlaskClient) -> None:
    user = UserFactory(roles=["care", "clerk"], full_name="Anna de Vries")
    login(client, user)
    html = client.get("/").get_data(as_text=True)
    menu = html.split('<details class="usermenu">', 1)[1].split("</details>", 1)[0]
    assert "Anna de Vries" in menu
    assert "Customer care" in menu and "Archive clerk" in menu
    assert 'action="/logout"' in menu


def test_language_switch_for_visitor_sets_session_and_html_lang(client: FlaskClient) -> None:
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"locale": "nl", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    with client.session_transaction() as session:
        assert session["locale"] == "nl"
    assert '<html lang="nl">' in client.get("/login").get_data(as_text=True)


def test_language_switch_is_stored_on_the_user(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(roles=["sales"])
    login(client, user)
    client.post("/language", data={"locale": "nl"})
    db.session.refresh(user)
    assert user.locale == "nl"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == user.id, AuditEvent.action == "update")
    ).one()
    assert event.details == {"field": "locale", "from": None, "to": "nl"}
    # A new session (another browser) starts in the user's language.
    other = app.test_client()
    login(other, user)
    assert '<html lang="nl">' in other.get("/").get_data(as_text=True)


def test_language_switch_rejects_unknown_locale(client: FlaskClient) -> None:
    assert client.post("/language", data={"locale": "de"}).status_code == 400
    with client.session_transaction() as session:
        assert "locale" not in session


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/customers/?q=jansen", "/customers/?q=jansen"),
        ("http://localhost/documents/policy", "/documents/policy"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_language_switch_redirects_only_to_local_pages(
    client: FlaskClient, target: str, expected: str
) -> None:
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.headers["Location"] == expected


def test_language_switch_falls_back_to_a_local_referrer(client: FlaskClient) -> None:
    response = client.post(
        "/language", data={"locale": "en"}, headers={"Referer": "http://localhost/login?x=1"}
    )
    assert response.headers["Location"] == "/login?x=1"
    response = client.post(
        "/language", data={"locale": "en"}, headers={"Referer": "http://elsewhere.example/"}
    )
    assert response.headers["Location"] == "/"


def test_language_switch_with_csrf_enabled(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    refused = client.post("/language", data={"locale": "nl"})
    assert refused.status_code == 400
    accepted = client.post("/language", data={"locale": "nl", "csrf_token": token.group(1)})
    assert accepted.status_code == 302
