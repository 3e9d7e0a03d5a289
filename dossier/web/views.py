"""The start page each role lands on after signing in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("web", __name__)


@bp.route("/")
@login_required
def dashboard() -> str:
    return render_template("web/dashboard.html")
