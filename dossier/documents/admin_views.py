"""Admin pages for document types and the scope policy rules."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("doc_admin", __name__, url_prefix="/admin")


@bp.route("/document-types")
@login_required
def types() -> str:
    return "TODO"
