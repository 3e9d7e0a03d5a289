"""Customer list, create, edit and the dossier page."""

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
from dossier.customers import queries, services
from dossier.customers.custom_values import value_as_text
from dossier.customers.derived_list_filter import (
    list_query,
    parse_list_args,
    shown_values,
    sort_labels,
)
from dossier.customers.derived_queries import derived_rows
from dossier.customers.dossier_filters import parse_dossier_filters
from dossier.customers.forms import (
    CHANNEL_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    CustomerForm,
    custom_input_data,
    customer_form_class,
    show_errors,
)
from dossier.customers.key_fields import CustomerInvalid
from dossier.customers.merge import survivor_of
from dossier.customers.models import Customer
from dossier.customers.segment_conditions import OPERATORS
from dossier.customers.segment_export import csv_lines, export_columns, record_export
from dossier.customers.segment_views import csv_response
from dossier.customers.timeline_section import contact_section
from dossier.documents.queries import dossier_documents
from dossier.extensions import db

bp = Blueprint("customers", __name__, url_prefix="/customers")


@bp.before_request
@login_required
def _customer_staff_only() -> None:
    if not can(current_user, Action.VIEW, Feature.CUSTOMERS):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"kind_labels": KIND_LABELS, "channel_labels": CHANNEL_LABELS,
            "status_labels": STATUS_LABELS}


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.route("/")
def index() -> str:
    filters = parse_list_args(current_user, request.args)
    if filters.problem:
        flash(_("The field filter was not applied: %(problem)s", problem=filters.problem),
              "warning")
    page = db.paginate(
        list_query(filters),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    if filters.search or filters.condition:  # who looked for whom is personal data too
        record(_actor(), AuditAction.SEARCH, object_type="Customer",
               details={"query": filters.search, "results": page.total}
               | ({"filter": filters.condition.as_dict()} if filters.condition else {}))
    html = render_template("customers/index.html", page=page, search=filters.search,
                           kind=filters.kind, status=filters.status, sort=filters.sort,
                           filters=filters, shown=filters.shown_field,
                           shown_values=shown_values(filters, list(page.items)),
                           operator_labels=OPERATORS, sort_labels=sort_labels(),
                           may_create=can(current_user, Action.CREATE, Feature.CUSTOMERS))
    db.session.commit()
    return html


@bp.route("/export.csv")
def export() -> Response:
    """The customer list as filtered, as CSV with the columns the user may see; audited
    before the first line is sent."""
    filters = parse_list_args(current_user, request.args)
    query = list_query(filters)
    columns = export_columns(current_user)
    record_export(_actor(), query, columns, {"list": filters.as_args()})
    db.session.commit()
    return csv_response(csv_lines(query, columns), "customers.csv")


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    if not can(current_user, Action.CREATE, Feature.CUSTOMERS):
        abort(403)
    rows = queries.custom_rows(current_user, None)
    editable = [row.field for row in rows if row.editable]
    form_class = customer_form_class(editable)
    form = form_class() if request.method == "POST" else form_class(
        number=queries.suggest_number())
    if not form.validate_on_submit():
        return _render_form(form, None, rows, 422 if form.is_submitted() else 200)
    data = form.key_data() | {services.CUSTOM_FIELDS: custom_input_data(form, editable)}
    try:
        customer = services.create_customer(_actor(), data)
    except CustomerInvalid as error:
        show_errors(form, error.errors)
        return _render_form(form, None, rows, 422)
    db.session.commit()
    flash(_("Customer %(number)s has been created.", number=customer.number), "success")
    return redirect(url_for("customers.show", customer_id=customer.id))


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
def edit(customer_id: int) -> str | Response | tuple[str, int]:
    customer = db.get_or_404(Customer, customer_id)
    if not can(current_user, Action.EDIT, customer):
        abort(403)
    rows = queries.custom_rows(current_user, customer)
    editable = [row.field for row in rows if row.editable]
    initial = {services.custom_field_name(row.field): value_as_text(row.field, row.value)
               for row in rows if row.editable}
    form = customer_form_class(editable)(obj=customer, **initial)
    if not form.validate_on_submit():
        if not form.is_submitted():
            record(_actor(), AuditAction.VIEW, customer, customer_id=customer.id,
                   details={"page": "edit"})
        return _render_form(form, customer, rows, 422 if form.is_submitted() else 200)
    data = form.key_data() | {services.CUSTOM_FIELDS: custom_input_data(form, editable)}
    try:
        changed = services.update_customer(_actor(), customer, data)
    except CustomerInvalid as error:
        show_errors(form, error.errors)
        return _render_form(form, customer, rows, 422)
    db.session.commit()
    if changed:
        flash(_("Customer %(number)s has been saved.", number=customer.number), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("customers.show", customer_id=customer.id))


def _render_form(form: CustomerForm, customer: Customer | None, rows: list[queries.CustomRow],
                 status: int) -> tuple[str, int]:
    html = render_template("customers/form.html", form=form, customer=customer,
                           custom_rows=rows)
    if status == 200:
        db.session.commit()  # the view audit of a GET; a refused POST changes nothing
    return html, status


@bp.route("/<int:customer_id>")
def show(customer_id: int) -> str | Response:
    customer = db.session.get(Customer, customer_id)
    if customer is None:  # a merged customer's dossier lives on in its survivor's
        survivor_id = survivor_of(customer_id)
        if survivor_id is None:
            abort(404)
        return redirect(url_for("customers.show", customer_id=survivor_id))
    if not can(current_user, Action.VIEW, customer):
        abort(403)
    filters, problems = parse_dossier_filters(request.args)
    for problem in problems:
        flash(problem, "warning")
    docs = dossier_documents(current_user, customer, filters)
    record(_actor(), AuditAction.VIEW, customer, customer_id=customer.id)
    add_document = ("documents.new" in current_app.view_functions
                    and can(current_user, Action.CREATE, Feature.DOCUMENTS))
    html = render_template(
        "customers/show.html", customer=customer, docs=docs, filters=filters,
        custom_rows=queries.custom_rows(current_user, customer),
        may_edit=can(current_user, Action.EDIT, customer),
        add_document_url=url_for("documents.new", customer=customer.id) if add_document else None,
        contact=contact_section(current_user, customer, request.args),
        derived_rows=derived_rows(current_user, customer),
    )
    db.session.commit()  # the view is audited in the same transaction as it was read
    return html
