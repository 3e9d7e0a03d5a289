"""Operations on users: authenticate, create, update, disable. Callers commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from dossier.auth.models import User, utcnow
from dossier.auth.roles import ALL_ROLES
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db

MIN_PASSWORD_LENGTH = 8
# Hashing a dummy password for unknown users keeps login time independent of existence.
_DUMMY = User(username="-", password_hash="")
_DUMMY.set_password("not-a-real-password")


class UserError(ValueError):
    """A user operation was refused; the message is safe to show."""


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
        raise UserError(_("Unknown role(s): %(roles)s", roles=", ".join(sorted(unknown))))
    return wanted


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))


def create_user(actor: Any, username: str, password: str, roles: Iterable[str],
                full_name: str = "", email: str | None = None,
                check_strength: bool = True) -> User:
    username = username.strip()
    if not username:
        raise UserError(_("A username is required."))
    if find_user(username) is not None:
        raise UserError(_("The username %(name)s is taken.", name=username))
    if check_strength:
        _check_password(password)
    user = User(username=username, full_name=full_name, email=email or None)
    user.set_password(password)
    user.set_roles(_check_roles(roles))
    db.session.add(user)
    db.session.flush()
    record(actor, AuditAction.CREATE, user, details={"roles": sorted(user.roles)})
    return user
