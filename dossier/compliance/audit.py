"""Write audit events: who read or changed what, about which customer, from where."""

from __future__ import annotations

from typing import Any

from dossier.compliance.models import AuditEvent
from dossier.extensions import client_address, db


class AuditAction:
    VIEW = "view"
    SEARCH = "search"
    DOWNLOAD = "download"
    EXPORT = "export"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    MOVE = "move"  # a paper original or a box changed place or hands
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"


def record(
    actor: Any,
    action: str,
    target: Any = None,
    *,
    customer_id: int | None = None,
    scope: str | None = None,
    details: dict[str, Any] | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    actor, target = _unwrap(actor), _unwrap(target)
    if target is not None:
        object_type = object_type or type(target).__name__
        object_id = object_id if object_id is not None else getattr(target, "id", None)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or str(actor),
        action=action,
        object_type=object_type or "",
        object_id=None if object_id is None else str(object_id),
        customer_id=customer_id,
        scope=scope,
        client_address=client_address(),
        details=details or {},
    )
    db.session.add(event)
    return event


def _unwrap(value: Any) -> Any:
    """The object behind a proxy such as `current_user`, so the event names the real type."""
    get_object = getattr(value, "_get_current_object", None)
    return get_object() if callable(get_object) else value
