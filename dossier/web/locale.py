"""Which language and time zone a request is shown in: Dutch unless the user chose English."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db

SUPPORTED_LOCALES = ("nl", "en")
# Each language is named in itself, so a reader of either finds their own.
LOCALE_NAMES = {"nl": "Nederlands", "en": "English"}
LOCALE_TITLES = {"nl": _l("Switch to Dutch"), "en": _l("Switch to English")}


def select_locale() -> str:
    if not has_request_context():  # CLI commands and worker tasks
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("locale")
    if chosen in SUPPORTED_LOCALES:
        return str(chosen)
    signed_in = getattr(current_user, "is_authenticated", False)
    if signed_in and current_user.locale in SUPPORTED_LOCALES:
        return str(current_user.locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def remember_locale(actor: Any, locale: str) -> None:
    """Store a signed-in user's language so it follows them to their next session."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    if actor.locale == locale:
        return
    previous = actor.locale
    actor.locale = locale
    record(actor, AuditAction.UPDATE, actor,
           details={"field": "locale", "from": previous, "to": locale})
    db.session.flush()
