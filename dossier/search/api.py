"""GET /api/v1/search: the search page's results as JSON, for an API token or the session.

Authentication, rate limiting and JSON errors come from the API package
(dossier/api/auth.py): a bearer token carries its user's roles and scopes, a browser
session works too. Errors: 401 without credentials instead of the login redirect, 403
for a role that may not search, 400 with the parser's message for a malformed query or a
bad parameter. Its OpenAPI declaration is in dossier/api/search_api.py.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from dossier.api.auth import api_actor, protect, unauthorised
from dossier.extensions import db
from dossier.search import search
from dossier.search.access import may_search, visible_part
from dossier.search.page_args import (
    FACETS,
    MAX_QUERY_LENGTH,
    ORDERS,
    filters_from,
    positive_int,
)
from dossier.search.query import QuerySyntaxError
from dossier.search.results import to_json

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
protect(bp)
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@bp.route("/search")
def search_json() -> Response:
    if g.get("api_actor") is None:
        raise unauthorised(_("Log in first, or send an API token as: Authorization: Bearer "
                             "<token>."))
    actor = api_actor()
    if not may_search(actor):
        abort(403, _("Your role may not search."))
    params = _params()
    try:
        results = search(params["text"], actor, filters=params["filters"],
                         page=params["page"], per_page=params["per_page"],
                         order=params["order"])
    except QuerySyntaxError as error:
        db.session.rollback()
        abort(400, error.message)
    response = jsonify(to_json(visible_part(results, actor)))
    db.session.commit()  # the search's audit event
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _params() -> dict[str, Any]:
    """The request's parameters, checked; 400 with what to change when one is wrong."""
    args = request.args
    text = args.get("q", "").strip()
    filters = filters_from(args)
    unknown = _unknown_filter_values(args, filters)
    if unknown:
        abort(400, _("Unknown filter value(s): %(values)s.", values=", ".join(unknown)))
    if not text and not filters:
        abort(400, _("Give a query in the q parameter."))
    if len(text) > MAX_QUERY_LENGTH:
        abort(400, _("The query is too long: at most %(max)s characters.",
                     max=MAX_QUERY_LENGTH))
    page = positive_int(args.get("page"), 1)
    if page is None:
        abort(400, _("page must be a whole number of 1 or more."))
    per_page = positive_int(args.get("per_page"), DEFAULT_PER_PAGE)
    if per_page is None or per_page > MAX_PER_PAGE:
        abort(400, _("per_page must be a whole number from 1 to %(max)s.", max=MAX_PER_PAGE))
    order = args.get("order") or "relevance"
    if order not in ORDERS:
        abort(400, _("order must be one of: %(orders)s.", orders=", ".join(ORDERS)))
    return {"text": text, "filters": filters, "page": page, "per_page": per_page,
            "order": order}


def _unknown_filter_values(args: Any, filters: dict[str, tuple[str, ...]]) -> list[str]:
    """Filter values the search page would quietly drop: a program is told instead."""
    return [f"{facet}={value}" for facet in FACETS for value in args.getlist(facet)
            if value and value not in filters.get(facet, ())]
