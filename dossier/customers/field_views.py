"""Admin pages to define custom fields."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier.auth.models import User
from dossier.auth.permissions import Action, Feature, can
from dossier.customers import field_services, queries
from dossier.customers.forms import (
    SCOPE_LABELS,
    TYPE_LABELS,
    FieldDefinitionForm,
    NewFieldForm,
    show_errors,
)
from dossier.customers.models import CustomField
from dossier.extensions import db

bp = Blueprint("fields", __name__, url_prefix="/admin/fields")


@bp.before_request
@login_required
def _admins_only() -> None:
    if not can(current_user, Action.VIEW, Feature.MANAGE_FIELDS):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"type_labels": TYPE_LABELS, "scope_labels": SCOPE_LABELS}


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.route("/")
def index() -> str:
    return render_template("customers/fields/index.html", fields=queries.field_list())


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    form = NewFieldForm()
    if not form.validate_on_submit():
        return _render_form(form, None, 422 if form.is_submitted() else 200)
    try:
        field = field_services.create_field(_actor(), form.data)
    except field_services.FieldInvalid as error:
        show_errors(form, error.errors)
        return _render_form(form, None, 422)
    db.session.commit()
    flash(_("Field %(label)s has been created.", label=field.label), "success")
    return redirect(url_for("fields.index"))


@bp.route("/<int:field_id>/edit", methods=["GET", "POST"])
def edit(field_id: int) -> str | Response | tuple[str, int]:
    field = db.get_or_404(CustomField, field_id)
    form = FieldDefinitionForm(data={
        name: getattr(field, name) for name in field_services.EDITABLE
    } | {"choices": "\n".join(field.choices)})
    if not form.validate_on_submit():
        return _render_form(form, field, 422 if form.is_submitted() else 200)
    try:
        field_services.update_field(_actor(), field, form.data)
    except field_services.FieldInvalid as error:
        show_errors(form, error.errors)
        return _render_form(form, field, 422)
    db.session.commit()
    flash(_("Field %(label)s has been saved.", label=field.label), "success")
    return redirect(url_for("fields.index"))


@bp.route("/<int:field_id>/toggle", methods=["POST"])
def toggle(field_id: int) -> Response:
    field = db.get_or_404(CustomField, field_id)
    field_services.set_field_active(_actor(), field, not field.active)
    db.session.commit()
    if field.active:
        flash(_("Field %(label)s is shown again.", label=field.label), "success")
    else:
        flash(_("Field %(label)s has been deactivated; its values are kept.",
                label=field.label), "success")
    return redirect(url_for("fields.index"))


def _render_form(form: FieldDefinitionForm, field: CustomField | None,
                 status: int) -> tuple[str, int]:
    return render_template("customers/fields/form.html", form=form, field=field), status
