"""Turn a backend's ids into hits: documents and customers from the database, with snippets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dossier.auth.permissions import Action, can
from dossier.customers.models import Customer
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.search.backends.base import Backend, DocumentPage
from dossier.search.content import key_points_text
from dossier.search.query import ParsedQuery
from dossier.search.results import DocumentHit
from dossier.search.snippets import render, strip_marks


def snippet_source(document: Document) -> str:
    """The text a snippet is cut from: the current file's text, then key points and notes."""
    current = document.current_file
    parts = [current.text if current else "",
             key_points_text(document.key_points, document.notes or "")]
    return strip_marks("\n".join(part for part in parts if part))


def load_hits(found: DocumentPage, query: ParsedQuery, actor: Any,
              backend: Backend) -> list[DocumentHit]:
    """The page's documents in the backend's order, in a constant number of statements.

    A document deleted since it was indexed is left out; so is one the actor may no
    longer see (its scope changed and the outbox has not reached the index yet).
    """
    if not found.ids:
        return []
    loaded = {d.id: d for d in db.session.scalars(select(Document)
                                                  .where(Document.id.in_(found.ids)))}
    documents = [loaded[i] for i in found.ids
                 if i in loaded and can(actor, Action.VIEW, loaded[i])]
    snippets: dict[int, str] = {}
    if query.has_text and documents:
        snippets = backend.snippets(query, {d.id: snippet_source(d) for d in documents})
    return [DocumentHit(document=d, score=float(found.scores.get(d.id, 0.0)),
                        snippet=render(snippets.get(d.id, "")), customers=list(d.customers))
            for d in documents]


def load_customers_in_order(ids: list[int]) -> list[Customer]:
    if not ids:
        return []
    found = {c.id: c for c in db.session.scalars(select(Customer).where(Customer.id.in_(ids)))}
    return [found[i] for i in ids if i in found]
