"""`flask dossier users ...`: create, list and disable users from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from dossier.auth import services
from dossier.auth.models import User
from dossier.extensions import db

users_cli = AppGroup("users", help="Manage users.")
CLI_ACTOR = "cli"


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True,
              help="A role to give (repeat for more): sales, care, loyalty, clerk, "
                   "compliance, admin.")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--email", default=None, help="Email address.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Initial password (asked for, hidden, when left out).")
def create_command(username: str, roles: tuple[str, ...], full_name: str,
                   email: str | None, password: str) -> None:
    """Create a user who can log in with USERNAME."""
    try:
        user = services.create_user(CLI_ACTOR, username, password, roles,
                                    full_name=full_name, email=email)
    except services.UserError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(_("User %(name)s created with roles: %(roles)s.", name=user.username,
                 roles=", ".join(sorted(user.roles))))


@users_cli.command("list")
def list_command() -> None:
    """Show every user with roles, state and last login."""
    users = db.session.scalars(select(User).order_by(User.username)).all()
    rows = [("USERNAME", "NAME", "ROLES", "ACTIVE", "LAST LOGIN")]
    for user in users:
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "-"
        rows.append((user.username, user.full_name or "-", ",".join(sorted(user.roles)) or "-",
                     "yes" if user.active else "no", last))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                   .rstrip())


@users_cli.command("disable")
@click.argument("username")
def disable_command(username: str) -> None:
    """Stop USERNAME from logging in (their history stays)."""
    _set_active(username, False)


@users_cli.command("enable")
@click.argument("username")
def enable_command(username: str) -> None:
    """Let a disabled USERNAME log in again."""
    _set_active(username, True)


def _set_active(username: str, active: bool) -> None:
    user = services.find_user(username)
    if user is None:
        raise click.ClickException(_("No user named %(name)s.", name=username))
    services.set_active(CLI_ACTOR, user, active)
    db.session.commit()
    if active:
        click.echo(_("User %(name)s can log in again.", name=user.username))
    else:
        click.echo(_("User %(name)s has been disabled.", name=user.username))
