"""Full-text search over documents and customers: the only interface other packages use.

Changes reach the index through an outbox: `index()`/`remove()` add rows in the caller's
transaction, and one drainer applies committed rows to the backend (see indexer.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from dossier.search.query import ParsedQuery, QuerySyntaxError, parse

if TYPE_CHECKING:
    from dossier.search.results import SearchResults

__all__ = ["ParsedQuery", "QuerySyntaxError", "customer_changed", "drain", "index",
           "index_customers", "parse", "rebuild", "remove", "remove_customers", "search"]


def index(document_ids: Iterable[int]) -> None:
    """Queue these documents for (re)indexing, in the current transaction."""
    from dossier.search.outbox import enqueue_documents

    enqueue_documents(document_ids, "index")


def remove(document_ids: Iterable[int]) -> None:
    """Queue these documents for removal from the index, in the current transaction."""
    from dossier.search.outbox import enqueue_documents

    enqueue_documents(document_ids, "remove")


def index_customers(customer_ids: Iterable[int]) -> None:
    """Queue these customers and their documents (which carry their names and numbers)."""
    from dossier.search.outbox import enqueue_customers

    enqueue_customers(customer_ids, "index")


def remove_customers(customer_ids: Iterable[int]) -> None:
    """Queue these customers for removal (call before deleting them, while links exist)."""
    from dossier.search.outbox import enqueue_customers

    enqueue_customers(customer_ids, "remove")


def customer_changed(customer_id: int, changed_fields: Iterable[str]) -> None:
    """Queue what changing these customer fields makes stale (the customer, and its
    documents when its name or number changed)."""
    from dossier.search.outbox import customer_changed as queue_change

    queue_change(customer_id, changed_fields)


def search(query: str, actor: Any, filters: Mapping[str, Sequence[str]] | None = None,
           page: int = 1, per_page: int = 20, order: str = "relevance") -> SearchResults:
    """What `actor` may see matching `query`; raises QuerySyntaxError for malformed input."""
    from dossier.search.service import run_search

    return run_search(query, actor, filters=filters, page=page, per_page=per_page,
                      order=order)


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database; returns the number of documents indexed."""
    from dossier.search.indexer import rebuild_index

    return rebuild_index(progress)


def drain(limit: int = 500) -> int:
    """Apply every committed outbox row to the index, `limit` rows per transaction
    (each batch commits); returns the number of rows applied."""
    from dossier.search.indexer import drain_outbox

    return drain_outbox(limit)
