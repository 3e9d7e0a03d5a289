"""Pages to record, read, change and delete a customer's interactions (contacts)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, Feature, can, writable_scopes
from dossier.compliance.audit import AuditAction, record
from dossier.customers import complaints, interactions
from dossier.customers.contact_pages import (
    contact_history_blueprint,
    current_actor,
    viewable_customer,
)
from dossier.customers.forms import show_errors
from dossier.customers.interaction_models import Interaction
from dossier.customers.interactions_errors import ContactRefused, InteractionInvalid
from dossier.customers.interactions_forms import (
    ConfirmForm,
    InteractionForm,
    document_options,
    handler_options,
    scope_options,
    utc_to_local,
)
from dossier.customers.interactions_queries import (
    interaction_of,
    linkable_documents,
    possible_handlers,
    visible_linked_documents,
)
from dossier.customers.models import Customer
from dossier.extensions import db

bp = contact_history_blueprint("interactions", __name__)


def _interaction(customer: Customer, interaction_id: int, action: Action) -> Interaction:
    interaction = interaction_of(customer.id, interaction_id)
    if interaction is None:
        abort(404)
    if not can(current_user, action, interaction):
        abort(403)
    return interaction


def _fill_choices(form: InteractionForm, customer: Customer,
                  interaction: Interaction | None = None) -> None:
    """The options for this user; an edit keeps the stored scope and handler selectable."""
    scopes = set(writable_scopes(current_user)) | ({interaction.scope} if interaction else set())
    form.scope.choices = scope_options(scopes)
    handlers = possible_handlers()
    if interaction and interaction.handler and interaction.handler not in handlers:
        handlers.append(interaction.handler)
    form.handler_id.choices = handler_options(handlers)
    form.document_ids.choices = document_options(linkable_documents(current_user, customer))


@bp.route("/<int:customer_id>/interactions/new", methods=["GET", "POST"])
def new(customer_id: int) -> str | Response | tuple[str, int]:
    customer = viewable_customer(customer_id)
    if not can(current_user, Action.CREATE, Feature.INTERACTIONS):
        abort(403)
    form = InteractionForm()
    _fill_choices(form, customer)
    if not form.is_submitted():
        form.handler_id.data = str(current_user.id)
        form.direction.data = "inbound"
        form.occurred_at.data = utc_to_local(utcnow())
    if not form.validate_on_submit():
        return _render_form(form, customer, None, 422 if form.is_submitted() else 200)
    try:
        interaction = interactions.record_interaction(current_actor(), customer,
                                                      form.service_data())
    except InteractionInvalid as error:
        show_errors(form, error.errors)
        return _render_form(form, customer, None, 422)
    db.session.commit()
    flash(_("The contact has been recorded."), "success")
    return redirect(url_for("interactions.show", customer_id=customer.id,
                            interaction_id=interaction.id))


@bp.route("/<int:customer_id>/interactions/<int:interaction_id>")
def show(customer_id: int, interaction_id: int) -> str:
    customer = viewable_customer(customer_id)
    interaction = _interaction(customer, interaction_id, Action.VIEW)
    record(current_actor(), AuditAction.VIEW, interaction, customer_id=customer.id,
           scope=interaction.scope)
    html = render_template(
        "customers/interactions/show.html", customer=customer, interaction=interaction,
        documents=visible_linked_documents(current_user, interaction),
        complaints=complaints.visible_complaints(current_user, customer,
                                                 interaction=interaction),
        may_edit=can(current_user, Action.EDIT, interaction),
        may_delete=can(current_user, Action.DELETE, interaction))
    db.session.commit()
    return html


@bp.route("/<int:customer_id>/interactions/<int:interaction_id>/edit",
          methods=["GET", "POST"])
def edit(customer_id: int, interaction_id: int) -> str | Response | tuple[str, int]:
    customer = viewable_customer(customer_id)
    interaction = _interaction(customer, interaction_id, Action.EDIT)
    visible = visible_linked_documents(current_user, interaction)
    form = InteractionForm(data={
        "occurred_at": utc_to_local(interaction.occurred_at), "channel": interaction.channel,
        "direction": interaction.direction, "scope": interaction.scope,
        "subject": interaction.subject, "summary": interaction.summary,
        "handler_id": str(interaction.handler_id or ""),
        "document_ids": [str(document.id) for document in visible]})
    _fill_choices(form, customer, interaction)
    if not form.validate_on_submit():
        if not form.is_submitted():
            record(current_actor(), AuditAction.VIEW, interaction, customer_id=customer.id,
                   scope=interaction.scope, details={"page": "edit"})
        return _render_form(form, customer, interaction, 422 if form.is_submitted() else 200)
    try:
        changed = interactions.update_interaction(current_actor(), interaction, form.service_data())
    except InteractionInvalid as error:
        show_errors(form, error.errors)
        return _render_form(form, customer, interaction, 422)
    except ContactRefused:
        abort(403)
    db.session.commit()
    flash(_("The contact has been saved.") if changed else _("Nothing was changed."),
          "success" if changed else "info")
    return redirect(url_for("interactions.show", customer_id=customer.id,
                            interaction_id=interaction.id))


def _render_form(form: InteractionForm, customer: Customer, interaction: Interaction | None,
                 status: int) -> tuple[str, int]:
    html = render_template("customers/interactions/form.html", form=form, customer=customer,
                           interaction=interaction)
    if status == 200:
        db.session.commit()  # the view audit of a GET; a refused POST changes nothing
    return html, status


@bp.route("/<int:customer_id>/interactions/<int:interaction_id>/delete",
          methods=["GET", "POST"])
def delete(customer_id: int, interaction_id: int) -> str | Response | tuple[str, int]:
    """Asks first (GET), deletes on the confirmation's POST; admins only."""
    customer = viewable_customer(customer_id)
    interaction = _interaction(customer, interaction_id, Action.DELETE)
    form = ConfirmForm()
    if not form.validate_on_submit():
        html = render_template("customers/interactions/delete.html", form=form,
                               customer=customer, interaction=interaction)
        return html, 422 if form.is_submitted() else 200
    interactions.delete_interaction(current_actor(), interaction)
    db.session.commit()
    flash(_("The contact has been deleted."), "success")
    return redirect(url_for("customers.show", customer_id=customer.id, _anchor="timeline"))
