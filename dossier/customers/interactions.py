"""Record, change and delete a customer's interactions; every change is audited.

The public interface of the contact history (the web views and the JSON API call it):
`record_interaction`, `update_interaction`, `delete_interaction`, `visible_interactions`.
`data` is a mapping with the keys of INTERACTION_FIELDS; `occurred_at` is a datetime
(aware, or naive meaning UTC) or an ISO 8601 text; `document_ids` a list of ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import update

from dossier.auth.permissions import Action, can, writable_scopes
from dossier.compliance.audit import AuditAction, record
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.interactions_errors import ContactRefused, InteractionInvalid
from dossier.customers.interactions_queries import (
    channel_usage,
    interaction_of,
    visible_interactions,
    visible_interactions_query,
)
from dossier.customers.interactions_validation import clean_interaction
from dossier.extensions import db

__all__ = [
    "INTERACTION_FIELDS", "ContactRefused", "InteractionInvalid", "channel_usage",
    "contact_history_changed", "delete_interaction", "interaction_of", "record_interaction",
    "update_interaction", "visible_interactions", "visible_interactions_query",
]

INTERACTION_FIELDS: tuple[str, ...] = (
    "channel", "direction", "occurred_at", "subject", "summary", "scope", "handler_id",
    "document_ids",
)
# Sent after each change with customer_id= and kind= ("interaction" or "complaint"), for
# whatever derives from the contact history (derived attributes listen here).
_signals = Namespace()
contact_history_changed = _signals.signal("contact-history-changed")


def record_interaction(actor: Any, customer: Any, data: Mapping[str, Any]) -> Interaction:
    """A new interaction with `customer`; InteractionInvalid names each refused field."""
    if not can(actor, Action.VIEW, customer) or not writable_scopes(actor):
        raise ContactRefused(_refusal())
    values = {"handler_id": getattr(actor, "id", None)} | dict(data)
    clean = clean_interaction(actor, customer, values, INTERACTION_FIELDS)
    interaction = Interaction(customer_id=customer.id, created_by_id=getattr(actor, "id", None))
    _apply(interaction, clean, [])
    db.session.add(interaction)
    db.session.flush()
    record(actor, AuditAction.CREATE, interaction, customer_id=customer.id,
           scope=interaction.scope, details=_facts(interaction))
    db.session.flush()
    contact_history_changed.send(interaction, customer_id=customer.id, kind="interaction")
    return interaction


def update_interaction(actor: Any, interaction: Interaction, data: Mapping[str, Any]
                       ) -> list[str]:
    """Change the fields present in `data`; returns the names of those that changed.

    Linked documents the actor cannot see stay linked: they were not theirs to remove.
    """
    if not can(actor, Action.EDIT, interaction):
        raise ContactRefused(_refusal())
    present = tuple(name for name in INTERACTION_FIELDS if name in data)
    clean = clean_interaction(actor, interaction.customer, data, present, interaction.scope)
    hidden = [document for document in interaction.documents
              if not can(actor, Action.VIEW, document)]
    changed = _apply(interaction, clean, hidden)
    if not changed:
        return []
    db.session.flush()
    record(actor, AuditAction.UPDATE, interaction, customer_id=interaction.customer_id,
           scope=interaction.scope, details={"fields": changed})
    db.session.flush()
    contact_history_changed.send(interaction, customer_id=interaction.customer_id,
                                 kind="interaction")
    return changed


def delete_interaction(actor: Any, interaction: Interaction) -> None:
    """Remove an interaction (admins only); complaints raised in it stay, unlinked."""
    if not can(actor, Action.DELETE, interaction):
        raise ContactRefused(_refusal())
    customer_id = interaction.customer_id
    facts = _facts(interaction) | {"occurred_at": interaction.occurred_at.isoformat()}
    record(actor, AuditAction.DELETE, interaction, customer_id=customer_id,
           scope=interaction.scope, details=facts)
    db.session.execute(update(Complaint).where(Complaint.interaction_id == interaction.id)
                       .values(interaction_id=None), execution_options={
                           "synchronize_session": "fetch"})
    db.session.delete(interaction)
    db.session.flush()
    contact_history_changed.send(None, customer_id=customer_id, kind="interaction")


def _apply(interaction: Interaction, clean: Mapping[str, Any], hidden: list[Any]) -> list[str]:
    """Set the cleaned values; the names of the fields that changed."""
    changed = []
    for name, value in clean.items():
        if name == "documents":
            wanted = {document.id: document for document in [*value, *hidden]}
            if set(wanted) != {document.id for document in interaction.documents}:
                interaction.documents = sorted(wanted.values(), key=lambda d: d.id)
                changed.append("document_ids")
        elif getattr(interaction, name) != value:
            setattr(interaction, name, value)
            changed.append(name)
    return changed


def _facts(interaction: Interaction) -> dict[str, Any]:
    """What an audit event says about an interaction: no subject or summary (personal)."""
    return {"channel": interaction.channel, "direction": interaction.direction,
            "documents": sorted(document.id for document in interaction.documents)}


def _refusal() -> str:
    return _("You may not change the contact history in this scope.")
