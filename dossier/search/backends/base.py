"""The contract every search backend fulfils, and the visibility it applies inside its queries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from dossier.search.content import IndexedCustomer, IndexedDocument
from dossier.search.query import ParsedQuery

ORDERS = ("relevance", "date")  # date: newest first


@dataclass(frozen=True)
class PolicyRuleView:
    """One scope-policy rule as the backends need it (see documents/policy.py)."""

    scope: str
    type_id: int
    condition: str  # "open", "closed", "current", "expired" or "always"
    document_class: str  # "static" | "dynamic"


@dataclass(frozen=True)
class Visibility:
    """What the searcher may see; built by the service from the actor.

    Backends MUST apply it inside the query (counts, pages and snippets included).
    `scopes` empty means no documents at all. `rules` are ordered per (scope, type):
    conditions before "always"; a document matching no rule is static for that scope.
    """

    scopes: frozenset[str]
    rules: tuple[PolicyRuleView, ...] = ()
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class DocumentPage:
    ids: list[int]  # in result order, len <= per_page
    total: int  # exact number of visible matches
    scores: dict[int, float]
    # {"type": {code: n}, "class": {"static": n, "dynamic": n},
    #  "scope": {scope: n (visible scopes only)}, "storage": {storage: n}}
    facets: dict[str, dict[str, int]]


class Backend(Protocol):
    name: str  # "whoosh" | "postgres"

    def index_documents(self, docs: Sequence[IndexedDocument]) -> None:
        """Insert or replace by id."""

    def remove_documents(self, ids: Sequence[int]) -> None: ...

    def index_customers(self, customers: Sequence[IndexedCustomer]) -> None: ...

    def remove_customers(self, ids: Sequence[int]) -> None: ...

    def search_documents(self, query: ParsedQuery, visibility: Visibility, page: int,
                         per_page: int, order: str) -> DocumentPage:
        """order: "relevance" or "date" (newest first); no text: matching documents by date."""

    def search_customers(self, query: ParsedQuery, limit: int) -> list[tuple[int, float]]:
        """(customer id, score): words/phrases/prefixes against name (typo tolerant),
        number, postcode (+ house number), email, phone, city; filters ignored except klant:."""

    def snippets(self, query: ParsedQuery, texts: dict[int, str]) -> dict[int, str]:
        """Text with matches between snippets.MARK_START/MARK_END, ~30 words around the
        best matches; "" when nothing matched. The caller escapes."""

    def clear(self) -> None:
        """Empty the index (a rebuild starts with it)."""

    def bulk_load(self, docs: Iterable[Sequence[IndexedDocument]],
                  customers: Iterable[Sequence[IndexedCustomer]],
                  progress: Callable[[int], None]) -> None:
        """The fastest correct full build, replacing whatever the index held (searches
        meanwhile see the old contents where the backend can keep them); call progress(n)
        with the number of documents just loaded (an increment, as click's progress bar
        takes it) after each batch."""

    def health(self) -> str | None:
        """None when the index is usable, else why not (missing, corrupt)."""
