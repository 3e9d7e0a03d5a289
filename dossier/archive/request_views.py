"""Retrieval requests in the web app: asking for an original from its document, one's own
requests, and the archive desk (pick list on screen and in print, overdue loans)."""

from __future__ import annotations

import io
from typing import Any

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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from dossier.archive import queries, request_queries, requests
from dossier.archive.desk_models import REQUEST_STATUS_LABELS, RequestStatus, RetrievalRequest
from dossier.archive.errors import ArchiveError
from dossier.archive.models import Status
from dossier.archive.picklist import desk
from dossier.archive.picklist_pdf import pick_list_pdf
from dossier.archive.views import TABS
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.compliance.audit import AuditAction, record
from dossier.documents.models import Document
from dossier.extensions import db

bp = Blueprint("requests", __name__, url_prefix="/archive/requests")
ARCHIVE_DESK = frozenset({"requests.index", "requests.picklist_pdf", "requests.overdue"})


class RequestForm(FlaskForm):
    purpose = TextAreaField(_l("What do you need the original for?"), validators=[
        DataRequired(_l("Say what you need the original for.")),
        Length(max=requests.MAX_PURPOSE)], description=_l(
            "The archive sees this with your request; keep it short and factual."))


@bp.before_request
@login_required
def _desk_for_archive_staff() -> None:
    if request.endpoint in ARCHIVE_DESK and not can(current_user, Action.VIEW,
                                                    Feature.ARCHIVE):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"archive_tabs": TABS, "request_status_labels": REQUEST_STATUS_LABELS,
            "today": queries.today()}


@bp.app_template_global()
def original_request_option(document: Document) -> dict[str, Any] | None:
    """For the document page: whether its original can be asked for, and the signed-in
    user's open request for it (with the place in the queue)."""
    item = queries.item_of_document(document.id)
    if item is None or queries.state_of(item).status == Status.DESTROYED:
        return None
    mine = request_queries.open_request_of(current_user, item)
    return {"item": item, "request": mine,
            "status": REQUEST_STATUS_LABELS[RequestStatus(mine.status)] if mine else "",
            "position": request_queries.position_in_queue(mine) if mine else 0}


@bp.route("/new/<int:document_id>", methods=["GET", "POST"])
def new(document_id: int) -> str | Response | tuple[str, int]:
    document = db.get_or_404(Document, document_id)
    if not can(current_user, Action.VIEW, document):
        abort(403)
    form = RequestForm()
    option = original_request_option(document)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("archive/requests/new.html", form=form, document=document,
                               option=option), status
    try:
        asked = requests.ask(signed_in_user(), document, form.purpose.data or "")
    except ArchiveError as error:
        form.purpose.errors = [*form.purpose.errors, error.message]
        return render_template("archive/requests/new.html", form=form, document=document,
                               option=option), 422
    db.session.commit()
    position = request_queries.position_in_queue(asked)
    if position > 1:
        flash(_("Your request is in the queue: %(num)s before you.", num=position - 1),
              "success")
    else:
        flash(_("Your request has been sent to the archive."), "success")
    return redirect(url_for("documents.show", document_id=document.id))


@bp.route("/mine")
def mine() -> str:
    page = db.paginate(request_queries.requests_of(current_user),
                       page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("archive/requests/mine.html", page=page,
                           positions={r.id: request_queries.position_in_queue(r)
                                      for r in page.items if r.is_open})


@bp.route("/<int:request_id>/cancel", methods=["POST"])
def cancel(request_id: int) -> Response:
    asked = db.get_or_404(RetrievalRequest, request_id)
    back = url_for("requests.index") if request.form.get("from") == "desk" else url_for(
        "requests.mine")
    try:
        requests.cancel(signed_in_user(), asked, request.form.get("reason", "")[:300])
    except ArchiveError as error:
        if error.reason == "not_allowed":
            abort(403)
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    flash(_("The request has been cancelled."), "success")
    return redirect(back)


@bp.route("")
def index() -> str:
    lists = desk()
    _record_desk_read(AuditAction.VIEW, lists.pick + lists.picked + lists.out + lists.waiting)
    html = render_template("archive/requests/desk.html", desk=lists)
    db.session.commit()  # after rendering: a commit expires the rows the page reads
    return html


@bp.route("/picklist.pdf")
def picklist_pdf() -> Response:
    rows = desk().pick
    _record_desk_read(AuditAction.EXPORT, rows)
    pdf = pick_list_pdf(rows)
    db.session.commit()  # after drawing: a commit expires the rows the list reads
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf",
                         as_attachment=False, download_name="pick-list.pdf", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/overdue")
def overdue() -> str:
    loans = request_queries.overdue_loans()
    record(signed_in_user(), AuditAction.VIEW, object_type="OverdueList",
           details={"items": [loan.item.id for loan in loans]})
    html = render_template("archive/requests/overdue.html", loans=loans)
    db.session.commit()
    return html


def _record_desk_read(action: str, rows: list[Any]) -> None:
    """Requests name who wanted which original and why: the read is logged, once."""
    record(signed_in_user(), action, object_type="PickList",
           details={"requests": [row.request.id for row in rows]})
