"""Reading a call's input: query parameters and JSON bodies, checked against the declared
parameters and schemas; 400 with field errors, 415 for the wrong content type."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Select
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from dossier.api.errors import ApiProblem
from dossier.api.schemas import Schema, check_body, check_value
from dossier.api.spec import DEFAULT_PER_PAGE, MAX_ID, MULTIPART, Param
from dossier.extensions import db

M = TypeVar("M")


def query_args(params: Iterable[Param]) -> dict[str, Any]:
    """The declared query parameters, typed; 400 naming each one that does not fit."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for param in params:
        if param.location != "query":
            continue
        raw = request.args.get(param.name)
        if raw is None or raw == "":
            values[param.name] = param.schema.get("default")
            continue
        value: Any = raw
        if param.schema.get("type") == "integer":
            value = _integer(raw)
            if value is None:
                errors[param.name] = _("Give a whole number.")
                continue
        message = check_value(param.schema, value)
        if message:
            errors[param.name] = message
        values[param.name] = value
    if errors:
        raise ApiProblem(400, _("Some parameters are not valid."), errors)
    return values


def _integer(raw: str) -> int | None:
    text = raw.strip()
    digits = text[1:] if text[:1] in "+-" else text
    return int(text) if digits.isascii() and digits.isdigit() and len(digits) < 12 else None


def get_or_404(model: type[M], object_id: int, message: str) -> M:
    """The row with this id; 404 with `message` when there is none (or the id cannot be)."""
    found = db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None
    if found is None:
        raise ApiProblem(404, message)
    return found


def json_body(schema: Schema) -> dict[str, Any]:
    """The request's JSON object, shaped as `schema` says; 415 when it is not JSON."""
    if not request.is_json:
        raise ApiProblem(415, _("Send the body as application/json."))
    try:
        data = request.get_json()
    except BadRequest:
        raise ApiProblem(400, _("The body is not valid JSON.")) from None
    errors = check_body(schema, data)
    if errors:
        raise ApiProblem(400, _("Some fields are not valid."), errors)
    assert isinstance(data, dict)  # checked
    return data


def require_multipart() -> None:
    if request.mimetype != MULTIPART:
        raise ApiProblem(415, _("Send the body as multipart/form-data."))


def paged(query: Select[Any], args: dict[str, Any], serialise: Any) -> tuple[dict[str, Any],
                                                                               dict[str, str]]:
    """One page of `query` as {"items", "page", ...} and the Link header that goes with it."""
    page_number = int(args.get("page") or 1)
    per_page = int(args.get("per_page") or DEFAULT_PER_PAGE)
    page = db.paginate(query, page=page_number, per_page=per_page, error_out=False)
    pages = math.ceil((page.total or 0) / per_page)
    links = {"next": _page_url(page_number + 1) if page_number < pages else None,
             "prev": _page_url(min(page_number - 1, max(pages, 1))) if page_number > 1
             else None}
    body = {"items": [serialise(item) for item in page.items], "page": page_number,
            "per_page": per_page, "total": page.total or 0, "pages": pages} | links
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    return body, ({"Link": header} if header else {})


def _page_url(number: int) -> str:
    args = request.args.to_dict() | {"page": str(number)}
    base = url_for(request.endpoint or "", **(request.view_args or {}))
    return f"{base}?{urlencode(args)}"


def json_response(body: dict[str, Any], status: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    """`body` as JSON, never cached: it holds personal data."""
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "private, no-store"
    return response
