"""`flask dossier users ...`: create, list, disable and enable from the shell."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import PASSWORD, UserFactory


def users(runner, *args, **kwargs):
    return runner.invoke(args=["dossier", "users", *args], **kwargs)


def test_create_with_password_option(runner):
    result = users(runner, "create", "marit", "--role", "care", "--role", "clerk",
                   "--name", "Marit Jansen", "--email", "marit@example.nl",
                   "--password", "secret password")
    assert result.exit_code == 0, result.output
    assert "marit" in result.output
    user = db.session.scalar(select(User).where(User.username == "marit"))
    assert user.roles == {"care", "clerk"}
    assert user.full_name == "Marit Jansen"
    assert user.check_password("secret password")
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "create", AuditEvent.object_id == str(user.id))).one()
    assert event.actor_name == "cli"


def test_create_prompts_for_hidden_password_with_confirmation(runner):
    result = users(runner, "create", "piet", "--role", "sales",
                   input="prompted password\nprompted password\n")
    assert result.exit_code == 0, result.output
    assert "prompted password" not in result.output  # hidden input
    assert "Repeat for confirmation" in result.output
    user = db.session.scalar(select(User).where(User.username == "piet"))
    assert user.check_password("prompted password")


def test_create_refuses_mismatched_confirmation(runner):
    result = users(runner, "create", "piet", "--role", "sales",
                   input="prompted password\nsomething else\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.username == "piet")) is None


def test_create_errors_are_clear(runner, clerk):
    unknown_role = users(runner, "create", "x", "--role", "wizard", "--password", "long enough")
    assert unknown_role.exit_code == 1
    assert "Error: Unknown role(s): wizard" in unknown_role.output
    duplicate = users(runner, "create", "clerk1", "--role", "sales", "--password", "long enough")
    assert duplicate.exit_code == 1
    assert "The username clerk1 is taken." in duplicate.output
    short = users(runner, "create", "x", "--role", "sales", "--password", "short")
    assert short.exit_code == 1
    assert "at least 8 characters" in short.output
    no_role = users(runner, "create", "x", "--password", "long enough")
    assert no_role.exit_code != 0
    assert db.session.scalar(select(User).where(User.username == "x")) is None


def test_list_shows_a_table(runner, clerk):
    UserFactory(username="ruud", full_name="Ruud", roles=("admin", "care"), active=False,
                last_login_at=datetime(2025, 2, 3, 4, 5))
    result = users(runner, "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["USERNAME", "NAME", "ROLES", "ACTIVE", "LAST", "LOGIN"]
    ruud = next(line for line in lines if line.startswith("ruud"))
    assert ruud.split() == ["ruud", "Ruud", "admin,care", "no", "2025-02-03", "04:05"]
    clerk_line = next(line for line in lines if line.startswith("clerk1"))
    assert clerk_line.split()[-2:] == ["yes", "-"]


def test_disable_and_enable(runner, clerk):
    result = users(runner, "disable", "clerk1")
    assert result.exit_code == 0, result.output
    assert clerk.active is False
    result = users(runner, "enable", "CLERK1")
    assert result.exit_code == 0
    assert clerk.active is True
    actors = db.session.scalars(select(AuditEvent.actor_name).where(
        AuditEvent.object_id == str(clerk.id), AuditEvent.action == "update")).all()
    assert actors == ["cli", "cli"]


def test_disable_unknown_user_fails(runner):
    result = users(runner, "disable", "nobody")
    assert result.exit_code == 1
    assert "No user named nobody." in result.output


def test_disabled_user_cannot_log_in(runner, client, clerk):
    users(runner, "disable", "clerk1")
    response = client.post("/login", data={"username": "clerk1", "password": PASSWORD})
    assert response.status_code == 200
