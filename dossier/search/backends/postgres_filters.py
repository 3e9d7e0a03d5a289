"""The WHERE clause of a document search: visibility, field filters, and the policy class.

The class of a document is computed at query time from Visibility.rules on the row's
status and end date, with the conditions of dossier/documents/policy.py, so a policy
change needs no reindexing. A document has class C for the searcher when it has class C
for one of its scopes the searcher may see (so it may be static and dynamic at once).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    any_,
    case,
    cast,
    false,
    literal,
    literal_column,
    null,
    or_,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.types import Text

from dossier.documents.policy import CLOSED_STATUSES, ISO_DATE_SHAPE, OPEN_STATUSES
from dossier.search.backends.base import PolicyRuleView, Visibility
from dossier.search.backends.postgres_schema import search_document as sd
from dossier.search.query import ParsedQuery

STATIC, DYNAMIC = "static", "dynamic"


def _current(today: date) -> ColumnElement[bool]:
    # As policy._sql_is_current: no end date, or one not shaped like a date, is current.
    return or_(sd.c.end_date.not_like(ISO_DATE_SHAPE), sd.c.end_date >= today.isoformat())


def _expired(today: date) -> ColumnElement[bool]:
    return and_(sd.c.end_date.like(ISO_DATE_SHAPE), sd.c.end_date < today.isoformat())


CONDITIONS: dict[str, Callable[[date], ColumnElement[bool]]] = {
    "always": lambda today: true(),
    "open": lambda today: sd.c.status.in_(OPEN_STATUSES),
    "closed": lambda today: sd.c.status.in_(CLOSED_STATUSES),
    "current": _current,
    "expired": _expired,
}


def class_value(document_class: str) -> ColumnElement[str]:
    """A class as an SQL constant. Not a bound parameter: SQLAlchemy's case() formats the
    repr of each bound result once (~1.5 ms each, it inspects the type's signature)."""
    if document_class not in (STATIC, DYNAMIC):
        raise ValueError(f"not a document class: {document_class!r}")
    return literal_column(f"'{document_class}'", Text)


def _scope_class(rules: list[PolicyRuleView], today: date) -> ColumnElement[str]:
    """The row's class for one scope: the first rule of its type whose condition holds."""
    whens = [(and_(sd.c.type_id == rule.type_id, CONDITIONS[rule.condition](today)),
              class_value(rule.document_class))
             for rule in rules if rule.condition in CONDITIONS]
    return case(*whens, else_=class_value(STATIC)) if whens else class_value(STATIC)


def class_in_scope(visibility: Visibility, scope: str) -> ColumnElement[str]:
    """The row's class for `scope`, NULL when the row is not in that scope."""
    rules = [rule for rule in visibility.rules if rule.scope == scope]
    return case((literal(scope, Text) == any_(sd.c.scopes),
                 _scope_class(rules, visibility.today)), else_=null())


def has_class(visibility: Visibility, wanted: str) -> ColumnElement[bool]:
    """True when the row has class `wanted` for one of its scopes the searcher sees."""
    return or_(false(), *(class_in_scope(visibility, scope) == wanted
                          for scope in sorted(visibility.scopes)))


def _text_array(values: tuple[str, ...] | frozenset[str]) -> ColumnElement[Any]:
    return cast(array(sorted(values), type_=Text), ARRAY(Text))


def conditions(query: ParsedQuery, visibility: Visibility) -> list[ColumnElement[bool]]:
    """Everything but the text: scopes the searcher sees, then the query's filters."""
    where = [sd.c.scopes.overlap(_text_array(visibility.scopes))]
    if query.types:
        where.append(sd.c.type_code.in_(query.types))
    if query.customers:
        where.append(sd.c.customer_numbers.overlap(_text_array(query.customers)))
    if query.scopes:
        where.append(sd.c.scopes.overlap(_text_array(query.scopes)))
    if query.storages:
        where.append(sd.c.storage.in_(query.storages))
    if query.dates and query.dates.start:
        where.append(sd.c.document_date >= query.dates.start)
    if query.dates and query.dates.end:
        where.append(sd.c.document_date <= query.dates.end)
    if query.classes:
        where.append(or_(*(has_class(visibility, wanted) for wanted in query.classes)))
    return where
