"""Login, logout, rate limit, redirect safety, cookies, CSRF and the account page."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_babel import refresh
from sqlalchemy import select

from dossier.compliance.models import AuditEvent
from dossier.config import load_settings
from dossier.extensions import db
from tests.factories import PASSWORD, UserFactory, login


def post_login(client, username, password=PASSWORD, next_url=None):
    url = "/login" if next_url is None else f"/login?next={next_url}"
    return client.post(url, data={"username": username, "password": password})


def test_login_page_renders_fields(client):
    response = client.get("/login")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'name="username"' in body
    assert 'autocomplete="current-password"' in body


def test_login_success_redirects_to_dashboard_and_records_login(client, clerk):
    response = post_login(client, "clerk1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert clerk.last_login_at is not None
    assert client.get("/").status_code == 200
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == clerk.id)).all()
    assert "login" in actions


def test_username_is_case_insensitive(client, clerk):
    assert post_login(client, "CLERK1").status_code == 302


@pytest.mark.parametrize("username,password", [
    ("clerk1", "wrong password"),
    ("nobody", PASSWORD),
])
def test_failed_login_rerenders_with_one_message(client, clerk, username, password):
    response = post_login(client, username, password)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Unknown username or wrong password." in body
    assert client.get("/").status_code == 302  # still not signed in


def test_inactive_user_cannot_log_in(client):
    UserFactory(username="gone", active=False)
    response = post_login(client, "gone")
    assert response.status_code == 200
    assert "Unknown username or wrong password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_empty_login_form_shows_field_errors(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)


def test_login_is_rate_limited_with_a_friendly_page(app, client, clerk, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    assert post_login(client, "clerk1", "wrong").status_code == 200
    assert post_login(client, "clerk1", "wrong").status_code == 200
    response = post_login(client, "clerk1")  # even the right password waits
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "<html" in body
    assert "Too many attempts" in body
    assert client.get("/login").status_code == 200  # only POST is limited


@pytest.mark.parametrize("next_url,expected", [
    ("/admin/users/?page=2", "/admin/users/?page=2"),
    ("//evil.example", "/"),
    ("https://evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("/%09/evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_is_only_followed_to_local_paths(client, clerk, next_url, expected):
    response = post_login(client, "clerk1", next_url=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_is_post_only(client, clerk):
    login(client, clerk)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "logout")).one()
    assert (event.actor_id, event.object_type, event.object_id) == (clerk.id, "User",
                                                                   str(clerk.id))


def test_session_cookie_is_httponly_and_lax(client, clerk):
    response = post_login(client, "clerk1")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_configured(app, client, clerk, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    response = post_login(client, "clerk1")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie


def test_secure_cookies_setting_comes_from_environment(monkeypatch):
    monkeypatch.setenv("DOSSIER_SECURE_COOKIES", "1")
    settings = load_settings()
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SECURE"] is True


def test_passwords_are_hashed_with_scrypt(clerk):
    clerk.set_password("another password")
    assert clerk.password_hash.startswith("scrypt:")
    assert "another password" not in clerk.password_hash


def test_login_post_without_csrf_token_is_refused(app, client, clerk, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = post_login(client, "clerk1")
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_account_requires_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_change_own_password(client, clerk):
    login(client, clerk)
    response = client.post("/account", data={
        "password-current_password": PASSWORD,
        "password-new_password": "a much better one",
        "password-confirm_password": "a much better one",
        "password-submit": "1",
    })
    assert response.status_code == 302
    assert clerk.check_password("a much better one")
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "User", AuditEvent.action == "update",
        AuditEvent.object_id == str(clerk.id))).one()
    assert event.details == {"changed": ["password"]}


@pytest.mark.parametrize("current,new,confirm,message", [
    ("wrong password", "a much better one", "a much better one",
     "The current password is not correct."),
    (PASSWORD, "short", "short", "Use between 8 and 200 characters."),
    (PASSWORD, "a much better one", "something else", "The passwords do not match."),
])
def test_bad_password_change_is_refused(client, clerk, current, new, confirm, message):
    login(client, clerk)
    response = client.post("/account", data={
        "password-current_password": current,
        "password-new_password": new,
        "password-confirm_password": confirm,
        "password-submit": "1",
    })
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert clerk.check_password(PASSWORD)


def test_language_switch_changes_rendered_dates(client):
    user = UserFactory(created_at=datetime(2025, 3, 1, 12, 0))
    login(client, user)
    english = client.get("/account").get_data(as_text=True)
    assert 'lang="en"' in english
    assert "Mar 1, 2025" in english

    response = client.post("/account", data={"language-locale": "nl", "language-submit": "1"})
    assert response.status_code == 302
    assert user.locale == "nl"
    with client.session_transaction() as session:
        assert session["locale"] == "nl"
    # The test's app context outlives requests, and Flask-Babel caches the locale in `g`.
    refresh()
    dutch = client.get("/account").get_data(as_text=True)
    assert '<html lang="nl">' in dutch
    assert "1 mrt 2025" in dutch


def test_unknown_language_is_refused(client, clerk):
    login(client, clerk)
    response = client.post("/account", data={"language-locale": "xx", "language-submit": "1"})
    assert response.status_code == 422
    assert clerk.locale is None


def test_saved_language_applies_at_next_login(client):
    user = UserFactory(locale="nl")
    login(client, user)
    with client.session_transaction() as session:
        assert session["locale"] == "nl"
