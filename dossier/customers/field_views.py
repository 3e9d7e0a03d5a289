"""Admin pages to define custom fields."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("fields", __name__, url_prefix="/admin/fields")


@bp.route("/")
@login_required
def index() -> str:
    return "TODO"
