"""Forms for documents (with one input per key point of the chosen type) and their admin."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import CheckboxInput, ListWidget

from dossier.auth.roles import ALL_SCOPES
from dossier.documents.key_points import MAX_TEXT, label
from dossier.documents.models import DocumentType
from dossier.documents.policy import CONDITIONS

KEY_POINT_FIELD_PREFIX = "kp_"
SCOPE_LABELS = {"sales": _l("Sales"), "care": _l("Care"), "loyalty": _l("Loyalty")}
CLASS_LABELS = {"dynamic": _l("dynamic"), "static": _l("static")}


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _RequiredMark:
    """Marks a field required for the label's asterisk; the type's schema does the check."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Field) -> None:
        return None


class TypeChoiceForm(FlaskForm):
    """Step one of a new document: which type (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    type = SelectField(_l("Document type"), validate_choice=False)
    customer = HiddenField()


class DocumentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    document_date = DateField(_l("Document date"), validators=[DataRequired()])
    customers = StringField(
        _l("Customers"), validators=[DataRequired(), Length(max=500)],
        description=_l("One or more customer numbers, separated by commas."))
    scopes = MultiCheckboxField(_l("Scopes"), validate_choice=True)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    paper_original = BooleanField(_l("The paper original is kept"))
    legal_hold = BooleanField(_l("Legal hold (never destroy while it lasts)"))
    legal_hold_reason = StringField(_l("Reason for the legal hold"),
                                    validators=[Optional(), Length(max=300)])
    file = FileField(_l("File"), description=_l(
        "Optional. PDF, PNG, JPEG, TIFF or plain text. A new file becomes a new version."))

    def key_point_fields(self) -> list[Field]:
        return [f for f in self if f.name.startswith(KEY_POINT_FIELD_PREFIX)]

    def key_point_data(self) -> dict[str, str]:
        """The submitted key points as strings, by key."""
        size = len(KEY_POINT_FIELD_PREFIX)
        return {f.name[size:]: "" if f.data is None else str(f.data)
                for f in self.key_point_fields()}


def _key_point_field(spec: dict[str, Any]) -> Field:
    text = label(spec)
    validators: list[Any] = [_RequiredMark()] if spec.get("required") else []
    kind = spec.get("type", "text")
    if kind == "boolean":
        return BooleanField(text)
    if kind == "choice":
        choices = [SelectChoice("", "—"), *[SelectChoice(c, c) for c in spec.get("choices") or []]]
        return SelectField(text, choices=choices, validators=validators,
                           validate_choice=False)
    render_kw: dict[str, Any] = {"maxlength": MAX_TEXT}
    if kind == "date":
        render_kw = {"type": "date"}
    elif kind in {"number", "money"}:
        render_kw = {"inputmode": "decimal"}
    return StringField(text, validators=validators, render_kw=render_kw)


def document_form_class(document_type: DocumentType) -> type[DocumentForm]:
    """A DocumentForm with one field per key point of `document_type`, named kp_<key>."""
    fields = {KEY_POINT_FIELD_PREFIX + spec["key"]: _key_point_field(spec)
              for spec in document_type.key_point_schema or []}
    return type("TypedDocumentForm", (DocumentForm,), fields)


def scope_choices(scopes: list[str]) -> list[SelectChoice]:
    return [SelectChoice(scope, SCOPE_LABELS.get(scope, scope))
            for scope in ALL_SCOPES if scope in scopes]


def type_choices(types: list[DocumentType], locale: str) -> list[SelectChoice]:
    return [SelectChoice(t.code, t.name(locale)) for t in types]


class DocumentTypeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[a-z][a-z0-9_]*$", message=_l("Lower case letters, digits and _ only."))],
        description=_l("A short fixed name used on cover sheets and in links."))
    name_nl = StringField(_l("Name (Dutch)"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=80)])
    scopes = MultiCheckboxField(_l("Scopes"), choices=scope_choices(list(ALL_SCOPES)))
    retention_months = IntegerField(_l("Retention period (months)"), validators=[
        InputRequired(), NumberRange(min=1, max=1200)])
    retention_basis = StringField(_l("Legal basis of the retention period"),
                                  validators=[DataRequired(), Length(max=300)])
    active = BooleanField(_l("Active (offered for new documents)"), default=True)
    key_point_schema = TextAreaField(
        _l("Key points"), validators=[Optional(), Length(max=10000)],
        description=_l("One key point per line: key|Label NL|Label EN|type|required|choices. "
                       "Types: text, number, money, date, boolean, choice. Example: "
                       "status|Status|Status|choice|required|open,closed"),
        render_kw={"rows": 8, "spellcheck": "false"})


class PolicyRuleForm(FlaskForm):
    scope = SelectField(_l("Scope"), choices=scope_choices(list(ALL_SCOPES)))
    document_type_id = SelectField(_l("Document type"), coerce=int)
    condition = SelectField(_l("Condition"),
                            choices=[SelectChoice(name, text)
                                     for name, (text, _f) in CONDITIONS.items()])
    document_class = SelectField(_l("Class"), choices=[SelectChoice(name, text)
                                                       for name, text in CLASS_LABELS.items()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)],
                         description=_l("Completes the sentence \"dynamic for sales because "
                                        "...\"."))
