"""Which language and time zone a request is shown in: Dutch unless the user chose English."""

from __future__ import annotations

from flask import current_app, session
from flask_login import current_user

SUPPORTED_LOCALES = ("nl", "en")


def select_locale() -> str:
    chosen = session.get("locale")
    if chosen in SUPPORTED_LOCALES:
        return str(chosen)
    if getattr(current_user, "is_authenticated", False) and current_user.locale in SUPPORTED_LOCALES:
        return str(current_user.locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])
