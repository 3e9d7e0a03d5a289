"""The scope policy: which class (dynamic or static) a document has for each scope, and why."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, true

from dossier.documents.models import DocumentClass, PolicyRule
from dossier.extensions import db

OPEN_STATUSES = ("open", "in_progress")
CLOSED_STATUSES = ("closed", "resolved")
ISO_DATE_SHAPE = "____-__-__"  # key points store dates as YYYY-MM-DD


def _status(points: dict[str, Any]) -> str:
    return str(points.get("status") or "").lower()


def _end_date(points: dict[str, Any]) -> date | None:
    raw = points.get("end_date")
    if not raw:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


def _is_current(points: dict[str, Any], today: date) -> bool:
    end = _end_date(points)
    return end is None or end >= today


Condition = Callable[[dict[str, Any], date], bool]
CONDITIONS: dict[str, tuple[Any, Condition]] = {
    "always": (_l("always"), lambda points, today: True),
    "open": (_l("while open"), lambda points, today: _status(points) in OPEN_STATUSES),
    "closed": (_l("once closed"), lambda points, today: _status(points) in CLOSED_STATUSES),
    "current": (_l("while current"), _is_current),
    "expired": (_l("once expired"), lambda points, today: not _is_current(points, today)),
}


def _sql_status(points: Any) -> ColumnElement[str]:
    return func.lower(points["status"].as_string())


def _sql_end_date(points: Any) -> ColumnElement[str]:
    return points["end_date"].as_string()


def _sql_is_current(points: Any, today: date) -> ColumnElement[bool]:
    # _is_current for dates as key points store them (YYYY-MM-DD, compared as text);
    # no end date, or one that is not shaped like a date, counts as current there too.
    end = _sql_end_date(points)
    return or_(func.coalesce(end, "").not_like(ISO_DATE_SHAPE), end >= today.isoformat())


def _sql_is_expired(points: Any, today: date) -> ColumnElement[bool]:
    end = _sql_end_date(points)
    return and_(end.like(ISO_DATE_SHAPE), end < today.isoformat())


# The same conditions in SQL, so the database can count and page a dossier by class.
SqlCondition = Callable[[Any, date], ColumnElement[bool]]
SQL_CONDITIONS: dict[str, SqlCondition] = {
    "always": lambda points, today: true(),
    "open": lambda points, today: _sql_status(points).in_(OPEN_STATUSES),
    "closed": lambda points, today: _sql_status(points).in_(CLOSED_STATUSES),
    "current": _sql_is_current,
    "expired": _sql_is_expired,
}
# A rule with a condition is more specific than "always" and is tried first.
CONDITION_ORDER = {name: index for index, name in enumerate(("open", "closed", "current",
                                                              "expired", "always"))}
# A scope as it reads inside the explanation sentence ("dynamic for care because ...").
SCOPE_IN_SENTENCE = {"sales": _l("sales"), "care": _l("care"), "loyalty": _l("loyalty")}


@dataclass(frozen=True)
class Classification:
    scope: str
    document_class: DocumentClass
    explanation: str
    rule_id: int | None

    @property
    def is_dynamic(self) -> bool:
        return self.document_class == DocumentClass.DYNAMIC


@dataclass(frozen=True)
class _Rule:
    id: int
    scope: str
    document_type_id: int
    condition: str
    document_class: str
    reason: str


class PolicyBook:
    """All rules in memory, so classifying thousands of documents costs one query."""

    def __init__(self, rules: Iterable[PolicyRule]) -> None:
        self._rules: dict[tuple[str, int], list[_Rule]] = {}
        for rule in rules:
            frozen = _Rule(rule.id, rule.scope, rule.document_type_id, rule.condition,
                           rule.document_class, rule.reason)
            self._rules.setdefault((rule.scope, rule.document_type_id), []).append(frozen)
        for candidates in self._rules.values():
            candidates.sort(key=lambda r: CONDITION_ORDER.get(r.condition, 99))

    @classmethod
    def load(cls) -> PolicyBook:
        return cls(db.session.scalars(select(PolicyRule)).all())

    def classify(self, document: Any, scope: str, today: date | None = None) -> Classification:
        return self.classify_values(document.document_type_id, document.key_points or {},
                                    scope, today)

    def classify_values(self, type_id: int, points: dict[str, Any], scope: str,
                        today: date | None = None) -> Classification:
        today = today or date.today()
        for rule in self._rules.get((scope, type_id), []):
            condition = CONDITIONS.get(rule.condition)
            if condition and condition[1](points, today):
                return Classification(scope, DocumentClass(rule.document_class),
                                      _explain(rule, scope), rule.id)
        return Classification(scope, DocumentClass.STATIC, _explain_default(scope), None)

    def class_expression(self, scope: Any, type_id: Any, points: Any,
                         today: date) -> ColumnElement[str]:
        """SQL giving classify_values' class ("dynamic" or "static") for each row.

        `scope`, `type_id` and `points` are the row's columns (points: JSON key points).
        """
        static = DocumentClass.STATIC.value
        by_scope: dict[str, list[tuple[ColumnElement[bool], str]]] = {}
        for (rule_scope, rule_type), candidates in self._rules.items():
            rules = [rule for rule in candidates if rule.condition in SQL_CONDITIONS]
            while rules and rules[-1].document_class == static:
                rules.pop()  # the default says static too: fewer tests per row
            by_scope.setdefault(rule_scope, []).extend(
                (and_(type_id == rule_type, SQL_CONDITIONS[rule.condition](points, today)),
                 rule.document_class) for rule in rules)
        per_scope = {name: case(*whens, else_=static)
                     for name, whens in by_scope.items() if whens}
        if not per_scope:
            return literal(static)
        return case(per_scope, value=scope, else_=static)

    def classes(self, document: Any, scopes: Iterable[str]) -> dict[str, Classification]:
        return {scope: self.classify(document, scope) for scope in scopes}

    def handled_as_dynamic(self, document: Any) -> bool:
        """A document is scanned when any of its scopes says dynamic."""
        return any(self.classify(document, s).is_dynamic for s in document.scopes)


def _class_label(document_class: str) -> str:
    return _("dynamic") if document_class == DocumentClass.DYNAMIC else _("static")


def _explain(rule: _Rule, scope: str) -> str:
    return _("%(cls)s for %(scope)s because %(reason)s: rule #%(id)s",
             cls=_class_label(rule.document_class), scope=_scope_in_sentence(scope),
             reason=_(rule.reason) if rule.reason else "", id=rule.id)


def _explain_default(scope: str) -> str:
    return _("static for %(scope)s because no rule makes this type dynamic there: "
             "paper that is rarely consulted stays in the archive (default)",
             scope=_scope_in_sentence(scope))


def _scope_in_sentence(scope: str) -> str:
    return str(SCOPE_IN_SENTENCE.get(scope, scope))


def classify(document: Any, scope: str, today: date | None = None) -> Classification:
    """The class of `document` for `scope` with a human explanation."""
    return PolicyBook.load().classify(document, scope, today)
