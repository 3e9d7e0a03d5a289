"""The one place that decides what an actor may see or change.

Views, the API, the CLI and search all ask here. `can()` answers for one object;
`visible_document_clause()` is the same rule as a SQL condition, so lists, counts
and pages are filtered inside the query rather than after it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import ColumnElement, false, select

from dossier.auth.roles import ALL_SCOPES, Role


class Actor(Protocol):
    @property
    def roles(self) -> frozenset[str]: ...

    @property
    def scopes(self) -> frozenset[str]: ...


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    CREATE = "create"
    DELETE = "delete"


class Feature(StrEnum):
    """Things that are not a single record: a screen or an administrative power."""

    CUSTOMERS = "customers"
    DOCUMENTS = "documents"
    MANAGE_USERS = "manage_users"
    MANAGE_FIELDS = "manage_fields"
    MANAGE_TYPES = "manage_types"
    MANAGE_POLICY = "manage_policy"
    VIEW_POLICY = "view_policy"
    AUDIT_LOG = "audit_log"
    MAILINGS = "mailings"
    INGEST = "ingest"  # scans: upload, jobs, triage (see docs/DECISIONS.md)
    ARCHIVE = "archive"  # the physical archive: locations, items, scan station
    MERGE_CUSTOMERS = "merge_customers"  # duplicate finder and merge (docs/DECISIONS.md)
    IMPORT_CUSTOMERS = "import_customers"  # customer import from CSV and Excel
    INTERACTIONS = "interactions"  # contact history: interactions and complaints


SCOPE_ROLES = frozenset(ALL_SCOPES)
STAFF_ROLES = SCOPE_ROLES | {Role.COMPLIANCE.value, Role.ADMIN.value}
ARCHIVE_ROLES = frozenset({Role.CLERK.value, Role.ADMIN.value})
FEATURE_RULES: dict[Feature, dict[Action, frozenset[str]]] = {
    Feature.CUSTOMERS: {
        Action.VIEW: STAFF_ROLES | {Role.CLERK.value},
        Action.CREATE: SCOPE_ROLES | {Role.ADMIN.value},
        Action.EDIT: STAFF_ROLES,
    },
    Feature.DOCUMENTS: {
        Action.VIEW: STAFF_ROLES,
        Action.CREATE: SCOPE_ROLES | {Role.ADMIN.value},
    },
    # Mailings are letters filed in a scope: for whoever may write documents in one.
    Feature.MAILINGS: {
        Action.VIEW: SCOPE_ROLES | {Role.ADMIN.value},
        Action.CREATE: SCOPE_ROLES | {Role.ADMIN.value},
    },
    Feature.MANAGE_USERS: {Action.VIEW: frozenset({Role.ADMIN.value})},
    Feature.MANAGE_FIELDS: {Action.VIEW: frozenset({Role.ADMIN.value})},
    Feature.MANAGE_TYPES: {Action.VIEW: frozenset({Role.ADMIN.value})},
    Feature.MANAGE_POLICY: {Action.VIEW: frozenset({Role.ADMIN.value})},
    Feature.VIEW_POLICY: {Action.VIEW: STAFF_ROLES},
    Feature.AUDIT_LOG: {Action.VIEW: frozenset({Role.ADMIN.value, Role.COMPLIANCE.value})},
    # A merge moves documents of every scope and an import changes customers in bulk.
    Feature.MERGE_CUSTOMERS: {Action.VIEW: frozenset({Role.ADMIN.value})},
    Feature.IMPORT_CUSTOMERS: {Action.VIEW: frozenset({Role.ADMIN.value})},
    # Scans in triage have no scope yet: whoever files documents reads and assigns them;
    # compliance reads them (access requests), clerks never see document contents.
    Feature.INGEST: {
        Action.VIEW: SCOPE_ROLES | {Role.ADMIN.value, Role.COMPLIANCE.value},
        Action.CREATE: SCOPE_ROLES | {Role.ADMIN.value},
    },
    # Contact history serves a scope, like a document: read in one's scopes, written in
    # one's scope roles (admin: all); compliance reads everything, clerks nothing.
    Feature.INTERACTIONS: {
        Action.VIEW: STAFF_ROLES,
        Action.CREATE: SCOPE_ROLES | {Role.ADMIN.value},
    },
    # Clerks and admins work the archive; others see an item through its document.
    Feature.ARCHIVE: {
        Action.VIEW: ARCHIVE_ROLES,
        Action.CREATE: ARCHIVE_ROLES,
        Action.EDIT: ARCHIVE_ROLES,
    },
}


def can(actor: Actor | None, action: Action | str, target: Any) -> bool:
    """May `actor` perform `action` on `target` (a Feature, Customer, Document, CustomField,
    Mailing, Location, PhysicalItem, Interaction, Complaint)?"""
    if actor is None or not getattr(actor, "is_authenticated", True):
        return False
    action = Action(action)
    if isinstance(target, Feature):
        return bool(actor.roles & FEATURE_RULES[target].get(action, frozenset()))
    kind = type(target).__name__
    if kind == "Customer":
        feature_action = Action.EDIT if action == Action.DELETE else action
        return can(actor, feature_action, Feature.CUSTOMERS)
    if kind == "Document":
        return _can_document(actor, action, target)
    if kind in ("CustomField", "DerivedField"):  # a derived field is seen like a custom one
        return _can_field(actor, action, target)
    if kind == "Mailing":  # its letters and answers: for writers of documents in its scope
        return target.scope in writable_scopes(actor)
    if kind == "Segment":  # a scope's saved filter: read by its readers, kept by its writers
        if action == Action.VIEW:
            return target.scope in actor.scopes and can(actor, action, Feature.CUSTOMERS)
        return target.scope in writable_scopes(actor)
    if kind == "Location":
        return can(actor, action, Feature.ARCHIVE)
    if kind in ("Interaction", "Complaint"):
        return _can_contact(actor, action, target.scope)
    if kind == "PhysicalItem":  # its place and history: clerks, or whoever sees the document
        if can(actor, action, Feature.ARCHIVE):
            return True
        document = target.document
        return action == Action.VIEW and document is not None and can(actor, action, document)
    raise TypeError(f"no permission rule for {kind}")


def _can_document(actor: Actor, action: Action, document: Any) -> bool:
    shared = actor.scopes & set(document.scopes)
    if action == Action.VIEW:
        return bool(shared) and can(actor, Action.VIEW, Feature.DOCUMENTS)
    writers = SCOPE_ROLES | {Role.ADMIN.value}
    if not actor.roles & writers:
        return False
    return Role.ADMIN.value in actor.roles or bool(actor.roles & shared)


def _can_contact(actor: Actor, action: Action, scope: str) -> bool:
    """An interaction or complaint: seen in the actor's scopes, written in their scope
    roles (admin: every scope), deleted by an admin only."""
    if action == Action.VIEW:
        return scope in actor.scopes and can(actor, Action.VIEW, Feature.INTERACTIONS)
    if action == Action.DELETE:
        return Role.ADMIN.value in actor.roles
    return scope in writable_scopes(actor)


def _can_field(actor: Actor, action: Action, field: Any) -> bool:
    if Role.ADMIN.value in actor.roles:
        return True
    if action == Action.VIEW:
        return bool(actor.scopes & set(field.scopes))
    if Role.COMPLIANCE.value in actor.roles:
        return True  # rectification (GDPR art. 16) may touch any field
    return bool(actor.roles & set(field.scopes))


def writable_scopes(actor: Actor) -> frozenset[str]:
    """Scopes an actor may give a document (admin: all; others: their own scope roles)."""
    if Role.ADMIN.value in actor.roles:
        return frozenset(ALL_SCOPES)
    return actor.roles & SCOPE_ROLES


def visible_document_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on Document: true for documents the actor may see."""
    from dossier.documents.models import Document, DocumentScope

    if not can(actor, Action.VIEW, Feature.DOCUMENTS) or not actor.scopes:
        return false()
    # Correlated, so a dossier looks up its own documents' scopes by index instead of
    # listing every document in the actor's scopes first.
    return select(DocumentScope.document_id).where(
        DocumentScope.document_id == Document.id, DocumentScope.scope.in_(actor.scopes)
    ).correlate(Document).exists()


def visible_interaction_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on Interaction: true for interactions the actor may see."""
    from dossier.customers.interaction_models import Interaction

    return _contact_scope_clause(actor, Interaction.scope)


def visible_complaint_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on Complaint: true for complaints the actor may see."""
    from dossier.customers.interaction_models import Complaint

    return _contact_scope_clause(actor, Complaint.scope)


def _contact_scope_clause(actor: Actor, scope: Any) -> ColumnElement[bool]:
    if not can(actor, Action.VIEW, Feature.INTERACTIONS) or not actor.scopes:
        return false()
    return scope.in_(sorted(actor.scopes))


def visible_fields(actor: Actor, fields: list[Any]) -> list[Any]:
    return [field for field in fields if can(actor, Action.VIEW, field)]
