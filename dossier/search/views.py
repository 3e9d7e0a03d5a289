"""The search page: one box over customers and documents, with facets, sorting and pages."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_login import login_required

from dossier.auth.views import signed_in_user
from dossier.documents.queries import types_for_scopes
from dossier.extensions import db
from dossier.search import search
from dossier.search.access import may_search, sees_customers, sees_documents, visible_part
from dossier.search.page_args import SearchArgs
from dossier.search.query import QuerySyntaxError
from dossier.search.screen import (
    FacetLabels,
    chips,
    classes_per_hit,
    facet_groups,
    summaries_without_snippet,
)

bp = Blueprint("search", __name__)
PER_PAGE = 20


@bp.route("/search")
@login_required
def index() -> str:
    actor = signed_in_user()
    if not may_search(actor):
        abort(403)
    args = SearchArgs.from_args(request.args)
    if not sees_documents(actor):  # facet filters narrow documents only
        args = dataclasses.replace(args, filters={})
    labels = FacetLabels()
    page: dict[str, Any] = {"args": args, "results": None, "error": None,
                            "chips": chips(args, labels),
                            "documents_shown": sees_documents(actor),
                            "customers_shown": sees_customers(actor),
                            "type_codes": _type_codes(actor)}
    if args.is_empty:
        return render_template("search/index.html", **page)
    try:
        results = search(args.text, actor, filters=dict(args.filters), page=args.page,
                         per_page=PER_PAGE, order=args.order)
    except QuerySyntaxError as error:  # the message says what to fix; the box keeps the text
        db.session.rollback()
        return render_template("search/index.html", **page | {"error": error.message})
    results = visible_part(results, actor)
    html = render_template(
        "search/index.html", **page | {
            "results": results,
            "facets": facet_groups(results.facets, args, labels),
            "classes": classes_per_hit(results.hits, actor.scopes),
            "summaries": summaries_without_snippet(results.hits),
        })
    db.session.commit()  # the search's audit event, with what it read
    return html


def _type_codes(actor: Any) -> list[tuple[str, str]]:
    """(code, name) of the document types the syntax help may offer for type:."""
    if not sees_documents(actor):
        return []
    locale = str(get_locale() or "nl")
    return [(t.code, t.name(locale)) for t in types_for_scopes(actor.scopes)]
