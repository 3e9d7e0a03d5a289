"""The segment builder's form: name, scope, AND/OR, and numbered condition rows
(field-N, op-N, value-N) that a page without JavaScript can grow by submitting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from dossier.customers.segment_conditions import Condition
from dossier.customers.segment_models import Segment
from dossier.customers.segment_services import MAX_CONDITIONS, SegmentInput
from dossier.documents.forms import scope_choices

MATCH_LABELS = {"all": _l("all conditions hold (and)"), "any": _l("any condition holds (or)")}
BLANK_ROWS = 2


class SegmentForm(FlaskForm):
    name = StringField(_l("Name"), description=_l(
        "E.g. “Loyalty: spent more than 1,000 in 2025, no open complaint”."))
    description = TextAreaField(_l("Description"), render_kw={"rows": 2})
    scope = SelectField(_l("Scope"), validate_choice=False,
                        description=_l("Everyone in this scope sees and can use the segment."))
    match = SelectField(_l("Customers for whom"), validate_choice=False,
                        choices=[SelectChoice(v, label) for v, label in MATCH_LABELS.items()])

    def offer_scopes(self, scopes: list[str]) -> None:
        self.scope.choices = scope_choices(scopes)


@dataclass(frozen=True)
class ConditionRow:
    number: int
    condition: Condition


def conditions_from(form_data: Mapping[str, str]) -> list[Condition]:
    """The filled-in condition rows of a submitted builder, in row order."""
    conditions = []
    for number in range(1, MAX_CONDITIONS + BLANK_ROWS + 1):
        field = (form_data.get(f"field-{number}") or "").strip()
        if field:
            conditions.append(Condition(field, (form_data.get(f"op-{number}") or "").strip(),
                                        (form_data.get(f"value-{number}") or "")[:200]))
    return conditions


def condition_rows(conditions: list[Condition], extra: int = BLANK_ROWS) -> list[ConditionRow]:
    """The rows to show: the conditions, then `extra` blank ones to fill in."""
    rows = [*conditions, *(Condition("", "=", "") for _ in range(extra))]
    return [ConditionRow(n, c) for n, c in enumerate(rows[:MAX_CONDITIONS], start=1)]


def segment_input(form: SegmentForm, conditions: list[Condition]) -> SegmentInput:
    return SegmentInput(name=form.name.data or "", scope=form.scope.data or "",
                        match=form.match.data or "all", description=form.description.data or "",
                        conditions=conditions)


def form_for(segment: Segment) -> dict[str, str]:
    return {"name": segment.name, "description": segment.description,
            "scope": segment.scope, "match": segment.match}
