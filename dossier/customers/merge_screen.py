"""What the merge screen shows: both customers' values side by side, which differ, what the
merge would move, and the reasons the finder gave; and the forms of the duplicate pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired

from dossier.customers.custom_values import stored_values
from dossier.customers.forms import CustomerForm
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.merge import CUSTOM_PREFIX, MERGEABLE_FIELDS
from dossier.customers.models import Customer
from dossier.customers.queries import field_list
from dossier.documents.models import document_customer
from dossier.extensions import db
from dossier.mailings.models import MailingRecipient

SURVIVOR, MERGED = "survivor", "merged"
CHOICE_PREFIX = "take_"
REASON_LABELS: dict[str, Any] = {
    "same_email": _l("same e-mail address"),
    "same_phone": _l("same phone number"),
    "same_address": _l("same postcode and house number"),
    "same_birth_date": _l("same date of birth"),
    "different_birth_date": _l("different date of birth"),
    "first_name_matches": _l("same first name"),
    "initials_match": _l("initials match"),
    "first_name_differs": _l("different first name"),
}
PERCENT_REASONS: dict[str, Any] = {
    "last_name_similar": _l("last name %(percent)s%% similar"),
    "organisation_name_similar": _l("name %(percent)s%% similar"),
    "name_differs": _l("names differ (%(percent)s%% similar)"),
}


def explain(reasons: list[Mapping[str, Any]]) -> str:
    """The finder's reasons as one line: "same e-mail address; last name 92% similar"."""
    parts = []
    for reason in reasons:
        code = str(reason.get("code"))
        if code in PERCENT_REASONS:
            parts.append(str(PERCENT_REASONS[code] % {"percent": reason.get("percent", 0)}))
        elif code in REASON_LABELS:
            parts.append(str(REASON_LABELS[code]))
    return "; ".join(parts)


def field_label(name: str) -> Any:
    return getattr(CustomerForm, name).args[0]


@dataclass(frozen=True)
class FieldRow:
    """One value to choose: its input name, label, both values and the default choice."""

    name: str
    label: Any
    survivor: Any
    merged: Any
    default: str

    @property
    def differs(self) -> bool:
        return _blank(self.survivor) != _blank(self.merged)


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _default(survivor: Any, merged: Any) -> str:
    return MERGED if _blank(survivor) == "" and _blank(merged) != "" else SURVIVOR


def field_rows(survivor: Customer, merged: Customer) -> list[FieldRow]:
    """Key fields (but the number: the survivor keeps its own) and the custom fields
    either of them has a value for."""
    rows = [FieldRow(name, field_label(name), getattr(survivor, name), getattr(merged, name),
                     _default(getattr(survivor, name), getattr(merged, name)))
            for name in MERGEABLE_FIELDS]
    mine, theirs = stored_values(survivor), stored_values(merged)
    for custom in field_list():
        if custom.id not in mine and custom.id not in theirs:
            continue
        one = mine[custom.id].value if custom.id in mine else None
        other = theirs[custom.id].value if custom.id in theirs else None
        rows.append(FieldRow(CUSTOM_PREFIX + custom.key, custom.label, one, other,
                             _default(one, other)))
    return rows


def chosen_from_merged(rows: list[FieldRow], form: Mapping[str, str]) -> set[str]:
    """The fields whose value the user took from the merged customer (defaults where the
    form says nothing)."""
    return {row.name for row in rows if row.differs
            and form.get(CHOICE_PREFIX + row.name, row.default) == MERGED}


def what_moves(customer_id: int) -> dict[str, int]:
    """How many documents, interactions, complaints and letters hang off a customer."""
    def count(query: Any) -> int:
        return int(db.session.scalar(query) or 0)

    return {
        "documents": count(select(func.count()).select_from(document_customer).where(
            document_customer.c.customer_id == customer_id)),
        "interactions": count(select(func.count(Interaction.id)).where(
            Interaction.customer_id == customer_id)),
        "complaints": count(select(func.count(Complaint.id)).where(
            Complaint.customer_id == customer_id)),
        "letters": count(select(func.count(MailingRecipient.id)).where(
            MailingRecipient.customer_id == customer_id)),
    }


class MergeForm(FlaskForm):
    survivor_id = IntegerField(validators=[InputRequired()])
    confirm = BooleanField(_l("I have checked the values; merge these two customers."),
                           validators=[InputRequired(_l("Tick the box to confirm."))])
