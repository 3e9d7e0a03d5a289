"""Forms and labels of the contact history: interactions, complaints and their status."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import get_timezone, lazy_pgettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from dossier.customers.forms import SCOPE_LABELS, MultiCheckboxField
from dossier.customers.interaction_models import ComplaintStatus, Direction, InteractionChannel

CHANNEL_LABELS = {
    InteractionChannel.PHONE.value: _l("Phone"), InteractionChannel.EMAIL.value: _l("E-mail"),
    InteractionChannel.POST.value: _l("Post"), InteractionChannel.WEB.value: _l("Website"),
    InteractionChannel.COUNTER.value: _l("Counter"), InteractionChannel.APP.value: _l("App"),
    InteractionChannel.SOCIAL.value: _l("Social media"),
}
DIRECTION_LABELS = {Direction.INBOUND.value: _l("Inbound"),
                    Direction.OUTBOUND.value: _l("Outbound")}
COMPLAINT_STATUS_LABELS = {
    # "Open" alone is also the verb on buttons; the context keeps them apart.
    ComplaintStatus.OPEN.value: lazy_pgettext("complaint status", "Open"),
    ComplaintStatus.IN_PROGRESS.value: _l("In progress"),
    ComplaintStatus.RESOLVED.value: _l("Resolved"), ComplaintStatus.REJECTED.value: _l("Rejected"),
}
TIMELINE_KIND_LABELS = {"interaction": _l("Contacts"), "complaint": _l("Complaints"),
                        "document": _l("Documents"), "archive": _l("Paper originals")}
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def _options(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class InteractionForm(FlaskForm):
    """Choices for scope, handler and documents are set per request (see `fill_choices`)."""

    occurred_at = StringField(_l("Date and time"), render_kw={"type": "datetime-local"})
    channel = SelectField(_l("Channel"), choices=_options(CHANNEL_LABELS),
                          validate_choice=False)
    direction = SelectField(_l("Direction"), choices=_options(DIRECTION_LABELS),
                            validate_choice=False)
    scope = SelectField(_l("Scope"), validate_choice=False)
    subject = StringField(_l("Subject"), render_kw={"maxlength": 200})
    summary = TextAreaField(_l("Summary"))
    handler_id = SelectField(_l("Handled by"), validate_choice=False)
    document_ids = MultiCheckboxField(_l("Linked documents"), validate_choice=False,
                                      coerce=str)

    def service_data(self) -> dict[str, Any]:
        return {"occurred_at": local_to_utc(self.occurred_at.data),
                "channel": self.channel.data, "direction": self.direction.data,
                "scope": self.scope.data, "subject": self.subject.data,
                "summary": self.summary.data, "handler_id": self.handler_id.data,
                "document_ids": self.document_ids.data or []}


class ComplaintForm(FlaskForm):
    subject = StringField(_l("Subject"), render_kw={"maxlength": 200})
    scope = SelectField(_l("Scope"), validate_choice=False)
    handler_id = SelectField(_l("Handled by"), validate_choice=False)


class ComplaintStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=_options(COMPLAINT_STATUS_LABELS),
                         validate_choice=False)
    resolution = TextAreaField(_l("Resolution"),
                               description=_l("Required to resolve or reject."))


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the confirmation of a destructive action."""


def scope_options(scopes: Any) -> list[SelectChoice]:
    return [SelectChoice(scope, SCOPE_LABELS.get(scope, scope)) for scope in sorted(scopes)]


def handler_options(users: list[Any]) -> list[SelectChoice]:
    return [SelectChoice("", "—"), *(SelectChoice(str(user.id), user.display_name)
                                     for user in users)]


def document_options(documents: list[Any]) -> list[SelectChoice]:
    return [SelectChoice(str(document.id), f"{document.title} ({document.document_date})")
            for document in documents]


def local_to_utc(text: str | None) -> datetime | str:
    """The form's local date and time as an aware datetime; text it cannot read is passed
    on as it is, for the service to refuse with its message."""
    raw = (text or "").strip()
    for pattern in (LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            moment = datetime.strptime(raw, pattern)
        except ValueError:
            continue
        return moment.replace(tzinfo=ZoneInfo(str(get_timezone())))
    return raw


def utc_to_local(moment: datetime) -> str:
    """A stored (naive UTC) moment as the form's local date and time."""
    local = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(str(get_timezone())))
    return local.strftime(LOCAL_FORMAT)
