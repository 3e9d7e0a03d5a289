"""Mailings: make one from a customer filter, print its letters, follow and correct answers."""

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
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier.auth.permissions import Action, Feature, can, writable_scopes
from dossier.auth.views import signed_in_user
from dossier.customers.forms import KIND_LABELS, STATUS_LABELS
from dossier.customers.segments import visible_segments
from dossier.documents.forms import SCOPE_LABELS
from dossier.extensions import db
from dossier.mailings import queries, services
from dossier.mailings.forms import (
    MailingForm,
    answer_choices,
    answer_value,
    default_answers,
    parse_answer,
)
from dossier.mailings.letters import letters_pdf
from dossier.mailings.models import Mailing

bp = Blueprint("mailings", __name__, url_prefix="/mailings")


@bp.before_request
@login_required
def _writers_only() -> None:
    if not can(current_user, Action.VIEW, Feature.MAILINGS):
        abort(403)


FILTER_LABELS = {"search": _l("Search"), "kind": _l("Kind"), "status": _l("Status"),
                 "postcode": _l("Postcode starts with"), "city": _l("City"),
                 "segment": _l("Segment")}


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"scope_labels": SCOPE_LABELS, "kind_labels": KIND_LABELS,
            "status_labels": STATUS_LABELS, "filter_labels": FILTER_LABELS,
            "answer_value": answer_value}


@bp.route("/")
def index() -> str:
    page = db.paginate(queries.visible_mailings(current_user),
                       page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    tallies = queries.tally([mailing.id for mailing in page.items])
    return render_template("mailings/index.html", page=page, tallies=tallies)


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    if not can(current_user, Action.CREATE, Feature.MAILINGS):
        abort(403)
    form = MailingForm() if request.method == "POST" else MailingForm(
        answer_options=default_answers())
    form.offer_scopes(sorted(writable_scopes(current_user)))
    form.offer_segments(visible_segments(current_user))
    if request.method == "GET":
        return render_template("mailings/new.html", form=form, preview=None)
    if request.form.get("action") == "preview":
        preview = queries.preview(form.recipient_filter())
        return render_template("mailings/new.html", form=form, preview=preview)
    try:
        mailing = services.create_mailing(signed_in_user(), form.mailing_input())
    except services.MailingInvalid as error:
        for name, message in error.errors.items():
            if name in form:
                form[name].errors = [message]
        preview = queries.preview(form.recipient_filter())
        return render_template("mailings/new.html", form=form, preview=preview,
                               problems=error.errors), 422
    db.session.commit()
    flash(ngettext("Mailing “%(name)s” has been made with %(num)s letter.",
                   "Mailing “%(name)s” has been made with %(num)s letters.",
                   queries.recipient_count(mailing), name=mailing.name), "success")
    return redirect(url_for("mailings.show", mailing_id=mailing.id))


def _mailing(mailing_id: int) -> Mailing:
    mailing = db.get_or_404(Mailing, mailing_id)
    if not can(current_user, Action.VIEW, mailing):
        abort(403)
    return mailing


@bp.route("/<int:mailing_id>")
def show(mailing_id: int) -> str:
    mailing = _mailing(mailing_id)
    sort = queries.normalise_sort(request.args.get("sort"))
    view = request.args.get("view", "")
    view = view if view in queries.RECIPIENT_VIEWS else ""
    page = db.paginate(queries.recipient_list(mailing, sort, view),
                       page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    services.record_recipients_view(signed_in_user(), mailing, list(page.items))
    html = render_template("mailings/show.html", mailing=mailing, page=page, sort=sort,
                           view=view, tally=queries.tally([mailing.id])[mailing.id],
                           answer_choices=answer_choices(mailing))
    db.session.commit()
    return html


@bp.route("/<int:mailing_id>/letters.pdf")
def letters(mailing_id: int) -> Response:
    """Every letter of the mailing, one page each, ready to print and fold."""
    mailing = _mailing(mailing_id)
    recipients = list(db.session.scalars(queries.letters_of(mailing)))
    services.record_letters_export(signed_in_user(), mailing, len(recipients))
    db.session.commit()
    pdf = letters_pdf(mailing, recipients, len(recipients))
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=f"mailing-{mailing.id}-letters.pdf", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:mailing_id>/recipients/<int:recipient_id>/answer", methods=["POST"])
def answer(mailing_id: int, recipient_id: int) -> Response:
    """A person sets or corrects one recipient's response, then returns to the list."""
    mailing = _mailing(mailing_id)
    recipient = queries.recipient_in(mailing, recipient_id)
    if recipient is None:
        abort(404)
    kept: dict[str, Any] = {key: value for key in ("page", "sort", "view")
                            if (value := request.form.get(key, "")[:20])}
    back = url_for("mailings.show", mailing_id=mailing.id, **kept)
    chosen = parse_answer(mailing, request.form.get("answer"))
    if chosen is None:
        flash(_("Choose one of the answers offered."), "error")
        return redirect(back)
    try:
        changed = services.correct_answer(signed_in_user(), recipient, *chosen)
    except services.ReplyRefused as error:
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    if changed:
        flash(_("The answer of letter %(number)s (%(name)s) has been saved.",
                number=recipient.sequence, name=recipient.customer.display_name), "success")
    return redirect(back)
