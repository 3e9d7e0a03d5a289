"""Who may search, and the part of a search's results each role may be shown.

The core applies scopes inside the backend query; this is the edge's own check, so
a role without document access never gets a document, count or facet on screen or in
JSON, whatever the layers below return.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from dossier.auth.permissions import Action, Feature, can
from dossier.search.results import SearchResults


def may_search(actor: Any) -> bool:
    return sees_customers(actor) or sees_documents(actor)


def sees_documents(actor: Any) -> bool:
    return can(actor, Action.VIEW, Feature.DOCUMENTS) and bool(actor.scopes)


def sees_customers(actor: Any) -> bool:
    return can(actor, Action.VIEW, Feature.CUSTOMERS)


def visible_part(results: SearchResults, actor: Any) -> SearchResults:
    """`results` without the kinds of result `actor` may not be shown."""
    if not sees_documents(actor):
        results = dataclasses.replace(results, hits=[], total=0, pages=0, facets={})
    if not sees_customers(actor):
        results = dataclasses.replace(results, customers=[])
    return results
