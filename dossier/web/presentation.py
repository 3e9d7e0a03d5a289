"""Template filters, globals and error pages shared by every feature package."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, current_app, render_template, request
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    refresh,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from dossier.auth.permissions import Action, Feature, can
from dossier.extensions import db

ERROR_TEMPLATES = (400, 403, 404, 405, 413, 429, 500)
ERROR_PAGES: dict[int, tuple[Any, Any]] = {
    400: (_l("Bad request"),
          _l("The request could not be understood. Please check what you entered and try "
             "again.")),
    403: (_l("No access"),
          _l("You do not have permission to open this page. Ask an administrator if you "
             "need access.")),
    404: (_l("Page not found"),
          _l("This page does not exist, or what it showed has been removed.")),
    405: (_l("Not allowed this way"),
          _l("This page cannot be used like this. Go back and use the buttons on the "
             "page.")),
    413: (_l("File too large"),
          _l("What you sent is larger than allowed. Please send a smaller file.")),
    429: (_l("Too many attempts"),
          _l("Please wait a minute before you try again.")),
    500: (_l("Something went wrong"),
          _l("Something went wrong on our side. The error has been logged.")),
}
# Codes whose message never comes from the exception: it may hold internals or jargon.
FIXED_MESSAGES = (429, 500)
ROLE_LABELS = {
    "sales": _l("Sales"),
    "care": _l("Customer care"),
    "loyalty": _l("Loyalty"),
    "clerk": _l("Archive clerk"),
    "compliance": _l("Compliance"),
    "admin": _l("Administrator"),
}
FALLBACK_PAGE = (
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>{code} · Dossier</title></head>"
    "<body><h1>{code}</h1><p>Something went wrong. Please try again later.</p>"
    "<p><a href=\"/\">Dossier</a></p></body></html>"
)


def money(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    return str(format_currency(value, current_app.config["CURRENCY"]))


def local_date(value: date | datetime | None, style: str = "medium") -> str:
    """A date, or a UTC datetime shown in the user's time zone, in the user's locale."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if style == "medium":  # seconds are noise on screen: medium date, short time
            pattern = str(get_locale().datetime_formats["medium"])
            return pattern.format(format_time(value, "short"), format_date(value, "medium"))
        return str(format_datetime(value, style))
    return str(format_date(value, style))


def number(value: Decimal | float | int | None) -> str:
    return "" if value is None else str(format_decimal(value))


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def init_presentation(app: Flask) -> None:
    from dossier.web.locale import LOCALE_NAMES, LOCALE_TITLES
    from dossier.web.navigation import endpoint_exists

    app.jinja_env.filters.update(
        money=money, local_date=local_date, number=number, role_label=role_label
    )
    app.jinja_env.globals.update(
        can=can, Action=Action, Feature=Feature, has_endpoint=endpoint_exists,
        locale_names=LOCALE_NAMES, locale_titles=LOCALE_TITLES,
    )

    @app.before_request
    def _choose_locale_afresh() -> None:
        # Flask-Babel caches the locale on `g`; where one app context spans several
        # requests (the test client inside an app context) the choice must be remade.
        refresh()

    @app.context_processor
    def _inject() -> dict[str, Any]:
        from dossier.web.navigation import active_endpoint, navigation_for

        items = navigation_for(current_user)
        return {
            "navigation": items,
            "active_nav": active_endpoint(items, request.endpoint),
            "current_locale": str(get_locale()),
        }

    _register_error_pages(app)


def error_page(code: int, message: Any = None) -> tuple[str, int]:
    """The friendly page for `code`; a bare page if even the layout cannot render."""
    title, default_message = ERROR_PAGES.get(code, (_l("Error"), _l("Please try again.")))
    try:
        html = render_template("web/error.html", code=code, title=title,
                               message=message or default_message)
    except Exception:
        current_app.logger.exception("error page %s could not be rendered", code)
        html = FALLBACK_PAGE.format(code=code)
    return html, code


def _message_for(error: HTTPException, code: int) -> Any:
    """A view's own description (abort(403, "...")) beats the generic text; defaults do not."""
    if code in FIXED_MESSAGES or error.description == type(error).description:
        return None
    return error.description


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return error_page(400, _("Your form expired or was sent from elsewhere. Please try "
                                 "again."))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        code = error.code or 500
        if code < 400:  # routing redirects are HTTPExceptions too
            return error
        response = error.get_response()
        if request.path.startswith("/api/"):  # JSON, keeping headers such as Allow
            response.set_data(json.dumps({"error": error.name,
                                          "message": str(error.description)}))
            response.content_type = "application/json"
            return response
        html, status = error_page(code, _message_for(error, code))
        response.set_data(html)  # keeps headers such as Allow (405) and Retry-After (429)
        response.content_type = "text/html; charset=utf-8"
        response.status_code = status
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error")
        db.session.rollback()
        return error_page(500)
