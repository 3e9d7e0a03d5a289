"""Documents: create, edit, show, download; the scope policy as users see it."""

from __future__ import annotations

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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier.auth.permissions import Action, Feature, can, writable_scopes
from dossier.auth.views import signed_in_user
from dossier.customers.models import Customer
from dossier.documents import services
from dossier.documents.file_store import current_store
from dossier.documents.forms import (
    KEY_POINT_FIELD_PREFIX,
    DocumentForm,
    TypeChoiceForm,
    document_form_class,
    scope_choices,
    type_choices,
)
from dossier.documents.key_points import as_form_value, display_rows
from dossier.documents.models import DigitalFile, Document, DocumentType
from dossier.documents.policy import CONDITIONS, PolicyBook
from dossier.documents.queries import creatable_types, policy_by_scope, type_by_code
from dossier.documents.retention import retention_start
from dossier.extensions import db

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response | tuple[str, int]:
    if not can(current_user, Action.CREATE, Feature.DOCUMENTS) or not writable_scopes(
            current_user):
        abort(403)
    customer = _customer_arg()
    document_type = _chosen_type(None)
    if document_type is None:
        return _choose_type(creatable_types(current_user), customer)
    form = document_form_class(document_type)(
        customers=customer.number if customer else None,
        scopes=_default_scopes(document_type))
    _offer_scopes(form, document_type)
    if not form.validate_on_submit():
        return _render_form(form, document_type, None, form.is_submitted())
    try:
        document = services.create_document(signed_in_user(), _input(form, document_type))
    except services.DocumentInvalid as error:
        _show_errors(form, error)
        return _render_form(form, document_type, None, True)
    db.session.commit()
    flash(_("Document %(title)s has been saved.", title=document.title), "success")
    return redirect(url_for("documents.show", document_id=document.id))


@bp.route("/<int:document_id>")
@login_required
def show(document_id: int) -> str:
    document = db.get_or_404(Document, document_id)
    if not can(current_user, Action.VIEW, document):
        abort(403)
    services.record_document_view(signed_in_user(), document)
    db.session.commit()
    book = PolicyBook.load()
    seen = [s for s in document.scopes if s in current_user.scopes]
    return render_template(
        "documents/show.html", document=document, document_type=document.document_type,
        key_points=display_rows(document.document_type, document.key_points),
        classes=[book.classify(document, scope) for scope in seen],
        handled_as_dynamic=book.handled_as_dynamic(document),
        retention_from=retention_start(document.document_date, document.key_points),
        customers=[c for c in document.customers if can(current_user, Action.VIEW, c)],
    )


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit(document_id: int) -> str | Response | tuple[str, int]:
    document = db.get_or_404(Document, document_id)
    if not can(current_user, Action.EDIT, document):
        abort(403)
    document_type = _chosen_type(document) or document.document_type
    form = document_form_class(document_type)(data=_form_data(document, document_type))
    _offer_scopes(form, document_type)
    if not form.validate_on_submit():
        return _render_form(form, document_type, document, form.is_submitted())
    try:
        services.update_document(signed_in_user(), document, _input(form, document_type))
    except services.DocumentInvalid as error:
        _show_errors(form, error)
        return _render_form(form, document_type, document, True)
    db.session.commit()
    flash(_("Document %(title)s has been saved.", title=document.title), "success")
    return redirect(url_for("documents.show", document_id=document.id))


@bp.route("/<int:document_id>/files/<int:file_id>")
@login_required
def download(document_id: int, file_id: int) -> Response:
    document = db.get_or_404(Document, document_id)
    digital = db.get_or_404(DigitalFile, file_id)
    if digital.document_id != document.id:
        abort(404)
    if not can(current_user, Action.VIEW, document):
        abort(403)
    path = current_store().path_for(digital.sha256)
    if not path.is_file():
        current_app.logger.error("file %s of document %s missing from the store",
                                 digital.sha256, document.id)
        abort(404, _("The file is missing from the file store. Please tell an administrator."))
    services.record_download(signed_in_user(), digital)
    db.session.commit()
    response = send_file(path, mimetype=digital.mime_type, as_attachment=True,
                         download_name=digital.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/policy")
@login_required
def policy() -> str:
    if not can(current_user, Action.VIEW, Feature.VIEW_POLICY):
        abort(403)
    return render_template("documents/policy.html", rules=policy_by_scope(),
                           condition_labels={k: text for k, (text, _f) in CONDITIONS.items()},
                           may_manage=can(current_user, Action.VIEW, Feature.MANAGE_POLICY))


def _chosen_type(document: Document | None) -> DocumentType | None:
    """The type named by ?type=: 404 when unknown, 403 when the user cannot file under it."""
    code = request.args.get("type")
    if not code:
        return None
    document_type = type_by_code(code)
    if document_type is None:
        abort(404)
    current = document is not None and document.document_type_id == document_type.id
    if not current and document_type not in creatable_types(current_user):
        abort(403)
    return document_type


def _customer_arg() -> Customer | None:
    customer_id = request.args.get("customer", type=int)
    return db.session.get(Customer, customer_id) if customer_id else None


def _default_scopes(document_type: DocumentType) -> list[str]:
    offered = [s for s in document_type.scopes if s in writable_scopes(current_user)]
    return offered if len(offered) == 1 else []


def _offer_scopes(form: DocumentForm, document_type: DocumentType) -> None:
    form.scopes.choices = scope_choices(
        [s for s in document_type.scopes if s in writable_scopes(current_user)])


def _form_data(document: Document, document_type: DocumentType) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": document.title, "document_date": document.document_date,
        "customers": ", ".join(c.number for c in document.customers),
        "scopes": [s for s in document.scopes if s in writable_scopes(current_user)],
        "notes": document.notes, "paper_original": document.paper_original,
        "legal_hold": document.legal_hold, "legal_hold_reason": document.legal_hold_reason,
    }
    for spec in document_type.key_point_schema or []:
        value = as_form_value(spec, (document.key_points or {}).get(spec["key"]))
        data[KEY_POINT_FIELD_PREFIX + spec["key"]] = value or None
    return data


def _input(form: DocumentForm, document_type: DocumentType) -> services.DocumentInput:
    upload = form.file.data
    return services.DocumentInput(
        title=form.title.data or "", document_type=document_type,
        document_date=form.document_date.data, customer_numbers=form.customers.data or "",
        scopes=list(form.scopes.data or []), key_points=form.key_point_data(),
        notes=form.notes.data or "", paper_original=bool(form.paper_original.data),
        legal_hold=bool(form.legal_hold.data),
        legal_hold_reason=form.legal_hold_reason.data or "",
        upload=services.Upload(upload.stream, upload.filename or "") if upload else None,
    )


def _show_errors(form: DocumentForm, error: services.DocumentInvalid) -> None:
    for name, message in error.errors.items():
        field_name = name.replace(services.KEY_POINT_PREFIX, KEY_POINT_FIELD_PREFIX, 1)
        if field_name in form:
            form[field_name].errors = [*form[field_name].errors, message]
        else:
            flash(message, "error")


def _render_form(form: DocumentForm, document_type: DocumentType, document: Document | None,
                 submitted: bool) -> tuple[str, int]:
    kept = [s for s in (document.scopes if document else [])
            if s not in writable_scopes(current_user)]
    choices = [(t.code, t.name(_locale())) for t in creatable_types(current_user)]
    if document and all(code != document.document_type.code for code, _name in choices):
        choices.append((document.document_type.code, document.document_type.name(_locale())))
    html = render_template("documents/form.html", form=form, document_type=document_type,
                           document=document, kept_scopes=kept, type_choices=choices,
                           locale=_locale())
    return html, 422 if submitted else 200


def _choose_type(choices: list[DocumentType], customer: Customer | None) -> str:
    form = TypeChoiceForm(request.args, customer=customer.id if customer else "")
    form.type.choices = type_choices(choices, _locale())
    return render_template("documents/choose_type.html", form=form, customer=customer)


def _locale() -> str:
    return str(get_locale() or "nl")
