"""Forms for customers (key fields plus the custom fields a user may edit) and field admin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from dossier.auth.roles import ALL_SCOPES
from dossier.customers.models import Channel, CustomerKind, CustomerStatus, CustomField
from dossier.customers.services import custom_field_name

KIND_LABELS = {CustomerKind.PERSON.value: _l("Person"),
               CustomerKind.ORGANISATION.value: _l("Organisation")}
CHANNEL_LABELS = {
    Channel.EMAIL.value: _l("E-mail"), Channel.PHONE.value: _l("Phone"),
    Channel.POST.value: _l("Post"), Channel.SMS.value: _l("Text message"),
    Channel.APP.value: _l("App"), Channel.COUNTER.value: _l("Counter"),
}
STATUS_LABELS = {CustomerStatus.PROSPECT.value: _l("Prospect"),
                 CustomerStatus.ACTIVE.value: _l("Active"),
                 CustomerStatus.INACTIVE.value: _l("Inactive")}
# "Number" alone is also the customer number column; the context keeps them apart.
TYPE_LABELS = {"text": _l("Text"), "number": lazy_pgettext("field type", "Number"),
               "money": _l("Amount of money"), "date": _l("Date"), "boolean": _l("Yes / no"),
               "choice": _l("Choice from a list")}
SCOPE_LABELS = {"sales": _l("Sales"), "care": _l("Care"), "loyalty": _l("Loyalty")}


def _options(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


YES_NO = _options({"": "—", "yes": _l("Yes"), "no": _l("No")})


class CustomerForm(FlaskForm):
    """The key fields; the service checks them, so messages are the same for every caller."""

    number = StringField(_l("Customer number"))
    kind = SelectField(_l("Kind"), choices=_options(KIND_LABELS), validate_choice=False)
    initials = StringField(_l("Initials"))
    first_name = StringField(_l("First name"))
    infix = StringField(_l("Infix"), description=_l("For example: van, de, van der"))
    last_name = StringField(_l("Last name"))
    organisation_name = StringField(_l("Organisation name"))
    street = StringField(_l("Street"))
    house_number = StringField(_l("House number"))
    house_number_addition = StringField(_l("Addition"))
    postcode = StringField(_l("Postcode"))
    city = StringField(_l("City"))
    country = StringField(_l("Country"), default="NL",
                          description=_l("Two-letter code, e.g. NL or BE."))
    email = StringField(_l("E-mail"))
    phone = StringField(_l("Phone"))
    date_of_birth = StringField(_l("Date of birth"))
    preferred_channel = SelectField(_l("Preferred channel"), choices=_options(CHANNEL_LABELS),
                                    validate_choice=False)
    status = SelectField(_l("Status"), choices=_options(STATUS_LABELS), default="active",
                         validate_choice=False)

    def key_data(self) -> dict[str, Any]:
        return {name: field.data for name, field in self._fields.items()
                if not name.startswith("cf_") and name != "csrf_token"}


def _custom_input(field: CustomField) -> Any:
    options: dict[str, Any] = {"description": field.help_text,
                               "render_kw": {"required": True} if field.required else {}}
    if field.field_type == "boolean":
        return SelectField(field.label, choices=YES_NO, validate_choice=False, **options)
    if field.field_type == "choice":
        choices = _options({"": "—"} | {choice: choice for choice in field.choices})
        return SelectField(field.label, choices=choices, validate_choice=False, **options)
    if field.field_type == "text":
        return TextAreaField(field.label, **options)
    return StringField(field.label, **options)


def customer_form_class(editable: list[CustomField]) -> type[CustomerForm]:
    """CustomerForm with one input per custom field the user may edit."""
    inputs = {custom_field_name(field): _custom_input(field) for field in editable}
    return type("CustomerWithFieldsForm", (CustomerForm,), inputs)


def custom_input_data(form: CustomerForm, editable: list[CustomField]) -> dict[str, Any]:
    return {field.key: form[custom_field_name(field)].data for field in editable}


def show_errors(form: FlaskForm, errors: Mapping[str, str]) -> None:
    """Put each message beside its field; a message for a field the form lacks is flashed."""
    for name, message in errors.items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            flash(message, "error")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class FieldDefinitionForm(FlaskForm):
    label = StringField(_l("Label"))
    field_type = SelectField(_l("Type"), choices=_options(TYPE_LABELS), validate_choice=False)
    choices = TextAreaField(_l("Choices"), description=_l("One per line; only for a choice."))
    scopes = MultiCheckboxField(_l("Visible to"), choices=_options(
        {scope: SCOPE_LABELS[scope] for scope in ALL_SCOPES}), validate_choice=False)
    required = BooleanField(_l("Required"))
    help_text = StringField(_l("Help text"))
    position = IntegerField(_l("Position"), default=0, validators=[Optional()],
                            description=_l("Fields are shown from low to high."))


class NewFieldForm(FieldDefinitionForm):
    key = StringField(_l("Key"), validators=[InputRequired()],
                      description=_l("Lower-case letters, digits and _; cannot change later."))
