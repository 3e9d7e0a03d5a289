"""Forms for derived fields: the definition, with help and examples beside each input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from dossier.auth.roles import ALL_SCOPES
from dossier.customers.forms import SCOPE_LABELS, MultiCheckboxField
from dossier.documents.models import DocumentType

FUNCTION_LABELS = {
    "count": _l("Count"), "sum": _l("Sum"), "min": _l("Lowest"), "max": _l("Highest"),
    "latest": _l("Latest value"), "months_since": _l("Months since the latest"),
}
SOURCE_LABELS = {"documents": _l("Documents"), "interactions": _l("Contact moments"),
                 "complaints": _l("Complaints")}
PERIOD_LABELS = {"all": _l("All time"), "year": _l("One calendar year"),
                 "months": _l("The last months")}
VALUE_TYPE_LABELS = {"number": _l("Number"), "money": _l("Amount of money"),
                     "text": _l("Text"), "date": _l("Date")}


def _options(labels: dict[str, object]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class DerivedFieldForm(FlaskForm):
    label = StringField(_l("Label"), description=_l("As users see it, e.g. “Spent in 2025”."))
    function = SelectField(_l("Function"), choices=_options(FUNCTION_LABELS),
                           validate_choice=False,
                           description=_l("Count rows; sum, lowest or highest of a value; the "
                                          "latest value; or months since the latest row."))
    source = SelectField(_l("Computed from"), choices=_options(SOURCE_LABELS),
                         validate_choice=False)
    document_type_id = SelectField(_l("Document type"), validate_choice=False,
                                   description=_l("Only for documents; empty: every type."))
    attribute = StringField(
        _l("Value"),
        description=_l("What is summed, compared or taken. Documents: a key point such as "
                       "amount, or document_date. Contact moments: channel, direction, "
                       "scope, subject or occurred_at. Complaints: status, scope, subject "
                       "or opened_at. Not needed for count and months since."))
    conditions = TextAreaField(
        _l("Only rows where"), render_kw={"rows": 3},
        description=_l("One per line, name = allowed values separated by commas. Examples: "
                       "“status = open, in_progress” (complaints), “channel = phone” "
                       "(contact moments), “status = open” (a key point of documents)."))
    period = SelectField(_l("Period"), choices=_options(PERIOD_LABELS), validate_choice=False)
    period_year = IntegerField(_l("Year"), validators=[Optional()],
                               description=_l("For one calendar year, e.g. 2025."))
    period_months = IntegerField(_l("Months"), validators=[Optional()],
                                 description=_l("For the last months, e.g. 12."))
    scopes = MultiCheckboxField(_l("Visible to"), choices=_options(
        {scope: SCOPE_LABELS[scope] for scope in ALL_SCOPES}), validate_choice=False)
    help_text = StringField(_l("Help text"))
    position = IntegerField(_l("Position"), default=0, validators=[Optional()],
                            description=_l("Fields are shown from low to high."))
    sample = StringField(_l("Preview for customer number"),
                         description=_l("Shows the value this definition gives one customer, "
                                        "without saving."))

    def offer_types(self, types: list[DocumentType], locale: str) -> None:
        self.document_type_id.choices = [SelectChoice("", "—"), *(
            SelectChoice(str(t.id), t.name(locale)) for t in types)]


class NewDerivedFieldForm(DerivedFieldForm):
    key = StringField(_l("Key"), validators=[InputRequired()],
                      description=_l("Lower-case letters, digits and _; cannot change later. "
                                     "E.g. spent_2025."))
