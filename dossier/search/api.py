"""GET /api/v1/search: the search page's results as JSON, for the signed-in session.

Issue 8 adds API tokens; until then the browser session is the credential. Errors are
JSON (the app's error handler answers /api/ paths so): 401 when not signed in instead
of the login redirect, 403 for a role that may not search, 400 with the parser's
message for a malformed query or a bad parameter.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from dossier.auth.views import signed_in_user
from dossier.extensions import db
from dossier.search import search
from dossier.search.access import may_search, visible_part
from dossier.search.page_args import MAX_QUERY_LENGTH, ORDERS, filters_from, positive_int
from dossier.search.query import QuerySyntaxError
from dossier.search.results import to_json

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@bp.route("/search")
def search_json() -> Response:
    if not current_user.is_authenticated:
        abort(401, _("Log in first: the API uses your signed-in session."))
    actor = signed_in_user()
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
