"""The API's errors: always JSON ({"error", "message"} and, for input, "fields"), never HTML."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response

from dossier.extensions import db


class ApiProblem(Exception):
    """A refusal with a status code, a message and, for input errors, one message per field."""

    def __init__(self, code: int, message: str, fields: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def problem_response(code: int, message: str, fields: dict[str, str] | None = None
                     ) -> Response:
    body: dict[str, Any] = {"error": HTTP_STATUS_CODES.get(code, "Error"), "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = code
    return response


def register_error_handlers(bp: Blueprint) -> None:
    bp.register_error_handler(ApiProblem, _problem)
    bp.register_error_handler(CSRFError, _csrf_refused)
    bp.register_error_handler(HTTPException, _http_error)
    bp.register_error_handler(Exception, _unexpected)


def _problem(error: ApiProblem) -> Response:
    db.session.rollback()
    response = problem_response(error.code, error.message, error.fields)
    response.headers.update(error.headers)
    return response


def _csrf_refused(error: CSRFError) -> Response:
    return problem_response(400, _(
        "A call with the browser session that changes data needs the session's CSRF token "
        "in the X-CSRFToken header. Programs use an API token instead."))


def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    if code < 400:  # routing redirects are HTTPExceptions too
        return error.get_response()
    db.session.rollback()
    response = error.get_response()  # keeps headers such as Allow and Retry-After
    message = str(error.description) if code != 500 else _("Something went wrong.")
    response.set_data(json.dumps({"error": error.name, "message": message}))
    response.content_type = "application/json"
    return response


def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled error in the API")
    db.session.rollback()
    return problem_response(500, _("Something went wrong on our side. The error has been "
                                   "logged."))
