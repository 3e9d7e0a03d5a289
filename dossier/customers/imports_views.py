"""Admin pages of the customer import: upload, column mapping, dry run, apply, discard."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from dossier.auth.models import User
from dossier.auth.permissions import Action, Feature, can
from dossier.customers import imports, queries
from dossier.customers.imports_forms import (
    ACTION_LABELS,
    COLUMN_PREFIX,
    ApplyForm,
    UploadForm,
    mapping_form_class,
    mapping_of,
)
from dossier.customers.imports_plan import ImportPlan, RowAction
from dossier.customers.imports_reading import ImportFileInvalid
from dossier.customers.merge_models import CustomerImport
from dossier.extensions import db

bp = Blueprint("customer_import", __name__, url_prefix="/admin/import")
ROWS_PER_PAGE = 50
SAMPLE_ROWS = 3


@bp.before_request
@login_required
def _admins_only() -> None:
    if not can(current_user, Action.VIEW, Feature.IMPORT_CUSTOMERS):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"action_labels": ACTION_LABELS}


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    return _upload_page(UploadForm(formdata=None), _l(
        "The file is too large for one upload; split it into smaller files.")), 413


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


def _upload_page(form: UploadForm, problem: object = None) -> str:
    return render_template("customers/import/upload.html", form=form, problem=problem,
                           open_imports=imports.open_imports(),
                           max_mb=imports.max_bytes() // (1024 * 1024))


@bp.route("/", methods=["GET", "POST"])
def upload() -> str | Response | tuple[str, int]:
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form), 422 if form.is_submitted() else 200
    data = form.file.data.read(imports.max_bytes() + 1)
    try:
        upload_row = imports.upload(_actor(), form.file.data.filename or "", data)
    except (ImportFileInvalid, imports.ImportRefused) as error:
        db.session.rollback()
        return _upload_page(form, error.message), 422
    db.session.commit()
    return redirect(url_for("customer_import.mapping", import_id=upload_row.id))


def _open_import(import_id: int) -> CustomerImport:
    upload_row = db.get_or_404(CustomerImport, import_id)
    if not upload_row.is_open:
        flash(_("This import is finished; upload the file again to import it once more."),
              "info")
        abort(Response(status=303, headers={"Location": url_for("customer_import.upload")}))
    return upload_row


@bp.route("/<int:import_id>/mapping", methods=["GET", "POST"])
def mapping(import_id: int) -> str | Response | tuple[str, int]:
    upload_row = _open_import(import_id)
    sheet = imports.sheet_of(upload_row)
    fields = queries.active_fields()
    form_class = mapping_form_class(sheet.headers, fields)
    initial = {f"{COLUMN_PREFIX}{index}": target for index, target in upload_row.mapping.items()}
    form = form_class() if request.method == "POST" else form_class(data=initial)
    problem = None
    if form.validate_on_submit():
        try:
            imports.set_mapping(_actor(), upload_row, mapping_of(form))
        except imports.ImportRefused as error:
            problem = error.message
        else:
            db.session.commit()
            return redirect(url_for("customer_import.preview", import_id=upload_row.id))
    html = render_template("customers/import/mapping.html", upload=upload_row, form=form,
                           headers=sheet.headers, samples=sheet.rows[:SAMPLE_ROWS],
                           rows=len(sheet.rows), problem=problem)
    return html, 422 if form.is_submitted() else 200


@bp.route("/<int:import_id>/preview")
def preview(import_id: int) -> str:
    upload_row = _open_import(import_id)
    plan = imports.dry_run(_actor(), upload_row)
    return _preview_page(upload_row, plan, ApplyForm(formdata=None, data=plan.counts))


def _preview_page(upload_row: CustomerImport, plan: ImportPlan, form: ApplyForm,
                  problem: str | None = None) -> str:
    shown = request.args.get("show", "")
    rows = [row for row in plan.rows if not shown or row.action.value == shown]
    page = max(request.args.get("page", 1, type=int), 1)
    pages = max((len(rows) + ROWS_PER_PAGE - 1) // ROWS_PER_PAGE, 1)
    page = min(page, pages)
    return render_template(
        "customers/import/preview.html", upload=upload_row, counts=plan.counts, form=form,
        rows=rows[(page - 1) * ROWS_PER_PAGE:page * ROWS_PER_PAGE], shown=shown,
        page=page, pages=pages, actions=[action.value for action in RowAction],
        problem=problem)


@bp.route("/<int:import_id>/apply", methods=["POST"])
def apply(import_id: int) -> str | Response | tuple[str, int]:
    upload_row = _open_import(import_id)
    form = ApplyForm()
    if form.validate_on_submit():
        try:
            plan = imports.apply(_actor(), upload_row, form.expected(),
                                 skip_rejected=form.skip_rejected.data)
        except imports.ImportRefused as error:
            db.session.rollback()
            problem: str | None = error.message
        else:
            db.session.commit()
            counts = plan.counts
            flash(_("Import done: %(created)s customers created, %(updated)s updated.",
                    created=counts["create"], updated=counts["update"]), "success")
            return redirect(url_for("customer_import.upload"))
    else:
        problem = None
    upload_row = _open_import(import_id)
    plan = imports.dry_run(_actor(), upload_row)
    for action, count in plan.counts.items():  # a new confirmation is for the new dry run
        form[action].data = str(count)
    return _preview_page(upload_row, plan, form, problem), 422


@bp.route("/<int:import_id>/discard", methods=["POST"])
def discard(import_id: int) -> Response:
    upload_row = _open_import(import_id)
    imports.discard(_actor(), upload_row)
    db.session.commit()
    flash(_("The import has been discarded and its file removed."), "success")
    return redirect(url_for("customer_import.upload"))
