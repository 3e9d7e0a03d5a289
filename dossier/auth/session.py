"""Flask-Login wiring: loading the signed-in user and what anonymous visitors see."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext
from flask_login import LoginManager

from dossier.extensions import db


def init_login(app: Flask, manager: LoginManager) -> None:
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = lazy_gettext("Please log in to continue.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(user_id: str) -> object | None:
        from dossier.auth.models import User

        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None
