"""A customer's contact history through the API: list and record interactions, through
the contact-history services (dossier/customers/interactions.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from dossier.api.auth import api_actor, token_details
from dossier.api.errors import ApiProblem
from dossier.api.input import get_or_404, json_body, json_response, paged, query_args
from dossier.api.schemas import CHANNELS, DIRECTIONS, INTERACTION_INPUT
from dossier.api.serialise import plain
from dossier.api.spec import PAGING, Operation, Param, documented, path_id
from dossier.api.views import bp
from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.roles import ALL_SCOPES
from dossier.compliance.audit import AuditAction, record
from dossier.customers import interactions
from dossier.customers.interaction_models import Interaction
from dossier.customers.interactions_queries import visible_linked_documents
from dossier.customers.models import Customer
from dossier.extensions import db

TAG = "interactions"
CUSTOMER_ID = path_id("customer_id", _l("The customer's id."))
LIST_PARAMS = (
    CUSTOMER_ID,
    Param("channel", "query", {"type": "string", "enum": CHANNELS}, _l("Only this channel.")),
    Param("scope", "query", {"type": "string", "enum": list(ALL_SCOPES)},
          _l("Only this scope.")),
    Param("direction", "query", {"type": "string", "enum": DIRECTIONS},
          _l("Only inbound or only outbound.")),
    *PAGING,
)


def _customer(customer_id: int) -> tuple[Any, Customer]:
    actor = api_actor()
    customer = get_or_404(Customer, customer_id, _("No customer with this id."))
    if not can(actor, Action.VIEW, customer):
        raise ApiProblem(403, _("Your roles do not allow this for customers."))
    return actor, customer


def interaction_json(actor: Any, interaction: Interaction) -> dict[str, Any]:
    handler = interaction.handler
    return {
        "id": interaction.id, "customer_id": interaction.customer_id,
        "channel": interaction.channel, "direction": interaction.direction,
        "occurred_at": plain(interaction.occurred_at), "subject": interaction.subject,
        "summary": interaction.summary, "scope": interaction.scope,
        "handler": {"id": handler.id, "name": handler.display_name} if handler else None,
        "document_ids": [d.id for d in visible_linked_documents(actor, interaction)],
        "created_at": plain(interaction.created_at),
    }


@bp.route("/customers/<int:customer_id>/interactions")
@documented(Operation("GET", "/customers/{customer_id}/interactions",
                      _l("List a customer's interactions"), TAG, LIST_PARAMS,
                      ok_schema="InteractionPage",
                      description=_l("Contacts in the caller's scopes, newest first."),
                      example="curl -H 'Authorization: Bearer $TOKEN' "
                              "'$BASE/api/v1/customers/1/interactions?channel=phone'"))
def customer_interactions(customer_id: int) -> Response:
    actor, customer = _customer(customer_id)
    if not can(actor, Action.VIEW, Feature.INTERACTIONS):
        raise ApiProblem(403, _("Your roles do not allow reading the contact history."))
    args = query_args(LIST_PARAMS)
    query = interactions.visible_interactions_query(
        actor, customer, channel=args["channel"], scope=args["scope"],
        direction=args["direction"])
    body, headers = paged(query, args, lambda item: interaction_json(actor, item))
    record(actor, AuditAction.VIEW, customer, customer_id=customer.id,
           details={"interactions": [item["id"] for item in body["items"]]} | token_details())
    db.session.commit()
    return json_response(body, headers=headers)


@bp.route("/customers/<int:customer_id>/interactions", methods=["POST"])
@documented(Operation("POST", "/customers/{customer_id}/interactions",
                      _l("Record an interaction"), TAG, (CUSTOMER_ID,),
                      body="InteractionInput", ok=201, ok_schema="Interaction",
                      example="curl -H 'Authorization: Bearer $TOKEN' -H 'Content-Type: "
                              "application/json' -d '{\"channel\": \"phone\", \"direction\": "
                              "\"inbound\", \"subject\": \"Question about the invoice\", "
                              "\"scope\": \"care\"}' $BASE/api/v1/customers/1/interactions"))
def create_interaction(customer_id: int) -> Response:
    actor, customer = _customer(customer_id)
    if not can(actor, Action.CREATE, Feature.INTERACTIONS):  # before reading the body
        raise ApiProblem(403, _("You may not change the contact history in this scope."))
    data = json_body(INTERACTION_INPUT)
    data.setdefault("occurred_at", utcnow())
    try:
        created = interactions.record_interaction(actor, customer, data)
    except interactions.ContactRefused as error:
        raise ApiProblem(403, error.message) from None
    except interactions.InteractionInvalid as error:
        raise ApiProblem(422, _("The interaction was not saved."), error.errors) from None
    body = interaction_json(actor, created)
    db.session.commit()
    return json_response(body, 201)
