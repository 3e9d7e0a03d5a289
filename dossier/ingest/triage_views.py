"""The triage queue: parts of scans no barcode routed, read by a person and filed.

Every look at a part's text, page image or file is audited (triage.record_reading):
the part belongs to no scope yet, so the audit log is what guards it.
"""

from __future__ import annotations

from flask import (
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
from flask_login import current_user
from werkzeug.wrappers import Response

from dossier.auth.permissions import Action, Feature, can, writable_scopes
from dossier.auth.views import signed_in_user
from dossier.customers.models import Customer
from dossier.documents.models import Document, DocumentType
from dossier.documents.policy import PolicyBook
from dossier.documents.queries import creatable_types
from dossier.documents.services import DocumentInvalid
from dossier.extensions import db
from dossier.ingest import preview, triage
from dossier.ingest.errors import IngestError
from dossier.ingest.forms import AssignForm, BulkAssignForm
from dossier.ingest.models import TriageItem
from dossier.ingest.services import IngestRefused, assign, part_file_name
from dossier.ingest.suggestions import suggest_customers
from dossier.ingest.views import bp


@bp.route("/triage")
def triage_list() -> str:
    return _render_list(_bulk_form())


@bp.route("/triage/assign", methods=["POST"])
def bulk_assign() -> str | Response | tuple[str, int]:
    """File the selected parts for one customer, type and scopes (all of them, or none)."""
    _may_file()
    form = _bulk_form()
    chosen = _chosen(form)
    if chosen is None:
        return _render_list(form), 422
    customer, document_type = chosen
    items = triage.items_by_id(form.items.data or [])
    if len(items) != len(set(form.items.data or [])):
        form.items.errors = [_("Some of the selected parts no longer exist.")]
        return _render_list(form), 422
    try:
        documents = triage.assign_many(items, customer, document_type, form.scopes.data or [],
                                       signed_in_user())
    except triage.AssignRefused as error:
        flash(triage.refusal_message(error), "error")
        return _render_list(form), 422
    db.session.commit()
    flash(_("%(count)s parts filed for %(number)s %(name)s: documents %(numbers)s.",
            count=len(documents), number=customer.number, name=customer.display_name,
            numbers=", ".join(str(document.id) for document in documents)), "success")
    return redirect(url_for("ingest.triage_list"))


@bp.route("/triage/<int:item_id>")
def triage_item(item_id: int) -> str | Response:
    item = db.get_or_404(TriageItem, item_id)
    if item.document_id is not None:
        return _already_filed(item)
    form = _assign_form()
    number = request.args.get("customer", "").strip()[:20]
    if number and not form.customer.data:
        form.customer.data = number  # "use this customer" from a suggestion, without script
    return _render_item(item, form)


@bp.route("/triage/<int:item_id>/assign", methods=["POST"])
def assign_item(item_id: int) -> str | Response | tuple[str, int]:
    _may_file()
    item = db.get_or_404(TriageItem, item_id)
    if item.document_id is not None:
        return _already_filed(item)
    form = _assign_form()
    chosen = _chosen(form)
    if chosen is None:
        return _render_item(item, form), 422
    customer, document_type = chosen
    try:
        document = assign(item, customer, document_type, form.scopes.data or [],
                          signed_in_user())
    except (IngestRefused, DocumentInvalid) as error:  # assign() left the part as it was
        _show_refusal(form, error)
        return _render_item(item, form), 422
    db.session.commit()
    flash(_filed_message(document, customer), "success")
    following = triage.next_pending(item)
    if following is None:
        return redirect(url_for("ingest.triage_list"))
    return redirect(url_for("ingest.triage_item", item_id=following.id))


@bp.route("/triage/<int:item_id>/pages/<int:page>.png")
def triage_page(item_id: int, page: int) -> Response:
    item = _pending_item(item_id)
    if not 1 <= page <= preview.page_total(item):
        abort(404)
    try:
        png = preview.page_png(item, page)
    except preview.PreviewMissing:
        current_app.logger.error("triage item %s: file %s missing from the store", item.id,
                                 item.file_sha256)
        abort(404)
    except IngestError as error:
        abort(404, error.message)
    triage.record_reading(signed_in_user(), item, "page", page)
    db.session.commit()
    return _private(Response(png, mimetype="image/png"))


@bp.route("/triage/<int:item_id>/file")
def triage_file(item_id: int) -> Response:
    """The part's file itself (PDF or image), to read it in full or print it."""
    item = _pending_item(item_id)
    try:
        path = preview.stored_path(item)
    except preview.PreviewMissing:
        abort(404)
    triage.record_reading(signed_in_user(), item, "file")
    db.session.commit()
    return _private(send_file(path, mimetype=item.mime_type, as_attachment=True,
                              download_name=part_file_name(item.job.original_name,
                                                           item.mime_type), max_age=0))


def _may_file() -> None:
    if not can(current_user, Action.CREATE, Feature.INGEST):
        abort(403)


def _pending_item(item_id: int) -> TriageItem:
    """A part still in triage; a filed one is read through its document (and its scopes)."""
    item = db.get_or_404(TriageItem, item_id)
    if item.document_id is not None:
        abort(404, _("This part has been filed; open its document instead."))
    return item


def _private(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _already_filed(item: TriageItem) -> Response:
    document = db.session.get(Document, item.document_id)
    flash(_("This part has already been filed as document %(id)s.", id=item.document_id),
          "info")
    if document is not None and can(current_user, Action.VIEW, document):
        return redirect(url_for("documents.show", document_id=document.id))
    return redirect(url_for("ingest.triage_list"))


def _types() -> list[DocumentType]:
    return creatable_types(current_user)


def _locale() -> str:
    return str(get_locale() or "nl")


def _assign_form() -> AssignForm:
    form = AssignForm()
    form.offer(_types(), sorted(writable_scopes(current_user)), _locale())
    return form


def _bulk_form() -> BulkAssignForm:
    form = BulkAssignForm()
    form.offer(_types(), sorted(writable_scopes(current_user)), _locale())
    return form


def _chosen(form: AssignForm) -> tuple[Customer, DocumentType] | None:
    """The customer and type the valid form names; None with the errors set on the form."""
    if not form.validate_on_submit():
        return None
    customer = triage.customer_by_number(form.customer.data or "")
    if customer is None or not can(current_user, Action.VIEW, customer):
        form.customer.errors = [_("There is no customer with this number.")]
        return None
    document_type = next(t for t in _types() if t.code == form.document_type.data)
    return customer, document_type


def _show_refusal(form: AssignForm, error: IngestRefused | DocumentInvalid) -> None:
    if isinstance(error, IngestRefused):
        flash(str(error), "error")
        return
    for name, message in error.errors.items():
        field = form.scopes if name == "scopes" else form.customer if name == "customers" else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


def _filed_message(document: Document, customer: Customer) -> str:
    """Which document it became, and the class the scope policy gave it per scope."""
    book = PolicyBook.load()
    classes = "; ".join(book.classify(document, scope).explanation for scope in document.scopes)
    classes = classes[:1].upper() + classes[1:]  # it starts a sentence here
    return _("Filed as document %(id)s for %(number)s %(name)s. %(classes)s.",
             id=document.id, number=customer.number, name=customer.display_name,
             classes=classes)


def _render_item(item: TriageItem, form: AssignForm) -> str:
    """The part with its text and suggestions: a reading of personal data, so audited."""
    total = preview.page_total(item)
    shown_page = min(max(request.args.get("page", 1, type=int) or 1, 1), total)
    suggestions = [s for s in suggest_customers(item.text)
                   if can(current_user, Action.VIEW, s.customer)]
    triage.record_reading(signed_in_user(), item, "text")
    html = render_template("ingest/triage_item.html", item=item, form=form,
                           suggestions=suggestions, page_total=total, shown_page=shown_page,
                           pending=triage.pending_count())
    db.session.commit()
    return html


def _render_list(form: BulkAssignForm) -> str:
    sort = triage.normalise_sort(request.args.get("sort"))
    job_id = request.args.get("job", type=int)
    page = db.paginate(triage.pending_items(sort, job_id),
                       page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("ingest/triage.html", page=page, sort=sort, job_id=job_id,
                           form=form, selected=set(form.items.data or []))
