"""Customers through the API: list and search, read, create, change."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from dossier.api.auth import api_actor, token_details
from dossier.api.errors import ApiProblem
from dossier.api.input import get_or_404, json_body, json_response, paged, query_args
from dossier.api.schemas import CUSTOMER_DEFAULTS, CUSTOMER_INPUT
from dossier.api.serialise import customer_json
from dossier.api.spec import PAGING, Operation, Param, documented, path_id
from dossier.api.views import bp
from dossier.auth.permissions import Action, Feature, can
from dossier.compliance.audit import AuditAction, record
from dossier.customers import queries, services
from dossier.customers.custom_values import NO, YES
from dossier.customers.key_fields import CustomerInvalid
from dossier.customers.models import Customer
from dossier.extensions import db

TAG = "customers"
SORTS = [prefix + column for column in queries.SORT_COLUMNS for prefix in ("", "-")]
LIST_PARAMS = (
    Param("q", "query", {"type": "string", "maxLength": 200},
          _l("Search: number, name, email or postcode."), example="jansen"),
    Param("kind", "query", {"type": "string", "enum": list(queries.KINDS)},
          _l("Only people or only organisations.")),
    Param("status", "query", {"type": "string", "enum": list(queries.STATUSES)},
          _l("Only customers with this status.")),
    Param("sort", "query", {"type": "string", "enum": SORTS, "default": queries.DEFAULT_SORT},
          _l("Sort by this column; a leading - sorts descending.")),
    *PAGING,
)
CUSTOMER_ID = path_id("customer_id", _l("The customer's id."))


def _customer(customer_id: int, action: Action) -> tuple[Any, Customer]:
    actor = api_actor()
    customer = get_or_404(Customer, customer_id, _("No customer with this id."))
    if not can(actor, action, customer):
        raise ApiProblem(403, _("Your roles do not allow this for customers."))
    return actor, customer


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise ApiProblem(403, _("Your roles do not allow this for customers."))


@bp.route("/customers")
@documented(Operation("GET", "/customers", _l("List and search customers"), TAG, LIST_PARAMS,
                      ok_schema="CustomerPage",
                      example="curl -H 'Authorization: Bearer $TOKEN' "
                              "'$BASE/api/v1/customers?q=jansen&sort=-created'"))
def customers() -> Response:
    actor = api_actor()
    _refuse_unless(can(actor, Action.VIEW, Feature.CUSTOMERS))
    args = query_args(LIST_PARAMS)
    search = " ".join((args["q"] or "").split())
    query = queries.customer_list(search, args["kind"] or "", args["status"] or "",
                                  args["sort"])
    body, headers = paged(query, args, lambda customer: customer_json(actor, customer))
    # A list of names and addresses is personal data read: audited, also without a query.
    record(actor, AuditAction.SEARCH, object_type="Customer",
           details={"query": search, "results": body["total"], "page": body["page"]}
           | token_details())
    db.session.commit()
    return json_response(body, headers=headers)


@bp.route("/customers/<int:customer_id>")
@documented(Operation("GET", "/customers/{customer_id}", _l("Read a customer"), TAG,
                      (CUSTOMER_ID,), ok_schema="Customer",
                      example="curl -H 'Authorization: Bearer $TOKEN' "
                              "$BASE/api/v1/customers/1"))
def customer(customer_id: int) -> Response:
    actor, found = _customer(customer_id, Action.VIEW)
    body = customer_json(actor, found)
    record(actor, AuditAction.VIEW, found, customer_id=found.id, details=token_details())
    db.session.commit()
    return json_response(body)


@bp.route("/customers", methods=["POST"])
@documented(Operation("POST", "/customers", _l("Create a customer"), TAG, body="CustomerInput",
                      ok=201, ok_schema="Customer",
                      example="curl -H 'Authorization: Bearer $TOKEN' -H 'Content-Type: "
                              "application/json' -d '{\"last_name\": \"Jansen\", "
                              "\"postcode\": \"1234 AB\"}' $BASE/api/v1/customers"))
def create_customer() -> Response:
    actor = api_actor()
    _refuse_unless(can(actor, Action.CREATE, Feature.CUSTOMERS))
    data = CUSTOMER_DEFAULTS | _service_input(json_body(CUSTOMER_INPUT))
    if not data.get("number"):
        data["number"] = queries.suggest_number()
    try:
        created = services.create_customer(actor, data)
    except CustomerInvalid as error:
        raise ApiProblem(422, _("The customer was not saved."), error.errors) from None
    body = customer_json(actor, created)
    db.session.commit()
    return json_response(body, 201, {"Location": f"/api/v1/customers/{created.id}"})


@bp.route("/customers/<int:customer_id>", methods=["PATCH"])
@documented(Operation("PATCH", "/customers/{customer_id}", _l("Change a customer"), TAG,
                      (CUSTOMER_ID,), body="CustomerInput", ok_schema="Customer",
                      description=_l("Only the fields sent are changed."),
                      example="curl -X PATCH -H 'Authorization: Bearer $TOKEN' -H "
                              "'Content-Type: application/json' -d '{\"city\": \"Utrecht\"}' "
                              "$BASE/api/v1/customers/1"))
def update_customer(customer_id: int) -> Response:
    actor, found = _customer(customer_id, Action.EDIT)
    data = _service_input(json_body(CUSTOMER_INPUT))
    try:
        services.update_customer(actor, found, data)
    except CustomerInvalid as error:
        raise ApiProblem(422, _("The customer was not saved."), error.errors) from None
    body = customer_json(actor, found)
    db.session.commit()
    return json_response(body)


def _service_input(body: dict[str, Any]) -> dict[str, Any]:
    """The body as the customer services take it: custom values as a user types them."""
    data = {name: value for name, value in body.items() if name != "custom_fields"}
    if "custom_fields" in body:
        data[services.CUSTOM_FIELDS] = {key: _typed_text(value)
                                        for key, value in body["custom_fields"].items()}
    return data


def _typed_text(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    return "" if value is None else str(value)
