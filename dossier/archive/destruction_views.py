"""The destruction list: originals past their retention date, proposals that wait for a
second person, and the certificates of what was destroyed. For archive staff only."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier.archive import destruction, destruction_queries, queries
from dossier.archive.desk_models import (
    DESTRUCTION_STATUS_LABELS,
    DestructionRecord,
    DestructionStatus,
)
from dossier.archive.destruction_certificate import certificate_pdf
from dossier.archive.errors import ArchiveError
from dossier.archive.models import PhysicalItem
from dossier.archive.views import TABS
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.compliance.audit import AuditAction, record
from dossier.extensions import db

bp = Blueprint("destruction", __name__, url_prefix="/archive/destruction")
PER_PAGE = 100
MAX_PROPOSED_AT_ONCE = 500


@bp.before_request
@login_required
def _archive_staff_only() -> None:
    action = Action.VIEW if request.method == "GET" else Action.EDIT
    if not can(current_user, action, Feature.ARCHIVE):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"archive_tabs": TABS, "destruction_labels": DESTRUCTION_STATUS_LABELS}


@bp.route("")
def index() -> str:
    today = queries.today()
    page = db.paginate(destruction_queries.due(today),
                       page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    proposals = destruction_queries.proposals()
    decided = destruction_queries.decided()
    shown = [item.id for item in page.items] + [p.item_id for p in proposals + decided]
    record(signed_in_user(), AuditAction.VIEW, object_type="DestructionList",
           details={"items": shown})
    db.session.commit()
    return render_template("archive/destruction/index.html", page=page, proposals=proposals,
                           decided=decided, today=today)


@bp.route("/propose", methods=["POST"])
def propose() -> Response:
    item_ids = request.form.getlist("item", type=int)[:MAX_PROPOSED_AT_ONCE]
    if not item_ids:
        flash(_("Tick the originals to propose for destruction."), "error")
        return redirect(url_for("destruction.index"))
    actor, proposed = signed_in_user(), 0
    for item_id in item_ids:
        item = db.session.get(PhysicalItem, item_id)
        if item is None:
            continue
        try:
            with db.session.begin_nested():
                destruction.propose(actor, item)
            proposed += 1
        except ArchiveError as error:
            flash(error.message, "error")
    db.session.commit()
    if proposed:
        flash(ngettext("%(num)s original proposed for destruction; a second person approves.",
                       "%(num)s originals proposed for destruction; a second person approves.",
                       proposed), "success")
    return redirect(url_for("destruction.index"))


@bp.route("/<int:record_id>/approve", methods=["POST"])
def approve(record_id: int) -> Response:
    proposal = db.get_or_404(DestructionRecord, record_id)
    try:
        destruction.approve(signed_in_user(), proposal)
    except ArchiveError as error:
        flash(error.message, "error")
        return redirect(url_for("destruction.index"))
    db.session.commit()
    flash(_("%(code)s is recorded as destroyed; its certificate is ready.",
            code=proposal.item_code), "success")
    return redirect(url_for("destruction.index", _anchor="decided"))


@bp.route("/<int:record_id>/reject", methods=["POST"])
def reject(record_id: int) -> Response:
    proposal = db.get_or_404(DestructionRecord, record_id)
    try:
        destruction.reject(signed_in_user(), proposal, request.form.get("reason", "")[:300])
    except ArchiveError as error:
        flash(error.message, "error")
        return redirect(url_for("destruction.index"))
    db.session.commit()
    flash(_("%(code)s is kept.", code=proposal.item_code), "success")
    return redirect(url_for("destruction.index"))


@bp.route("/<int:record_id>/certificate.pdf")
def certificate(record_id: int) -> Response:
    destroyed = db.get_or_404(DestructionRecord, record_id)
    if destroyed.status != DestructionStatus.DESTROYED:
        abort(404)
    record(signed_in_user(), AuditAction.EXPORT, destroyed,
           details={"certificate": destroyed.id, "item": destroyed.item_id})
    db.session.commit()
    response = send_file(io.BytesIO(certificate_pdf(destroyed)), mimetype="application/pdf",
                         as_attachment=False, max_age=0,
                         download_name=f"destruction-certificate-{destroyed.id}.pdf")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
