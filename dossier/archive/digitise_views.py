"""Digitisation: the advisor's list of static originals asked for often, sending one for
scanning, and printing its cover sheet. For archive staff."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from dossier.archive import advisor, digitise
from dossier.archive.desk_models import DigitisationOrder, DigitisationStatus
from dossier.archive.errors import ArchiveError
from dossier.archive.models import PhysicalItem
from dossier.archive.views import TABS
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.compliance.audit import AuditAction, record
from dossier.documents.forms import SCOPE_LABELS
from dossier.extensions import db

bp = Blueprint("digitise", __name__, url_prefix="/archive/digitise")
WAITING_LISTED = 50


@bp.before_request
@login_required
def _archive_staff_only() -> None:
    action = Action.VIEW if request.method == "GET" else Action.EDIT
    if not can(current_user, action, Feature.ARCHIVE):
        abort(403)


@bp.route("")
def advisor_list() -> str:
    config = current_app.config
    times = _bounded("requests", config["ARCHIVE_ADVISOR_REQUESTS"], 0, 1000)
    months = _bounded("months", config["ARCHIVE_ADVISOR_MONTHS"], 1, 120)
    found = advisor.advice(times, months)
    waiting = list(db.session.scalars(
        select(DigitisationOrder)
        .where(DigitisationOrder.status == DigitisationStatus.WAITING.value)
        .order_by(DigitisationOrder.ordered_at.desc()).limit(WAITING_LISTED)))
    record(signed_in_user(), AuditAction.VIEW, object_type="DigitisationAdvice",
           details={"items": [entry.item.id for entry in found]})
    db.session.commit()
    return render_template("archive/digitise/advisor.html", advice=found, times=times,
                           months=months, waiting=waiting, archive_tabs=TABS,
                           scope_labels=SCOPE_LABELS,
                           may_manage_policy=can(current_user, Action.VIEW,
                                                 Feature.MANAGE_POLICY))


@bp.route("/items/<int:item_id>/order", methods=["POST"])
def order(item_id: int) -> Response:
    item = db.get_or_404(PhysicalItem, item_id)
    try:
        placed = digitise.order(signed_in_user(), item)
    except ArchiveError as error:
        flash(error.message, "error")
        return redirect(url_for("digitise.advisor_list"))
    db.session.commit()
    return redirect(url_for("digitise.cover_sheet", order_id=placed.id))


@bp.route("/orders/<int:order_id>/cover-sheet.pdf")
def cover_sheet(order_id: int) -> Response:
    placed = db.get_or_404(DigitisationOrder, order_id)
    if placed.status != DigitisationStatus.WAITING or placed.document is None:
        abort(404)
    pdf = digitise.cover_sheet(placed, str(get_locale() or "nl"))
    record(signed_in_user(), AuditAction.EXPORT, placed,
           customer_id=placed.document.customers[0].id if placed.document.customers else None,
           scope=placed.scope, details={"sheet": "digitisation", "item": placed.item_id})
    db.session.commit()
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                         download_name=f"cover-sheet-{placed.item.barcode}.pdf", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _bounded(name: str, default: int, lowest: int, highest: int) -> int:
    value = request.args.get(name, default, type=int)
    return min(max(value if value is not None else default, lowest), highest)
