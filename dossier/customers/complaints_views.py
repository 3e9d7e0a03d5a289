"""Pages to open a complaint (from a contact or directly), read it and move it on."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from dossier.auth.permissions import Action, Feature, can, writable_scopes
from dossier.compliance.audit import AuditAction, record
from dossier.customers import complaints
from dossier.customers.contact_pages import (
    contact_history_blueprint,
    current_actor,
    viewable_customer,
)
from dossier.customers.forms import show_errors
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.interactions_errors import ComplaintInvalid, ContactRefused
from dossier.customers.interactions_forms import (
    COMPLAINT_STATUS_LABELS,
    ComplaintForm,
    ComplaintStatusForm,
    handler_options,
    scope_options,
)
from dossier.customers.interactions_queries import interaction_of, possible_handlers
from dossier.customers.models import Customer
from dossier.extensions import db

bp = contact_history_blueprint("complaints", __name__)


def _complaint(customer: Customer, complaint_id: int, action: Action) -> Complaint:
    complaint = complaints.complaint_of(customer.id, complaint_id)
    if complaint is None:
        abort(404)
    if not can(current_user, action, complaint):
        abort(403)
    return complaint


def _source_interaction(customer: Customer) -> Interaction | None:
    """The contact named by ?interaction=, which the complaint is raised in."""
    raw = request.args.get("interaction", "").strip()
    if not raw:
        return None
    interaction = interaction_of(customer.id, int(raw)) if raw.isdigit() else None
    if interaction is None:
        abort(404)
    if not can(current_user, Action.EDIT, interaction):
        abort(403)
    return interaction


@bp.route("/<int:customer_id>/complaints/new", methods=["GET", "POST"])
def new(customer_id: int) -> str | Response | tuple[str, int]:
    customer = viewable_customer(customer_id)
    if not can(current_user, Action.CREATE, Feature.INTERACTIONS):
        abort(403)
    interaction = _source_interaction(customer)
    form = ComplaintForm()
    form.scope.choices = scope_options(writable_scopes(current_user))
    form.handler_id.choices = handler_options(possible_handlers())
    if not form.is_submitted():
        form.handler_id.data = str(current_user.id)
        form.subject.data = interaction.subject if interaction else ""
    if not form.validate_on_submit():
        return _render_new(form, customer, interaction, 422 if form.is_submitted() else 200)
    data = {"subject": form.subject.data, "scope": form.scope.data,
            "handler_id": form.handler_id.data}
    try:
        complaint = complaints.open_complaint(current_actor(), customer, data, interaction)
    except ComplaintInvalid as error:
        show_errors(form, error.errors)
        return _render_new(form, customer, interaction, 422)
    db.session.commit()
    flash(_("The complaint has been opened."), "success")
    return redirect(url_for("complaints.show", customer_id=customer.id,
                            complaint_id=complaint.id))


def _render_new(form: ComplaintForm, customer: Customer, interaction: Interaction | None,
                status: int) -> tuple[str, int]:
    return render_template("customers/interactions/complaint_form.html", form=form,
                           customer=customer, interaction=interaction), status


@bp.route("/<int:customer_id>/complaints/<int:complaint_id>")
def show(customer_id: int, complaint_id: int) -> str:
    customer = viewable_customer(customer_id)
    complaint = _complaint(customer, complaint_id, Action.VIEW)
    record(current_actor(), AuditAction.VIEW, complaint, customer_id=customer.id,
           scope=complaint.scope)
    html = _render_show(customer, complaint, ComplaintStatusForm(status=_next(complaint)))
    db.session.commit()
    return html


def _next(complaint: Complaint) -> str:
    """The status the form offers first: the usual next step."""
    return "open" if not complaint.is_open else (
        "in_progress" if complaint.status == "open" else "resolved")


def _render_show(customer: Customer, complaint: Complaint, form: ComplaintStatusForm) -> str:
    form.status.choices = [(status, COMPLAINT_STATUS_LABELS[status])
                           for status in sorted(complaints.TRANSITIONS[complaint.status],
                                                key=complaints.STATUSES.index)]
    source = complaint.interaction
    return render_template(
        "customers/interactions/complaint_show.html", customer=customer, complaint=complaint,
        form=form, may_edit=can(current_user, Action.EDIT, complaint),
        interaction=source if source and can(current_user, Action.VIEW, source) else None)


@bp.route("/<int:customer_id>/complaints/<int:complaint_id>/status", methods=["POST"])
def change_status(customer_id: int, complaint_id: int) -> Response | tuple[str, int]:
    customer = viewable_customer(customer_id)
    complaint = _complaint(customer, complaint_id, Action.EDIT)
    form = ComplaintStatusForm()
    if not form.validate_on_submit():
        return _render_show(customer, complaint, form), 422
    try:
        changed = complaints.change_complaint_status(
            current_actor(), complaint, form.status.data or "", form.resolution.data or "")
    except ComplaintInvalid as error:
        show_errors(form, error.errors)
        return _render_show(customer, complaint, form), 422
    except ContactRefused:
        abort(403)
    db.session.commit()
    if changed:
        flash(_("The complaint is now: %(status)s.",
                status=COMPLAINT_STATUS_LABELS[complaint.status]), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("complaints.show", customer_id=customer.id,
                            complaint_id=complaint.id))
