"""Print a cover sheet for a customer (choose type and scope) and a separator sheet."""

from __future__ import annotations

import io

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField
from wtforms.validators import InputRequired

from dossier.auth.permissions import Action, can, writable_scopes
from dossier.auth.views import signed_in_user
from dossier.compliance.audit import AuditAction, record
from dossier.customers.models import Customer
from dossier.documents.forms import SCOPE_LABELS, scope_choices, type_choices
from dossier.documents.models import DocumentType
from dossier.documents.queries import creatable_types
from dossier.extensions import db
from dossier.ingest.sheets import CoverSheet, cover_sheet_pdf, separator_sheet_pdf

bp = Blueprint("sheets", __name__, url_prefix="/sheets")


class CoverSheetForm(FlaskForm):
    """Which type and scope the scanned pages get (GET: a PDF changes nothing)."""

    class Meta:
        csrf = False

    type = SelectField(_l("Document type"), validators=[
        InputRequired(_l("Choose a document type."))])
    scope = SelectField(_l("Scope"), validators=[InputRequired()])


@bp.route("/cover/<int:customer_id>")
@login_required
def cover(customer_id: int) -> str | Response | tuple[str, int]:
    """The form; once type and scope are chosen, the cover sheet PDF itself."""
    customer = db.get_or_404(Customer, customer_id)
    types = creatable_types(current_user)
    if not can(current_user, Action.VIEW, customer) or not types:
        abort(403)
    form = _cover_form(types)
    if not request.args:
        return _render_cover_form(form, customer)
    if not form.validate():
        return _render_cover_form(form, customer), 422
    document_type = next(t for t in types if t.code == form.type.data)
    if form.scope.data not in document_type.scopes:
        form.scope.errors = [_("%(type)s is not filed under %(scope)s.",
                               type=document_type.name(_locale()),
                               scope=SCOPE_LABELS[form.scope.data])]
        return _render_cover_form(form, customer), 422
    record(signed_in_user(), AuditAction.EXPORT, customer, customer_id=customer.id,
           scope=form.scope.data, details={"sheet": "cover", "type": document_type.code})
    db.session.commit()
    pdf = cover_sheet_pdf(_cover_sheet(customer, document_type, form.scope.data))
    name = f"cover-sheet-{customer.number}-{document_type.code}-{form.scope.data}.pdf"
    return _pdf_response(pdf, name)


@bp.route("/separator")
@login_required
def separator() -> Response:
    """The separator sheet: the same for everyone, and holding no personal data."""
    return _pdf_response(separator_sheet_pdf(), "separator-sheet.pdf")


def _cover_form(types: list[DocumentType]) -> CoverSheetForm:
    form = CoverSheetForm(request.args)
    form.type.choices = [("", "—"), *type_choices(types, _locale())]  # no type by default
    scopes = sorted(writable_scopes(current_user))
    form.scope.choices = scope_choices(scopes)
    if not request.args and len(scopes) == 1:
        form.scope.data = scopes[0]
    return form


def _render_cover_form(form: CoverSheetForm, customer: Customer) -> str:
    return render_template("ingest/cover_sheet.html", form=form, customer=customer)


def _cover_sheet(customer: Customer, document_type: DocumentType, scope: str) -> CoverSheet:
    return CoverSheet(
        customer_id=customer.id, customer_number=customer.number,
        customer_name=customer.display_name or customer.number,
        type_code=document_type.code, type_name=document_type.name(_locale()),
        scope=scope, scope_label=str(SCOPE_LABELS[scope]),
    )


def _pdf_response(pdf: bytes, name: str) -> Response:
    # Inline, so the browser shows the sheet ready to print; the name is kept for saving.
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                         download_name=name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _locale() -> str:
    return str(get_locale() or "nl")
