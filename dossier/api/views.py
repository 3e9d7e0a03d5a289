"""The JSON API under /api/v1: its blueprint, the OpenAPI document and the docs page.

The operations themselves live beside this module, one module per subject
(customers_api, documents_api, interactions_api, archive_api); each declares itself
with `spec.documented`, which is where the OpenAPI document comes from.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from dossier.api.auth import api_actor, protect
from dossier.api.spec import DESCRIPTION, ERROR_TEXTS, docs_entries, openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
protect(bp)


@bp.route("/openapi.json")
def openapi_json() -> Response:
    api_actor()
    response = jsonify(openapi_document())
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/docs")
def docs() -> str | Response:
    """For people: signed in through the browser, so anonymous visitors go to the login."""
    if g.get("api_actor") is None:
        return redirect(url_for("auth.login", next=request.path))
    return render_template("api/docs.html", entries=docs_entries(), description=DESCRIPTION,
                           error_texts=ERROR_TEXTS, base_url=request.host_url.rstrip("/"),
                           title=_("JSON API"))


from dossier.api import (  # noqa: E402,F401  (their routes join this blueprint)
    archive_api,
    customers_api,
    documents_api,
    interactions_api,
    search_api,
)
