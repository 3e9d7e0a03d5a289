"""Admin pages: the duplicate candidates, dismissing a pair, and the merge screen."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier.auth.models import User
from dossier.auth.permissions import Action, Feature, can
from dossier.compliance.audit import AuditAction, record
from dossier.customers import duplicates_store
from dossier.customers.merge import MergeRefused, merge_customers
from dossier.customers.merge_models import DuplicateCandidate
from dossier.customers.merge_screen import (
    CHOICE_PREFIX,
    MERGED,
    SURVIVOR,
    MergeForm,
    chosen_from_merged,
    explain,
    field_rows,
    what_moves,
)
from dossier.customers.models import Customer
from dossier.extensions import db

bp = Blueprint("merge", __name__, url_prefix="/admin/duplicates")
MIN_SCORES = (50, 70, 90)


@bp.before_request
@login_required
def _admins_only() -> None:
    if not can(current_user, Action.VIEW, Feature.MERGE_CUSTOMERS):
        abort(403)


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {"explain": explain, "SURVIVOR": SURVIVOR, "MERGED": MERGED,
            "CHOICE_PREFIX": CHOICE_PREFIX}


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.route("/")
def index() -> str:
    min_score = request.args.get("min", MIN_SCORES[0], type=int)
    min_score = min_score if min_score in MIN_SCORES else MIN_SCORES[0]
    page = db.paginate(duplicates_store.candidate_list(min_score),
                       page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    record(_actor(), AuditAction.VIEW, object_type="DuplicateCandidate",
           details={"page": page.page, "min_score": min_score, "shown": len(page.items)})
    html = render_template("customers/merge/index.html", page=page, min_score=min_score,
                           min_scores=MIN_SCORES, last_run=duplicates_store.last_run())
    db.session.commit()
    return html


@bp.route("/refresh", methods=["POST"])
def refresh() -> Response:
    found = duplicates_store.refresh_candidates(_actor())
    db.session.commit()
    flash(_("The duplicate finder found %(n)s possible duplicates in %(seconds)s seconds.",
            n=found.candidates, seconds=f"{found.seconds:.1f}"), "success")
    return redirect(url_for("merge.index"))


@bp.route("/<int:candidate_id>/dismiss", methods=["POST"])
def dismiss(candidate_id: int) -> Response:
    candidate = db.get_or_404(DuplicateCandidate, candidate_id)
    duplicates_store.dismiss(_actor(), candidate)
    db.session.commit()
    flash(_("Marked as not a duplicate; this pair will not be proposed again."), "success")
    return redirect(url_for("merge.index", page=request.args.get("page", "1"),
                            min=request.args.get("min", str(MIN_SCORES[0]))))


@bp.route("/merge/<int:first_id>/<int:second_id>", methods=["GET", "POST"])
def compare(first_id: int, second_id: int) -> str | Response | tuple[str, int]:
    first = db.get_or_404(Customer, first_id)
    second = db.get_or_404(Customer, second_id)
    if first.id == second.id:
        abort(404)
    form = MergeForm()
    wanted = form.survivor_id.data if form.is_submitted() else request.args.get(
        "survivor", first.id, type=int)
    survivor, merged = (second, first) if wanted == second.id else (first, second)
    rows = field_rows(survivor, merged)
    if not form.validate_on_submit():
        return _render_compare(form, survivor, merged, rows, submitted=form.is_submitted())
    merged_number = merged.number
    try:
        merge_customers(_actor(), survivor, merged, chosen_from_merged(rows, request.form))
    except MergeRefused as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_compare(form, survivor, merged, rows, submitted=True)
    db.session.commit()
    flash(_("Customer %(merged)s has been merged into %(survivor)s.", merged=merged_number,
            survivor=survivor.number), "success")
    return redirect(url_for("customers.show", customer_id=survivor.id))


def _render_compare(form: MergeForm, survivor: Customer, merged: Customer, rows: list,
                    submitted: bool) -> str | tuple[str, int]:
    form.survivor_id.data = survivor.id
    candidate = duplicates_store.candidate_for(survivor.id, merged.id)
    if not submitted:  # both dossiers' data is shown: a reading of personal data
        for customer in (survivor, merged):
            record(_actor(), AuditAction.VIEW, customer, customer_id=customer.id,
                   details={"page": "merge"})
    html = render_template("customers/merge/compare.html", form=form, survivor=survivor,
                           merged=merged, rows=rows, candidate=candidate,
                           moves={SURVIVOR: what_moves(survivor.id),
                                  MERGED: what_moves(merged.id)})
    if not submitted:
        db.session.commit()
        return html
    return html, 422
