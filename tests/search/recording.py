"""A recording stand-in for a search backend, for the core's own tests (outbox, service, CLI).

It is set on the app by these tests only (never registered as a backend); the real
backends are tested in test_contract.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from flask import Flask

from dossier.search.backends import set_backend
from dossier.search.backends.base import DocumentPage, Visibility
from dossier.search.content import IndexedCustomer, IndexedDocument
from dossier.search.query import ParsedQuery
from dossier.search.snippets import MARK_END, MARK_START


class RecordingIndex:
    """Keeps what it is given; answers searches by listing every visible document."""

    name = "recording"

    def __init__(self) -> None:
        self.documents: dict[int, IndexedDocument] = {}
        self.customers: dict[int, IndexedCustomer] = {}
        self.calls: list[tuple[str, list[int]]] = []
        self.problem: str | None = None
        self.fail_next = False

    def index_documents(self, docs: Sequence[IndexedDocument]) -> None:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("index unavailable")
        self.calls.append(("index", [d.id for d in docs]))
        self.documents.update({d.id: d for d in docs})

    def remove_documents(self, ids: Sequence[int]) -> None:
        self.calls.append(("remove", list(ids)))
        for i in ids:
            self.documents.pop(i, None)

    def index_customers(self, customers: Sequence[IndexedCustomer]) -> None:
        self.customers.update({c.id: c for c in customers})

    def remove_customers(self, ids: Sequence[int]) -> None:
        for i in ids:
            self.customers.pop(i, None)

    def search_documents(self, query: ParsedQuery, visibility: Visibility, page: int,
                         per_page: int, order: str) -> DocumentPage:
        ids = sorted(d.id for d in self.documents.values()
                     if visibility.scopes & set(d.scopes))
        return DocumentPage(ids=ids[(page - 1) * per_page:page * per_page], total=len(ids),
                            scores=dict.fromkeys(ids, 1.0), facets={"type": {}})

    def search_customers(self, query: ParsedQuery, limit: int) -> list[tuple[int, float]]:
        return [(i, 1.0) for i in sorted(self.customers)][:limit]

    def snippets(self, query: ParsedQuery, texts: dict[int, str]) -> dict[int, str]:
        return {i: f"{MARK_START}{text[:20]}{MARK_END}" for i, text in texts.items()}

    def clear(self) -> None:
        self.documents.clear()
        self.customers.clear()
        self.problem = None

    def bulk_load(self, docs: Iterable[Sequence[IndexedDocument]],
                  customers: Iterable[Sequence[IndexedCustomer]],
                  progress: Callable[[int], None]) -> None:
        self.documents.clear()  # a full build replaces everything
        self.customers.clear()
        self.problem = None
        for batch in docs:
            self.index_documents(batch)
            progress(len(batch))
        for customer_batch in customers:
            self.index_customers(customer_batch)

    def health(self) -> str | None:
        return self.problem


def use_recording_index(app: Flask) -> RecordingIndex:
    """Make a new recording index the app's backend (until the test's end)."""
    recording = RecordingIndex()
    set_backend(recording, app)  # type: ignore[arg-type]
    return recording
