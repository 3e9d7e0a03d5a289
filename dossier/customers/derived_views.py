"""Admin pages to define derived fields without code, with a preview for one customer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.customers import derived_queries, derived_services
from dossier.customers.derived_forms import (
    FUNCTION_LABELS,
    PERIOD_LABELS,
    SOURCE_LABELS,
    VALUE_TYPE_LABELS,
    DerivedFieldForm,
    NewDerivedFieldForm,
)
from dossier.customers.derived_models import DerivedField
from dossier.customers.forms import SCOPE_LABELS, show_errors
from dossier.customers.models import Customer
from dossier.documents.models import DocumentType
from dossier.extensions import db

bp = Blueprint("derived", __name__, url_prefix="/admin/derived-fields")


@bp.before_request
@login_required
def _admins_only() -> None:
    if not can(current_user, Action.VIEW, Feature.MANAGE_FIELDS):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"function_labels": FUNCTION_LABELS, "source_labels": SOURCE_LABELS,
            "period_labels": PERIOD_LABELS, "value_type_labels": VALUE_TYPE_LABELS,
            "scope_labels": SCOPE_LABELS}


def _form(form_class: type[DerivedFieldForm], **data: Any) -> DerivedFieldForm:
    form = form_class(data=data) if data else form_class()
    types = list(db.session.scalars(select(DocumentType).order_by(DocumentType.code)))
    form.offer_types(types, str(get_locale() or "nl"))
    return form


@bp.route("/")
def index() -> str:
    return render_template("customers/derived/index.html",
                           fields=derived_queries.derived_field_list(),
                           counts=derived_queries.value_counts())


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    form = _form(NewDerivedFieldForm)
    if not form.is_submitted():
        return _render(form, None)
    valid = form.validate()
    if request.form.get("action") == "preview" and "csrf_token" not in form.errors:
        return _preview(form, None)
    if not valid:
        _show_definition_errors(form)
        return _render(form, None, status=422)
    try:
        field = derived_services.create_derived_field(signed_in_user(), form.data)
    except derived_services.DerivedFieldInvalid as error:
        show_errors(form, error.errors)
        return _render(form, None, status=422)
    db.session.commit()
    flash(_("Derived field %(label)s has been created and computed.", label=field.label),
          "success")
    return redirect(url_for("derived.index"))


@bp.route("/<int:field_id>/edit", methods=["GET", "POST"])
def edit(field_id: int) -> str | Response | tuple[str, int]:
    field = db.get_or_404(DerivedField, field_id)
    data = {name: getattr(field, name) for name in derived_services.EDITABLE}
    data |= {"conditions": derived_services.conditions_text(field.conditions or {}),
             "document_type_id": str(field.document_type_id or "")}
    form = _form(DerivedFieldForm) if request.method == "POST" else _form(
        DerivedFieldForm, **data)
    if not form.is_submitted():
        return _render(form, field)
    valid = form.validate()
    if request.form.get("action") == "preview" and "csrf_token" not in form.errors:
        return _preview(form, field)
    if not valid:
        _show_definition_errors(form)
        return _render(form, field, status=422)
    try:
        derived_services.update_derived_field(signed_in_user(), field, form.data)
    except derived_services.DerivedFieldInvalid as error:
        show_errors(form, error.errors)
        return _render(form, field, status=422)
    db.session.commit()
    flash(_("Derived field %(label)s has been saved and computed.", label=field.label),
          "success")
    return redirect(url_for("derived.index"))


@bp.route("/<int:field_id>/toggle", methods=["POST"])
def toggle(field_id: int) -> Response:
    field = db.get_or_404(DerivedField, field_id)
    derived_services.set_derived_active(signed_in_user(), field, not field.active)
    db.session.commit()
    if field.active:
        flash(_("Derived field %(label)s is shown and computed again.", label=field.label),
              "success")
    else:
        flash(_("Derived field %(label)s has been deactivated.", label=field.label), "success")
    return redirect(url_for("derived.index"))


def _show_definition_errors(form: DerivedFieldForm) -> None:
    """Beside the form's own messages, what the service would say: all at once."""
    _clean, errors = derived_services.clean_definition(form.data)
    show_errors(form, {name: message for name, message in errors.items()
                       if name not in form or not form[name].errors})


def _preview(form: DerivedFieldForm, field: DerivedField | None) -> tuple[str, int]:
    for input_field in form:  # a preview checks the definition itself, not the form
        input_field.errors = []
    form._errors = None
    number = (form.sample.data or "").strip()
    customer = db.session.scalar(select(Customer).where(Customer.number == number)) \
        if number else None
    if customer is None:
        form.sample.errors = [_("Enter the number of an existing customer.")]
        return _render(form, field, status=422)
    try:
        preview = derived_services.preview_value(signed_in_user(), form.data, customer)
    except derived_services.DerivedFieldInvalid as error:
        show_errors(form, error.errors)
        return _render(form, field, status=422)
    html = render_template("customers/derived/form.html", form=form, field=field,
                           preview=preview)
    db.session.commit()  # the audit of reading the customer's value
    return html, 200


def _render(form: DerivedFieldForm, field: DerivedField | None,
            status: int = 200) -> tuple[str, int]:
    return render_template("customers/derived/form.html", form=form, field=field,
                           preview=None), status
