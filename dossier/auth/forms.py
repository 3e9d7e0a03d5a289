"""Forms for signing in, the own account page and the admin's user pages."""

from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from dossier.auth.roles import ALL_ROLES
from dossier.auth.services import MIN_PASSWORD_LENGTH, UserError
from dossier.web.locale import LOCALE_NAMES
from dossier.web.presentation import ROLE_LABELS

_PASSWORD_HELP = _l("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
_PASSWORD_LENGTH = Length(min=MIN_PASSWORD_LENGTH, max=200,
                          message=_l("Use between %(min)d and %(max)d characters."))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), _PASSWORD_LENGTH],
        description=_PASSWORD_HELP,
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", _l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[
        SelectChoice(code, name, render_kw={"lang": code}) for code, name in LOCALE_NAMES.items()
    ])
    submit = SubmitField(_l("Save language"))


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes (roles)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, ROLE_LABELS.get(role, role)) for role in ALL_ROLES]


class _UserFields(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    roles = MultiCheckboxField(_l("Roles"), choices=_role_choices(), validate_choice=True)


class NewUserForm(_UserFields):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[A-Za-z0-9._@-]+$",
                   message=_l("Use letters, digits and . _ @ - only (no spaces).")),
        ],
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), _PASSWORD_LENGTH],
        description=_PASSWORD_HELP,
    )


class EditUserForm(_UserFields):
    active = BooleanField(_l("Active (may log in)"))
    password = PasswordField(
        _l("New password"),
        validators=[Optional(), _PASSWORD_LENGTH],
        description=_l("Leave empty to keep the current password."),
    )


def show_error(form: FlaskForm, error: UserError) -> None:
    """Put a refused operation's message beside its field, or flash it when it has none."""
    if error.field is not None and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
