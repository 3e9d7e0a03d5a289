"""User services: validation, self-protection and an audit event for every change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.auth import services
from dossier.auth.services import UserError
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import PASSWORD, UserFactory


def events_for(user, action="update"):
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id),
        AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_authenticate_checks_password_and_active(app):
    user = UserFactory(username="anna")
    assert services.authenticate("anna", "wrong") is None
    assert services.authenticate("anna", PASSWORD) is user
    user.active = False
    assert services.authenticate("anna", PASSWORD) is None
    assert [e.action for e in events_for(user, "login_failed")] == ["login_failed"]


def test_create_user_validates(admin):
    with pytest.raises(UserError, match="taken") as taken:
        services.create_user(admin, "BOSS", "long enough", ["sales"])
    assert taken.value.field == "username"
    with pytest.raises(UserError, match="Unknown role"):
        services.create_user(admin, "new", "long enough", ["wizard"])
    with pytest.raises(UserError, match="at least 8"):
        services.create_user(admin, "new", "short", ["sales"])
    with pytest.raises(UserError, match="required"):
        services.create_user(admin, "  ", "long enough", ["sales"])


def test_update_user_changes_fields_and_audits(admin, clerk):
    services.update_user(admin, clerk, full_name=" Carla ", email="c@example.nl",
                         roles=["clerk", "care"], active=True, password="brand new pass")
    assert clerk.full_name == "Carla"
    assert clerk.email == "c@example.nl"
    assert clerk.roles == {"clerk", "care"}
    assert clerk.check_password("brand new pass")
    (event,) = events_for(clerk)
    assert event.actor_id == admin.id
    assert event.details["changed"] == ["email", "full_name", "password", "roles"]
    assert "brand new pass" not in str(event.details)


def test_update_user_refuses_unknown_roles_without_changing_anything(admin, clerk):
    with pytest.raises(UserError, match="wizard"):
        services.update_user(admin, clerk, full_name="X", email=None, roles=["wizard"],
                             active=True)
    assert clerk.full_name == "Carl Clerk"
    assert events_for(clerk) == []


def test_admin_cannot_lock_themselves_out(admin):
    with pytest.raises(UserError, match="own administrator role") as role:
        services.update_user(admin, admin, full_name="A", email=None, roles=["sales"],
                             active=True)
    assert role.value.field == "roles"
    with pytest.raises(UserError, match="disable your own account"):
        services.update_user(admin, admin, full_name="A", email=None, roles=["admin"],
                             active=False)
    with pytest.raises(UserError, match="disable your own account"):
        services.set_active(admin, admin, False)
    assert admin.active and admin.roles == {"admin"}


def test_another_admin_may_remove_the_admin_role(admin):
    other = UserFactory(roles=("admin",))
    services.update_user(other, admin, full_name="A", email=None, roles=["sales"], active=True)
    assert admin.roles == {"sales"}


def test_set_active_audits_only_real_changes(admin, clerk):
    services.set_active(admin, clerk, True)
    assert events_for(clerk) == []
    services.set_active("cli", clerk, False)
    assert clerk.active is False
    (event,) = events_for(clerk)
    assert event.actor_name == "cli"
    assert event.actor_id is None
    assert event.details == {"changed": ["active"], "active": False}


def test_change_password_needs_the_current_one(clerk):
    with pytest.raises(UserError, match="current password") as wrong:
        services.change_password(clerk, clerk, "not it", "a new password")
    assert wrong.value.field == "current_password"
    with pytest.raises(UserError, match="at least 8") as short:
        services.change_password(clerk, clerk, PASSWORD, "short")
    assert short.value.field == "new_password"
    assert clerk.check_password(PASSWORD)
    services.change_password(clerk, clerk, PASSWORD, "a new password")
    assert clerk.check_password("a new password")
    assert clerk.password_hash.startswith("scrypt:")
    assert [e.details for e in events_for(clerk)] == [{"changed": ["password"]}]
