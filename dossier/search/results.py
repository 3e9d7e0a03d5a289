"""What a search returns: hits with their document, customers, snippet, and the page around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from dossier.customers.models import Customer
from dossier.documents.models import Document
from dossier.search.query import ParsedQuery


@dataclass
class DocumentHit:
    document: Document
    score: float
    snippet: Markup
    customers: list[Customer]


@dataclass
class SearchResults:
    query: ParsedQuery
    text: str
    hits: list[DocumentHit]
    customers: list[Customer]
    total: int
    page: int
    per_page: int
    pages: int
    order: str
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    notice: str | None = None  # e.g. "the search index is being rebuilt"


def _customer_json(customer: Customer) -> dict[str, Any]:
    return {"id": customer.id, "number": customer.number, "name": customer.display_name}


def hit_json(hit: DocumentHit) -> dict[str, Any]:
    document = hit.document
    return {
        "id": document.id,
        "title": document.title,
        "type": document.document_type.code,
        "date": document.document_date.isoformat(),
        "storage": document.storage.value,
                "score": round(hit.score, 4),
        "snippet": str(hit.snippet),
        "customers": [_customer_json(customer) for customer in hit.customers],
    }


def to_json(results: SearchResults) -> dict[str, Any]:
    """The JSON shape shared by `flask dossier search --json` and GET /api/v1/search."""
    return {
        "query": results.text,
        "order": results.order,
        "page": results.page,
        "per_page": results.per_page,
        "pages": results.pages,
        "total": results.total,
        "hits": [hit_json(hit) for hit in results.hits],
        "customers": [_customer_json(customer) for customer in results.customers],
        "facets": results.facets,
        "notice": results.notice,
    }
