"""The start page each role lands on after signing in, and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier.extensions import db
from dossier.web.locale import SUPPORTED_LOCALES, remember_locale
from dossier.web.navigation import endpoint_exists, shortcuts_for
from dossier.web.queries import dashboard_counts

bp = Blueprint("web", __name__)


@bp.route("/")
@login_required
def dashboard() -> str:
    return render_template(
        "web/dashboard.html",
        shortcuts=shortcuts_for(current_user),
        counts=dashboard_counts(current_user),
        search_enabled=endpoint_exists("customers.index"),
    )


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    """Switch between Dutch and English; CSRFProtect guards this like every POST."""
    locale = request.form.get("locale", "")
    if locale not in SUPPORTED_LOCALES:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        remember_locale(current_user, locale)
        db.session.commit()
    target = local_target(request.form.get("next")) or local_target(request.referrer)
    return redirect(target or url_for("web.dashboard"))


def local_target(url: str | None) -> str | None:
    """`url` reduced to a path on this site, or None when it points elsewhere."""
    if not url or "\\" in url or any(ord(char) < 32 for char in url):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        return None
    if parts.netloc and parts.netloc != request.host:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))
