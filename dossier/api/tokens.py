"""Issue, find, use and revoke API tokens; every issue and revocation is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from dossier.api.models import ApiToken
from dossier.auth.models import User, utcnow
from dossier.auth.roles import Role
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db

TOKEN_PREFIX = "dos_"  # noqa: S105 (recognisable in logs and by secret scanners)
PREFIX_SHOWN = 12  # "dos_" and the first 8 random characters: enough to tell tokens apart
MAX_NAME = 100
# last_used_at is kept to the minute: a write on every call would only add lock traffic.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenInvalid(ValueError):
    """A token could not be issued; `errors` maps a field name to a message safe to show."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(actor: Any, name: str, expires_on: date | None,
                today: date | None = None) -> tuple[ApiToken, str]:
    """A new token for `actor` itself; returns it and the secret, which is shown only once.

    `expires_on` is the last day it works (it stops at midnight UTC after it).
    """
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, e.g. the system that will use it.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Use at most %(n)s characters.", n=MAX_NAME)
    if expires_on is not None and expires_on <= (today or utcnow().date()):
        errors["expires_on"] = _("Choose a date after today.")
    if errors:
        raise TokenInvalid(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name, token_hash=hash_token(raw),
                     prefix=raw[:PREFIX_SHOWN],
                     expires_at=(datetime.combine(expires_on + timedelta(days=1), time.min)
                                 if expires_on else None))
    db.session.add(token)
    db.session.flush()
    record(actor, AuditAction.CREATE, token,
           details={"name": name, "prefix": token.prefix,
                    "expires_at": token.expires_at.isoformat() if token.expires_at else None})
    db.session.flush()
    return token, raw


def may_revoke(actor: Any, token: ApiToken) -> bool:
    """Owners revoke their own tokens; administrators anyone's."""
    return token.user_id == getattr(actor, "id", None) or Role.ADMIN.value in actor.roles


def revoke_token(actor: Any, token: ApiToken) -> bool:
    """Stop `token` from working; False when it already was revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    token.revoked_by_id = getattr(actor, "id", None)
    record(actor, AuditAction.UPDATE, token,
           details={"revoked": True, "name": token.name, "prefix": token.prefix,
                    "owner": token.user.username})
    db.session.flush()
    return True


def authenticate(raw: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token `raw` is, or None (unknown, revoked, expired, or its user disabled)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    now = now or utcnow()
    if token is None or not token.usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token


def tokens_of(user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(
        ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(db.session.scalars(query))


def all_tokens() -> list[ApiToken]:
    """Every token of every user, for administrators: owners by name, newest first."""
    query = (select(ApiToken).join(User, User.id == ApiToken.user_id)
             .order_by(User.username, ApiToken.created_at.desc(), ApiToken.id.desc()))
    return list(db.session.scalars(query))
