"""Signing in and out, and the page where users manage their own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from dossier.auth import services
from dossier.auth.forms import LanguageForm, LoginForm, PasswordChangeForm, show_error
from dossier.auth.models import User
from dossier.extensions import db, limiter
from dossier.web.locale import SUPPORTED_LOCALES, remember_locale

bp = Blueprint("auth", __name__)


def signed_in_user() -> User:
    """The real User behind the `current_user` proxy (audit records name its type)."""
    user: User = current_user._get_current_object()
    return user


def _login_limit() -> str:
    """Read per request, so the limit can be changed in the config without a restart."""
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site; anything else goes to the start page."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("web.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/login.html", form=form), status
    user = services.authenticate(form.username.data or "", form.password.data or "")
    db.session.commit()
    if user is None:
        # One message for unknown, disabled and wrong password: no user enumeration.
        flash(_("Unknown username or wrong password."), "error")
        return render_template("auth/login.html", form=form)
    login_user(user, remember=bool(form.remember.data))
    if user.locale in SUPPORTED_LOCALES:
        session["locale"] = user.locale
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    services.record_logout(signed_in_user())
    db.session.commit()
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response | tuple[str, int]:
    password_form = PasswordChangeForm(prefix="password")
    language_form = LanguageForm(prefix="language", locale=str(get_locale()))
    if request.method == "POST":
        if password_form.submit.data:
            return _change_password(password_form, language_form)
        if language_form.submit.data:
            return _change_language(password_form, language_form)
    return _render_account(password_form, language_form)


def _render_account(password_form: FlaskForm, language_form: FlaskForm,
                    status: int = 200) -> tuple[str, int]:
    html = render_template("auth/account.html", password_form=password_form,
                           language_form=language_form)
    return html, status


def _change_password(password_form: PasswordChangeForm,
                     language_form: LanguageForm) -> Response | tuple[str, int]:
    if not password_form.validate():
        return _render_account(password_form, language_form, 422)
    try:
        user = signed_in_user()
        services.change_password(user, user,
                                 password_form.current_password.data or "",
                                 password_form.new_password.data or "")
    except services.UserError as error:
        show_error(password_form, error)
        return _render_account(password_form, language_form, 422)
    db.session.commit()
    flash(_("Your password has been changed."), "success")
    return redirect(url_for("auth.account"))


def _change_language(password_form: PasswordChangeForm,
                     language_form: LanguageForm) -> Response | tuple[str, int]:
    if not language_form.validate():
        return _render_account(password_form, language_form, 422)
    locale = str(language_form.locale.data)
    remember_locale(signed_in_user(), locale)
    session["locale"] = locale
    db.session.commit()
    flash(_("Your language has been saved."), "success")
    return redirect(url_for("auth.account"))
