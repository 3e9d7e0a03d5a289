"""Segments: the list with counts, the condition builder with a live count, a segment's
customers, and its CSV export."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier.auth.permissions import Action, Feature, can, writable_scopes
from dossier.auth.views import signed_in_user
from dossier.compliance.audit import AuditAction, record
from dossier.customers import segment_export, segment_services, segments
from dossier.customers.forms import SCOPE_LABELS
from dossier.customers.segment_conditions import OPERATORS, ConditionInvalid
from dossier.customers.segment_forms import (
    SegmentForm,
    condition_rows,
    conditions_from,
    form_for,
    segment_input,
)
from dossier.customers.segment_models import Segment
from dossier.extensions import db

bp = Blueprint("segments", __name__, url_prefix="/segments")


@bp.before_request
@login_required
def _customer_staff_only() -> None:
    if not can(current_user, Action.VIEW, Feature.CUSTOMERS):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"operator_labels": OPERATORS, "scope_labels": SCOPE_LABELS}


def _segment(segment_id: int, action: Action = Action.VIEW) -> Segment:
    segment = db.get_or_404(Segment, segment_id)
    if not can(current_user, action, segment):
        abort(403)
    return segment


def _safe_count(segment: Segment) -> int | None:
    try:
        return segments.segment_count(segment)
    except ConditionInvalid:
        return None


@bp.route("/")
def index() -> str:
    visible = segments.visible_segments(current_user)
    counts = {segment.id: _safe_count(segment) for segment in visible}
    return render_template("customers/segments/index.html", segments=visible, counts=counts,
                           may_create=bool(writable_scopes(current_user)))


def _builder(form: SegmentForm, segment: Segment | None, status: int = 200,
             errors: dict[str, str] | None = None, extra: int = 2) -> tuple[str, int]:
    conditions = conditions_from(request.form) if form.is_submitted() else (
        segments.conditions_of(segment) if segment else [])
    errors = errors if errors is not None else segment_services.check_conditions(
        current_user, conditions)
    count = None
    if conditions and not errors:
        count = segments.count_matching(conditions, form.match.data or "all",
                                        segments.field_refs_for(current_user))
    return render_template("customers/segments/form.html", form=form, segment=segment,
                           rows=condition_rows(conditions, extra),
                           refs=segments.field_refs_for(current_user), count=count,
                           errors=errors), status


def _save(form: SegmentForm, segment: Segment | None) -> str | Response | tuple[str, int]:
    action = request.form.get("action", "save")
    if action == "more":
        return _builder(form, segment, extra=4)
    if not form.validate() or action == "count":
        return _builder(form, segment, 422 if form.errors else 200)
    data = segment_input(form, conditions_from(request.form))
    try:
        if segment is None:
            segment = segment_services.create_segment(signed_in_user(), data)
        else:
            segment_services.update_segment(signed_in_user(), segment, data)
    except segment_services.SegmentInvalid as error:
        for name, message in error.errors.items():
            if name in form:
                form[name].errors = [message]
        return _builder(form, segment, 422, errors=error.errors)
    db.session.commit()
    flash(_("Segment “%(name)s” has been saved.", name=segment.name), "success")
    return redirect(url_for("segments.show", segment_id=segment.id))


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    scopes = sorted(writable_scopes(current_user))
    if not scopes:
        abort(403)
    form = SegmentForm()
    form.offer_scopes(scopes)
    if not form.is_submitted():
        return _builder(form, None)
    return _save(form, None)


@bp.route("/<int:segment_id>/edit", methods=["GET", "POST"])
def edit(segment_id: int) -> str | Response | tuple[str, int]:
    segment = _segment(segment_id, Action.EDIT)
    form = SegmentForm() if request.method == "POST" else SegmentForm(data=form_for(segment))
    form.offer_scopes(sorted(writable_scopes(current_user)))
    if not form.is_submitted():
        return _builder(form, segment)
    return _save(form, segment)


@bp.route("/count", methods=["POST"])
def count() -> Response | tuple[Response, int]:
    """The live count of the builder: the same form, answered as JSON."""
    conditions = conditions_from(request.form)
    errors = segment_services.check_conditions(current_user, conditions)
    if errors:
        return jsonify({"count": None, "errors": errors}), 422
    match = request.form.get("match", "all")
    total = segments.count_matching(conditions, match, segments.field_refs_for(current_user))
    return jsonify({"count": total, "errors": {}})


@bp.route("/<int:segment_id>")
def show(segment_id: int) -> str:
    segment = _segment(segment_id)
    refs = segments.all_field_refs()
    problem = None
    try:
        page: Any = db.paginate(segments.segment_customers(segment),
                                page=request.args.get("page", 1, type=int),
                                per_page=current_app.config["PAGE_SIZE"], error_out=False)
    except ConditionInvalid as error:
        page, problem = None, str(error)
    if page is not None:
        record(signed_in_user(), AuditAction.VIEW, segment, scope=segment.scope,
               details={"customers": [customer.id for customer in page.items]})
    html = render_template("customers/segments/show.html", segment=segment, page=page,
                           problem=problem, refs=refs,
                           missing=segments.missing_fields(segment, refs),
                           conditions=segments.conditions_of(segment),
                           may_edit=can(current_user, Action.EDIT, segment))
    db.session.commit()
    return html


@bp.route("/<int:segment_id>/export.csv")
def export(segment_id: int) -> Response:
    """The segment's customers as CSV, with the columns the user may see; audited first."""
    segment = _segment(segment_id)
    query = segments.segment_customers(segment)
    columns = segment_export.export_columns(current_user)
    try:
        segment_export.record_export(signed_in_user(), query, columns,
                                     {"segment": segment.id, "name": segment.name},
                                     scope=segment.scope)
    except ConditionInvalid as error:
        abort(409, str(error))
    db.session.commit()
    return csv_response(segment_export.csv_lines(query, columns), f"segment-{segment.id}.csv")


def csv_response(lines: Any, filename: str) -> Response:
    response = Response(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<int:segment_id>/delete", methods=["POST"])
def delete(segment_id: int) -> Response:
    segment = _segment(segment_id, Action.EDIT)
    name = segment.name
    segment_services.delete_segment(signed_in_user(), segment)
    db.session.commit()
    flash(_("Segment “%(name)s” has been deleted.", name=name), "success")
    return redirect(url_for("segments.index"))
