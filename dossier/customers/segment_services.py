"""Save, change and delete segments; each change is audited, the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from dossier.auth.permissions import writable_scopes
from dossier.compliance.audit import AuditAction, record
from dossier.customers.segment_conditions import Condition, ConditionInvalid, check_condition
from dossier.customers.segment_models import Segment, SegmentMatch
from dossier.customers.segments import field_refs_for
from dossier.extensions import db

MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_CONDITIONS = 20
MATCHES = tuple(m.value for m in SegmentMatch)


class SegmentInvalid(ValueError):
    """The segment cannot be saved; `errors` maps a field (or "condition-N") to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class SegmentInput:
    name: str
    scope: str
    match: str = SegmentMatch.ALL.value
    description: str = ""
    conditions: list[Condition] = field(default_factory=list)


def check_conditions(actor: Any, conditions: list[Condition]) -> dict[str, str]:
    """A message per condition `actor` cannot use (numbered from 1, as on the page)."""
    refs = field_refs_for(actor)
    errors: dict[str, str] = {}
    for number, condition in enumerate(conditions, start=1):
        try:
            check_condition(condition, refs)
        except ConditionInvalid as error:
            errors[f"condition-{number}"] = _("Condition %(n)s: %(problem)s", n=number,
                                              problem=str(error))
    return errors


def _check(actor: Any, data: SegmentInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = _("Give the segment a name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("A name is at most %(max)s characters long.", max=MAX_NAME)
    if len(data.description) > MAX_DESCRIPTION:
        errors["description"] = _("Use at most %(n)s characters.", n=MAX_DESCRIPTION)
    if data.scope not in writable_scopes(actor):
        errors["scope"] = _("Choose among the scopes offered.")
    if data.match not in MATCHES:
        errors["match"] = _("Choose one of the options.")
    if not data.conditions:
        errors["conditions"] = _("Add at least one condition.")
    elif len(data.conditions) > MAX_CONDITIONS:
        errors["conditions"] = _("A segment has at most %(max)s conditions.", max=MAX_CONDITIONS)
    errors.update(check_conditions(actor, data.conditions))
    return errors


def create_segment(actor: Any, data: SegmentInput) -> Segment:
    errors = _check(actor, data)
    if errors:
        raise SegmentInvalid(errors)
    segment = Segment(name=data.name.strip(), scope=data.scope, match=data.match,
                      description=data.description.strip(),
                      conditions=[c.as_dict() for c in data.conditions],
                      created_by_id=getattr(actor, "id", None))
    db.session.add(segment)
    db.session.flush()
    record(actor, AuditAction.CREATE, segment, scope=segment.scope,
           details={"name": segment.name, "conditions": segment.conditions,
                    "match": segment.match})
    db.session.flush()
    return segment


def update_segment(actor: Any, segment: Segment, data: SegmentInput) -> bool:
    """Save the new definition; False when nothing changed."""
    errors = _check(actor, data)
    if errors:
        raise SegmentInvalid(errors)
    new = {"name": data.name.strip(), "scope": data.scope, "match": data.match,
           "description": data.description.strip(),
           "conditions": [c.as_dict() for c in data.conditions]}
    changed = [name for name, value in new.items() if getattr(segment, name) != value]
    for name in changed:
        setattr(segment, name, new[name])
    if changed:
        record(actor, AuditAction.UPDATE, segment, scope=segment.scope,
               details={"fields": changed, "conditions": segment.conditions})
        db.session.flush()
    return bool(changed)


def delete_segment(actor: Any, segment: Segment) -> None:
    record(actor, AuditAction.DELETE, segment, scope=segment.scope,
           details={"name": segment.name, "conditions": segment.conditions})
    db.session.delete(segment)
    db.session.flush()
