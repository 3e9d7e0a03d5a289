"""The archive screens' forms: locations, items, label sheets and the scan station."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from dossier.archive.labels import DEFAULT_LAYOUT, LAYOUTS
from dossier.archive.locations import MAX_NAME_LENGTH
from dossier.archive.models import KIND_LABELS, LocationKind
from dossier.archive.overview import Node, walk

MAX_LABELS = 2000


def _optional_int(value: object) -> int | None:
    return int(str(value)) if value not in (None, "", "None") else None


class LocationForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind.value, label) for kind, label in
                                            KIND_LABELS.items()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)])
    parent = SelectField(_l("Inside"), coerce=_optional_int, validate_choice=False,
                         description=_l("Leave empty for a site."))
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1)],
                            description=_l("How many originals and boxes it holds directly; "
                                           "empty for no limit."))


class LocationEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1)],
                            description=_l("Empty for no limit."))
    active = BooleanField(_l("In use"), description=_l(
        "Untick to retire a location; it must be empty first."))


class LocationMoveForm(FlaskForm):
    to = SelectField(_l("Move to"), coerce=_optional_int, validate_choice=False,
                     validators=[InputRequired(_l("Choose where it goes."))])


class ItemForm(FlaskForm):
    home = SelectField(_l("Home location"), coerce=_optional_int, validate_choice=False,
                       description=_l("Where the original belongs: checking it in puts it "
                                      "back there."))


class LabelSheetForm(FlaskForm):
    """GET: printing labels changes nothing."""

    class Meta:
        csrf = False

    codes = TextAreaField(_l("Codes"), validators=[DataRequired(_l("Give at least one code."))],
                          description=_l("Codes of originals, locations, boxes or badges, one "
                                         "per line (or scan them here)."))
    layout = SelectField(_l("Label sheet"), default=DEFAULT_LAYOUT,
                         choices=[SelectChoice(key, layout.name)
                                  for key, layout in LAYOUTS.items()])
    skip = IntegerField(_l("Labels already used on the first sheet"), default=0,
                        validators=[Optional(), NumberRange(min=0, max=100)])


class BorrowerForm(FlaskForm):
    person = SelectField(_l("Borrower"), coerce=_optional_int, validate_choice=False)
    due_on = DateField(_l("Due back"), validators=[Optional()])


def location_choices(nodes: list[Node], *, blank: str | None = None,
                     exclude_boxes: bool = False) -> list[SelectChoice]:
    """The locations indented by depth, in tree order, for a select."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    for node, depth in walk(nodes):
        location = node.location
        if exclude_boxes and location.is_box:
            continue
        indent = "\u00a0\u00a0" * depth
        kind = KIND_LABELS[LocationKind(location.kind)]
        choices.append(SelectChoice(str(location.id), f"{indent}{location.name} ({kind})"))
    return choices
