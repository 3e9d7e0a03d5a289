"""Who is calling the JSON API: an `Authorization: Bearer` token, or the browser session.

A token call carries its user's roles and scopes and needs no CSRF token (a browser never
sends the header by itself); a session call that changes data does need one. Calls are
rate limited per token (or per session user, or address).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, request, session
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from dossier.api.errors import ApiProblem, register_error_handlers
from dossier.api.models import ApiToken
from dossier.api.tokens import authenticate, hash_token
from dossier.auth.models import User
from dossier.extensions import csrf, limiter

DEFAULT_RATE_LIMIT = "600 per minute"
BEARER = "bearer"


def protect(bp: Blueprint) -> None:
    """Make `bp` an API blueprint: token or session auth, CSRF for sessions, rate limit,
    JSON errors."""
    csrf.exempt(bp)  # checked in _authenticate for session calls only
    limiter.limit(_rate_limit, key_func=_rate_key)(bp)
    bp.before_request(_authenticate)
    register_error_handlers(bp)


def _rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT") or DEFAULT_RATE_LIMIT)


def _rate_key() -> str:
    header = request.headers.get("Authorization")
    if header:
        return "api-token:" + hash_token(header)[:32]
    user_id = session.get("_user_id")
    return f"api-user:{user_id}" if user_id else f"api-address:{get_remote_address()}"


def _authenticate() -> None:
    header = request.headers.get("Authorization")
    g.api_token = None
    g.api_actor = None
    if header is not None:
        token = _token_from(header)
        g.api_token, g.api_actor = token, token.user
        return
    if current_user.is_authenticated:
        g.api_actor = current_user._get_current_object()
        config = current_app.config
        if config["WTF_CSRF_ENABLED"] and request.method in config["WTF_CSRF_METHODS"]:
            csrf.protect()


def _token_from(header: str) -> ApiToken:
    scheme, _space, raw = header.strip().partition(" ")
    if scheme.lower() != BEARER or not raw.strip():
        raise unauthorised(_("Send the token as: Authorization: Bearer <token>."))
    token = authenticate(raw.strip())
    if token is None:  # one answer for unknown, revoked, expired and disabled users
        raise unauthorised(_("The API token is unknown, revoked or expired, or its user "
                             "is disabled."))
    return token


def unauthorised(message: str) -> ApiProblem:
    return ApiProblem(401, message, headers={"WWW-Authenticate": 'Bearer realm="dossier"'})


def api_actor() -> User:
    """The caller; 401 when the request carries neither a token nor a signed-in session."""
    actor: User | None = g.get("api_actor")
    if actor is None:
        raise unauthorised(_("Sign in, or send an API token as: Authorization: Bearer "
                             "<token>."))
    return actor


def by_token() -> bool:
    return g.get("api_token") is not None


def token_details() -> dict[str, Any]:
    """For audit details: which token made the call (its prefix, never the secret)."""
    token: ApiToken | None = g.get("api_token")
    return {"api_token": token.prefix} if token is not None else {}
