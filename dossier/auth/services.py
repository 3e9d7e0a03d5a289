"""Operations on users: authenticate, create, update, disable. Callers commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from dossier.auth.models import User, utcnow
from dossier.auth.roles import ALL_ROLES, Role
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db

MIN_PASSWORD_LENGTH = 8
# Hashing a dummy password for unknown users keeps login time independent of existence.
_DUMMY = User(username="-", password_hash="")
_DUMMY.set_password("not-a-real-password")


class UserError(ValueError):
    """A user operation was refused; the message is safe to show.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def authenticate(username: str, password: str) -> User | None:
    user = find_user(username.strip())
    if user is None or not user.active:
        _DUMMY.check_password(password)
        record(username[:64] or "-", AuditAction.LOGIN_FAILED, object_type="User",
               details={"username": username[:64]})
        return None
    if not user.check_password(password):
        record(user, AuditAction.LOGIN_FAILED, user)
        return None
    user.last_login_at = utcnow()
    record(user, AuditAction.LOGIN, user)
    return user


def record_logout(user: Any) -> None:
    record(user, AuditAction.LOGOUT, user)


def _check_roles(roles: Iterable[str]) -> set[str]:
    wanted = set(roles)
    unknown = wanted - set(ALL_ROLES)
    if unknown:
        raise UserError(_("Unknown role(s): %(roles)s", roles=", ".join(sorted(unknown))),
                        field="roles")
    return wanted


def _check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
                        field=field)


def create_user(actor: Any, username: str, password: str, roles: Iterable[str],
                full_name: str = "", email: str | None = None,
                check_strength: bool = True) -> User:
    username = username.strip()
    if not username:
        raise UserError(_("A username is required."), field="username")
    if find_user(username) is not None:
        raise UserError(_("The username %(name)s is taken.", name=username), field="username")
    if check_strength:
        _check_password(password)
    user = User(username=username, full_name=full_name, email=email or None)
    user.set_password(password)
    user.set_roles(_check_roles(roles))
    db.session.add(user)
    db.session.flush()
    record(actor, AuditAction.CREATE, user, details={"roles": sorted(user.roles)})
    return user


def _is_self(actor: Any, user: User) -> bool:
    return isinstance(actor, User) and actor.id == user.id


def update_user(actor: Any, user: User, *, full_name: str, email: str | None,
                roles: Iterable[str], active: bool, password: str | None = None) -> User:
    """Change a user's details; an admin may not lock themselves out."""
    wanted = _check_roles(roles)
    if _is_self(actor, user):
        if Role.ADMIN.value in user.roles and Role.ADMIN.value not in wanted:
            raise UserError(_("You cannot remove your own administrator role."), field="roles")
        if not active:
            raise UserError(_("You cannot disable your own account."), field="active")
    if password:
        _check_password(password)
    changed = {
        name for name, old, new in (
            ("full_name", user.full_name, full_name.strip()),
            ("email", user.email, email or None),
            ("roles", user.roles, frozenset(wanted)),
            ("active", user.active, active),
        ) if old != new
    }
    user.full_name = full_name.strip()
    user.email = email or None
    user.set_roles(wanted)
    user.active = active
    if password:
        user.set_password(password)
        changed.add("password")
    record(actor, AuditAction.UPDATE, user,
           details={"changed": sorted(changed), "roles": sorted(user.roles),
                    "active": user.active})
    db.session.flush()
    return user


def set_active(actor: Any, user: User, active: bool) -> User:
    """Enable or disable a login; disabled users cannot sign in and keep their history."""
    if _is_self(actor, user) and not active:
        raise UserError(_("You cannot disable your own account."))
    if user.active != active:
        user.active = active
        record(actor, AuditAction.UPDATE, user, details={"changed": ["active"], "active": active})
        db.session.flush()
    return user


def change_password(actor: Any, user: User, current: str, new: str) -> None:
    """A user's own password change: the current password proves it is really them."""
    if not user.check_password(current):
        raise UserError(_("The current password is not correct."), field="current_password")
    _check_password(new, field="new_password")
    user.set_password(new)
    record(actor, AuditAction.UPDATE, user, details={"changed": ["password"]})
    db.session.flush()
