"""The OpenAPI declaration of GET /api/v1/search, which dossier/search/api.py serves."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from dossier.api.spec import OPERATIONS, Operation, Param
from dossier.auth.roles import ALL_SCOPES
from dossier.search.page_args import FACET_CHOICES, MAX_QUERY_LENGTH, MAX_VALUES_PER_FACET, ORDERS


def _facet(name: str, description: object) -> Param:
    choices = FACET_CHOICES[name]
    item = {"type": "string", "enum": list(choices)} if choices else {"type": "string",
                                                                     "maxLength": 40}
    return Param(name, "query", {"type": "array", "items": item,
                                 "maxItems": MAX_VALUES_PER_FACET}, description)


SEARCH = Operation(
    "GET", "/search", _l("Search documents and customers"), "search",
    (Param("q", "query", {"type": "string", "maxLength": MAX_QUERY_LENGTH},
           _l("The query, as in the search box (words, \"phrases\", -not, type:quote)."),
           example="offerte"),
     _facet("type", _l("Only these document types (codes); repeat for more.")),
     _facet("class", _l("Only dynamic or static documents.")),
     _facet("scope", _l("Only documents in these scopes: %(scopes)s.",
                        scopes=", ".join(ALL_SCOPES))),
     _facet("storage", _l("Only digital, paper or hybrid documents.")),
     Param("order", "query", {"type": "string", "enum": list(ORDERS), "default": "relevance"},
           _l("Best match first, or newest first.")),
     Param("page", "query", {"type": "integer", "minimum": 1, "default": 1},
           _l("Page number, from 1.")),
     Param("per_page", "query", {"type": "integer", "minimum": 1, "maximum": 100,
                                 "default": 20}, _l("Items per page, at most %(n)s.", n=100))),
    ok_schema="SearchResults",
    description=_l("Give q, a filter, or both. Documents come only from the caller's "
                   "scopes; customers from the caller's view."),
    example="curl -H 'Authorization: Bearer $TOKEN' '$BASE/api/v1/search?q=offerte&type=quote'",
    endpoint="search_api.search_json",
)
OPERATIONS.append(SEARCH)
