"""Forms of the scan screens: upload, and assigning parts in triage one by one or in bulk."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Field, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from dossier.documents.forms import MultiCheckboxField, scope_choices, type_choices
from dossier.documents.models import DocumentType


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Files"), description=_l(
        "PDF, TIFF, PNG or JPEG. Choose several at once; each becomes its own job."))


class _AtLeastOne:
    """Like DataRequired for a list, without the `required` flag: a browser would then
    demand every checkbox of the list."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data:
            raise ValidationError(str(self.message))


class AssignForm(FlaskForm):
    customer = StringField(_l("Customer number"), validators=[DataRequired(), Length(max=20)],
                           render_kw={"autocomplete": "off", "spellcheck": "false"})
    document_type = SelectField(_l("Document type"), validators=[
        InputRequired(_l("Choose a document type."))])
    scopes = MultiCheckboxField(_l("Scopes"), validators=[
        _AtLeastOne(_l("Choose at least one scope."))], description=_l(
        "The scope policy then decides, per scope, whether the document is dynamic or "
        "static."))

    def offer(self, types: list[DocumentType], scopes: list[str], locale: str) -> None:
        """The types and scopes this user may file under; one scope is chosen for them."""
        # No type is chosen for them: the first in the list would file letters as anything.
        self.document_type.choices = [("", "—"), *type_choices(types, locale)]
        self.scopes.choices = scope_choices(scopes)
        if not self.is_submitted() and len(scopes) == 1:
            self.scopes.data = list(scopes)


class BulkAssignForm(AssignForm):
    items = SelectMultipleField(_l("Parts"), coerce=int, validate_choice=False, validators=[
        _AtLeastOne(_l("Select at least one part in the list."))])
