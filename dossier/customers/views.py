"""Customer list, create, edit and the dossier page."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("customers", __name__, url_prefix="/customers")


@bp.route("/")
@login_required
def index() -> str:
    return "TODO"
