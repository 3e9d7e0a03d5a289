"""Template filters, globals and error pages shared by every feature package."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, render_template, request
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from dossier.auth.permissions import Action, Feature, can
from dossier.extensions import db

ERROR_TEMPLATES = (400, 403, 404, 405, 413, 429, 500)


def money(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    from flask import current_app

    return str(format_currency(value, current_app.config["CURRENCY"]))


def local_date(value: date | datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return str(format_datetime(value, style))
    return str(format_date(value, style))


def number(value: Decimal | float | int | None) -> str:
    return "" if value is None else str(format_decimal(value))


def init_presentation(app: Flask) -> None:
    app.jinja_env.filters.update(money=money, local_date=local_date, number=number)
    app.jinja_env.globals.update(can=can, Action=Action, Feature=Feature)

    @app.context_processor
    def _inject() -> dict[str, Any]:
        from dossier.web.navigation import navigation_for

        return {"navigation": navigation_for(current_user), "current_locale": str(get_locale())}

    _register_error_pages(app)


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        message = _("Your form expired or was sent from elsewhere. Please try again.")
        return render_template("web/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            return {"error": error.name, "message": error.description}, error.code
        code = error.code or 500
        if code not in ERROR_TEMPLATES:
            return error
        return render_template("web/error.html", code=code, message=error.description), code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error")
        db.session.rollback()
        message = _("Something went wrong on our side. The error has been logged.")
        return render_template("web/error.html", code=500, message=message), 500
