"""Documents: create, edit, show, download; the scope policy as users see it."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.route("/policy")
@login_required
def policy() -> str:
    return "TODO"
