"""The admin's user pages: who may use them, create, edit, disable, and refusals."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import PASSWORD, UserFactory, login

NEW_USER = {
    "username": "nieuw",
    "full_name": "Nina Nieuw",
    "email": "nina@example.nl",
    "roles": ["care", "clerk"],
    "password": "a fine password",
}


def edit_data(user, **changes):
    data = {"full_name": user.full_name, "email": user.email or "",
            "roles": sorted(user.roles), "active": "y" if user.active else ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def admin_client(client, admin):
    login(client, admin)
    return client


@pytest.mark.parametrize("method,path", [
    ("get", "/admin/users/"),
    ("get", "/admin/users/new"),
    ("post", "/admin/users/new"),
    ("get", "/admin/users/{id}/edit"),
    ("post", "/admin/users/{id}/edit"),
    ("post", "/admin/users/{id}/toggle"),
])
@pytest.mark.parametrize("role", ["sales", "care", "loyalty", "clerk", "compliance"])
def test_non_admins_get_403_everywhere(client, clerk, method, path, role):
    user = UserFactory(roles=(role,))
    login(client, user)
    response = getattr(client, method)(path.format(id=clerk.id), data=NEW_USER)
    assert response.status_code == 403
    assert clerk.active
    assert db.session.scalar(select(User).where(User.username == "nieuw")) is None


def test_anonymous_visitors_are_sent_to_login(client, clerk):
    response = client.get("/admin/users/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_list_shows_roles_and_state(admin_client, clerk):
    UserFactory(username="oldtimer", active=False, roles=("loyalty",))
    body = admin_client.get("/admin/users/").get_data(as_text=True)
    assert "clerk1" in body and "Carl Clerk" in body
    assert "Archive clerk" in body
    assert "oldtimer" in body and "disabled" in body


def test_list_search_by_username_or_name(admin_client, clerk):
    UserFactory(username="jdevries", full_name="Jan de Vries")
    by_name = admin_client.get("/admin/users/?q=vries").get_data(as_text=True)
    assert "jdevries" in by_name and "clerk1" not in by_name
    by_username = admin_client.get("/admin/users/?q=CLERK").get_data(as_text=True)
    assert "clerk1" in by_username and "jdevries" not in by_username
    none = admin_client.get("/admin/users/?q=zzz").get_data(as_text=True)
    assert "No users match your search." in none


def test_list_sorts_by_last_login(admin_client):
    UserFactory(username="aaa-early", last_login_at=datetime(2024, 1, 1))
    UserFactory(username="zzz-late", last_login_at=datetime(2024, 6, 1))
    ascending = admin_client.get("/admin/users/?sort=last_login").get_data(as_text=True)
    assert ascending.index("aaa-early") < ascending.index("zzz-late")
    descending = admin_client.get("/admin/users/?sort=-last_login").get_data(as_text=True)
    assert descending.index("zzz-late") < descending.index("aaa-early")


def test_list_is_paginated(app, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(3):
        UserFactory(username=f"page{n}")
    first = admin_client.get("/admin/users/?q=page").get_data(as_text=True)
    assert "page0" in first and "page1" in first and "page2" not in first
    assert "Page 1 of 2" in first
    second = admin_client.get("/admin/users/?q=page&page=2").get_data(as_text=True)
    assert "page2" in second and "page0" not in second


def test_admin_creates_a_user(admin_client, admin):
    assert admin_client.get("/admin/users/new").status_code == 200
    response = admin_client.post("/admin/users/new", data=NEW_USER)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "nieuw"))
    assert user is not None
    assert user.roles == {"care", "clerk"}
    assert user.full_name == "Nina Nieuw"
    assert user.check_password("a fine password")
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "create", AuditEvent.object_id == str(user.id))).one()
    assert event.actor_id == admin.id


@pytest.mark.parametrize("changes,field_message", [
    ({"username": ""}, "This field is required."),
    ({"username": "has space"}, "no spaces"),
    ({"email": "not-an-email"}, "Invalid email address."),
    ({"password": "short"}, "Use between 8 and 200 characters."),
    ({"roles": ["sales", "wizard"]}, "is not a valid choice"),
    ({"username": "clerk1"}, "The username clerk1 is taken."),
])
def test_invalid_new_user_is_rerendered_with_errors(admin_client, clerk, changes,
                                                    field_message):
    response = admin_client.post("/admin/users/new", data={**NEW_USER, **changes})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert field_message in body
    assert 'value="Nina Nieuw"' in body  # what was typed is kept
    assert db.session.scalar(select(User).where(User.username == "nieuw")) is None


def test_admin_edits_a_user(admin_client, clerk):
    assert admin_client.get(f"/admin/users/{clerk.id}/edit").status_code == 200
    response = admin_client.post(f"/admin/users/{clerk.id}/edit", data=edit_data(
        clerk, full_name="Carla Clerk", roles=["clerk", "care"], password="reset by admin"))
    assert response.status_code == 302
    assert clerk.full_name == "Carla Clerk"
    assert clerk.roles == {"clerk", "care"}
    assert clerk.check_password("reset by admin")


def test_edit_without_password_keeps_it(admin_client, clerk):
    response = admin_client.post(f"/admin/users/{clerk.id}/edit",
                                 data=edit_data(clerk, email="carl@example.nl"))
    assert response.status_code == 302
    assert clerk.email == "carl@example.nl"
    assert clerk.check_password(PASSWORD)


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/999999/edit").status_code == 404
    assert admin_client.post("/admin/users/999999/toggle").status_code == 404


def test_disable_and_enable(admin_client, clerk):
    response = admin_client.post(f"/admin/users/{clerk.id}/toggle")
    assert response.status_code == 302
    assert clerk.active is False
    admin_client.post(f"/admin/users/{clerk.id}/toggle")
    assert clerk.active is True


def test_toggle_is_post_only_and_confirmed(admin_client, clerk):
    assert admin_client.get(f"/admin/users/{clerk.id}/toggle").status_code == 405
    body = admin_client.get("/admin/users/").get_data(as_text=True)
    assert 'data-confirm="Disable clerk1? They can no longer log in."' in body


def test_admin_cannot_disable_themselves(admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}/toggle", follow_redirects=True)
    assert "You cannot disable your own account." in response.get_data(as_text=True)
    assert admin.active is True


def test_admin_cannot_untick_own_active_box(admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}/edit",
                                 data=edit_data(admin, active=""))
    assert response.status_code == 422
    assert "You cannot disable your own account." in response.get_data(as_text=True)
    assert admin.active is True


def test_admin_cannot_remove_own_admin_role(admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}/edit",
                                 data=edit_data(admin, roles=["sales"]))
    assert response.status_code == 422
    assert "You cannot remove your own administrator role." in response.get_data(as_text=True)
    assert admin.roles == {"admin"}


def test_disabled_user_is_signed_out_on_next_request(app, client, clerk):
    login(client, clerk)
    admin = UserFactory(roles=("admin",))
    from dossier.auth.services import set_active

    set_active(admin, clerk, False)
    db.session.commit()
    db.session.expire_all()
    from flask import g

    g.pop("_login_user", None)  # the test's app context outlives requests
    assert client.get("/").status_code == 302
