"""Forms of the customer import: the upload, the column mapping and the confirmation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField
from wtforms.validators import InputRequired

from dossier.customers.imports_mapping import CUSTOM_PREFIX
from dossier.customers.imports_plan import RowAction
from dossier.customers.key_fields import KEY_FIELDS
from dossier.customers.merge_screen import field_label
from dossier.customers.models import CustomField

COLUMN_PREFIX = "column_"
ACTION_LABELS = {
    RowAction.CREATE.value: _l("new customer"),
    RowAction.UPDATE.value: _l("update"),
    RowAction.UNCHANGED.value: _l("no change"),
    RowAction.REJECT.value: _l("rejected"),
}


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose the file."))],
                     description=_l("CSV (separated by ; or ,) or Excel (.xlsx); the first "
                                    "row names the columns."))


def target_choices(fields: Sequence[CustomField]) -> list[SelectChoice]:
    choices = [SelectChoice("", _l("(do not import)"))]
    choices += [SelectChoice(name, field_label(name)) for name in KEY_FIELDS]
    choices += [SelectChoice(CUSTOM_PREFIX + f.key, f.label) for f in fields]
    return choices


def mapping_form_class(headers: Sequence[str], fields: Sequence[CustomField]) -> type[FlaskForm]:
    """A select per column of the file, named column_<index>."""
    choices = target_choices(fields)
    inputs: dict[str, Any] = {
        f"{COLUMN_PREFIX}{index}": SelectField(header or f"#{index + 1}", choices=choices,
                                               validate_choice=False)
        for index, header in enumerate(headers)}
    return type("MappingForm", (FlaskForm,), inputs)


def mapping_of(form: FlaskForm) -> dict[str, str]:
    return {name.removeprefix(COLUMN_PREFIX): str(field.data or "")
            for name, field in form._fields.items() if name.startswith(COLUMN_PREFIX)}


class ApplyForm(FlaskForm):
    """The counts the user saw travel with the confirmation (the apply compares them)."""

    create = HiddenField()
    update = HiddenField()
    unchanged = HiddenField()
    reject = HiddenField()
    skip_rejected = BooleanField(_l("Leave the rejected rows out and import the others."))
    confirm = BooleanField(_l("I have checked the dry run; import these customers."),
                           validators=[InputRequired(_l("Tick the box to confirm."))])

    def expected(self) -> dict[str, int]:
        counts = {}
        for action in RowAction:
            text = str(self[action.value].data or "")
            counts[action.value] = int(text) if text.isdigit() else -1
        return counts
