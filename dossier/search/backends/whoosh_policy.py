"""The scope policy as Whoosh queries, so class: filters and counts are computed at query
time from the rules in force (a policy change needs no reindexing).

Mirrors documents/policy.py: per (scope, document type) the rules are tried in
CONDITION_ORDER, the first whose condition holds gives the class, none gives static.
End dates compare as YYYY-MM-DD text like the SQL version; the index holds only end
dates shaped like that (whoosh_schema), anything else counts as current there too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from whoosh.query import And, Every, Not, NullQuery, Or, Query, Term, TermRange

from dossier.documents.models import DocumentClass
from dossier.documents.policy import CLOSED_STATUSES, CONDITION_ORDER, OPEN_STATUSES
from dossier.search.backends.base import PolicyRuleView, Visibility

DYNAMIC, STATIC = DocumentClass.DYNAMIC.value, DocumentClass.STATIC.value


def condition_query(condition: str, today: date) -> Query | None:
    """Documents for which `condition` holds; None for a condition the policy ignores."""
    expired = TermRange("end_date", None, today.isoformat(), endexcl=True, constantscore=True)
    if condition == "always":
        return Every()
    if condition == "open":
        return Or([Term("status", status) for status in OPEN_STATUSES])
    if condition == "closed":
        return Or([Term("status", status) for status in CLOSED_STATUSES])
    if condition == "expired":
        return expired
    if condition == "current":
        return Not(expired)
    return None


def _rules_by_scope_and_type(rules: tuple[PolicyRuleView, ...]) -> dict[
        str, dict[int, list[PolicyRuleView]]]:
    grouped: dict[str, dict[int, list[PolicyRuleView]]] = defaultdict(lambda: defaultdict(list))
    for rule in rules:
        grouped[rule.scope][rule.type_id].append(rule)
    for by_type in grouped.values():
        for candidates in by_type.values():
            candidates.sort(key=lambda r: CONDITION_ORDER.get(r.condition, 99))
    return grouped


def _dynamic_for_type(candidates: list[PolicyRuleView], today: date) -> Query | None:
    """Documents of one type whose first holding rule says dynamic."""
    earlier: list[Query] = []  # conditions of the rules tried before
    outcomes: list[Query] = []
    for rule in candidates:
        holds = condition_query(rule.condition, today)
        if holds is None:
            continue
        if rule.document_class == DYNAMIC:
            outcomes.append(And([holds, Not(Or(list(earlier)))]) if earlier else holds)
        earlier.append(holds)
        if isinstance(holds, Every):
            break  # nothing after "always" is ever tried
    if not outcomes:
        return None
    return outcomes[0] if len(outcomes) == 1 else Or(outcomes)


def dynamic_query(scope_rules: dict[int, list[PolicyRuleView]], today: date) -> Query:
    """Documents (of any type) that are dynamic under one scope's rules."""
    per_type: list[Query] = []
    for type_id, candidates in sorted(scope_rules.items()):
        dynamic = _dynamic_for_type(candidates, today)
        if dynamic is not None:
            type_term = Term("type_id", str(type_id))
            per_type.append(type_term if isinstance(dynamic, Every)
                            else And([type_term, dynamic]))
    if not per_type:
        return NullQuery
    return per_type[0] if len(per_type) == 1 else Or(per_type)


def class_query(document_class: str, visibility: Visibility) -> Query:
    """Documents that have `document_class` for one of their scopes the searcher sees."""
    grouped = _rules_by_scope_and_type(visibility.rules)
    per_scope: list[Query] = []
    for scope in sorted(visibility.scopes):
        dynamic = dynamic_query(grouped.get(scope, {}), visibility.today)
        in_scope = Term("scope", scope)
        if document_class == DYNAMIC:
            if dynamic is not NullQuery:
                per_scope.append(And([in_scope, dynamic]))
        elif dynamic is NullQuery:
            per_scope.append(in_scope)
        else:
            per_scope.append(And([in_scope, Not(dynamic)]))
    if not per_scope:
        return NullQuery
    return per_scope[0] if len(per_scope) == 1 else Or(per_scope)
