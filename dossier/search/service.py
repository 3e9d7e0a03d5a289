"""search(): parse, decide what the actor may see, ask the backend, load hits, audit."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from dossier.auth.permissions import Action, Feature, can
from dossier.auth.roles import ALL_SCOPES
from dossier.compliance.audit import AuditAction, record
from dossier.documents.models import DocumentType, PolicyRule
from dossier.documents.policy import CONDITION_ORDER
from dossier.extensions import db
from dossier.search.backends import get_backend
from dossier.search.backends.base import ORDERS, Backend, DocumentPage, PolicyRuleView, Visibility
from dossier.search.hits import load_customers_in_order, load_hits
from dossier.search.locks import rebuild_running
from dossier.search.query import ParsedQuery, QuerySyntaxError, parse
from dossier.search.results import SearchResults

MAX_PER_PAGE = 100
MAX_PAGE = 10_000
CUSTOMER_LIMIT = 10
EMPTY_PAGE = DocumentPage(ids=[], total=0, scores={}, facets={})


def run_search(text: str, actor: Any, filters: Mapping[str, Sequence[str]] | None = None,
               page: int = 1, per_page: int = 20, order: str = "relevance") -> SearchResults:
    """What `actor` may see for `text` (+ facet `filters`); see dossier.search.search."""
    query = parse(text)
    if filters:
        query = query.with_filters(**dict(filters))
    _check_type_codes(query)
    order = order if order in ORDERS else ORDERS[0]
    per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    page = min(max(int(page), 1), MAX_PAGE)
    results = SearchResults(query=query, text=text, hits=[], customers=[], total=0, page=page,
                            per_page=per_page, pages=0, order=order)
    if query.is_empty:
        return results
    backend = get_backend()
    results.notice = _index_notice(backend)
    visibility = visibility_for(actor)
    found = (backend.search_documents(query, visibility, page, per_page, order)
             if visibility.scopes else EMPTY_PAGE)
    results.hits = load_hits(found, query, actor, backend)
    results.total, results.facets = found.total, found.facets
    results.pages = math.ceil(found.total / per_page)
    if can(actor, Action.VIEW, Feature.CUSTOMERS) and (query.has_text or query.customers):
        scored = backend.search_customers(query, CUSTOMER_LIMIT)
        results.customers = load_customers_in_order([cid for cid, _score in scored])
    record(actor, AuditAction.SEARCH, object_type="search",
           details={"query": text, "filters": _filters_detail(filters), "page": page,
                    "total": results.total, "customers": len(results.customers)})
    return results


def visibility_for(actor: Any, today: date | None = None) -> Visibility:
    """The scopes whose documents `actor` may see and the policy rules for them."""
    scopes: frozenset[str] = frozenset()
    if can(actor, Action.VIEW, Feature.DOCUMENTS):
        scopes = frozenset(actor.scopes) & frozenset(ALL_SCOPES)
    rules: tuple[PolicyRuleView, ...] = ()
    if scopes:
        rows = list(db.session.execute(select(PolicyRule.scope, PolicyRule.document_type_id,
                                              PolicyRule.condition, PolicyRule.document_class)
                                       .where(PolicyRule.scope.in_(sorted(scopes)))))
        rows.sort(key=lambda r: (r.scope, r.document_type_id,
                                 CONDITION_ORDER.get(r.condition, 99)))
        rules = tuple(PolicyRuleView(r.scope, r.document_type_id, r.condition,
                                     r.document_class) for r in rows)
    return Visibility(scopes=scopes, rules=rules, today=today or date.today())


def _check_type_codes(query: ParsedQuery) -> None:
    if not query.types:
        return
    known = set(db.session.scalars(select(DocumentType.code)))
    unknown = [code for code in query.types if code not in known]
    if unknown:
        raise QuerySyntaxError(_("Unknown document type %(code)s: use one of %(known)s.",
                                 code=unknown[0], known=", ".join(sorted(known))))


def _index_notice(backend: Backend) -> str | None:
    """A sentence for the page when the index is incomplete; asks for a rebuild if needed.

    One rebuild at a time: while one runs (in the worker, or inline in another request
    with the memory queue) a search shows the notice and neither checks the half-built
    index nor asks for a rebuild of its own.
    """
    if rebuild_running():
        return _("The search index is being rebuilt; results may be incomplete for a while.")
    if backend.health() is not None:
        from dossier.search.tasks import request_rebuild

        request_rebuild()
        return _("The search index is being rebuilt; results may be incomplete for a while.")
    return None


def _filters_detail(filters: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    if not filters:
        return {}
    return {name: ([values] if isinstance(values, str) else [str(v) for v in values])
            for name, values in filters.items() if values}
