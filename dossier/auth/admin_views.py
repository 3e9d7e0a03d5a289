"""Admin pages to manage users and their roles."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required

from dossier.auth.permissions import Action, Feature, can

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.before_request
@login_required
def _admins_only() -> None:
    if not can(current_user, Action.VIEW, Feature.MANAGE_USERS):
        abort(403)


@bp.route("/")
def index() -> str:
    return "TODO"
