"""Clean and check an interaction's data, field by field, with messages safe to show."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from dossier.auth.models import User
from dossier.auth.permissions import writable_scopes
from dossier.auth.roles import ALL_SCOPES
from dossier.customers.interaction_models import Direction
from dossier.customers.interactions_errors import InteractionInvalid
from dossier.customers.interactions_queries import CHANNELS, linkable_documents
from dossier.extensions import db

SUBJECT_MAX = 200
SUMMARY_MAX = 20_000
DIRECTIONS: tuple[str, ...] = tuple(direction.value for direction in Direction)
EARLIEST = datetime(1900, 1, 1)
# A contact is recorded after it happened; a day's slack covers time zones and clocks.
FUTURE_SLACK = timedelta(days=1)


class Refused(ValueError):
    """One field's value was refused; the message is safe to show."""


def clean_interaction(actor: Any, customer: Any, data: Mapping[str, Any],
                      names: tuple[str, ...], current_scope: str | None = None
                      ) -> dict[str, Any]:
    """The cleaned values of the fields `names` (model attribute names as keys: the
    linked documents under "documents"), or InteractionInvalid naming each bad field.

    `current_scope` is the stored scope, for checking a new handler when the scope stays.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    cleaners: dict[str, Callable[[Any], Any]] = {
        "channel": lambda value: _choice(value, CHANNELS, _("Choose a channel.")),
        "direction": lambda value: _choice(value, DIRECTIONS,
                                           _("Choose inbound or outbound.")),
        "occurred_at": as_utc,
        "subject": subject,
        "summary": _summary,
        "scope": lambda value: writable_scope(actor, value),
        "handler_id": parse_handler_id,
        "document_ids": lambda value: _documents(actor, customer, value),
    }
    for name in names:
        try:
            clean[name] = cleaners[name](data.get(name))
        except Refused as error:
            errors[name] = str(error)
    scope = clean.get("scope", current_scope)
    if "handler_id" in clean and scope and "scope" not in errors:
        problem = handler_problem(clean["handler_id"], scope)
        if problem:
            errors["handler_id"] = problem
    if errors:
        raise InteractionInvalid(errors)
    if "document_ids" in clean:
        clean["documents"] = clean.pop("document_ids")
    return clean


def as_utc(value: Any) -> datetime:
    """A moment as naive UTC: from an aware datetime, a naive one (already UTC) or ISO text."""
    if isinstance(value, str) and value.strip():
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise Refused(_("Give the date and time as YYYY-MM-DD HH:MM.")) from None
    if not isinstance(value, datetime):
        raise Refused(_("Give the date and time of the contact."))
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if value < EARLIEST:
        raise Refused(_("This date is too long ago."))
    if value > datetime.now(UTC).replace(tzinfo=None) + FUTURE_SLACK:
        raise Refused(_("A contact cannot lie in the future."))
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _choice(value: Any, options: tuple[str, ...], message: str) -> str:
    text = _text(value)
    if text not in options:
        raise Refused(message)
    return text


def subject(value: Any) -> str:
    text = " ".join(_text(value).split())
    if not text:
        raise Refused(_("Give a subject."))
    if len(text) > SUBJECT_MAX:
        raise Refused(_("At most %(n)s characters.", n=SUBJECT_MAX))
    return text


def _summary(value: Any) -> str:
    text = _text(value).replace("\r\n", "\n")
    if len(text) > SUMMARY_MAX:
        raise Refused(_("At most %(n)s characters.", n=SUMMARY_MAX))
    return text


def writable_scope(actor: Any, value: Any) -> str:
    scope = _choice(value, ALL_SCOPES, _("Choose a scope."))
    if scope not in writable_scopes(actor):
        raise Refused(_("You may not record contacts in this scope."))
    return scope


def parse_handler_id(value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not text.isdigit():
        raise Refused(_("Choose a handler from the list."))
    return int(text)


def handler_problem(handler_id: int | None, scope: str) -> str | None:
    """Why this handler cannot be chosen: only an active user who works in the scope can."""
    if handler_id is None:
        return None
    handler = db.session.get(User, handler_id)
    if handler is None or not handler.active or scope not in writable_scopes(handler):
        return _("This user does not handle contacts in this scope.")
    return None


def _documents(actor: Any, customer: Any, value: Any) -> list[Any]:
    """Documents of this customer that the actor may see, by id."""
    if value is None or value == "":
        return []
    if isinstance(value, str | int):
        value = [value]
    try:
        wanted = {int(item) for item in value}
    except (TypeError, ValueError):
        raise Refused(_("Choose documents from the list.")) from None
    available = {document.id: document for document in linkable_documents(actor, customer)}
    if not wanted <= set(available):
        raise Refused(_("Only documents of this customer that you may see can be linked."))
    return [available[document_id] for document_id in sorted(wanted)]
